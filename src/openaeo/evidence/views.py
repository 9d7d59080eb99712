"""Sending evidence files for a business, and fetching clean ones."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from openaeo.evidence import selectors, services
from openaeo.evidence.forms import EvidenceUploadForm


def evidence_upload(request, operator_id: int):
    operator = selectors.operator_for_upload(request.user, operator_id)
    status = 200
    if request.method != "POST":
        form = EvidenceUploadForm()
    else:
        form = EvidenceUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                received = services.receive_files(
                    actor=request.user,
                    operator=operator,
                    files=[form.cleaned_data["file"]],
                    purpose=form.cleaned_data["purpose"],
                )
            except ValidationError as error:
                form.add_error("file", error)
            else:
                tell_saved(request, received)
                return redirect("evidence:upload", operator_id=operator.pk)
        status = 400
    return render(
        request,
        "evidence/upload.html",
        {"operator": operator, "form": form, "files": selectors.evidence_of(operator)},
        status=status,
    )


def tell_saved(request, files) -> None:
    """Tell the person, in a message on the next page, that the files they sent are kept.

    For pages whose form sends files through `services.receive_files` (which refuses
    anything the virus check did not find clean, so these are all checked).
    """
    for evidence in files:
        messages.success(
            request,
            _("“%(name)s” is saved. The virus check found nothing.")
            % {"name": evidence.original_name},
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
