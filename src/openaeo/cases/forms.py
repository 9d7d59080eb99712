"""Forms of the case pages. Services validate again; these give field-level messages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from openaeo.cases import queue
from openaeo.cases.models import (
    CUSTOMS_STATES,
    ApplicationKind,
    CaseStatus,
    ComplianceRecord,
    Outcome,
    ReassessmentTrigger,
)


class VersionedForm(forms.Form):
    """Every officer action carries the case version the officer saw."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class ReturnIncompleteForm(VersionedForm):
    missing_items = forms.CharField(
        label=_("What is missing? One item per line."),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
    )
    message = forms.CharField(
        label=_("Message to the applicant (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )

    def items(self) -> list[str]:
        return [line.strip(" -*\t") for line in self.cleaned_data["missing_items"].splitlines()]


class RiskReviewForm(VersionedForm):
    summary = forms.CharField(
        label=_("What did the risk and compliance checks find?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )


class ExtendForm(VersionedForm):
    days = forms.IntegerField(label=_("Extra days"), min_value=1, max_value=365)
    reason = forms.CharField(
        label=_("Reason (the applicant reads it)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )


class AskForm(VersionedForm):
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(
        label=_("What do you need from the applicant?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=8000,
    )
    reply_due = forms.DateField(
        label=_("Reply requested by (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Your message"), widget=forms.Textarea(attrs={"rows": 4}), max_length=8000
    )


class NoteForm(forms.Form):
    body = forms.CharField(
        label=_("Internal note (never shown to the applicant)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=8000,
    )


class ComplianceRecordForm(forms.Form):
    occurred_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(label=_("Kind"), choices=ComplianceRecord.Kind.choices)
    severity = forms.ChoiceField(label=_("Severity"), choices=ComplianceRecord.Severity.choices)
    description = forms.CharField(
        label=_("What happened"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000
    )


class OutcomeForm(VersionedForm):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=Outcome.choices, widget=forms.RadioSelect
    )
    tier_code = forms.ChoiceField(label=_("Level to grant"), required=False)
    reasons = forms.CharField(
        label=_("Reasons, in words the applicant understands"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=8000,
    )
    conditions = forms.CharField(
        label=_("Conditions (for a grant with conditions)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=4000,
    )
    reapply_from = forms.DateField(
        label=_("May apply again from (for an improvement path)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    remedy_by = forms.DateField(
        label=_("To be remedied by (for a suspension)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, programme=None, application=None, **kwargs):
        super().__init__(*args, **kwargs)
        kind = application.kind if application is not None else ApplicationKind.APPLICATION
        outcomes = set(application.outcomes) if application is not None else None
        self.fields["outcome"].choices = [
            choice for choice in Outcome.choices if outcomes is None or choice[0] in outcomes
        ]
        if kind == ApplicationKind.REASSESSMENT:
            self.fields["tier_code"].label = _("Level (another level reissues the certificate)")
            self.fields["conditions"].label = _(
                "Conditions (for a confirmation with conditions), or what must be remedied "
                "(for a suspension)"
            )
            del self.fields["reapply_from"]
        else:
            del self.fields["remedy_by"]
        tiers = programme.config["tiers"] if programme else []
        from openaeo.catalogue.templatetags.catalogue_text import localized

        self.fields["tier_code"].choices = [("", "-")] + [
            (tier["code"], localized(tier["name"])) for tier in tiers
        ]


class ReassessmentForm(forms.Form):
    trigger = forms.ChoiceField(
        label=_("What triggered the reassessment"), choices=ReassessmentTrigger.choices
    )
    trigger_reference = forms.CharField(
        label=_("Reference of the triggering record (optional)"),
        help_text=_("For example the number of the risk hit, the alert or the incident report."),
        required=False,
        max_length=200,
    )
    reason = forms.CharField(
        label=_("Why Customs reassesses the certificate"),
        help_text=_("The business reads this. Use plain words."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )


class SendBackForm(VersionedForm):
    reason = forms.CharField(
        label=_("What should the validator look at again?"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=4000,
    )


class AppealDecisionForm(VersionedForm):
    allowed = forms.TypedChoiceField(
        label=_("Outcome of the appeal"),
        choices=[
            ("no", _("Dismiss: the decision stands")),
            ("yes", _("Allow: review the case again")),
        ],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    reasons = forms.CharField(
        label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 3}), max_length=8000
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Why are you withdrawing? (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )
    confirm = forms.BooleanField(
        label=_("I understand that Customs stops working on this application.")
    )


class AppealForm(forms.Form):
    grounds = forms.CharField(
        label=_("Why should the decision change?"),
        help_text=_("Say what you think is wrong in the decision and add anything new."),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=8000,
    )


# -- the work queue -------------------------------------------------------------------------

SIZE_LABELS = {
    "micro": _("Micro"),
    "small": _("Small"),
    "medium": _("Medium-sized"),
    "large": _("Large"),
}
STATE_WHERE_CUSTOMS_WORKS, STATE_ALL = "", "all"


class QueueFilterForm(forms.Form):
    """The queue's filters, sent with GET so that a filtered queue is a link to share."""

    office = forms.TypedChoiceField(label=_("Office"), required=False, coerce=int, empty_value=None)
    state = forms.ChoiceField(label=_("Step"), required=False)
    tier = forms.ChoiceField(label=_("Level"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind of case"),
        required=False,
        choices=[("", _("Any")), *ApplicationKind.choices],
    )
    size = forms.ChoiceField(label=_("Size of business"), required=False)
    due = forms.ChoiceField(
        label=_("Days left"),
        required=False,
        choices=[
            ("", _("Any")),
            (queue.DUE_OVERDUE, _("Overdue")),
            (queue.DUE_WEEK, _("7 days or fewer (overdue included)")),
            (queue.DUE_MONTH, _("30 days or fewer (overdue included)")),
            (queue.DUE_STOPPED, _("Clock stopped")),
        ],
    )
    assignee = forms.ChoiceField(label=_("Assigned to"), required=False)
    q = forms.CharField(
        label=_("Business name, identifier or case reference"), required=False, max_length=100
    )
    sort = forms.ChoiceField(
        label=_("Order"),
        required=False,
        choices=[
            (queue.SORT_DEADLINE, _("Deadline, small businesses first")),
            (queue.SORT_SUBMITTED, _("Date submitted, oldest first")),
            (queue.SORT_BUSINESS, _("Business name")),
        ],
    )

    def __init__(self, *args, offices=(), tiers=(), people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].choices = [("", _("All your offices"))] + [
            (office.pk, str(office)) for office in offices
        ]
        self.fields["state"].choices = [
            (STATE_WHERE_CUSTOMS_WORKS, _("Where Customs has work")),
            (STATE_ALL, _("All steps, closed included")),
            *CaseStatus.choices,
        ]
        self.fields["tier"].choices = [("", _("Any")), *tiers]
        self.fields["size"].choices = [("", _("Any")), *SIZE_LABELS.items()]
        self.fields["assignee"].choices = [
            ("", _("Anyone or nobody")),
            (queue.ASSIGNEE_ME, _("My cases")),
            (queue.ASSIGNEE_NONE, _("Nobody yet")),
        ] + [(str(person.pk), str(person)) for person in people]

    def filters(self) -> queue.QueueFilter:
        """The filters asked for; a value that is not valid counts as not given."""
        data = {}
        if self.is_bound:
            self.is_valid()  # keeps the valid fields in cleaned_data, drops the others
            data = self.cleaned_data
        state = data.get("state") or STATE_WHERE_CUSTOMS_WORKS
        if state == STATE_ALL:
            states = None
        elif state == STATE_WHERE_CUSTOMS_WORKS:
            states = tuple(CUSTOMS_STATES)
        else:
            states = (state,)
        return queue.QueueFilter(
            office_id=data.get("office"),
            states=states,
            tier_code=data.get("tier") or "",
            kind=data.get("kind") or "",
            size_class=data.get("size") or "",
            due=data.get("due") or "",
            assignee=data.get("assignee") or "",
            text=(data.get("q") or "").strip(),
            sort=data.get("sort") or queue.SORT_DEADLINE,
        )


class CaseIdsField(forms.Field):
    """The ticked cases of the queue (case ids, each at most once)."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {
        "required": _("Tick at least one case to assign."),
        "invalid": _("Tick the cases in the list."),
    }

    def to_python(self, value):
        if not value:
            return []
        if not isinstance(value, list | tuple):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            return sorted({int(item) for item in value})
        except (TypeError, ValueError) as error:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from error


class AssignForm(forms.Form):
    """A supervisor gives the ticked cases to one person, or takes them back."""

    NOBODY = "none"

    cases = CaseIdsField()
    assignee = forms.ChoiceField(
        label=_("Give the ticked cases to"),
        error_messages={
            "required": _("Choose who gets the cases."),
            "invalid_choice": _("Choose a person from the list."),
        },
    )
    back = forms.CharField(required=False, widget=forms.HiddenInput, max_length=2000)

    def __init__(self, *args, people=(), **kwargs):
        # Its own ids: the filter form above it on the queue page has an "assignee" too.
        kwargs.setdefault("auto_id", "assign_%s")
        super().__init__(*args, **kwargs)
        self.people = {str(person.pk): person for person in people}
        self.fields["assignee"].choices = [
            ("", _("Choose a person")),
            (self.NOBODY, _("Nobody: take the cases back")),
        ] + [(key, str(person)) for key, person in self.people.items()]

    def chosen_person(self):
        """The chosen person, or None to take the cases back (after is_valid)."""
        return self.people.get(self.cleaned_data["assignee"])
