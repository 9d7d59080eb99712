from django.contrib import admin

from openaeo.common.admin_audit import AuditedModelAdmin
from openaeo.operators.models import EconomicOperator, Mandate, OperatorMembership


@admin.register(EconomicOperator)
class EconomicOperatorAdmin(AuditedModelAdmin):
    list_display = ["legal_name", "identifier", "country", "created_at"]
    search_fields = ["legal_name", "identifier"]


@admin.register(OperatorMembership)
class OperatorMembershipAdmin(AuditedModelAdmin):
    list_display = ["operator", "user", "role"]
    list_filter = ["role"]


@admin.register(Mandate)
class MandateAdmin(AuditedModelAdmin):
    list_display = ["operator", "representative", "valid_from", "valid_until", "revoked_at"]
