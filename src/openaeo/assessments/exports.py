"""The gap report as a spreadsheet (openpyxl) and as a PDF (WeasyPrint)."""

import io

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from openaeo.catalogue.templatetags.catalogue_text import pick

EFFORT_WORDS = {"hours": "a few hours", "days": "a few days", "weeks": "a few weeks"}


def effort_words(effort: str) -> str:
    return {"hours": _("a few hours"), "days": _("a few days"), "weeks": _("a few weeks")}[effort]


def severity_words(severity: str) -> str:
    return {"blocking": _("Must be fixed before applying"), "needs_work": _("Needs work")}.get(
        severity, severity
    )


def gap_report_xlsx(assessment, lines) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Gaps")[:31]
    sheet.append([_("Gap report"), str(assessment.operator), pick(assessment.tier.get("name", {}))])
    sheet.append([])
    header = [
        _("Part"),
        _("Requirement"),
        _("Severity"),
        _("What to do"),
        _("Model documents"),
        _("Rough effort"),
    ]
    sheet.append(header)
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    for line in lines:
        sheet.append(
            [
                pick(line.heading["title"]),
                pick(line.requirement["title"]),
                severity_words(line.severity),
                pick(line.requirement["means"][assessment.size_class]),
                ", ".join(urn.rsplit(":", 1)[-1] for urn in line.templates),
                effort_words(line.effort),
            ]
        )
    for column, width in zip("ABCDEF", (28, 36, 26, 70, 28, 16), strict=True):
        sheet.column_dimensions[column].width = width
    for row in sheet.iter_rows(min_row=4):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def gap_report_pdf(request, context: dict) -> bytes:
    """Render the printable template and let WeasyPrint turn it into a PDF.

    Static files are resolved from disk, never fetched over the network.
    """
    from weasyprint import HTML

    html = render_to_string("assessments/gaps_print.html", context, request=request)
    return HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
