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
