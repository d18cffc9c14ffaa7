"""Tables of the register (django-tables2): one per list, serving both the page and its Excel export,
and the small tables of bids, contracts and follow-ups on the detail pages.

A list's table declares the columns the page shows, in their order, and those only the export has
(`**EXPORT_ONLY`). `export` names the workbook's columns in their order: a declared column, or a
model field exported as stored. The workbook heads a column that is a model field by the field's
verbose name, any other by the column's header; `(name, header)` in `export` says otherwise.
common/xlsx.py writes the workbook: real numbers and dates, text never a formula.
"""

import django_tables2 as tables
from django.core.exceptions import FieldDoesNotExist
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext_lazy as _

from common.formatting import format_number
from common.xlsx import INTEGER_FORMAT, Sheet

NUM = {"th": {"class": "num"}, "td": {"class": "num"}}
DATE = {"td": {"class": "date"}}  # hook for `white-space: nowrap` (see the report on CSS)
EXPORT_ONLY = {"visible": False, "orderable": False}
YES, NO = _("Ja"), _("Nej")
MAX_PER_PAGE = 200  # ?per_page= beyond this: a page of 100 000 rows took 12–14 s to render


def yes_no(value):
    return YES if value else NO


def names(items):
    return ", ".join(str(item) for item in items)


def link_to(accessor):
    """A linkify callable: the page of the record's `accessor` (its supplier, contract, procurement)."""
    return lambda record: tables.A(accessor).resolve(record).get_absolute_url()


# --- Columns -----------------------------------------------------------------------------------------

class DateColumn(tables.DateColumn):
    """A date: short Swedish form on the page, a real date in the export."""

    def __init__(self, verbose_name=None, **kwargs):
        super().__init__(verbose_name=verbose_name, attrs=kwargs.pop("attrs", DATE), **kwargs)

    def value(self, value):
        return value


class YesNoColumn(tables.Column):
    """Ja/Nej on the page; the export writes the boolean (as Ja/Nej, see common/xlsx.py)."""

    def render(self, value):
        return yes_no(value)

    def value(self, value):
        return value


class NumberColumn(tables.Column):
    """A count: "1 436" on the page (common/formatting.py), a number with a thousands format in the export."""

    number_format = INTEGER_FORMAT

    def __init__(self, verbose_name=None, **kwargs):
        super().__init__(verbose_name=verbose_name, attrs=kwargs.pop("attrs", NUM), **kwargs)

    def render(self, value):
        return format_number(value)

    def value(self, value):
        return value


class AmountColumn(NumberColumn):
    """Whole kronor (the fields have no öre): "6 678 249" on the page, the header says "(kr)"."""

    def render(self, value):
        return format_number(value, decimals=0)


class CodeColumn(tables.Column):
    """A choice by its code (A, B, C, D) rather than its label, on the page and in the export."""

    def render(self, record, bound_column):
        return tables.A(bound_column.accessor).resolve(record)


class NamesColumn(tables.Column):
    """The names of a record's many-to-many values (prefetched), '–' on the page when there are none."""

    def __init__(self, verbose_name=None, **kwargs):
        super().__init__(verbose_name=verbose_name, **{"orderable": False, **kwargs, "empty_values": ()})

    def render(self, value):
        return self.value(value) or "–"

    def value(self, value):
        return names(value.all())


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


# --- Tables ------------------------------------------------------------------------------------------

