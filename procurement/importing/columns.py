"""The sheets of the template and their columns: the file format the template writes and the import reads.

Each column names the model field its value goes to (or a key the engine knows), its header, its
kind of cell and what a blank cell means; headers and help texts come from the models, so the
template, the import and the forms never disagree.
"""

from dataclasses import dataclass

from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from procurement.models import Bid, Contract, ContractFollowUp, ContractOption, Procurement, Supplier

# Sheet names are part of the file format: changing them breaks files staff already keep.
PROCUREMENTS = "Upphandlingar"
BIDS = "Anbud"
CONTRACTS = "Avtal"
FOLLOW_UPS = "Uppföljningar"
SUPPLIERS = "Leverantörer"  # counted, but not a sheet of its own
INSTRUCTIONS = "Instruktioner"
LISTS = "Listor"

TEXT, DATE, BOOL, INT, DECIMAL, CHOICE = "text", "date", "bool", "int", "decimal", "choice"
CATEGORY, PRODUCT_GROUP, MUNICIPALITIES, ORG_NUMBER = "category", "product_group", "municipalities", "org_number"
USER, OPTIONS = "user", "options"  # a user by username or e-mail address; options' lengths as "12+12"


@dataclass(frozen=True)
class Column:
    key: str  # the model field the value goes to, or a key the sheet's importer knows
    header: str
    kind: str
    required: bool = False
    choices: tuple = ()  # ((value, label), …) for CHOICE
    default: object = None  # what a blank cell means
    width: int = 14
    help: str = ""

    @property
    def labels(self):
        """The labels of the choices, as a cell holds them (the blank choice left out)."""
        return [str(label) for code, label in self.choices if code != ""]

    def label(self, code, default=None):
        """The label of the choice `code`, or `default` when it is not one."""
        return next((str(label) for value, label in self.choices if value == code), default)


def _col(model, name, kind, *, header=None, required=False, width=None, help=None):
    model_field = model._meta.get_field(name) if model else None
    if model_field is not None:
        default = model_field.get_default() if model_field.has_default() else None
        if default is None and model_field.empty_strings_allowed and not model_field.null:
            default = ""  # a blank text or code cell is an empty string, never NULL
        help = help if help is not None else model_field.help_text
    else:
        default = "" if kind == TEXT else None
    widths = {TEXT: 24, DATE: 12, BOOL: 10, INT: 10, DECIMAL: 14, CHOICE: 22}
    return Column(
        key=name,
        header=header or capfirst(model_field.verbose_name),
        kind=kind,
        required=required,
        choices=tuple(model_field.choices or ()) if kind == CHOICE else (),
        default=[] if kind == MUNICIPALITIES else default,
        width=width or widths.get(kind, 24),
        help=help or "",
    )


P, B, S, C, F = Procurement, Bid, Supplier, Contract, ContractFollowUp

PROCUREMENT_COLUMNS = [
    _col(P, "case_number", TEXT, required=True, width=16, help=_(
        "Nyckel: finns diarienumret redan i registret uppdateras upphandlingen, annars läggs den till.")),
    _col(P, "title", TEXT, required=True, width=40),
    _col(P, "category", CATEGORY, required=True, width=28, help=_("En av registrets inköpskategorier.")),
    _col(P, "product_group", PRODUCT_GROUP, width=28, help=_("Frivillig. En varugrupp inom kategorin.")),
    _col(P, "kind", CHOICE, width=26),
    _col(P, "municipalities", MUNICIPALITIES, required=True, width=30),
    _col(P, "procedure", CHOICE, width=34),
    _col(P, "reserved", BOOL),
    _col(P, "in_procurement_plan", BOOL, header=_("I upphandlingsplanen")),
    _col(P, "planned_completion", DATE),
    _col(P, "status", CHOICE, required=True, width=14),
    _col(P, "advertised_on", DATE, header=_("Datum annonserad")),
    _col(P, "tender_deadline", DATE, header=_("Sista anbudsdag")),
    _col(P, "awarded_on", DATE, header=_("Datum tilldelningsbeslut")),
    _col(P, "completed_on", DATE, header=_("Datum avslutad")),
    _col(P, "cancelled_on", DATE, header=_("Datum avbruten")),
    _col(P, "cancellation_reason", TEXT, help=_("Krävs när status är Avbruten.")),
    _col(P, "questions_received", INT),
    _col(P, "negotiation_held", BOOL),
    _col(P, "negotiation_saving_sek", DECIMAL),
    _col(P, "bidders_contacted", BOOL, header=_("Kontaktade anbudsgivare")),
    _col(P, "appealed_on", DATE, header=_("Överprövning datum")),
    _col(P, "appeal_outcome", CHOICE, header=_("Överprövning utgång"), width=30),
    _col(P, "employment_requirement", BOOL),
    _col(P, "traineeships", INT),
    _col(P, "labour_law_conditions", BOOL),
    _col(P, "accessibility_requirement", BOOL),
    _col(P, "gender_equality_requirement", BOOL),
    _col(P, "preparedness_requirement", BOOL),
    _col(P, "environmental_requirement", BOOL),
    _col(P, "env_management_level", CHOICE, width=16),
    _col(P, "reuse_level", CHOICE, width=16),
    _col(P, "climate_transport_level", CHOICE, width=16),
    _col(P, "climate_other_level", CHOICE, width=16),
    _col(P, "chemicals_level", CHOICE, width=16),
    _col(P, "is_food", BOOL),
    _col(P, "organic_food_requirement", BOOL),
    _col(P, "local_food_requirement", BOOL),
    _col(P, "welfare_crime_risk", BOOL),
    _col(P, "supplier_checks", INT),
    _col(P, "tenders_disqualified_welfare", INT),
    _col(P, "welfare_actions", INT),
    _col(P, "welfare_actions_text", TEXT),
    _col(P, "innovative_solution", BOOL),
    _col(P, "notes", TEXT, width=30),
]

