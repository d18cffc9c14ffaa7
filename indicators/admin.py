from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from common.locking import VersionedAdminMixin
from indicators.models import Indicator, IndicatorValue, Target


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
