from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from common.locking import VersionedAdminMixin
from procurement.planning.models import PlanConsultation, PlannedProcurement, PlanSettings, ProcurementPlan


@admin.register(PlanSettings)
class PlanSettingsAdmin(admin.ModelAdmin):
    list_display = ["__str__", "tolerance"]

    def has_add_permission(self, request):
        return not PlanSettings.objects.exists() and super().has_add_permission(request)


class PlannedInline(admin.TabularInline):
    model = PlannedProcurement
    fields = ["title", "category", "planned_advertising", "planned_completion", "adopted_completion", "procurement"]
    readonly_fields = ["adopted_completion"]
    raw_id_fields = ["procurement"]
    extra = 0


@admin.register(ProcurementPlan)
class ProcurementPlanAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    list_display = ["year", "status", "adopted_on"]
    inlines = [PlannedInline]


@admin.register(PlannedProcurement)
class PlannedProcurementAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    list_display = ["title", "plan", "category", "planned_completion", "adopted_completion", "on_time_by"]
    list_filter = ["plan", "category"]
    readonly_fields = ["adopted_advertising", "adopted_completion", "on_time_by"]
    raw_id_fields = ["replaces", "procurement"]
    search_fields = ["title"]


@admin.register(PlanConsultation)
class PlanConsultationAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    list_display = ["plan", "municipality", "sent_on", "answered_on"]
    list_filter = ["plan"]