class RegisterTable(tables.Table):
    """Shared look: our accessible template, Swedish empty text, a dash in empty cells; the export."""

    caption = ""
    caption_hidden = False
    export = ()

    class Meta:
        template_name = "procurement/table.html"
        default = "–"
        empty_text = _("Inga poster matchar filtret.")
        per_page = 25

    def paginate(self, *args, per_page=None, **kwargs):
        """As django-tables2's, with ?per_page= held from 1 to MAX_PER_PAGE (the export has every row)."""
        per_page = min(max(per_page or self._meta.per_page, 1), MAX_PER_PAGE)
        return super().paginate(*args, per_page=per_page, **kwargs)

    @classmethod
    def for_export(cls, data, **kwargs):
        """The table as its export reads it: with a hidden column for each model field `export` names."""
        fields = [name for name, _header in cls._export_items() if name not in cls.base_columns]
        return cls(data, extra_columns=[(name, tables.Column(**EXPORT_ONLY)) for name in fields], **kwargs)

    @classmethod
    def _export_items(cls):
        return [item if isinstance(item, tuple) else (item, None) for item in cls.export]

    def as_sheet(self, title):
        """The worksheet of every row (not one page) in the table's order."""
        excluded = set(self.exclude or ())
        items = [(name, header) for name, header in self._export_items() if name not in excluded]
        columns = [self.columns[name] for name, _header in items]
        return Sheet(
            title=str(title),
            headers=[str(header or self._export_header(name)) for name, header in items],
            rows=[[row.get_cell_value(column.name) for column in columns] for row in self.rows],
            number_formats={
                i: column.column.number_format
                for i, column in enumerate(columns)
                if getattr(column.column, "number_format", None)
            },
        )

    def _export_header(self, name):
        try:
            return capfirst(self.data.model._meta.get_field(name).verbose_name)
        except FieldDoesNotExist:
            return self.columns[name].header


class ProcurementTable(RegisterTable):
    case_number = tables.Column(verbose_name=_("Diarienummer"), linkify=True)
    title = tables.Column(verbose_name=_("Benämning"))
    category = tables.Column(verbose_name=_("Kategori"), order_by=("category__order", "category__name"))
    kind = tables.Column(verbose_name=_("Typ"))
    status = tables.Column(verbose_name=_("Status"))
    advertised_on = DateColumn(_("Annonserad"))
    completed_on = DateColumn(_("Avslutad"))
    municipality_count = NumberColumn(_("Kommuner"))
    bid_count = NumberColumn(_("Anbud"))
    valid_bid_count = NumberColumn(_("Giltiga anbud"))

    product_group = tables.Column(accessor="product_group__name", **EXPORT_ONLY)
    municipalities = NamesColumn(**EXPORT_ONLY)
    coordinated = tables.Column(verbose_name=_("Samordnad"), accessor="municipality_count", **EXPORT_ONLY)
    negotiation_saving_sek = AmountColumn(**EXPORT_ONLY)
    awarded_bid_count = tables.Column(verbose_name=_("Tilldelade anbud"), **EXPORT_ONLY)
    awarded_suppliers = tables.Column(
        verbose_name=_("Tilldelade leverantörer"), accessor="awarded_bids", empty_values=(), **EXPORT_ONLY
    )

    caption = _("Upphandlingar")
    export = [
        "case_number", "title", "category", "product_group", "kind", "procedure", "reserved", "municipalities",
        ("municipality_count", _("Antal kommuner")), "coordinated", "in_procurement_plan", "planned_completion",
        "status", "advertised_on", "tender_deadline", "awarded_on", "completed_on", "cancelled_on",
        "cancellation_reason", "questions_received", "negotiation_held", "negotiation_saving_sek", "bidders_contacted",
        ("bid_count", _("Antal anbud")), "valid_bid_count", "awarded_bid_count", "awarded_suppliers",
        "appealed_on", "appeal_outcome", "employment_requirement", "traineeships", "labour_law_conditions",
        "accessibility_requirement", "gender_equality_requirement", "preparedness_requirement",
        "environmental_requirement", "env_management_level", "reuse_level", "climate_transport_level",
        "climate_other_level", "chemicals_level", "is_food", "organic_food_requirement",
        "local_food_requirement", "welfare_crime_risk", "supplier_checks", "tenders_disqualified_welfare",
        "welfare_actions", "welfare_actions_text", "innovative_solution", "notes",
    ]

    class Meta(RegisterTable.Meta):
        empty_text = _("Inga upphandlingar matchar filtret.")

    def value_coordinated(self, value):
        return value >= 2  # coordinated (samordnad): commissioned by at least two municipalities

    def value_awarded_suppliers(self, value):
        return names(bid.supplier.name for bid in value)


