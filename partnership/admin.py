from django.contrib import admin

from .audit import audit_record, snapshot
from .models import AuditEvent, Partnership
from .services import PARTNERSHIP_FIELDS


class AuditedAdmin(admin.ModelAdmin):
    """Platform admins edit through the admin too; each save there is audited like a service write."""

    audit_fields: tuple[str, ...] = ()

    def save_model(self, request, obj, form, change):
        before = snapshot(type(obj).objects.get(pk=obj.pk), self.audit_fields) if change else None
        super().save_model(request, obj, form, change)
        partnership = obj if isinstance(obj, Partnership) else obj.partnership
        audit_record(
            actor=request.user,
            partnership=partnership,
            obj=obj,
            action=f"{obj._meta.model_name}.{'change' if change else 'create'}",
            before=before,
            after=snapshot(obj, self.audit_fields),
            reason="Changed in the platform admin.",
        )


@admin.register(Partnership)
class PartnershipAdmin(AuditedAdmin):
    audit_fields = PARTNERSHIP_FIELDS
    list_display = ("name", "slug", "la_codes", "current_academic_year")
    prepopulated_fields = {"slug": ("name",)}
    search_fields = ("name", "slug")


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("created_at", "partnership", "actor_label", "action", "object_repr")
    list_filter = ("partnership", "action")
    readonly_fields = [f.name for f in AuditEvent._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
