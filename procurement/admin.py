"""Admin of the procurement register, for superusers: reference data (categories, product groups)
and corrections. Models with history use SimpleHistoryAdmin so their history is one click away."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from common.locking import VersionedAdminMixin
from procurement import models
from procurement.integrity import BY_CODE as FLAGS


class VersionedAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    """Saving in admin moves the version on, so forms opened in the register see the change."""

    readonly_fields = ("version",)


class ProductGroupInline(admin.TabularInline):
    model = models.ProductGroup
    extra = 1


@admin.register(models.Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "order", "strategy_adopted_on", "innovation_need_identified_on",
                    "digital_potential_identified_on")
    list_editable = ("order",)
    search_fields = ("name",)
    inlines = [ProductGroupInline]


@admin.register(models.ProductGroup)
class ProductGroupAdmin(admin.ModelAdmin):
    list_display = ("name", "category")
    list_filter = ("category",)
    list_select_related = ("category",)
    search_fields = ("name", "category__name")


@admin.register(models.Supplier)
class SupplierAdmin(VersionedAdmin):
    list_display = ("name", "org_number", "regional", "sme", "social_enterprise")
    list_filter = ("regional", "sme", "social_enterprise")
    search_fields = ("name", "org_number")


class BidInline(admin.TabularInline):
    model = models.Bid
    extra = 0
    autocomplete_fields = ("supplier",)


@admin.register(models.Procurement)
class ProcurementAdmin(VersionedAdmin):
    list_display = ("case_number", "title", "category", "kind", "status", "advertised_on", "completed_on")
    list_filter = (
        "status", "kind", "category", "procedure", "municipalities", "reserved", "employment_requirement",
        "environmental_requirement", "preparedness_requirement", "is_food", "welfare_crime_risk",
    )
    list_select_related = ("category",)
    search_fields = ("case_number", "title")
    date_hierarchy = "advertised_on"
    autocomplete_fields = ("category", "product_group")
    filter_horizontal = ("municipalities",)
    inlines = [BidInline]


@admin.register(models.Bid)
class BidAdmin(SimpleHistoryAdmin):
    """A bid changed or removed here moves its procurement's version on: a procurement form open in the
    register, with its bid rows, is refused rather than saving rows that are no longer there."""

    list_display = ("procurement", "supplier", "disqualified", "awarded")
    list_filter = ("disqualified", "awarded")
    list_select_related = ("procurement", "supplier")
    search_fields = ("procurement__case_number", "procurement__title", "supplier__name", "supplier__org_number")
    autocomplete_fields = ("procurement", "supplier")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        _move_version_on(obj.procurement_id)
        if change and "procurement" in form.changed_data:
            _move_version_on(form.initial.get("procurement"))

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        _move_version_on(obj.procurement_id)

    def delete_queryset(self, request, queryset):
        procurements = set(queryset.values_list("procurement_id", flat=True))
        super().delete_queryset(request, queryset)
        for pk in procurements:
            _move_version_on(pk)


def _move_version_on(procurement_pk):
    """The procurement's next version, saved through save() so its history records who and when."""
    procurement = models.Procurement.objects.filter(pk=procurement_pk).first()
    if procurement is not None:
        procurement.version += 1
        procurement.save()


class ContractOptionInline(admin.TabularInline):
    """Options are added here; a decision moves the contract's end, so it is recorded in the register
    (procurement.services.decide_option), never edited here."""

    model = models.ContractOption
    extra = 0
    fields = ("order", "length_months", "notice_months", "decision", "decided_on")
    readonly_fields = ("decision", "decided_on")


@admin.register(models.Contract)
class ContractAdmin(VersionedAdmin):
    inlines = [ContractOptionInline]
    list_display = ("number", "title", "supplier", "contract_class", "start_date", "end_date", "terminated_on")
    list_filter = ("contract_class", "municipalities")
    list_select_related = ("supplier",)
    search_fields = ("number", "title", "supplier__name", "procurement__case_number")
    date_hierarchy = "start_date"
    autocomplete_fields = ("procurement", "supplier", "responsible")
    filter_horizontal = ("municipalities",)


class FollowUpRuleForm(forms.ModelForm):
    forms = forms.MultipleChoiceField(
        label=_("former"), choices=models.ContractFollowUp.Form.choices, widget=forms.CheckboxSelectMultiple,
        help_text=_("De former som räknas som en uppföljning av avtal i klassen."),
    )

    class Meta:
        model = models.FollowUpRule
        fields = ["contract_class", "per_year", "forms"]


@admin.register(models.FollowUpRule)
class FollowUpRuleAdmin(admin.ModelAdmin):
    form = FollowUpRuleForm
    list_display = ("contract_class", "per_year", "forms")


@admin.register(models.ContractFollowUp)
class ContractFollowUpAdmin(VersionedAdmin):
    list_display = ("date", "contract", "form")
    list_filter = ("form", "contract__contract_class")
    list_select_related = ("contract",)
    search_fields = ("contract__number", "contract__title", "notes", "actions")
    date_hierarchy = "date"
    autocomplete_fields = ("contract",)


@admin.register(models.InformationActivity)
class InformationActivityAdmin(VersionedAdmin):
    list_display = ("date", "kind", "title", "procurement")
    list_filter = ("kind", "municipalities")
    list_select_related = ("procurement",)
    search_fields = ("title", "procurement__case_number")
    date_hierarchy = "date"
    autocomplete_fields = ("procurement",)
    filter_horizontal = ("municipalities",)


@admin.register(models.CompetenceEffort)
class CompetenceEffortAdmin(VersionedAdmin):
    list_display = ("date", "municipality", "title", "participants")
    list_filter = ("municipality",)
    list_select_related = ("municipality",)
    search_fields = ("title",)
    date_hierarchy = "date"


@admin.register(models.MunicipalityDialogue)
class MunicipalityDialogueAdmin(VersionedAdmin):
    list_display = ("date", "municipality", "kind")
    list_filter = ("kind", "municipality")
    list_select_related = ("municipality",)
    search_fields = ("notes",)
    date_hierarchy = "date"



@admin.register(models.IntegrityRule)
class IntegrityRuleAdmin(admin.ModelAdmin):
    """The flags' thresholds and explanations (procurement/integrity.py); the rules themselves are fixed."""

    list_display = ["code", "label", "active", "threshold"]
    list_editable = ["active", "threshold"]
    readonly_fields = ["code", "label", "threshold_meaning"]
    fields = ["code", "label", "active", "threshold", "threshold_meaning", "explanation"]

    @admin.display(description=_("flagga"))
    def label(self, rule):
        flag = FLAGS.get(rule.code)
        return flag.label if flag else rule.code

    @admin.display(description=_("tröskelns betydelse"))
    def threshold_meaning(self, rule):
        flag = FLAGS.get(rule.code)
        return flag.threshold_label if flag else ""

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(models.SubmissionMinimum)
class SubmissionMinimumAdmin(admin.ModelAdmin):
    list_display = ["procedure", "days"]
    list_editable = ["days"]
