"""Forms of the validation visit and of corrective actions. The services validate again."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from openaeo.accounts.roles import StaffRole
from openaeo.cases.forms import VersionedForm
from openaeo.cases.models import ValidationVisit, VisitItem


def team_candidates(application):
    """Who can be on the visit team: the active validators and supervisors of the office."""
    from openaeo.cases import workflow

    people = {
        person.pk
        for role in (StaffRole.VALIDATOR, StaffRole.SUPERVISOR)
        for person in workflow.office_people(application, role)
    }
    return get_user_model().objects.filter(pk__in=people).order_by("full_name", "email")


class VisitPlanForm(VersionedForm):
    planned_on = forms.DateField(
        label=_("Date of the visit"), widget=forms.DateInput(attrs={"type": "date"})
    )
    mode = forms.ChoiceField(
        label=_("How"), choices=ValidationVisit.Mode.choices, widget=forms.RadioSelect
    )
    site = forms.CharField(
        label=_("Site"),
        help_text=_(
            "The business's address is filled in. Change it if the visit is at another site."
        ),
        max_length=300,
    )
    team = forms.ModelMultipleChoiceField(
        label=_("Visit team"),
        help_text=_("They record the checklist. None of them may take the decision later."),
        queryset=get_user_model().objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, application, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = team_candidates(application)


def plan_initial(application, visit, user, version: int) -> dict:
    """The plan form filled with the visit being changed, or with sensible first values."""
    if visit is not None:
        return {
            "version": version,
            "planned_on": visit.planned_on,
            "mode": visit.mode,
            "site": visit.site,
            "team": list(visit.team.values_list("pk", flat=True)),
        }
    address = ", ".join(
        line.strip() for line in application.operator.address.splitlines() if line.strip()
    )
    return {
        "version": version,
        "mode": ValidationVisit.Mode.ON_SITE,
        "site": address[:300],
        "team": [user.pk],
    }


class MultiplePhotoInput(forms.FileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several image files from one input; each is checked again by the service."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "widget", MultiplePhotoInput(attrs={"multiple": True, "accept": "image/*"})
        )
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(PhotosField, self).clean(upload, initial) for upload in data if upload]
        return [super().clean(data, initial)] if data else []


class VisitItemForm(forms.Form):
    result = forms.ChoiceField(
        label=_("What did you find?"),
        choices=[
            (value, label)
            for value, label in VisitItem.Result.choices
            if value != VisitItem.Result.PENDING
        ],
        widget=forms.RadioSelect,
    )
    notes = forms.CharField(
        label=_("Notes"),
        help_text=_(
            "Needed for a finding: say what must be put right. The business reads these notes "
            "in the visit report."
        ),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=4000,
    )
    photos = PhotosField(
        label=_("Photos"),
        help_text=_("JPEG or PNG pictures, up to 5 at a time."),
        required=False,
    )


class VisitCompleteForm(VersionedForm):
    summary = forms.CharField(
        label=_("Summary of the visit"),
        help_text=_("What you saw, in plain words. The business reads it in the report."),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=8000,
    )


class CorrectiveDoneForm(forms.Form):
    note = forms.CharField(
        label=_("What did you do to put it right?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )
    file = forms.FileField(
        label=_("A document or photo that shows it (optional)"),
        required=False,
    )


class CorrectiveAcceptForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
