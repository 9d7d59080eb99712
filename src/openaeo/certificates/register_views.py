"""The public AEO register (no sign-in), its CSV download, and the owner's consent."""

import csv

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from openaeo.certificates import register, register_services, selectors
from openaeo.certificates.register_forms import ConsentForm, RegisterSearchForm
from openaeo.common.pagination import paginate

CSV_CHUNK = 2000
# A cell a spreadsheet would run as a formula starts with one of these: prefix a quote.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _search(request):
    """(form, certificates) for the filters in the query string. Filters that do not
    validate (a country nobody listed any more, say) match nothing."""
    language = get_language() or "en"
    form = RegisterSearchForm(
        request.GET or None,
        countries=register.countries_listed(),
        tiers=register.tiers_offered(language),
    )
    if not request.GET:
        return form, register.register_search(register.RegisterFilter())
    if not form.is_valid():
        return form, register.listed().none()
    return form, register.register_search(register.RegisterFilter(**form.cleaned_data))


@require_GET
def register_page(request):
    form, certificates = _search(request)
    page = paginate(request, certificates)
    publishing = register.programmes_publishing_identifier()
    rows = [
        {
            "certificate": certificate,
            "status": register.status_label(certificate),
            "identifier": certificate.identifier if certificate.programme_id in publishing else "",
        }
        for certificate in page.object_list
    ]
    return render(
        request,
        "certificates/register.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "show_identifier": bool(publishing),
            "filtered": bool(request.GET.get("name") or request.GET.get("country"))
            or bool(request.GET.get("tier") or request.GET.get("status")),
        },
    )


class _Echo:
    """A file whose write returns the line, for csv.writer inside a generator."""

    def write(self, value):
        return value


def _cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _csv_rows(certificates, publishing, show_identifier, language):
    writer = csv.writer(_Echo())
    header = [_("AEO number"), _("Holder"), _("Country"), _("Level"), _("Status"), _("Valid from")]
    if show_identifier:
        header.insert(2, _("Identifier"))
    # A byte order mark, so that spreadsheets read the file as UTF-8.
    yield "\ufeff" + writer.writerow(header)
    for certificate in certificates.iterator(chunk_size=CSV_CHUNK):
        row = [
            certificate.aeo_number,
            certificate.holder_name,
            certificate.country,
            certificate.tier_label(language),
            register.status_label(certificate),
            certificate.effective_on.isoformat(),
        ]
        if show_identifier:
            row.insert(2, certificate.identifier if certificate.programme_id in publishing else "")
        yield writer.writerow([_cell(value) for value in row])


@require_GET
def register_csv(request):
    """The same filtered list as the page, every page of it, as CSV (UTF-8 with a BOM)."""
    _form, certificates = _search(request)
    publishing = register.programmes_publishing_identifier()
    response = StreamingHttpResponse(
        _csv_rows(certificates, publishing, bool(publishing), get_language() or "en"),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="aeo-register.csv"'
    return response


@require_POST
def consent(request, certificate_id: int):
    """An owner of the holder lists the certificate in the register, or takes it out."""
    certificate = register.certificate_for_consent(request.user, certificate_id)
    form = ConsentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether to list the certificate or not."))
        return _business_again(request, certificate)
    try:
        if form.cleaned_data["consent"] == "give":
            register_services.register_consent_give(actor=request.user, certificate=certificate)
            messages.success(
                request,
                _("%(number)s is now listed in the public AEO register.")
                % {"number": certificate.aeo_number},
            )
        else:
            register_services.register_consent_withdraw(actor=request.user, certificate=certificate)
            messages.success(
                request,
                _("%(number)s is no longer listed in the public AEO register.")
                % {"number": certificate.aeo_number},
            )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _business_again(request, certificate)
    return redirect("certificates:business", operator_id=certificate.holder_id)


def _business_again(request, certificate):
    """The business's certificates page again, with the message (400)."""
    operator = certificate.holder
    return render(
        request,
        "certificates/business.html",
        {
            "operator": operator,
            "certificates": selectors.certificates_of(operator),
            "can_consent": True,
        },
        status=400,
    )
