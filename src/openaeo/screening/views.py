"""Staff pages of screening. Routes and their rules: policy.py."""

import tempfile
from pathlib import Path

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from openaeo.common.pagination import paginate
from openaeo.operators.models import EconomicOperator
from openaeo.screening import forms, policy, run_requests, selectors, services
from openaeo.screening.messages import flag_text, import_problem_text


def case_panel(request, application):
    """The screening panel of the officer's case page (registered in cases.hooks)."""
    return render_to_string(
        "screening/_case_panel.html",
        {"screening": selectors.case_panel(application.operator)},
        request=request,
    )


def _run_list(request, form=None, status=200):
    return render(
        request,
        "screening/runs.html",
        {
            "page": paginate(request, selectors.runs()),
            "form": form or forms.RunStartForm(),
            "can_start": policy.can_start_run(request.user),
        },
        status=status,
    )


@require_GET
def run_list(request):
    return _run_list(request)


@require_POST
def run_start(request):
    form = forms.RunStartForm(request.POST)
    if not form.is_valid():
        return _run_list(request, form, status=400)
    run = run_requests.screening_run_start(actor=request.user, as_of=form.cleaned_data["as_of"])
    messages.success(request, _("Screening queued. This page shows its progress."))
    return redirect("screening:run", run_id=run.pk)


@require_GET
def run_detail(request, run_id: int):
    run = selectors.run(run_id)
    flagged_only = request.GET.get("flagged") == "1"
    page = paginate(request, selectors.results_of(run, flagged_only=flagged_only))
    for result in page.object_list:
        result.reasons = [flag_text(flag) for flag in result.flags]
    return render(
        request, "screening/run.html", {"run": run, "page": page, "flagged_only": flagged_only}
    )


def _import_list(request, form=None, status=200):
    return render(
        request,
        "screening/imports.html",
        {
            "page": paginate(request, selectors.imports()),
            "form": form or forms.ImportForm(),
            "can_import": policy.can_import(request.user),
        },
        status=status,
    )


@require_GET
def import_list(request):
    return _import_list(request)


@require_POST
def import_upload(request):
    form = forms.ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _import_list(request, form, status=400)
    upload = form.cleaned_data["file"]
    suffix = Path(upload.name).suffix.lower()
    with tempfile.TemporaryDirectory(prefix="openaeo-import-") as folder:
        path = Path(folder) / f"upload{suffix}"
        with open(path, "wb") as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
        batch = services.declarations_import(actor=request.user, path=path, file_name=upload.name)
    if batch.status == "imported":
        messages.success(request, _("Imported: every row was accepted."))
    else:
        messages.error(request, _("Nothing was imported: the file has errors, listed below."))
    return redirect("screening:import", import_id=batch.pk)


@require_GET
def import_detail(request, import_id: int):
    batch = selectors.import_batch(import_id)
    report = batch.report or {}
    return render(
        request,
        "screening/import.html",
        {
            "batch": batch,
            "file_errors": [import_problem_text(code) for code in report.get("file_errors", [])],
            "rejects": [
                {"line": row["line"], "reasons": [import_problem_text(c) for c in row["reasons"]]}
                for row in report.get("rejects", [])
            ],
        },
    )


def _alert_list(request, failed=None, status=200):
    filter_form = forms.AlertFilterForm(request.GET or None)
    chosen = filter_form.cleaned_data["status"] if filter_form.is_valid() else ""
    page = paginate(request, selectors.alerts_visible_to(request.user, chosen))
    offices = policy.acting_office_ids(request.user)
    for alert in page.object_list:
        alert.reason_texts = [flag_text(flag) for flag in alert.reasons]
        alert.can_act = policy.can_act_on_alert(request.user, alert, offices)
        alert.form = (
            failed[1]
            if failed and failed[0] == alert.pk
            else forms.AlertActionForm(prefix=f"alert{alert.pk}")
        )
    return render(
        request, "screening/alerts.html", {"page": page, "filter_form": filter_form}, status=status
    )


@require_GET
def alert_list(request):
    return _alert_list(request)


@require_POST
def alert_act(request, alert_id: int):
    alert = selectors.alert_for(request.user, alert_id)
    # One form per alert on the list: the prefix keeps their fields' ids apart.
    form = forms.AlertActionForm(request.POST, prefix=f"alert{alert.pk}")
    if not form.is_valid():
        return _alert_list(request, failed=(alert.pk, form), status=400)
    if form.cleaned_data["action"] == "close":
        services.alert_close(actor=request.user, alert=alert, reason=form.cleaned_data["reason"])
        messages.success(request, _("Alert closed."))
    else:
        services.alert_acknowledge(actor=request.user, alert=alert)
        messages.success(request, _("Alert acknowledged."))
    return redirect("screening:alerts")


@require_http_methods(["GET"])
def declarations(request, operator_id: int):
    operator = get_object_or_404(EconomicOperator, pk=operator_id)
    try:
        number = int(request.GET.get("page", 1))
    except ValueError:
        number = 1
    page = selectors.DeclarationPage(operator.identifier, number)
    return render(request, "screening/declarations.html", {"operator": operator, "page": page})
