"""How screening figures read on the page: rates as percentages, stored codes as words."""

from django import template
from django.template.defaultfilters import floatformat
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

register = template.Library()

# The codes of the declaration schema (screening/schema.py), in the reader's language.
CODE_LABELS = {
    "declaration": _("Declaration"),
    "infringement": _("Infringement record"),
    "none": pgettext_lazy("irregularity severity", "None"),
    "minor": pgettext_lazy("irregularity severity", "Minor"),
    "serious": pgettext_lazy("irregularity severity", "Serious"),
    "not_inspected": _("Not inspected"),
    "no_discrepancy": _("Inspected, no discrepancy"),
    "discrepancy": _("Inspected, discrepancy found"),
}


@register.filter
def code_label(code):
    """A stored code in words; an unknown code (from an older file) as it is."""
    return CODE_LABELS.get(code, code)


@register.filter
def percent(rate):
    """0.0123 -> "1.2 %" (decimal mark of the reader's language); empty for no value."""
    if rate is None or rate == "":
        return ""
    return f"{floatformat(float(rate) * 100, 1)}\N{NO-BREAK SPACE}%"
