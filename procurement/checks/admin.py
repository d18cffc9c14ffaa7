"""The ledger in admin, for corrections; its history one click away."""

from django.contrib import admin

from procurement.admin import VersionedAdmin
from procurement.checks.models import SupplierCheck


@admin.register(SupplierCheck)
class SupplierCheckAdmin(VersionedAdmin):
    list_display = ["date", "supplier", "procurement", "contract", "kind", "result", "action", "action_on", "origin"]
    list_filter = ["kind", "result", "action", "origin"]
    search_fields = ["supplier__name", "supplier__org_number", "procurement__case_number", "contract__number"]
    raw_id_fields = ["supplier", "procurement", "contract"]
    date_hierarchy = "date"
