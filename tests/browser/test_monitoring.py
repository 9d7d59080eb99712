"""Monitoring in a real browser, without JavaScript: the owner notifies a change from the
certificate page and an officer reviews it from the monitoring overview; the owner fills in
the annual review. The pages have no serious accessibility problem (axe)."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from openaeo.common import clock
from openaeo.monitoring import services, windows
from openaeo.monitoring.models import ChangeNotice, SelfReview
from tests.scenarios.browser import blocking_violations, describe, signed_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def open_review(certificate):
    today = clock.today()
    window = windows.window_of("01-01/12-31", today.year)
    review, _ = services.self_review_open(certificate, window)
    return review


def test_the_owner_notifies_a_change_and_an_officer_reviews_it(
    new_context, live_server, people, certificate
):
    owner = signed_in(new_context, live_server, people["owner"], java_script_enabled=False)
    page = owner.new_page()
    page.goto(reverse("certificates:business", args=[certificate.holder_id]))
    page.get_by_role("link", name=f"Notify a change {certificate.aeo_number}").click()
    page.get_by_label("Sites").check()
    page.get_by_label("Describe the change").fill("We opened a second warehouse in Mombasa.")
    page.get_by_label("From when?").fill("2026-11-01")
    page.get_by_role("button", name="Send to Customs").click()
    expect(page.locator(".message-success")).to_contain_text("change notice is sent")
    expect(page.get_by_text("Not reviewed yet")).to_be_visible()
    notice = ChangeNotice.objects.get()

    officer = signed_in(new_context, live_server, people["validator"], java_script_enabled=False)
    page = officer.new_page()
    page.goto(reverse("monitoring:overview"))
    page.get_by_role("link", name="Change notices to review").click()
    page.get_by_role("link", name="Sites").click()
    page.get_by_label("Accepted").check()
    page.get_by_label("No action").check()
    page.get_by_role("button", name="Record the review").click()
    expect(page.locator(".message-success")).to_contain_text("review is recorded")
    notice.refresh_from_db()
    assert notice.review_decision == "accepted" and notice.reviewed_by == people["validator"]

    page = owner.new_page()
    page.goto(reverse("monitoring:holder", args=[certificate.pk]))
    expect(page.get_by_role("cell", name="Accepted")).to_be_visible()


def test_the_owner_saves_a_draft_then_sends_the_annual_review(
    new_context, live_server, people, certificate, open_review
):
    context = signed_in(new_context, live_server, people["owner"], java_script_enabled=False)
    page = context.new_page()
    page.goto(reverse("monitoring:self_review", args=[certificate.pk]))
    radios = page.get_by_role("radio", name="Still true")
    radios.first.check()
    page.get_by_role("button", name="Save and come back later").click()
    expect(page.locator(".message-success")).to_contain_text("answers are saved")
    expect(page.get_by_role("radio", name="Still true").first).to_be_checked()
    for index in range(page.get_by_role("radio", name="Still true").count()):
        page.get_by_role("radio", name="Still true").nth(index).check()
    for index in range(page.get_by_role("radio", name="No", exact=True).count()):
        page.get_by_role("radio", name="No", exact=True).nth(index).check()
    page.get_by_role("button", name="Send to Customs").click()
    expect(page.locator(".message-success")).to_contain_text("sent to Customs")
    open_review.refresh_from_db()
    assert open_review.status == SelfReview.Status.SUBMITTED


@pytest.mark.parametrize("language", ["en", "ar"])
@pytest.mark.parametrize(
    "who,route",
    [
        ("owner", "monitoring:holder"),
        ("owner", "monitoring:self_review"),
        ("owner", "monitoring:change_new"),
        ("owner", "monitoring:incident_new"),
        ("validator", "monitoring:overview"),
        ("validator", "monitoring:self_review_detail"),
    ],
)
def test_monitoring_pages_have_no_serious_accessibility_problem(
    new_context, live_server, people, certificate, open_review, language, who, route
):
    context = signed_in(new_context, live_server, people[who], bypass_csp=True)
    context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page = context.new_page()
    if route == "monitoring:overview":
        url = reverse(route) + "?show=reviews_open"
    elif route == "monitoring:self_review_detail":
        url = reverse(route, args=[open_review.pk])
    else:
        url = reverse(route, args=[certificate.pk])
    response = page.goto(url)
    assert response is not None and response.ok
    blocking, found = blocking_violations(page)
    assert not blocking, f"{found} ({language}):\n{describe(blocking)}"
