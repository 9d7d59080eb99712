"""PDF documents of a case: the decision letter (in the applicant's language)."""

from django.template.loader import render_to_string
from django.utils import translation

from openaeo.cases.models import APPEALABLE


def decision_letter_pdf(decision) -> bytes:
    """The letter, rendered in the language recorded with the decision, whoever downloads it."""
    from weasyprint import HTML  # on first use: WeasyPrint loads Pango, a heavy import

    application = decision.application
    with translation.override(decision.language or "en"):
        html = render_to_string(
            "cases/decision_letter.html",
            {
                "decision": decision,
                "application": application,
                "operator": application.operator,
                "tier": application.programme.tier(decision.tier_code or application.tier_code)
                or {},
                "appealable": decision.outcome in APPEALABLE,
            },
        )
    return HTML(string=html).write_pdf()


def visit_report_pdf(visit) -> bytes:
    """The validation visit report, in the reader's language (the checklist texts are those
    the visit was planned with). Marked as a draft until the team completes it."""
    from weasyprint import HTML

    from openaeo.cases import selectors

    application = visit.application
    items = list(visit.items.select_related("checked_by"))
    photos = selectors.files_by_purpose(application, "visit-item:")
    actions = {
        action.visit_item_id: action
        for action in application.corrective_actions.filter(visit_item__visit=visit)
    }
    rows = [
        {"item": item, "photos": photos.get(item.pk, []), "action": actions.get(item.pk)}
        for item in items
    ]
    html = render_to_string(
        "cases/visit_report.html",
        {
            "visit": visit,
            "application": application,
            "operator": application.operator,
            "team": list(visit.team.all()),
            "groups": selectors.checklist_groups(visit, rows),
            "findings": [row for row in rows if row["item"].is_finding],
            "size_name": selectors.size_name(visit.size_class),
            "checked": sum(1 for item in items if item.result != "pending"),
            "total": len(items),
        },
    )
    return HTML(string=html).write_pdf()
