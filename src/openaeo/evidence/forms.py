import re

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from openaeo.evidence import services, sniffing


class EvidenceUploadForm(forms.Form):
    file = forms.FileField(label=_("File"), allow_empty_file=True)
    purpose = forms.CharField(
        label=_("What does this file show?"),
        max_length=200,
        required=False,
        help_text=_("For example: “Seal register, January to March”."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = services.allowed_types()
        field = self.fields["file"]
        field.help_text = _("Accepted: %(accepted)s. At most %(limit)s per file.") % {
            "accepted": sniffing.accepted_list(allowed),
            "limit": filesizeformat(services.max_bytes()),
        }
        field.widget.attrs["accept"] = sniffing.accept_attribute(allowed)

    def clean_purpose(self):
        """People describe their file in words. Labels of the form "word:number" are how
        OpenAEO itself links files to questions, actions, messages and visits; one typed here
        would attach the file to something the person never chose, so it is refused."""
        value = self.cleaned_data["purpose"].strip()
        if RESERVED_PURPOSE.match(value):
            raise forms.ValidationError(
                _("Describe the document in words, for example “Seal register, January”.")
            )
        return value


# assessment:12:..., action:3, case-message:7, visit-item:9, corrective-action:2, operator:4:...
RESERVED_PURPOSE = re.compile(r"^\s*[a-z][a-z-]*:\s*(\d|unsent)", re.IGNORECASE)
