"""The annual self-review: opened by tick in the window, reminders, overdue, pre-filled,
drafts kept, one submission, the officer's review."""

import datetime as dt

import pytest
from django.urls import reverse

from openaeo.common.models import AuditEvent
from openaeo.monitoring import services
from openaeo.monitoring.models import SelfReview, SelfReviewStatus
from openaeo.notifications.models import Notification
from tests.scenarios.certificates import grant
from tests.scenarios.days import at


def run(year, month, day):
    with at(dt.date(year, month, day)):
        return services.self_reviews_run()


def subjects(user):
    """What the monitoring told `user` (the certificate's issuance notice left out)."""
    return [
        n.subject
        for n in Notification.objects.filter(recipient=user).order_by("id")
        if not n.subject_text.startswith("Your AEO certificate")
    ]


def test_tick_opens_one_review_a_year_in_the_window(certificate):
    assert run(2026, 9, 30)["opened"] == 0
    assert run(2026, 10, 1)["opened"] == 1
    assert run(2026, 10, 1)["opened"] == 0
    assert run(2026, 12, 31)["opened"] == 0
    review = SelfReview.objects.get(certificate=certificate)
    assert (review.year, review.window_opens, review.window_closes) == (
        2026,
        dt.date(2026, 10, 1),
        dt.date(2026, 12, 31),
    )
    assert run(2027, 1, 5)["opened"] == 0
    assert run(2027, 10, 3)["opened"] == 1
    assert list(SelfReview.objects.values_list("year", flat=True).order_by("year")) == [2026, 2027]
    assert AuditEvent.objects.filter(action="monitoring.self_review.open").count() == 2


def test_the_periodic_job_is_registered():
    from openaeo.common.periodic import jobs

    assert "monitoring.self_reviews" in [job.name for job in jobs()]


def test_no_review_for_a_certificate_granted_during_the_window(certificate):
    from openaeo.certificates.models import Certificate

    Certificate.objects.filter(pk=certificate.pk).update(effective_on=dt.date(2026, 10, 20))
    assert run(2026, 11, 1)["opened"] == 0


def test_no_review_for_a_suspended_certificate(certificate):
    from openaeo.certificates.models import Certificate

    Certificate.objects.filter(pk=certificate.pk).update(status="suspended")
    assert run(2026, 10, 1)["opened"] == 0


def test_reminders_go_once_each_then_overdue_tells_the_office(certificate, owner, staff):
    run(2026, 10, 1)
    run(2026, 10, 1)
    run(2026, 10, 2)
    assert len(subjects(owner)) == 1
    assert "open" in subjects(owner)[0]
    run(2026, 11, 15)
    run(2026, 11, 16)
    assert len(subjects(owner)) == 2
    run(2026, 12, 24)
    run(2026, 12, 31)
    assert len(subjects(owner)) == 3
    assert subjects(owner)[2].startswith("One week left")
    assert subjects(staff["supervisor"]) == []
    counts = run(2027, 1, 1)
    assert counts["overdue"] == 1
    assert run(2027, 1, 2)["overdue"] == 0
    review = SelfReview.objects.get()
    assert review.status == SelfReviewStatus.OVERDUE
    assert review.reminders_sent == ["start", "middle", "last_week"]
    assert len(subjects(staff["supervisor"])) == 1
    assert subjects(staff["supervisor_elsewhere"]) == []
    assert "overdue" in subjects(owner)[-1]
    reminders = AuditEvent.objects.filter(action="monitoring.self_review.remind").count()
    assert reminders == 3


def test_the_reminder_is_emailed_to_the_owners(
    certificate, owner, mailoutbox, django_capture_on_commit_callbacks
):
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        run(2026, 10, 1)
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [owner.email]
    assert certificate.aeo_number in mailoutbox[0].subject
    assert "/monitoring/certificates/" in mailoutbox[0].body


def test_a_late_first_run_sends_only_the_last_reminder(certificate, owner):
    run(2026, 12, 26)
    assert len(subjects(owner)) == 1
    assert subjects(owner)[0].startswith("One week left")


def test_the_first_review_starts_from_the_pinned_answers(case, staff):
    certificate = grant(case, validator=staff["validator"], supervisor=staff["supervisor"])
    snapshot = case.revisions.get().snapshot["answers"]
    with at("2030-10-01"):
        services.self_reviews_run()
    review = SelfReview.objects.get(certificate=certificate)
    assert review.items, "every requirement in scope is asked"
    said = [entry for item in review.items for entry in item["said"]]
    assert len(said) == len(snapshot)
    assert all(item["answer"] == "" for item in review.items)
    assert set(review.questions) == set(services.FIXED_QUESTIONS)


def _complete(review):
    return {
        "items": {
            index: ("changed", "New seal supplier.") if index == 0 else ("still_true", "")
            for index in range(len(review.items))
        },
        "questions": {key: ("no", "") for key in services.FIXED_QUESTIONS},
    }


def test_next_year_starts_from_last_years_review(certificate, owner):
    run(2026, 10, 1)
    review = SelfReview.objects.get()
    with at("2026-10-05"):
        services.self_review_save(actor=owner, review=review, data=_complete(review), submit=True)
    run(2027, 10, 1)
    this_year = SelfReview.objects.get(year=2027)
    assert this_year.items[0]["last_answer"] == "changed"
    assert this_year.items[0]["answer"] == "changed"
    assert this_year.items[0]["explanation"] == "New seal supplier."
    assert this_year.items[1]["answer"] == "still_true"
    assert this_year.questions["owners"]["answer"] == ""