def person_name(user):
    """A user as people know them: the full name, else the username."""
    return user.get_full_name() or user.get_username()


class ContractTable(RegisterTable):
    number = tables.Column(verbose_name=_("Avtalsnummer"), linkify=True)
    title = tables.Column(verbose_name=_("Benämning"))
    supplier = tables.Column(verbose_name=_("Leverantör"), accessor="supplier__name", linkify=link_to("supplier"))
    contract_class = CodeColumn(verbose_name=_("Klass"))
    start_date = DateColumn(_("Start"))
    end_date = DateColumn(_("Slut"))
    estimated_yearly_value = AmountColumn(_("Årsvärde (kr)"))
    follow_up_count = NumberColumn(_("Uppföljningar"))
    last_follow_up = DateColumn(_("Senaste uppföljning"))
    terminated_on = DateColumn(_("Avslutat i förtid"))
    # The contract's life (added 2026), after the columns scripts already read. Status and latest end
    # follow from the prefetched options in Python, so they cannot be sorted on.
    status = tables.Column(verbose_name=_("Status"), accessor="status_label", orderable=False)
    responsible = tables.Column(
        verbose_name=_("Avtalsförvaltare"),
        order_by=("responsible__first_name", "responsible__last_name", "responsible__username"),
    )
    latest_end = DateColumn(_("Senast möjliga slut med optionerna"), accessor="latest_possible_end", orderable=False)

    procurement = tables.Column(accessor="procurement__case_number", **EXPORT_ONLY)
    org_number = tables.Column(verbose_name=_("Organisationsnummer"), accessor="supplier__org_number", **EXPORT_ONLY)
    municipalities = NamesColumn(**EXPORT_ONLY)
    options = tables.Column(accessor="pk", **EXPORT_ONLY)
    option_notice = tables.Column(accessor="pk", **EXPORT_ONLY)

    caption = _("Avtal")
    export = [
        "number", "title", ("procurement", _("Upphandling (diarienummer)")), "supplier", "org_number",
        "municipalities", "contract_class", "start_date", "end_date", "estimated_yearly_value", "terminated_on",
        "termination_reason", ("follow_up_count", _("Antal uppföljningar")), "last_follow_up",
        "responsible", "municipality_contact", ("options", _("Optioner (månader)")),
        ("option_notice", _("Beslut om option (månader före slut)")),
        ("latest_end", _("Senast möjliga slutdatum med optionerna")), "status",
    ]

    class Meta(RegisterTable.Meta):
        empty_text = _("Inga avtal matchar filtret.")

    def render_responsible(self, value):
        return person_name(value)

    def value_responsible(self, value):
        return person_name(value)

    def value_options(self, record):
        """The options' lengths in order, as the import reads them: 12+12."""
        return "+".join(str(option.length_months) for option in record.options.all())

    def value_option_notice(self, record):
        """The notice in months: one number when the options share it (as the import reads it), else each's."""
        notices = [option.notice_months for option in record.options.all()]
        if len(set(notices)) <= 1:
            return notices[0] if notices else None
        return "+".join(str(notice) for notice in notices)


