from django.contrib import admin
from guardian.admin import GuardedModelAdmin

from .models import Cluster, ClusterMembership, School


@admin.register(School)
class SchoolAdmin(GuardedModelAdmin):
    list_display = ("name", "urn", "partnership", "phase", "school_type", "pupils")
    list_filter = ("partnership", "phase", "school_type")
    search_fields = ("name", "urn")


class ClusterMembershipInline(admin.TabularInline):
    model = ClusterMembership
    raw_id_fields = ("school",)
    exclude = ("partnership",)


@admin.register(Cluster)
class ClusterAdmin(admin.ModelAdmin):
    list_display = ("name", "partnership")
    list_filter = ("partnership",)
