"""Sending evidence files for a business, and fetching clean ones."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from openaeo.evidence import selectors, services
from openaeo.evidence.forms import EvidenceUploadForm
from openaeo.evidence.models import EvidenceStatus


def evidence_upload(request, operator_id: int):
    operator = selectors.operator_for_upload(request.user, operator_id)
    status = 200
    if request.method != "POST":
        form = EvidenceUploadForm()
    else:
        form = EvidenceUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                evidence = services.evidence_upload(
                    actor=request.user,
                    operator=operator,
                    uploaded_file=form.cleaned_data["file"],
                    purpose=form.cleaned_data["purpose"],
                )
            except ValidationError as error:
                form.add_error("file", error)
            else:
                tell_outcome(request, evidence)
                return redirect("evidence:upload", operator_id=operator.pk)
        status = 400
    return render(
        request,
        "evidence/upload.html",
        {"operator": operator, "form": form, "files": selectors.evidence_of(operator)},
        status=status,
    )


def tell_outcome(request, evidence) -> None:
    """Tell the person, in a message on the next page, what became of the file they sent.

    Other pages that send files through the evidence store use it too.
    """
    values = {"name": evidence.original_name, "signature": evidence.scan_detail}
    if evidence.status == EvidenceStatus.CLEAN:
        messages.success(request, _("“%(name)s” is saved. The virus check found nothing.") % values)
    elif evidence.status == EvidenceStatus.QUARANTINED:
        messages.info(
            request,
            _(
                "“%(name)s” is saved and waits for the virus check. You can open it once the "
                "check is done; this page shows when."
            )
            % values,
        )
    elif evidence.status == EvidenceStatus.INFECTED:
        messages.error(
            request,
            _(
                "“%(name)s” was refused: the virus check found %(signature)s in it. Nothing of "
                "it was kept. Check your computer for viruses, then send a clean copy."
            )
            % values,
        )
    else:
        messages.error(
            request,
            _(
                "“%(name)s” was refused: the virus check could not read it, so nothing of it was "
                "kept. Save it again (for example as PDF) and send the new copy."
            )
            % values,
        )


def evidence_download(request, evidence_id: int):
    evidence = selectors.evidence_downloadable_by(request.user, evidence_id)
    try:
        content = evidence.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    content_type = evidence.detected_type
    if content_type.startswith("text/"):
        content_type += "; charset=utf-8"
    response = FileResponse(
        content,
        as_attachment=True,
        filename=evidence.original_name,
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
