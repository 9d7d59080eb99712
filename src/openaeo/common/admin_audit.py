"""A ModelAdmin base that writes an audit event for every change made in the admin."""

from django.contrib import admin
from django.forms.models import model_to_dict

from openaeo.common.audit import record_event


def _summary(obj) -> dict:
    return {
        key: value
        for key, value in model_to_dict(obj).items()
        if key not in {"password", "secret_digest", "digest"}
    }


class AuditedModelAdmin(admin.ModelAdmin):
    """Admin changes are state changes too: each save and delete appends an event."""

    def save_model(self, request, obj, form, change):
        before = _summary(type(obj).objects.get(pk=obj.pk)) if change else None
        super().save_model(request, obj, form, change)
        record_event(
            actor=request.user,
            action=f"admin.{'change' if change else 'add'}.{obj._meta.model_name}",
            obj=obj,
            before=before,
            after=_summary(obj),
        )

    def save_formset(self, request, form, formset, change):
        """Inline rows (such as a user's staff roles) are audited one by one."""
        befores = {
            obj.pk: _summary(type(obj).objects.get(pk=obj.pk))
            for obj in formset.get_queryset()
            if obj.pk
        }
        # Deleted rows are recorded first, while they still have their primary key.
        for deleted_form in formset.deleted_forms:
            obj = deleted_form.instance
            if obj.pk:
                record_event(
                    actor=request.user,
                    action=f"admin.delete.{obj._meta.model_name}",
                    obj=obj,
                    before=befores.get(obj.pk) or _summary(obj),
                )
        super().save_formset(request, form, formset, change)
        for obj in formset.new_objects:
            record_event(
                actor=request.user,
                action=f"admin.add.{obj._meta.model_name}",
                obj=obj,
                after=_summary(obj),
            )
        for obj, _changed_fields in formset.changed_objects:
            record_event(
                actor=request.user,
                action=f"admin.change.{obj._meta.model_name}",
                obj=obj,
                before=befores.get(obj.pk),
                after=_summary(obj),
            )

    def delete_model(self, request, obj):
        before = _summary(obj)
        record_event(
            actor=request.user,
            action=f"admin.delete.{obj._meta.model_name}",
            obj=obj,
            before=before,
        )
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)
