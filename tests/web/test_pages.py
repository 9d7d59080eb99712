"""The shell every page shares: security headers, languages, right-to-left, errors, demo."""

import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from openaeo.common.models import AuditEvent
from tests import factories

pytestmark = pytest.mark.django_db


def test_pages_send_a_strict_content_security_policy(client):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy


@pytest.mark.parametrize("path", ["/", "/roles/", "/accounts/login/", "/accounts/signup/"])
def test_no_inline_script_and_no_external_host(client, path):
    body = client.get(path).content.decode()
    for script in re.findall(r"<script\b[^>]*>(.*?)</script>", body, flags=re.S):
        assert script.strip() == "", f"inline script on {path}"
    assert not re.search(r"""(src|href)=["']https?://""", body), f"external resource on {path}"
    assert " style=" not in body, f"inline style attribute on {path}"


def test_arabic_pages_are_right_to_left(client):
    client.post(reverse("set_language"), {"language": "ar", "next": "/"})
    body = client.get("/").content.decode()
    assert 'lang="ar"' in body and 'dir="rtl"' in body


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_other_languages_are_left_to_right(client, language):
    client.post(reverse("set_language"), {"language": language, "next": "/"})
    body = client.get("/").content.decode()
    assert f'lang="{language}"' in body and 'dir="ltr"' in body


def test_skip_link_points_at_the_main_content(client):
    body = client.get("/").content.decode()
    assert 'href="#main"' in body and 'id="main"' in body


def test_not_found_page_is_helpful(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "home page" in response.content.decode()


def test_forbidden_page_is_helpful(client):
    client.force_login(factories.UserFactory())
    response = client.get(reverse("audit:list"))
    assert response.status_code == 403
    assert "does not give access" in response.content.decode()


def test_server_error_page_needs_no_database(rf):
    from openaeo.web.views import error_500

    response = error_500(rf.get("/"))
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()


def test_demo_data_is_idempotent_and_audited():
    call_command("demo_data", stdout=io.StringIO())
    counts = _counts()
    events = AuditEvent.objects.count()
    out = io.StringIO()
    call_command("demo_data", stdout=out)
    assert "nothing new" in out.getvalue()
    assert _counts() == counts and AuditEvent.objects.count() == events
    call_command("audit_verify", stdout=io.StringIO())


def test_demo_has_an_account_for_every_role():
    from openaeo.accounts.models import User
    from openaeo.accounts.roles import StaffRole
    from openaeo.operators.models import Mandate, OperatorMembership

    call_command("demo_data", stdout=io.StringIO())
    held = set().union(*(user.staff_roles for user in User.objects.all()))
    assert held == set(StaffRole.values)
    assert set(OperatorMembership.objects.values_list("role", flat=True)) == {
        "owner",
        "editor",
        "viewer",
    }
    assert Mandate.objects.filter(revoked_at__isnull=True).exists()
    out = io.StringIO()
    call_command("demo_data", "--accounts", stdout=out)
    for role in (
        "owner",
        "editor",
        "viewer",
        "broker",
        "manager",
        "validator",
        "supervisor",
        "helpdesk",
        "auditor",
        "admin",
    ):
        assert f"{role}@demo.openaeo.test" in out.getvalue()


def test_demo_has_businesses_of_every_size_at_every_stage():
    from openaeo.assessments.models import ActionItem, SelfAssessment
    from openaeo.cases.models import Application
    from openaeo.operators.models import EconomicOperator

    call_command("demo_data", stdout=io.StringIO())
    sizes = {assessment.size_class for assessment in SelfAssessment.objects.all()}
    assert sizes == {"micro", "small", "medium", "large"}
    assert EconomicOperator.objects.filter(assessments__isnull=True).exists()  # registered only
    assert ActionItem.objects.filter(due_date__isnull=False).exists()
    # Cases at the steps officers work on, and one waiting for the applicant.
    applications = Application.objects.filter(kind="application")
    steps = sorted(applications.values_list("status", flat=True))
    assert steps == ["closed", "decided", "desk_review", "recommended", "submitted"]
    from openaeo.certificates.models import Certificate
    from openaeo.certificates.verification import verify_number

    certificate = Certificate.objects.get(holder__identifier="KE-P051234575J")
    assert verify_number(certificate.aeo_number).status == "valid"  # in effect already
    # A reassessment of that certificate is in progress; the certificate stays valid.
    reassessment = Application.objects.get(kind="reassessment")
    assert reassessment.certificate == certificate and reassessment.status == "desk_review"
    waiting = applications.get(status="desk_review")
    assert waiting.clock_stopped_on is not None and waiting.assignee is not None


def _counts():
    from openaeo.accounts.models import Office, User
    from openaeo.operators.models import EconomicOperator, Mandate, OperatorMembership

    return [
        m.objects.count() for m in (Office, User, EconomicOperator, OperatorMembership, Mandate)
    ]


def test_demo_brings_an_older_demo_database_up_to_date():
    """A database loaded by an earlier demo (businesses without a profile, no intake
    office) gets what is missing instead of failing."""
    from openaeo.accounts.models import Office
    from openaeo.operators.models import EconomicOperator

    call_command("demo_data", stdout=io.StringIO())
    Office.objects.filter(code="PORT").update(receives_applications=False)
    EconomicOperator.objects.filter(identifier="KE-P051234569C").update(roles=[], employees=None)
    call_command("demo_data", stdout=io.StringIO())
    assert Office.objects.get(code="PORT").receives_applications
    assert EconomicOperator.objects.get(identifier="KE-P051234569C").roles == ["exporter"]
    assert AuditEvent.objects.filter(action="office.update").exists()
