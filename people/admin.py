from django.contrib import admin

from partnership.admin import AuditedAdmin

from .models import Invitation, Membership
from .services import MEMBERSHIP_FIELDS


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
