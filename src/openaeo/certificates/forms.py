from django import forms
from django.utils.translation import gettext_lazy as _

from openaeo.certificates.models import CertificateStatus


class StatusChangeForm(forms.Form):
    """One status change. The page shows one form per action (`FOR_ACTION`), each with
    the action as a hidden field; a post naming only the action and the reason still
    works (scripts, older pages)."""

    ACTIONS = (
        ("suspend", _("Suspend")),
        ("reinstate", _("Lift the suspension")),
        ("revoke", _("Revoke")),
    )
    action = forms.ChoiceField(label=_("What to do"), choices=ACTIONS, widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Reason"),
        help_text=_("The business reads this in its notification. Use plain words."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )

    def __init__(self, *args, fixed_action: str | None = None, **kwargs):
        if fixed_action:
            kwargs.setdefault("auto_id", f"{fixed_action}-%s")
        super().__init__(*args, **kwargs)
        if fixed_action:
            self.fields["action"].widget = forms.HiddenInput()
            self.fields["action"].initial = fixed_action

    def service_arguments(self) -> dict:
        return {"reason": self.cleaned_data["reason"]}


class SuspendForm(StatusChangeForm):
    remedy_due = forms.DateField(
        label=_("To be remedied by"),
        help_text=_(
            "The business is reminded a week before; you are told if the date passes "
            "without the suspension being lifted."
        ),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    remedy_required = forms.CharField(
        label=_("What the business must put right"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            **super().service_arguments(),
            "remedy_due": data.get("remedy_due"),
            "remedy_required": data.get("remedy_required", ""),
        }


class ReinstateForm(StatusChangeForm):
    remedied = forms.CharField(
        label=_("What the business put right"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )

    def service_arguments(self) -> dict:
        return {**super().service_arguments(), "remedied": self.cleaned_data.get("remedied", "")}


class RevokeForm(StatusChangeForm):
    confirm = forms.BooleanField(
        label=_("I understand that a revocation cannot be undone"),
        help_text=_("The business may apply again only after the programme's waiting period."),
        required=True,
    )


FOR_ACTION = {"suspend": SuspendForm, "reinstate": ReinstateForm, "revoke": RevokeForm}


class CertificateSearchForm(forms.Form):
    q = forms.CharField(
        label=_("AEO number, business name or identifier"), required=False, max_length=200
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *CertificateStatus.choices],
    )


class VerifyNumberForm(forms.Form):
    n = forms.CharField(
        label=_("AEO number"),
        help_text=_('As printed on the certificate, for example "ZZ AEO1 00042/26".'),
        max_length=64,
    )


class VerifyCredentialForm(forms.Form):
    credential = forms.FileField(
        label=_("Credential file"),
        help_text=_("The file the business sent you, ending in .jwt."),
    )

    def clean_credential(self):
        from openaeo.certificates.vc_check import MAX_TOKEN_LENGTH

        upload = self.cleaned_data["credential"]
        if upload.size > MAX_TOKEN_LENGTH:
            raise forms.ValidationError(_("This file is too large to be a credential."))
        try:
            return upload.read().decode("utf-8")
        except UnicodeDecodeError as error:
            raise forms.ValidationError(_("This file is not a credential.")) from error
