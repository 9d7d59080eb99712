from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from openaeo.accounts.models import MachineClient, Office, StaffAssignment, User
from openaeo.common.admin_audit import AuditedModelAdmin


class StaffAssignmentInline(admin.TabularInline):
    model = StaffAssignment
    extra = 0


@admin.register(User)
class UserAdmin(AuditedModelAdmin, DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_active", "last_login"]
    search_fields = ["email", "full_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Person"), {"fields": ["full_name", "preferred_language"]}),
        (_("Access"), {"fields": ["is_active", "is_staff", "is_superuser"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]
    inlines = [StaffAssignmentInline]

    def has_delete_permission(self, request, obj=None):
        return False  # people are deactivated, never deleted: the audit trail points at them


@admin.register(Office)
class OfficeAdmin(AuditedModelAdmin):
    list_display = ["code", "name", "country", "receives_applications"]
    search_fields = ["code", "name"]


@admin.register(StaffAssignment)
class StaffAssignmentAdmin(AuditedModelAdmin):
    list_display = ["user", "role", "office", "all_offices", "active"]
    list_filter = ["role", "office", "active"]


@admin.register(MachineClient)
class MachineClientAdmin(AuditedModelAdmin):
    list_display = ["name", "client_id", "active", "created_at"]
    readonly_fields = ["client_id", "created_at"]

    def has_add_permission(self, request):
        return False  # created with `manage.py api_client create`, which shows the secret once
