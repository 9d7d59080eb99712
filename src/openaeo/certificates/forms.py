from django import forms
from django.utils.translation import gettext_lazy as _

from openaeo.certificates.models import CertificateStatus


class StatusChangeForm(forms.Form):
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
