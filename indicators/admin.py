from django.contrib import admin
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

from common.locking import VersionedAdminMixin
from indicators.models import Indicator, IndicatorValue, ReferenceFigure, Target


class TargetInline(admin.TabularInline):
    model = Target
    extra = 0


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "unit", "direction", "source", "measured_from", "baseline_year", "value_from"]
    list_filter = ["goal", "source", "unit"]
    search_fields = ["code", "name"]
    inlines = [TargetInline]


@admin.register(IndicatorValue)
class IndicatorValueAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    list_display = [
        "indicator", "year", "period", "municipality", "value", "unit", "known_from", "recorded_by", "recorded_at",
    ]
    list_filter = ["year", "period", "indicator__goal", "known_from"]
    search_fields = ["indicator__code", "indicator__name", "comment"]
    raw_id_fields = ["recorded_by"]


@admin.register(ReferenceFigure)
class ReferenceFigureAdmin(SimpleHistoryAdmin):
    """National figures beside the indicators: every role may read them, only a superuser edits them."""

    list_display = ["indicator_code", "measure", "area", "year", "value", "unit", "publisher"]
    list_filter = ["indicator_code", "year", "publisher"]
    search_fields = ["indicator_code", "measure", "source", "note"]
    fields = ["indicator_code", "measure", "area", "value", "unit", "year", "publisher", "source", "definition",
              "url", "note"]
    # A Swede types 5,3: the value is read and shown with a decimal comma.
    formfield_overrides = {models.DecimalField: {"localize": True}, models.URLField: {"assume_scheme": "https"}}

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser
