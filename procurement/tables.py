"""Tables of the register's lists (django-tables2) and the columns of their Excel exports.

The tables show what people scan on screen; the exports hold every field a spreadsheet user
wants, with real numbers and dates (written by nämndplan/xlsx.py, which keeps text literal).
"""

from dataclasses import dataclass
from typing import Any

import django_tables2 as tables
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext_lazy as _

from common.formatting import format_number
from common.xlsx import Sheet
from procurement.models import (
    CompetenceEffort,
    Contract,
    ContractFollowUp,
    InformationActivity,
    MunicipalityDialogue,
    Procurement,
    Supplier,
)

NUM = {"th": {"class": "num"}, "td": {"class": "num"}}
DATE = {"td": {"class": "date"}}  # hook for `white-space: nowrap` (see the report on CSS)
YES, NO = _("Ja"), _("Nej")


def yes_no(value):
    return YES if value else NO


class RegisterTable(tables.Table):
    """Shared look: our accessible template, Swedish empty text, a dash in empty cells."""

    caption = ""

    class Meta:
        template_name = "procurement/table.html"
        default = "–"
        empty_text = _("Inga poster matchar filtret.")
        per_page = 25


class ActionsColumn(tables.TemplateColumn):
    """Edit and delete links for staff; screen readers hear which row they act on."""

    def __init__(self, edit, delete, **kwargs):
        template = (
            '{% load i18n %}<a href="{% url "' + edit + '" record.pk %}">{% translate "Ändra" %}'
            '<span class="visually-hidden"> {{ record }}</span></a> · '
            '<a href="{% url "' + delete + '" record.pk %}">{% translate "Ta bort" %}'
            '<span class="visually-hidden"> {{ record }}</span></a>'
        )
        super().__init__(template_code=template, verbose_name=_("Åtgärder"), orderable=False, **kwargs)


class ProcurementTable(RegisterTable):
    case_number = tables.Column(verbose_name=_("Diarienummer"), linkify=True)
    title = tables.Column(verbose_name=_("Benämning"))
    category = tables.Column(verbose_name=_("Kategori"), order_by=("category__order", "category__name"))
    kind = tables.Column(verbose_name=_("Typ"))
    status = tables.Column(verbose_name=_("Status"))
    advertised_on = tables.DateColumn(verbose_name=_("Annonserad"), attrs=DATE)
    completed_on = tables.DateColumn(verbose_name=_("Avslutad"), attrs=DATE)
    municipality_count = tables.Column(verbose_name=_("Kommuner"), attrs=NUM)
    bid_count = tables.Column(verbose_name=_("Anbud"), attrs=NUM)
    valid_bid_count = tables.Column(verbose_name=_("Giltiga anbud"), attrs=NUM)

    caption = _("Upphandlingar")

    class Meta(RegisterTable.Meta):
        empty_text = _("Inga upphandlingar matchar filtret.")


class ContractTable(RegisterTable):
    number = tables.Column(verbose_name=_("Avtalsnummer"), linkify=True)
    title = tables.Column(verbose_name=_("Benämning"))
    supplier = tables.Column(verbose_name=_("Leverantör"), accessor="supplier__name", linkify=(
        lambda record: record.supplier.get_absolute_url()))
    contract_class = tables.Column(verbose_name=_("Klass"))
    start_date = tables.DateColumn(verbose_name=_("Start"), attrs=DATE)
    end_date = tables.DateColumn(verbose_name=_("Slut"), attrs=DATE)
    estimated_yearly_value = tables.Column(verbose_name=_("Årsvärde (kr)"), attrs=NUM)
    follow_up_count = tables.Column(verbose_name=_("Uppföljningar"), attrs=NUM)
    last_follow_up = tables.DateColumn(verbose_name=_("Senaste uppföljning"), attrs=DATE)
    terminated_on = tables.DateColumn(verbose_name=_("Avslutat i förtid"), attrs=DATE)

    caption = _("Avtal")

    class Meta(RegisterTable.Meta):
        empty_text = _("Inga avtal matchar filtret.")

    def render_contract_class(self, record):
        return record.contract_class

    def render_estimated_yearly_value(self, value):
        return format_number(value)


class FollowUpTable(RegisterTable):
    date = tables.DateColumn(verbose_name=_("Datum"), linkify=True, attrs=DATE)
    contract = tables.Column(
        verbose_name=_("Avtal"), accessor="contract__number", linkify=lambda record: record.contract.get_absolute_url()
    )
    contract_title = tables.Column(verbose_name=_("Avtalets benämning"), accessor="contract__title")
    contract_class = tables.Column(verbose_name=_("Klass"), accessor="contract__contract_class")
    supplier = tables.Column(verbose_name=_("Leverantör"), accessor="contract__supplier__name")
    form = tables.Column(verbose_name=_("Form"))
    actions = tables.Column(verbose_name=_("Åtgärder"), orderable=False)

    caption = _("Avtalsuppföljningar")

    class Meta(RegisterTable.Meta):
        empty_text = _("Inga uppföljningar matchar filtret.")

    def render_actions(self, value):
        return Truncator(value).chars(120)


