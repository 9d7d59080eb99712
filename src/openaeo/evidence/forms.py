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
