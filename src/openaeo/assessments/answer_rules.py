"""Checking one answer against its question (pure: question dict and raw input in).

Plain-language errors, because the person answering is a business owner, not a clerk.
"""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

YES_NO_PARTLY = ("yes", "no", "partly")


class AnswerInvalid(ValueError):
    def __init__(self, message: str, field: str = "value"):
        super().__init__(message)
        self.message, self.field = message, field


def normalise(question: dict, value: str, explanation: str) -> tuple[str, str]:
    """The answer as stored, or AnswerInvalid saying what to fix."""
    value, explanation = (value or "").strip(), (explanation or "").strip()
    kind = question["answer"]
    if kind == "yes_no_partly":
        if value not in YES_NO_PARTLY:
            raise AnswerInvalid(_("Choose yes, no or partly."))
        if value in ("no", "partly") and not explanation:
            raise AnswerInvalid(
                _("Please explain in a few words: what is missing, and what you plan to do."),
                field="explanation",
            )
    elif kind == "choice":
        allowed = [option["value"] for option in question["options"]]
        if value not in allowed:
            raise AnswerInvalid(_("Choose one of the answers."))
    elif kind == "number":
        try:
            number = Decimal(value.replace(",", "."))
        except InvalidOperation:
            raise AnswerInvalid(_("Enter a number, for example 12.")) from None
        if not number.is_finite():
            raise AnswerInvalid(_("Enter a number, for example 12."))
        if "minimum" in question and number < Decimal(str(question["minimum"])):
            raise AnswerInvalid(
                _("The number cannot be below %(minimum)s.") % {"minimum": question["minimum"]}
            )
        if "maximum" in question and number > Decimal(str(question["maximum"])):
            raise AnswerInvalid(
                _("The number cannot be above %(maximum)s.") % {"maximum": question["maximum"]}
            )
        value = format(number.normalize(), "f")
    elif kind == "date":
        try:
            parsed = dt.date.fromisoformat(value)
        except ValueError:
            raise AnswerInvalid(
                _("Enter a date as year-month-day, for example 2026-03-31.")
            ) from None
        if parsed.year < 1900:
            raise AnswerInvalid(_("Enter a date as year-month-day, for example 2026-03-31."))
        value = parsed.isoformat()
    elif kind == "document":
        # Uploads arrive through the evidence store; here only the note is kept.
        value = "uploaded" if value == "uploaded" else ""
    return value, explanation[:4000]
