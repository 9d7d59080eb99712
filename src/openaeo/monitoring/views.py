"""Monitoring pages: the holder's (annual review, change notice, incident report) and the
officers' (overview, one record with its review form)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from openaeo.common.forms import apply_service_errors
from openaeo.common.pagination import paginate
from openaeo.monitoring import forms, policy, selectors, services
from openaeo.monitoring.models import SelfReview

# --------------------------------------------------------------------------- holder


@require_GET
def holder(request, certificate_id: int):
    """Everything the business told Customs about one certificate, and what Customs said."""
    certificate = selectors.certificate_for_holder(request.user, certificate_id)
    return render(
        request,
        "monitoring/holder.html",
        {
            "certificate": certificate,
            "current_review": selectors.current_self_review(certificate),
            "can_write": policy.can_write_as_holder(request.user, certificate),
            **selectors.holder_records(certificate),
        },
    )


@require_http_methods(["GET", "POST"])
def self_review(request, certificate_id: int):
    certificate = selectors.certificate_for_holder(request.user, certificate_id)
    review = selectors.current_self_review(certificate)
    can_write = policy.can_write_as_holder(request.user, certificate)
    status = 200
    form = forms.SelfReviewForm(review=review) if review is not None else None
    if request.method == "POST":
        if review is None or not can_write:
            raise PermissionDenied
        form = forms.SelfReviewForm(request.POST, review=review)
        submit = "submit" in request.POST
        if form.is_valid():
            try:
                services.self_review_save(
                    actor=request.user,
                    review=review,
                    data=form.data_for_service(),
                    submit=submit,
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                if submit:
                    messages.success(request, _("Your annual review is sent to Customs."))
                    return redirect("monitoring:holder", certificate_id=certificate.pk)
                messages.success(
                    request, _("Your answers are saved. Come back to finish any time.")
                )
                return redirect("monitoring:self_review", certificate_id=certificate.pk)
        status = 400
        review.refresh_from_db()
    return render(
        request,
        "monitoring/self_review.html",
        {"certificate": certificate, "review": review, "form": form, "can_write": can_write},
        status=status,
    )


def _keyed_form_page(request, certificate, form_class, template, submit, success, *, files=False):
    if request.method == "POST":
        form = form_class(request.POST, request.FILES if files else None)
        if form.is_valid():
            try:
                record = submit(form.cleaned_data)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, success)
                return record, None
        return None, render(
            request, template, {"certificate": certificate, "form": form}, status=400
        )
    return None, render(request, template, {"certificate": certificate, "form": form_class()})


@require_http_methods(["GET", "POST"])
def change_new(request, certificate_id: int):
    certificate = selectors.certificate_for_holder(request.user, certificate_id)
    if not policy.can_write_as_holder(request.user, certificate):
        raise PermissionDenied

    def submit(data):
        return services.change_notice_submit(
            actor=request.user,
            certificate=certificate,
            kind=data["kind"],
            description=data["description"],
            effective_on=data["effective_on"],
            files=data["files"],
            key=data["key"],
        )

    record, response = _keyed_form_page(
        request,
        certificate,
        forms.ChangeNoticeForm,
        "monitoring/change_new.html",
        submit,
        _("Your change notice is sent to Customs. You will be told when it has been reviewed."),
        files=True,
    )
    if record is not None:
        return redirect("monitoring:holder", certificate_id=certificate.pk)
    return response


def _incident_submit(request, certificate):
    def submit(data):
        return services.incident_report(
            actor=request.user,
            certificate=certificate,
            kind=data["kind"],
            occurred_on=data["occurred_on"],
            place=data["place"],
            description=data["description"],
            actions_taken=data["actions_taken"],
            key=data["key"],
        )

    return submit


@require_http_methods(["GET", "POST"])
def incident_new(request, certificate_id: int):
    certificate = selectors.certificate_for_holder(request.user, certificate_id)
    if not policy.can_write_as_holder(request.user, certificate):
        raise PermissionDenied
    record, response = _keyed_form_page(
        request,
        certificate,
        forms.IncidentForm,
        "monitoring/incident_new.html",
        _incident_submit(request, certificate),
        _("Your incident report is sent to Customs."),
    )
    if record is not None:
        return redirect("monitoring:holder", certificate_id=certificate.pk)
    return response


# --------------------------------------------------------------------------- officers


@require_http_methods(["GET", "POST"])
def incident_report_for_holder(request, certificate_id: int):
    """An officer records an incident the business reported by telephone or in person."""
    certificate = selectors.certificate_for_officer(request.user, certificate_id)
    if not policy.can_review(request.user, certificate):
        raise PermissionDenied
    record, response = _keyed_form_page(
        request,
        certificate,
        forms.IncidentForm,
        "monitoring/incident_new.html",
        _incident_submit(request, certificate),
        _("The incident is recorded and the business is told."),
    )
    if record is not None:
        return redirect("monitoring:incident_detail", incident_id=record.pk)
    return response


@require_GET
def overview(request):
    form = forms.OverviewFilterForm(request.GET or None)
    show, query = selectors.DEFAULT_SHOW, ""
    if form.is_valid():
        show = form.cleaned_data["show"] or selectors.DEFAULT_SHOW
        query = form.cleaned_data["q"]
    page = paginate(request, selectors.overview_list(request.user, show, query))
    return render(
        request,
        "monitoring/overview.html",
        {
            "form": form,
            "page": page,
            "show": show,
            "query": query,
            "counts": selectors.overview_counts(request.user, query),
            "lists": forms.OVERVIEW_LISTS,
        },
    )


def _officer_page(request, record, template, form=None, status=200, **context):
    can_review = policy.can_review(request.user, record.certificate) and not record.is_reviewed
    if isinstance(record, SelfReview) and record.status != SelfReview.Status.SUBMITTED:
        can_review = False
    return render(
        request,
        template,
        {
            "record": record,
            "certificate": record.certificate,
            "form": form or (forms.OfficerReviewForm() if can_review else None),
            "can_record_incident": policy.can_review(request.user, record.certificate),
            **context,
        },
        status=status,
    )


def _review_post(request, record, service, template, redirect_to, **context):
    if not policy.can_review(request.user, record.certificate):
        raise PermissionDenied
    form = forms.OfficerReviewForm(request.POST)
    if form.is_valid():
        try:
            service(
                actor=request.user,
                decision=form.cleaned_data["review_decision"],
                outcome=form.cleaned_data["outcome"],
                note=form.cleaned_data["review_note"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Your review is recorded and the business is told."))
            return redirect(redirect_to, record.pk)
    return _officer_page(request, record, template, form=form, status=400, **context)


@require_GET
def self_review_detail(request, review_id: int):
    record = selectors.self_review_for_officer(request.user, review_id)
    return _officer_page(
        request, record, "monitoring/self_review_detail.html", fixed=_fixed_answers(record)
    )


def _fixed_answers(review):
    return [
        (label, review.questions.get(key, {})) for key, label in forms.FIXED_QUESTION_LABELS.items()
    ]


@require_POST
def self_review_review(request, review_id: int):
    record = selectors.self_review_for_officer(request.user, review_id)
    return _review_post(
        request,
        record,
        lambda **kw: services.self_review_review(review=record, **kw),
        "monitoring/self_review_detail.html",
        "monitoring:self_review_detail",
        fixed=_fixed_answers(record),
    )


@require_GET
def change_detail(request, notice_id: int):
    record = selectors.change_notice_for_officer(request.user, notice_id)
    return _officer_page(request, record, "monitoring/change_detail.html")


@require_POST
def change_review(request, notice_id: int):
    record = selectors.change_notice_for_officer(request.user, notice_id)
    return _review_post(
        request,
        record,
        lambda **kw: services.change_notice_review(notice=record, **kw),
        "monitoring/change_detail.html",
        "monitoring:change_detail",
    )


@require_GET
def incident_detail(request, incident_id: int):
    record = selectors.incident_for_officer(request.user, incident_id)
    return _officer_page(request, record, "monitoring/incident_detail.html")


@require_POST
def incident_review(request, incident_id: int):
    record = selectors.incident_for_officer(request.user, incident_id)
    return _review_post(
        request,
        record,
        lambda **kw: services.incident_review(incident=record, **kw),
        "monitoring/incident_detail.html",
        "monitoring:incident_detail",
    )
