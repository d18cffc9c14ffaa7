"""The ledger's tables (django-tables2): the list and its Excel export, and the high-risk contracts."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from procurement.tables import ActionsColumn, DateColumn, RegisterTable, link_to


class EntryActionsColumn(ActionsColumn):
    """Edit and delete links; an entry from the register is changed through its procurement's numbers."""

    def __init__(self, **kwargs):
        super().__init__("procurement:check_update", "procurement:check_delete", **kwargs)
        self.template_code = (
            '{% load i18n %}{% if record.from_register %}<a href="{% url "procurement:procurement_update" '
            'record.procurement_id %}">{% translate "Ändras i upphandlingen" %}</a>{% else %}' + self.template_code
            + "{% endif %}"
        )


class CheckTable(RegisterTable):
    date = DateColumn(_("Datum"))
    supplier = tables.Column(verbose_name=_("Leverantör"), accessor="supplier__name", linkify=link_to("supplier"))
    org_number = tables.Column(verbose_name=_("Organisationsnummer"), accessor="supplier__org_number")
    procurement = tables.Column(verbose_name=_("Upphandling"), accessor="procurement__case_number",
                                linkify=link_to("procurement"))
    contract = tables.Column(verbose_name=_("Avtal"), accessor="contract__number", linkify=link_to("contract"))
    kind = tables.Column(verbose_name=_("Typ av kontroll"))
    result = tables.Column(verbose_name=_("Resultat"))
    action = tables.Column(verbose_name=_("Åtgärd"))
    action_on = DateColumn(_("Åtgärdsdatum"))
    origin = tables.Column(verbose_name=_("Ursprung"))
    edit = EntryActionsColumn()

    caption = _("Leverantörskontroller")
    export = [
        "date", ("org_number", _("Leverantör (organisationsnummer)")), ("supplier", _("Leverantörens namn")),
        ("procurement", _("Diarienummer")), ("contract", _("Avtalsnummer")), "kind", "result", "action",
        "action_on", "note", "origin",
    ]

    class Meta(RegisterTable.Meta):
        empty_text = _("Inga leverantörskontroller matchar filtret.")
        order_by = ("-date",)

    def value_kind(self, record):
        return record.get_kind_display()

    def value_result(self, record):
        return record.get_result_display()

    def value_action(self, record):
        return record.get_action_display()

    def value_origin(self, record):
        return record.get_origin_display()


class HighRiskTable(RegisterTable):
    number = tables.Column(verbose_name=_("Avtal"), linkify=True)
    title = tables.Column(verbose_name=_("Benämning"))
    supplier = tables.Column(verbose_name=_("Leverantör"), accessor="supplier__name", linkify=link_to("supplier"))
    procurement = tables.Column(verbose_name=_("Upphandling"), accessor="procurement__case_number",
                                linkify=link_to("procurement"))
    end_date = DateColumn(_("Slutdatum"))
    last_check = DateColumn(_("Senaste kontroll"))

    caption = _("Avtal med förhöjd risk utan kontroll de senaste 12 månaderna")

    class Meta(RegisterTable.Meta):
        empty_text = _("Alla gällande avtal med förhöjd risk har kontrollerats de senaste 12 månaderna.")
        per_page = 50
