"""Forms of the case pages. Services validate again; these give field-level messages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from openaeo.cases.models import ComplianceRecord, Outcome


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

    def __init__(self, *args, programme=None, **kwargs):
        super().__init__(*args, **kwargs)
        tiers = programme.config["tiers"] if programme else []
        from openaeo.catalogue.templatetags.catalogue_text import localized

        self.fields["tier_code"].choices = [("", "-")] + [
            (tier["code"], localized(tier["name"])) for tier in tiers
        ]


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
