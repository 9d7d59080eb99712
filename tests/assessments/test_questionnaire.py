"""Starting a self-assessment and answering it: validation, conflicts, permissions, both with and without htmx."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from openaeo.accounts.roles import OperatorRole
from openaeo.assessments import selectors, services
from openaeo.assessments.models import Answer
from openaeo.common.models import AuditEvent
from openaeo.operators.models import EconomicOperator
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def business(db):
    return factories.OperatorFactory(roles=["exporter"], employees=12, annual_turnover=900_000)


def _question(assessment, kind):
    return next(q for _h, _r, q in selectors.asked(assessment) if q["answer"] == kind)


def test_start_pins_catalogue_size_and_roles(assessment, programmes):
    assert assessment.size_class == "small"  # 12 people
    assert assessment.roles == ["exporter"]
    assert assessment.catalogue_version == programmes["safe-reference"].catalogue_version
    assert AuditEvent.objects.filter(action="assessment.start").count() == 1


def test_a_micro_business_is_asked_fewer_questions(programmes, owner, business):
    small = services.assessment_start(
        actor=owner, operator=business, programme=programmes["safe-reference"], tier_code="entry"
    )
    EconomicOperator.objects.filter(pk=business.pk).update(employees=4)
    business.refresh_from_db()
    micro = services.assessment_start(
        actor=owner, operator=business, programme=programmes["safe-reference"], tier_code="entry"
    )
    assert micro.size_class == "micro"
    assert len(selectors.asked(micro)) <= 40 < len(selectors.asked(small))


def test_start_needs_a_profile(programmes, owner, business):
    EconomicOperator.objects.filter(pk=business.pk).update(roles=[])
    business.refresh_from_db()
    with pytest.raises(ValidationError, match="business profile"):
        services.assessment_start(
            actor=owner,
            operator=business,
            programme=programmes["safe-reference"],
            tier_code="entry",
        )


def test_viewers_and_strangers_cannot_start_or_answer(assessment, business, programmes):
    viewer = factories.make_member(business, OperatorRole.VIEWER)
    with pytest.raises(PermissionDenied):
        services.assessment_start(
            actor=viewer,
            operator=business,
            programme=programmes["safe-reference"],
            tier_code="entry",
        )
    question = _question(assessment, "yes_no_partly")
    with pytest.raises(PermissionDenied):
        services.answer_save(
            actor=viewer,
            assessment=assessment,
            question=question,
            value="yes",
            explanation="",
            seen_version=0,
        )


@pytest.mark.parametrize(
    ("kind", "value", "explanation", "message"),
    [
        ("yes_no_partly", "maybe", "", "Choose yes, no or partly"),
        ("yes_no_partly", "no", "", "Please explain"),
        ("yes_no_partly", "partly", " ", "Please explain"),
        ("number", "twelve", "", "Enter a number"),
        ("date", "31/03/2026", "", "year-month-day"),
        ("choice", "not-an-option", "", "Choose one of the answers"),
    ],
)
def test_answers_are_checked(assessment, owner, kind, value, explanation, message):
    question = _question(assessment, kind)
    with pytest.raises(ValidationError, match=message):
        services.answer_save(
            actor=owner,
            assessment=assessment,
            question=question,
            value=value,
            explanation=explanation,
            seen_version=0,
        )
    assert not Answer.objects.exists()


def test_a_conflicting_edit_is_detected_not_overwritten(assessment, owner, business):
    colleague = factories.make_member(business, OperatorRole.EDITOR)
    question = _question(assessment, "yes_no_partly")
    services.answer_save(
        actor=owner,
        assessment=assessment,
        question=question,
        value="yes",
        explanation="",
        seen_version=0,
    )
    with pytest.raises(services.AnswerConflict) as clash:
        services.answer_save(
            actor=colleague,
            assessment=assessment,
            question=question,
            value="no",
            explanation="Not yet",
            seen_version=0,
        )
    assert clash.value.current.value == "yes" and clash.value.current.updated_by == owner
    saved = services.answer_save(
        actor=colleague,
        assessment=assessment,
        question=question,
        value="no",
        explanation="Not yet",
        seen_version=1,
    )
    assert (saved.value, saved.version) == ("no", 2)


def test_the_same_answer_twice_changes_nothing(assessment, owner):
    question = _question(assessment, "yes_no_partly")
    first = services.answer_save(
        actor=owner,
        assessment=assessment,
        question=question,
        value="yes",
        explanation="",
        seen_version=0,
    )
    again = services.answer_save(
        actor=owner,
        assessment=assessment,
        question=question,
        value="yes",
        explanation="",
        seen_version=0,
    )
    assert again.version == first.version == 1
    assert AuditEvent.objects.filter(action="assessment.answer").count() == 1


def test_answering_without_javascript(client, assessment, owner):
    client.force_login(owner)
    question = _question(assessment, "yes_no_partly")
    response = client.post(
        f"/self-assessment/{assessment.pk}/answer/",
        {
            "question": question["id"],
            "value": "partly",
            "explanation": "",
            "version": "0",
            "part": "1",
        },
    )
    assert response.status_code == 400
    assert "Please explain" in response.content.decode()
    response = client.post(
        f"/self-assessment/{assessment.pk}/answer/",
        {
            "question": question["id"],
            "value": "partly",
            "explanation": "Log started in May",
            "version": "0",
            "part": "1",
        },
    )
    assert response.status_code == 302 and "#q-" in response["Location"]
    assert Answer.objects.get().explanation == "Log started in May"


def test_answering_with_htmx_returns_the_question_and_progress(client, assessment, owner):
    client.force_login(owner)
    question = _question(assessment, "yes_no_partly")
    response = client.post(
        f"/self-assessment/{assessment.pk}/answer/",
        {
            "question": question["id"],
            "value": "yes",
            "explanation": "",
            "version": "0",
            "part": "1",
        },
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith("<form") and "Saved." in body
    assert 'id="progress"' in body and 'hx-swap-oob="true"' in body
    stale = client.post(
        f"/self-assessment/{assessment.pk}/answer/",
        {
            "question": question["id"],
            "value": "no",
            "explanation": "x",
            "version": "0",
            "part": "1",
        },
        HTTP_HX_REQUEST="true",
    )
    assert stale.status_code == 409 and "saved a different answer" in stale.content.decode()
    assert 'Their answer: "yes"' in stale.content.decode()


def test_another_trader_cannot_see_the_assessment(client, assessment):
    stranger = factories.make_member(factories.OperatorFactory(), OperatorRole.OWNER)
    client.force_login(stranger)
    assert client.get(f"/self-assessment/{assessment.pk}/").status_code == 404
    assert client.get(f"/self-assessment/{assessment.pk}/part/1/").status_code == 404
    question = _question(assessment, "yes_no_partly")
    response = client.post(
        f"/self-assessment/{assessment.pk}/answer/",
        {"question": question["id"], "value": "yes", "version": "0", "part": "1"},
    )
    assert response.status_code == 404 and not Answer.objects.exists()


def test_heading_page_query_count_is_constant(
    client, assessment, owner, django_assert_max_num_queries
):
    client.force_login(owner)
    with django_assert_max_num_queries(25) as few:
        client.get(f"/self-assessment/{assessment.pk}/part/1/")
    for _heading, _requirement, question in selectors.asked(assessment):
        if question["answer"] == "yes_no_partly":
            services.answer_save(
                actor=owner,
                assessment=assessment,
                question=question,
                value="yes",
                explanation="",
                seen_version=0,
            )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(f"/self-assessment/{assessment.pk}/part/1/")
    assert response.status_code == 200
