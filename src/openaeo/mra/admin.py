from django.contrib import admin

from openaeo.common.admin_audit import AuditedModelAdmin
from openaeo.mra.models import IdentifierMapping, PartnerAdministration


@admin.register(PartnerAdministration)
class PartnerAdministrationAdmin(AuditedModelAdmin):
    list_display = ("name", "country", "arrangement", "active_from", "active_until", "client")
    search_fields = ("name", "arrangement")


@admin.register(IdentifierMapping)
class IdentifierMappingAdmin(AuditedModelAdmin):
    list_display = ("partner", "partner_identifier", "holder_name", "operator", "status")
    list_filter = ("status", "partner")
    search_fields = ("partner_identifier", "holder_name")
    raw_id_fields = ("operator",)
