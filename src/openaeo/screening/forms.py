from django import forms
from django.utils.translation import gettext_lazy as _

from openaeo.screening.models import AlertStatus


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Declaration file"),
        help_text=_("CSV with a header row, or Parquet, in the declaration schema."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".parquet")):
            raise forms.ValidationError(_("Choose a .csv or .parquet file."))
        return upload


class RunStartForm(forms.Form):
    as_of = forms.DateField(
        label=_("Screen as of"),
        required=False,
        help_text=_("The look-back window ends on this day. Leave empty for today."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class AlertActionForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Action"),
        choices=[("acknowledge", _("Acknowledge")), ("close", _("Close"))],
    )
    reason = forms.CharField(
        label=_("Why close it"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed to close: what was found and done."),
    )

    def clean(self):
        data = super().clean()
        if data.get("action") == "close" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Say why the alert is closed."))
        return data


class AlertFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *AlertStatus.choices],
    )
