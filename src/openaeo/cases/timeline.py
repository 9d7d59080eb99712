"""What each case event is called on the case page and in the applicant's timeline."""

from django.utils.translation import gettext_lazy as _

# action -> (label, shown to the applicant?)
EVENTS = {
    "application.submit": (_("Application submitted"), True),
    "application.resubmit": (_("Corrected application submitted"), True),
    "case.accept": (_("Accepted as complete: the review started"), True),
    "case.deemed_accepted": (_("Accepted: the completeness deadline passed"), True),
    "case.return_incomplete": (_("Returned: information missing"), True),
    "case.risk_review_done": (_("Risk and compliance review done"), False),
    "case.extend": (_("Decision deadline extended"), True),
    "case.assign": (_("Assigned"), False),
    "case.information_request": (_("Customs asked for information"), True),
    "case.reply": (_("The applicant replied"), True),
    "case.follow_up": (_("Customs wrote again"), True),
    "case.note": (_("Internal note added"), False),
    "case.compliance_record": (_("Compliance record added"), False),
    "case.visit_plan": (_("Validation visit planned"), True),
    "case.visit_item": (_("Checklist item recorded"), False),
    "case.visit_complete": (_("Validation visit report completed"), True),
    "case.corrective_action_done": (_("Corrective action reported done"), True),
    "case.corrective_action_accept": (_("Corrective action accepted"), True),
    "case.recommend": (_("Decision recommended"), False),
    "case.send_back": (_("Recommendation sent back"), False),
    "case.decide": (_("Decision taken"), True),
    "case.appeal": (_("Appeal lodged"), True),
    "case.appeal_decide": (_("Appeal decided"), True),
    "case.close": (_("Case closed"), True),
    "case.withdraw": (_("Withdrawn by the applicant"), True),
    "case.reassessment_open": (_("Customs opened a reassessment of the certificate"), True),
    "case.renewal_start": (_("Renewal of the certificate asked for"), True),
}


def label(action: str) -> str:
    return str(EVENTS.get(action, (action, False))[0])


def for_applicant(events) -> list:
    return [event for event in events if EVENTS.get(event.action, ("", False))[1]]