class FollowUpTable(RegisterTable):
    date = DateColumn(_("Datum"), linkify=True)
    contract = tables.Column(verbose_name=_("Avtal"), accessor="contract__number", linkify=link_to("contract"))
    contract_title = tables.Column(verbose_name=_("Avtalets benämning"), accessor="contract__title")
    contract_class = tables.Column(verbose_name=_("Klass"), accessor="contract__contract_class")
    supplier = tables.Column(verbose_name=_("Leverantör"), accessor="contract__supplier__name")
    form = tables.Column(verbose_name=_("Form"))
    # Not on the page: the list has never shown it (the column of edit links for staff is called the same).
    actions = tables.Column(**EXPORT_ONLY)

    caption = _("Avtalsuppföljningar")
    export = [
        "date", ("contract", _("Avtalsnummer")), "contract_title", ("contract_class", _("Avtalsklass")),
        "supplier", "form", "notes", "actions",
    ]

    class Meta(RegisterTable.Meta):
        empty_text = _("Inga uppföljningar matchar filtret.")

    def value_contract_class(self, record):
        return record.contract.contract_class  # the export has the code, as the import reads it


class SupplierTable(RegisterTable):
    name = tables.Column(verbose_name=_("Namn"), linkify=True)
    org_number = tables.Column(verbose_name=_("Organisationsnummer"))
    regional = YesNoColumn(verbose_name=_("Regional"))
    sme = YesNoColumn(verbose_name=_("SMF"))
    social_enterprise = YesNoColumn(verbose_name=_("Socialt företag/idéburen"))
    bid_count = NumberColumn(_("Anbud"))
    awarded_count = NumberColumn(_("Tilldelade"))
    contract_count = NumberColumn(_("Avtal"))

    caption = _("Leverantörer")
    export = [
        "name", "org_number", "regional", "sme", "social_enterprise", ("bid_count", _("Antal anbud")),
        ("awarded_count", _("Tilldelade anbud")), ("contract_count", _("Antal avtal")),
    ]

    class Meta(RegisterTable.Meta):
        empty_text = _("Inga leverantörer matchar filtret.")


class InformationActivityTable(RegisterTable):
    date = DateColumn(_("Datum"))
    kind = tables.Column(verbose_name=_("Typ"))
    title = tables.Column(verbose_name=_("Benämning"))
    procurement = tables.Column(
        verbose_name=_("Upphandling"), accessor="procurement__case_number", linkify=link_to("procurement")
    )
    municipalities = NamesColumn(_("Medverkande kommuner"))
    actions = ActionsColumn("procurement:information_update", "procurement:information_delete")

    caption = _("Informationsaktiviteter")
    export = ["date", "kind", "title", ("procurement", _("Upphandling (diarienummer)")), "municipalities"]

    class Meta(RegisterTable.Meta):
        empty_text = _("Inga informationsaktiviteter matchar filtret.")


class MunicipalityActivityTable(RegisterTable):
    """An activity held with one municipality: when and with whom come first."""

    date = DateColumn(_("Datum"))
    municipality = tables.Column(verbose_name=_("Kommun"), order_by=("municipality__order",))


class CompetenceEffortTable(MunicipalityActivityTable):
    title = tables.Column(verbose_name=_("Benämning"))
    participants = NumberColumn(_("Deltagare"))
    actions = ActionsColumn("procurement:competence_update", "procurement:competence_delete")

    caption = _("Kompetenshöjande insatser")
    export = ["date", "municipality", "title", "participants"]

    class Meta(RegisterTable.Meta):
        empty_text = _("Inga kompetenshöjande insatser matchar filtret.")


class DialogueTable(MunicipalityActivityTable):
    kind = tables.Column(verbose_name=_("Typ"))
    notes = tables.Column(verbose_name=_("Anteckningar"), orderable=False)
    actions = ActionsColumn("procurement:dialogue_update", "procurement:dialogue_delete")

    caption = _("Dialoger med kommuner")
    export = ["date", "municipality", "kind", "notes"]

    class Meta(RegisterTable.Meta):
        empty_text = _("Inga dialoger matchar filtret.")

    def render_notes(self, value):
        return Truncator(value).chars(160)

    def value_notes(self, value):
        return value


# --- On the detail pages -----------------------------------------------------------------------------