@pytest.fixture
def open_review(certificate):
    run(2026, 10, 1)
    return SelfReview.objects.get(certificate=certificate)


def _post(client, certificate, data):
    return client.post(reverse("monitoring:self_review", args=[certificate.pk]), data)


def test_a_draft_survives_and_shows_again(open_review, certificate, owner, client_for):
    client = client_for(owner)
    response = _post(
        client,
        certificate,
        {"item-0": "changed", "item-0-explanation": "We moved the seal store.", "save": "1"},
    )
    assert response.status_code == 302
    open_review.refresh_from_db()
    assert open_review.items[0]["answer"] == "changed"
    assert open_review.status == SelfReviewStatus.OPEN
    page = client.get(reverse("monitoring:self_review", args=[certificate.pk]))
    assert "We moved the seal store." in page.content.decode()
    # A second draft that does not touch item 0 keeps it.
    _post(client, certificate, {"item-0": "changed", "item-1": "still_true", "save": "1"})
    open_review.refresh_from_db()
    assert open_review.items[1]["answer"] == "still_true"
    assert AuditEvent.objects.filter(action="monitoring.self_review.save").count() == 2


def test_an_incomplete_submission_is_saved_and_names_what_is_missing(
    open_review, certificate, owner, client_for
):
    response = _post(client_for(owner), certificate, {"item-0": "changed", "submit": "1"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Explain what changed." in body
    assert "Answer yes or no." in body
    open_review.refresh_from_db()
    assert open_review.status == SelfReviewStatus.OPEN
    assert open_review.items[0]["answer"] == "changed"


def _complete_post(review):
    data = {"submit": "1"}
    for index in range(len(review.items)):
        data[f"item-{index}"] = "still_true"
    for key in services.FIXED_QUESTIONS:
        data[f"question-{key}"] = "no"
    return data


def test_submitting_twice_is_harmless(open_review, certificate, owner, client_for):
    client = client_for(owner)
    first = _post(client, certificate, _complete_post(open_review))
    second = _post(client, certificate, _complete_post(open_review))
    assert first.status_code == second.status_code == 302
    open_review.refresh_from_db()
    assert open_review.status == SelfReviewStatus.SUBMITTED
    assert AuditEvent.objects.filter(action="monitoring.self_review.submit").count() == 1


def test_an_overdue_review_can_still_be_sent(open_review, certificate, owner):
    run(2027, 1, 3)
    open_review.refresh_from_db()
    assert open_review.status == SelfReviewStatus.OVERDUE
    services.self_review_save(
        actor=owner, review=open_review, data=_complete(open_review), submit=True
    )
    open_review.refresh_from_db()
    assert open_review.status == SelfReviewStatus.SUBMITTED


def test_a_viewer_reads_but_cannot_save(open_review, certificate, viewer, client_for):
    client = client_for(viewer)
    assert client.get(reverse("monitoring:self_review", args=[certificate.pk])).status_code == 200
    assert _post(client, certificate, {"item-0": "changed", "save": "1"}).status_code == 403


def test_another_business_gets_not_found(open_review, certificate, stranger, client_for):
    client = client_for(stranger)
    assert client.get(reverse("monitoring:self_review", args=[certificate.pk])).status_code == 404
    assert _post(client, certificate, {"save": "1"}).status_code == 404


def test_the_officer_reviews_once_and_supervisors_hear_of_an_outcome(
    open_review, certificate, owner, staff, client_for
):
    services.self_review_save(
        actor=owner, review=open_review, data=_complete(open_review), submit=True
    )
    url = reverse("monitoring:self_review_review", args=[open_review.pk])
    data = {
        "review_decision": "follow_up",
        "outcome": "reassessment_needed",
        "review_note": "The new seal supplier must be checked on site.",
    }
    elsewhere = client_for(staff["validator_elsewhere"])
    assert (
        elsewhere.get(reverse("monitoring:self_review_detail", args=[open_review.pk])).status_code
        == 404
    )
    assert elsewhere.post(url, data).status_code == 404
    client = client_for(staff["validator"])
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302  # the same review again: harmless
    open_review.refresh_from_db()
    assert open_review.status == SelfReviewStatus.REVIEWED
    assert open_review.outcome == "reassessment_needed"
    event = AuditEvent.objects.get(action="monitoring.self_review.review")
    assert event.after == {"decision": "follow_up", "outcome": "reassessment_needed"}
    assert any("Reassessment" in s for s in subjects(staff["supervisor"]))
    assert any("reviewed" in s for s in subjects(owner))
    changed = dict(data, outcome="no_action")
    response = client.post(url, changed)
    assert response.status_code == 400


def test_a_follow_up_needs_a_note(open_review, owner, staff):
    from django.core.exceptions import ValidationError

    services.self_review_save(
        actor=owner, review=open_review, data=_complete(open_review), submit=True
    )
    with pytest.raises(ValidationError) as error:
        services.self_review_review(
            actor=staff["validator"],
            review=open_review,
            decision="follow_up",
            outcome="no_action",
            note="",
        )
    assert "review_note" in error.value.error_dict


def test_a_revoked_certificates_review_is_left_alone(open_review, certificate, owner):
    from django.core.exceptions import ValidationError

    from openaeo.certificates.models import Certificate

    Certificate.objects.filter(pk=certificate.pk).update(status="revoked")
    assert run(2027, 1, 5)["overdue"] == 0
    open_review.refresh_from_db()
    assert open_review.status == SelfReviewStatus.OPEN
    with pytest.raises(ValidationError):
        services.self_review_save(actor=owner, review=open_review, data={}, submit=False)