# The same column on the Anbud and Avtal sheets.
_SUPPLIER_ORG = _col(None, "supplier_org", ORG_NUMBER, header=_("Leverantörens organisationsnummer"), required=True,
                     width=18, help=_("NNNNNN-NNNN; sista siffran är en kontrollsiffra."))
_NEW_SUPPLIER_ONLY = _("Gäller bara när leverantören läggs till; befintliga leverantörer ändras inte av importen.")
BID_COLUMNS = [
    _col(None, "case_number", TEXT, header=_("Diarienummer"), required=True, width=16,
         help=_("Upphandlingens diarienummer, på bladet Upphandlingar eller redan i registret.")),
    _SUPPLIER_ORG,
    _col(None, "supplier_name", TEXT, header=_("Leverantörens namn"), width=30,
         help=_("Krävs när leverantören inte redan finns i registret.")),
    _col(S, "regional", BOOL, header=_("Regional verksamhet"), help=_NEW_SUPPLIER_ONLY),
    _col(S, "sme", BOOL, header=_("SMF"), help=_NEW_SUPPLIER_ONLY),
    _col(S, "social_enterprise", BOOL, header=_("Socialt företag eller idéburen"), help=_NEW_SUPPLIER_ONLY),
    _col(B, "disqualified", BOOL),
    _col(B, "awarded", BOOL),
]

CONTRACT_COLUMNS = [
    _col(C, "number", TEXT, required=True, width=16, help=_(
        "Nyckel: finns avtalsnumret redan i registret uppdateras avtalet, annars läggs det till.")),
    _col(C, "title", TEXT, required=True, width=40),
    _col(None, "case_number", TEXT, header=_("Diarienummer"), width=16,
         help=_("Frivillig. Upphandlingen som ledde till avtalet.")),
    _SUPPLIER_ORG,
    _col(None, "supplier_name", TEXT, header=_("Leverantörens namn"), width=30,
         help=_("Krävs när leverantören inte redan finns i registret eller på bladet Anbud.")),
    _col(C, "municipalities", MUNICIPALITIES, required=True, width=30),
    _col(C, "contract_class", CHOICE, required=True, width=18),
    _col(C, "start_date", DATE, required=True),
    _col(C, "end_date", DATE),
    _col(C, "estimated_yearly_value", DECIMAL, header=_("Årsvärde (kr)")),
    _col(C, "terminated_on", DATE),
    _col(C, "termination_reason", TEXT, header=_("Skäl till förtida avslut")),
    # Contract management (added in 2026): optional, and last, so a file made from an older template, or
    # columns copied from one, still import; a file without them leaves these fields and the options alone.
    _col(C, "responsible", USER, width=20, help=_(
        "Frivillig. Användarnamn eller e-postadress för den på UhC som förvaltar avtalet och får påminnelserna. "
        "En tom cell tar bort avtalsförvaltaren; saknas kolumnen ändras den inte.")),
    _col(C, "municipality_contact", TEXT, width=30),
    _col(None, "options", OPTIONS, header=_("Optioner (månader)"), width=16, help=_(
        "Frivillig. Optionerna att förlänga avtalet, i tur och ordning: varje options längd i månader, åtskilda "
        "med +. 12+12 betyder två optioner om 12 månader. Nya optioner är inte beslutade. En tom cell lämnar "
        "avtalets optioner som de är; har avtalet beslutade optioner ändras de i registret.")),
    Column(key="option_notice", header=_("Beslut om option (månader före slut)"), kind=INT,
           default=ContractOption._meta.get_field("notice_months").default, width=16, help=_(
               "Hur många månader före avtalets slut beslutet om en option måste vara fattat; samma för radens "
               "alla optioner. Används bara när kolumnen Optioner (månader) är ifylld.")),
]

FOLLOW_UP_COLUMNS = [
    _col(None, "contract_number", TEXT, header=_("Avtalsnummer"), required=True, width=16,
         help=_("Avtalet, på bladet Avtal eller redan i registret. Avtalsnummer, datum och form är nyckel.")),
    _col(F, "date", DATE, required=True),
    _col(F, "form", CHOICE, required=True),
    _col(F, "notes", TEXT, width=40),
    _col(F, "actions", TEXT, width=40),
]

SHEETS = {
    PROCUREMENTS: PROCUREMENT_COLUMNS,
    BIDS: BID_COLUMNS,
    CONTRACTS: CONTRACT_COLUMNS,
    FOLLOW_UPS: FOLLOW_UP_COLUMNS,
}


COLUMNS_BY_KEY = {sheet: {column.key: column for column in columns} for sheet, columns in SHEETS.items()}
