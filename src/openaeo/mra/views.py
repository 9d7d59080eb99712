"""Staff pages: partner administrations, their imports and the identifier review queue."""

import json

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from openaeo.common.pagination import paginate
from openaeo.mra import feed, forms, selectors, services


@require_GET
def partner_list(request):
    return render(request, "mra/partners.html", {"partners": selectors.partners()})


def _detail(request, partner, *, import_form=None, status=200):
    return render(
        request,
        "mra/partner.html",
        {
            "partner": partner,
            "queue": selectors.review_queue(partner),
            "mappings": paginate(request, selectors.mappings(partner)),
            "imports": selectors.imports(partner)[:20],
            "import_form": import_form or forms.ImportForm(),
            "mapping_form": forms.MappingForm(),
        },
        status=status,
    )


@require_GET
def partner_detail(request, partner_id: int):
    return _detail(request, selectors.partner(partner_id))


@require_POST
def upload(request, partner_id: int):
    partner = selectors.partner(partner_id)
    form = forms.ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _detail(request, partner, import_form=form, status=400)
    upload = form.cleaned_data["file"]
    try:
        received, created = services.import_file(
            actor=request.user, partner=partner, data=upload.read(), file_name=upload.name
        )
    except feed.FileRefused as error:
        form.add_error("file", _("Nothing was imported. %(reason)s") % {"reason": error})
        return _detail(request, partner, import_form=form, status=400)
    if not created:
        messages.info(request, _("This file was imported before; nothing changed."))
    return redirect("mra:import", partner_id=partner.pk, import_id=received.pk)


@require_GET
def import_report(request, partner_id: int, import_id: int):
    received = selectors.partner_import(partner_id, import_id)
    return render(request, "mra/import.html", {"received": received, "partner": received.partner})


@require_GET
def acknowledgement(request, partner_id: int, import_id: int):
    received = selectors.partner_import(partner_id, import_id)
    response = HttpResponse(
        json.dumps(services.acknowledgement(received), indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="acknowledgement-{received.sha256[:16]}.json"'
    )
    return response


@require_POST
def mapping(request, partner_id: int, mapping_id: int):
    entry = selectors.mapping(partner_id, mapping_id)
    form = forms.MappingForm(request.POST)
    if not form.is_valid():
        for error in form.errors.values():
            messages.error(request, " ".join(error))
        return redirect("mra:partner", partner_id=partner_id)
    services.mapping_resolve(
        actor=request.user,
        mapping=entry,
        operator=form.cleaned_data["operator"],
        ignore=form.cleaned_data["ignore"],
    )
    messages.success(
        request, _("The identifier %(id)s is saved.") % {"id": entry.partner_identifier}
    )
    return redirect("mra:partner", partner_id=partner_id)
