from django.contrib import admin

from nämndplan.models import BudgetLine, Goal, Meeting, Municipality, Plan, SpecialAssignment


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "order"]


class GoalInline(admin.StackedInline):
    model = Goal
    extra = 0


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["name", "start_year", "end_year", "history_from"]
    inlines = [GoalInline]


@admin.register(Goal)
class GoalAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "kind", "plan"]
    list_filter = ["plan", "kind"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    """reports/admin.py registers this admin's subclass instead: a meeting whose report has been frozen keeps
    its date (a rule of the reports room, which this room does not know)."""

    list_display = ["date", "title"]
    date_hierarchy = "date"


@admin.register(SpecialAssignment)
class SpecialAssignmentAdmin(admin.ModelAdmin):
    list_display = ["year", "number", "title", "status"]
    list_filter = ["year", "status"]


@admin.register(BudgetLine)
class BudgetLineAdmin(admin.ModelAdmin):
    list_display = ["year", "kind", "name", "amount_tkr"]
    list_filter = ["year", "kind"]
