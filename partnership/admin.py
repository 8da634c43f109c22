from django.contrib import admin

from .audit import audit_record, snapshot
from .models import (
    AuditEvent,
    ConcernRegisterEntry,
    DataAccessLog,
    Invitation,
    Membership,
    MemorandumStatus,
    Partnership,
    SharingPolicy,
    StrategicPartnerGrant,
    SupportRelationship,
)
from .services import MEMBERSHIP_FIELDS, PARTNERSHIP_FIELDS


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


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin):
    audit_fields = MEMBERSHIP_FIELDS
    list_display = ("user", "partnership", "role", "school", "cluster", "ended_at")
    list_filter = ("partnership", "role")
    search_fields = ("user__username", "user__email")
    raw_id_fields = ("user", "school", "cluster", "created_by", "ended_by")


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ("email", "partnership", "created_at", "sent_at")
    readonly_fields = [f.name for f in Invitation._meta.fields]


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


class ReadOnlyAdmin(admin.ModelAdmin):
    """Sharing records change only through their services, which audit and recompute grants."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(MemorandumStatus)
class MemorandumStatusAdmin(ReadOnlyAdmin):
    list_display = ("school", "partnership", "status", "signed_on", "superseded_at")
    list_filter = ("partnership", "status")


@admin.register(SupportRelationship)
class SupportRelationshipAdmin(ReadOnlyAdmin):
    list_display = ("supporter", "supported", "partnership", "starts_on", "ends_on", "ended_at")
    list_filter = ("partnership",)


@admin.register(StrategicPartnerGrant)
class StrategicPartnerGrantAdmin(ReadOnlyAdmin):
    list_display = ("membership", "school", "access", "starts_on", "ends_on", "ended_at")
    list_filter = ("partnership", "access")


@admin.register(ConcernRegisterEntry)
class ConcernRegisterEntryAdmin(ReadOnlyAdmin):
    list_display = ("school", "partnership", "reason_kind", "added_on", "removed_on", "warning_notice_issued_on")
    list_filter = ("partnership", "reason_kind")


@admin.register(DataAccessLog)
class DataAccessLogAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "user", "school", "what")
    list_filter = ("partnership",)


@admin.register(SharingPolicy)
class SharingPolicyAdmin(ReadOnlyAdmin):
    """Versions are added on the partnership's sharing policy page, which audits and recomputes."""

    list_display = ("partnership", "version", "changed_at", "changed_by", *SharingPolicy.RULES)
    list_filter = ("partnership",)
