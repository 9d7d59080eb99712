from django import forms
from django.utils.translation import gettext_lazy as _

from openaeo.operators.models import EconomicOperator

MAX_FILE_BYTES = 50 * 1024 * 1024


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("The partner's file"),
        help_text=_("JSON, CSV, XML or zipped XML, in the exchange format."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(_("The file is larger than 50 MB."))
        return upload


class MappingForm(forms.Form):
    identifier = forms.CharField(
        label=_("Identifier of the business here"), max_length=40, required=False
    )
    ignore = forms.BooleanField(label=_("Ignore this identifier"), required=False)

    def clean(self):
        data = super().clean()
        if data.get("ignore"):
            data["operator"] = None
            return data
        identifier = (data.get("identifier") or "").strip()
        if not identifier:
            raise forms.ValidationError(
                _("Give the identifier of a business here, or choose to ignore this one.")
            )
        operator = EconomicOperator.objects.filter(identifier__iexact=identifier).first()
        if operator is None:
            self.add_error("identifier", _("No business here has this identifier."))
        data["operator"] = operator
        return data
