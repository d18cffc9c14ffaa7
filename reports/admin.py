"""Reports in the admin: texts of a draft can be corrected; nothing frozen can be changed or deleted.

The models refuse it too (reports/models.py); here the admin does not offer it.
"""

from django.contrib import admin

from common.locking import VersionedAdminMixin
from nämndplan import admin as plan_admin
from nämndplan.models import Meeting
from reports.models import AssignmentStatus, GoalAnalysis, Report, ReportLog, ReportVersion


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class GoalAnalysisInline(ReadOnlyInline):
    model = GoalAnalysis
    fields = ["goal", "text"]
    readonly_fields = fields  # texts are written on the report page


class AssignmentStatusInline(ReadOnlyInline):
    model = AssignmentStatus
    fields = ["assignment", "status", "status_text"]
    readonly_fields = fields


class ReportLogInline(ReadOnlyInline):
    model = ReportLog
    fields = ["at", "action", "user", "reason"]
    readonly_fields = fields


class ReportVersionInline(ReadOnlyInline):
    """Earlier frozen versions, as sent; their PDFs are downloaded from the report page."""

    model = ReportVersion
    fields = ["number", "frozen_at", "frozen_by", "period_end", "reopened_at", "reopened_by", "reason"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("frozen_by", "reopened_by").defer("snapshot", "html", "pdf")


@admin.register(Report)
class ReportAdmin(VersionedAdminMixin, admin.ModelAdmin):
    """Texts can be corrected here; freezing and reopening happen on the report page, where they are logged.

    A correction moves the texts' edit version on, so a report form open elsewhere sees it."""

    version_field = "edit_version"

    list_display = ["meeting", "status", "frozen_at", "frozen_by", "case_number"]
    list_filter = ["status"]
    fields = ["meeting", "case_number", "overall_analysis", "staff_text", "status", "version", "frozen_at",
              "frozen_by", "period_end", "updated_at", "updated_by"]
    readonly_fields = ["meeting", "status", "version", "frozen_at", "frozen_by", "period_end", "updated_at",
                       "updated_by"]
    inlines = [GoalAnalysisInline, AssignmentStatusInline, ReportVersionInline, ReportLogInline]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("meeting", "frozen_by").defer("snapshot", "html", "pdf")

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.is_frozen:
            return self.fields  # a frozen report is not edited, not even here
        return self.readonly_fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_frozen:
            return False  # reopening, with its reason logged, happens on the report page
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.has_been_frozen:
            return False  # what was sent to the nämnd is kept
        return super().has_delete_permission(request, obj)


@admin.register(ReportLog)
class ReportLogAdmin(admin.ModelAdmin):
    list_display = ["report", "action", "user", "at"]
    list_filter = ["action"]
    readonly_fields = ["report", "action", "user", "at", "reason"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# The plan's meeting admin, with the rule of this room: a meeting whose report has been frozen keeps its date.
admin.site.unregister(Meeting)


@admin.register(Meeting)
class MeetingAdmin(plan_admin.MeetingAdmin):
    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and Report.objects.ever_frozen().filter(meeting=obj).exists():
            fields.append("date")
        return fields