class DetailTable(RegisterTable):
    """A few rows on a detail page: not sorted or paginated, its caption for screen readers.

    A table's options are read from its own Meta only: each subclass repeats `class Meta(DetailTable.Meta)`.
    """

    caption_hidden = True

    class Meta(RegisterTable.Meta):
        template_name = "procurement/detail_table.html"
        orderable = False

    def __init__(self, data, *, caption, empty_text, **kwargs):
        super().__init__(data, empty_text=empty_text, **kwargs)
        self.caption = caption


class BidTable(DetailTable):
    """Bids seen from their procurement (who bid) or from their supplier (in what)."""

    case_number = tables.Column(
        verbose_name=_("Diarienummer"), accessor="procurement__case_number", linkify=link_to("procurement")
    )
    procurement = tables.Column(verbose_name=_("Upphandling"), accessor="procurement__title")
    category = tables.Column(verbose_name=_("Kategori"), accessor="procurement__category__name")
    advertised_on = DateColumn(_("Annonserad"), accessor="procurement__advertised_on", attrs={})
    status = tables.Column(verbose_name=_("Status"), accessor="procurement__status")
    supplier = tables.Column(verbose_name=_("Anbudsgivare"), accessor="supplier__name", linkify=link_to("supplier"))
    org_number = tables.Column(verbose_name=_("Organisationsnummer"), accessor="supplier__org_number")
    disqualified = YesNoColumn(verbose_name=_("Diskvalificerat"))
    awarded = tables.TemplateColumn(
        '{% load i18n %}{% if value %}<strong>{% translate "Ja" %}</strong>{% else %}{% translate "Nej" %}{% endif %}',
        verbose_name=_("Tilldelat"),
    )

    class Meta(DetailTable.Meta):
        pass

    @classmethod
    def of_procurement(cls, bids):
        exclude = ("case_number", "procurement", "category", "advertised_on", "status")
        return cls(bids, exclude=exclude, caption=_("Anbud i upphandlingen"),
                   empty_text=_("Inga anbud är registrerade."))

    @classmethod
    def of_supplier(cls, bids):
        return cls(bids, exclude=("supplier", "org_number"), caption=_("Leverantörens anbud"),
                   empty_text=_("Leverantören har inga registrerade anbud."))


class ContractRowTable(DetailTable):
    """Contracts on a procurement's page (with their suppliers) or a supplier's (with early ends)."""

    number = tables.Column(verbose_name=_("Avtalsnummer"), linkify=True)
    title = tables.Column(verbose_name=_("Benämning"))
    supplier = tables.Column(verbose_name=_("Leverantör"), accessor="supplier__name")
    contract_class = CodeColumn(verbose_name=_("Klass"))
    start_date = DateColumn(_("Start"), attrs={})
    end_date = DateColumn(_("Slut"), attrs={})
    terminated_on = DateColumn(_("Avslutat i förtid"), attrs={})

    class Meta(DetailTable.Meta):
        pass

    @classmethod
    def of_procurement(cls, contracts):
        return cls(contracts, exclude=("terminated_on",), caption=_("Avtal från upphandlingen"),
                   empty_text=_("Inga avtal är kopplade till upphandlingen."))

    @classmethod
    def of_supplier(cls, contracts):
        return cls(contracts, exclude=("supplier",), caption=_("Leverantörens avtal"),
                   empty_text=_("Leverantören har inga registrerade avtal."))


class ContractFollowUpTable(DetailTable):
    """A contract's follow-ups on its page."""

    date = DateColumn(_("Datum"), linkify=True, attrs={})
    form = tables.Column(verbose_name=_("Form"))
    notes = tables.Column(verbose_name=_("Anteckningar"))
    actions = tables.Column(verbose_name=_("Åtgärder"))

    class Meta(DetailTable.Meta):
        pass

    def __init__(self, data, **kwargs):
        super().__init__(
            data, caption=_("Uppföljningar av avtalet"), empty_text=_("Avtalet har inte följts upp ännu."), **kwargs
        )

    def render_notes(self, value):
        return Truncator(value).chars(160)

    render_actions = render_notes
