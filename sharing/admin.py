from django.contrib import admin

from .models import (
    ConcernRegisterEntry,
    DataAccessLog,
    MemorandumStatus,
    SharingPolicy,
    StrategicPartnerGrant,
    SupportRelationship,
)


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