class SupplierTable(RegisterTable):
    name = tables.Column(verbose_name=_("Namn"), linkify=True)
    org_number = tables.Column(verbose_name=_("Organisationsnummer"))
    regional = tables.Column(verbose_name=_("Regional"))
    sme = tables.Column(verbose_name=_("SMF"))
    social_enterprise = tables.Column(verbose_name=_("Socialt företag/idéburen"))
    bid_count = tables.Column(verbose_name=_("Anbud"), attrs=NUM)
    awarded_count = tables.Column(verbose_name=_("Tilldelade"), attrs=NUM)
    contract_count = tables.Column(verbose_name=_("Avtal"), attrs=NUM)

    caption = _("Leverantörer")

    class Meta(RegisterTable.Meta):
        empty_text = _("Inga leverantörer matchar filtret.")

    def render_regional(self, value):
        return yes_no(value)

    render_sme = render_social_enterprise = render_regional


class InformationActivityTable(RegisterTable):
    date = tables.DateColumn(verbose_name=_("Datum"), attrs=DATE)
    kind = tables.Column(verbose_name=_("Typ"))
    title = tables.Column(verbose_name=_("Benämning"))
    procurement = tables.Column(
        verbose_name=_("Upphandling"),
        accessor="procurement__case_number",
        linkify=lambda record: record.procurement.get_absolute_url(),
    )
    municipalities = tables.Column(verbose_name=_("Medverkande kommuner"), orderable=False, empty_values=())
    actions = ActionsColumn("procurement:information_update", "procurement:information_delete")

    caption = _("Informationsaktiviteter")

    class Meta(RegisterTable.Meta):
        empty_text = _("Inga informationsaktiviteter matchar filtret.")

    def render_municipalities(self, record):
        return ", ".join(m.name for m in record.municipalities.all()) or "–"


class CompetenceEffortTable(RegisterTable):
    date = tables.DateColumn(verbose_name=_("Datum"), attrs=DATE)
    municipality = tables.Column(verbose_name=_("Kommun"), order_by=("municipality__order",))
    title = tables.Column(verbose_name=_("Benämning"))
    participants = tables.Column(verbose_name=_("Deltagare"), attrs=NUM)
    actions = ActionsColumn("procurement:competence_update", "procurement:competence_delete")

    caption = _("Kompetenshöjande insatser")

    class Meta(RegisterTable.Meta):
        empty_text = _("Inga kompetenshöjande insatser matchar filtret.")


class DialogueTable(RegisterTable):
    date = tables.DateColumn(verbose_name=_("Datum"), attrs=DATE)
    municipality = tables.Column(verbose_name=_("Kommun"), order_by=("municipality__order",))
    kind = tables.Column(verbose_name=_("Typ"))
    notes = tables.Column(verbose_name=_("Anteckningar"), orderable=False)
    actions = ActionsColumn("procurement:dialogue_update", "procurement:dialogue_delete")

    caption = _("Dialoger med kommuner")

    class Meta(RegisterTable.Meta):
        empty_text = _("Inga dialoger matchar filtret.")

    def render_notes(self, value):
        return Truncator(value).chars(160)


# --- Excel exports -------------------------------------------------------------------------------

@dataclass
class ExportColumn:
    header: Any
    value: Any  # record -> cell value (a number, a date, text, a bool, or None)
    number_format: str | None = None


AMOUNT = "#,##0"


def _field(name):
    return lambda record: getattr(record, name)


def _display(name):
    return lambda record: getattr(record, f"get_{name}_display")() if getattr(record, name) else None


def _verbose(model, name):
    return capfirst(str(model._meta.get_field(name).verbose_name))


def _model_columns(model, names):
    """Columns named by the model's Swedish verbose names, choices as their labels."""
    columns = []
    for name in names:
        field = model._meta.get_field(name)
        value = _display(name) if field.choices else _field(name)
        columns.append(ExportColumn(_verbose(model, name), value, AMOUNT if name.endswith("_sek") else None))
    return columns


def _names(items):
    return ", ".join(str(item) for item in items)


