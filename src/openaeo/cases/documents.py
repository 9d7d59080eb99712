"""PDF documents of a case: the decision letter (in the applicant's language)."""

from django.template.loader import render_to_string
from django.utils import translation


def decision_letter_pdf(decision) -> bytes:
    """The letter, rendered in the language recorded with the decision, whoever downloads it."""
    from weasyprint import HTML

    from openaeo.cases.decisions import APPEALABLE

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
