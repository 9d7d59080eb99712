from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from openaeo.common import clock
from openaeo.common.admin_audit import AuditedModelAdmin
from openaeo.mra import partner_keys
from openaeo.mra.models import IdentifierMapping, PartnerAdministration


class PartnerAdministrationForm(forms.ModelForm):
    """The partner, and its public keys pasted or uploaded as a JWKS document."""

    keys_text = forms.CharField(
        label=_("Verification keys (JWKS)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
        help_text=_(
            "Paste the partner's public keys as a JWKS document (its /.well-known/jwks.json, "
            "obtained from the partner over a channel you trust). Only Ed25519 keys are "
            "accepted. Leave empty to keep the keys recorded now."
        ),
    )
    keys_file = forms.FileField(
        label=_("or upload the JWKS file"),
        required=False,
        help_text=_("A JSON file of at most 64 KB."),
    )

    class Meta:
        model = PartnerAdministration
        fields = (
            "name",
            "country",
            "arrangement",
            "data_elements",
            "active_from",
            "active_until",
            "client",
        )

    def clean(self):
        data = super().clean()
        text, upload = data.get("keys_text", "").strip(), data.get("keys_file")
        if text and upload:
            raise forms.ValidationError(_("Paste the keys or upload a file, not both."))
        source = upload.read(partner_keys.MAX_JWKS_BYTES + 1) if upload else text
        data["verification_keys"] = None
        if source:
            try:
                data["verification_keys"] = partner_keys.parse_jwks(source)
            except partner_keys.KeysRefused as error:
                self.add_error("keys_file" if upload else "keys_text", str(error))
        return data


@admin.register(PartnerAdministration)
class PartnerAdministrationAdmin(AuditedModelAdmin):
    form = PartnerAdministrationForm
    list_display = ("name", "country", "arrangement", "active_from", "active_until", "client")
    search_fields = ("name", "arrangement")
    readonly_fields = ("recorded_key_ids", "keys_recorded_at")

    @admin.display(description=_("Keys recorded"))
    def recorded_key_ids(self, obj):
        return ", ".join(obj.key_ids) if obj and obj.key_ids else _("none")

    def save_model(self, request, obj, form, change):
        # The keys go through the same check as manage.py mra keys (partner_keys.parse_jwks);
        # the audit event of the change carries the old and the new keys.
        keys = form.cleaned_data.get("verification_keys")
        if keys is not None:
            obj.verification_keys = keys
            obj.keys_recorded_at = clock.now()
        super().save_model(request, obj, form, change)


@admin.register(IdentifierMapping)
class IdentifierMappingAdmin(AuditedModelAdmin):
    list_display = ("partner", "partner_identifier", "holder_name", "operator", "status")
    list_filter = ("status", "partner")
    search_fields = ("partner_identifier", "holder_name")
    raw_id_fields = ("operator",)