def procurement_export_columns():
    P = Procurement
    return [
        *_model_columns(P, ["case_number", "title"]),
        ExportColumn(_("Kategori"), lambda p: p.category.name),
        ExportColumn(_("Varugrupp"), lambda p: p.product_group.name if p.product_group else None),
        *_model_columns(P, ["kind", "procedure", "reserved"]),
        ExportColumn(_("Beställande kommuner"), lambda p: _names(p.municipalities.all())),
        ExportColumn(_("Antal kommuner"), lambda p: p.municipality_count),
        ExportColumn(_("Samordnad"), lambda p: p.municipality_count >= 2),
        *_model_columns(P, [
            "in_procurement_plan", "planned_completion", "status", "advertised_on", "awarded_on", "completed_on",
            "cancelled_on", "cancellation_reason", "questions_received", "negotiation_held",
            "negotiation_saving_sek", "bidders_contacted",
        ]),
        ExportColumn(_("Antal anbud"), lambda p: p.bid_count),
        ExportColumn(_("Giltiga anbud"), lambda p: p.valid_bid_count),
        ExportColumn(_("Tilldelade anbud"), lambda p: p.awarded_bid_count),
        ExportColumn(_("Tilldelade leverantörer"), lambda p: _names(b.supplier.name for b in p.awarded_bids)),
        *_model_columns(P, [
            "appealed_on", "appeal_outcome", "employment_requirement", "traineeships", "labour_law_conditions",
            "accessibility_requirement", "gender_equality_requirement", "preparedness_requirement",
            "environmental_requirement", "env_management_level", "reuse_level", "climate_transport_level",
            "climate_other_level", "chemicals_level", "is_food", "organic_food_requirement",
            "local_food_requirement", "welfare_crime_risk", "supplier_checks", "tenders_disqualified_welfare",
            "welfare_actions", "welfare_actions_text", "innovative_solution", "notes",
        ]),
    ]


def contract_export_columns():
    C = Contract
    return [
        *_model_columns(C, ["number", "title"]),
        ExportColumn(_("Upphandling (diarienummer)"), lambda c: c.procurement.case_number if c.procurement else None),
        ExportColumn(_("Leverantör"), lambda c: c.supplier.name),
        ExportColumn(_("Organisationsnummer"), lambda c: c.supplier.org_number),
        ExportColumn(_("Kommuner"), lambda c: _names(c.municipalities.all())),
        ExportColumn(_("Avtalsklass"), lambda c: c.contract_class),
        *_model_columns(C, ["start_date", "end_date"]),
        ExportColumn(_verbose(C, "estimated_yearly_value"), _field("estimated_yearly_value"), AMOUNT),
        *_model_columns(C, ["terminated_on", "termination_reason"]),
        ExportColumn(_("Antal uppföljningar"), lambda c: c.follow_up_count),
        ExportColumn(_("Senaste uppföljning"), lambda c: c.last_follow_up),
    ]


def follow_up_export_columns():
    return [
        ExportColumn(_("Datum"), _field("date")),
        ExportColumn(_("Avtalsnummer"), lambda f: f.contract.number),
        ExportColumn(_("Avtalets benämning"), lambda f: f.contract.title),
        ExportColumn(_("Avtalsklass"), lambda f: f.contract.contract_class),
        ExportColumn(_("Leverantör"), lambda f: f.contract.supplier.name),
        *_model_columns(ContractFollowUp, ["form", "notes", "actions"]),
    ]


def supplier_export_columns():
    return [
        *_model_columns(Supplier, ["name", "org_number", "regional", "sme", "social_enterprise"]),
        ExportColumn(_("Antal anbud"), lambda s: s.bid_count),
        ExportColumn(_("Tilldelade anbud"), lambda s: s.awarded_count),
        ExportColumn(_("Antal avtal"), lambda s: s.contract_count),
    ]


def information_export_columns():
    return [
        *_model_columns(InformationActivity, ["date", "kind", "title"]),
        ExportColumn(_("Upphandling (diarienummer)"), lambda a: a.procurement.case_number if a.procurement else None),
        ExportColumn(_("Medverkande kommuner"), lambda a: _names(a.municipalities.all())),
    ]


def competence_export_columns():
    return [
        ExportColumn(_("Datum"), _field("date")),
        ExportColumn(_("Kommun"), lambda e: e.municipality.name),
        *_model_columns(CompetenceEffort, ["title", "participants"]),
    ]


def dialogue_export_columns():
    return [
        ExportColumn(_("Datum"), _field("date")),
        ExportColumn(_("Kommun"), lambda d: d.municipality.name),
        *_model_columns(MunicipalityDialogue, ["kind", "notes"]),
    ]


def export_sheet(title, columns, records):
    return Sheet(
        title=str(title),
        headers=[str(column.header) for column in columns],
        rows=[[column.value(record) for column in columns] for record in records],
        number_formats={i: column.number_format for i, column in enumerate(columns) if column.number_format},
    )
