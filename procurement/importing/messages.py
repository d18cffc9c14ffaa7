"""Every message the import shows, in Swedish: refusals of the file and errors of a cell or a row.

The tests assert these texts; a change here is a change users see.
"""

from django.utils.translation import gettext_lazy as _

MESSAGES = {
    "too_large": _("Filen är %(size)s; den får vara högst %(limit)s."),
    "not_xlsx": _("Filen ”%(name)s” är inte en Excel-arbetsbok. Bara filer av typen .xlsx kan importeras."),
    "not_xlsx_content": _(
        "Filen ”%(name)s” heter .xlsx men är ingen Excel-arbetsbok. Spara den som ”Excel-arbetsbok (.xlsx)” "
        "i kalkylprogrammet och försök igen."
    ),
    "macros": _(
        "Filen innehåller makron och tas inte emot. Spara den som ”Excel-arbetsbok (.xlsx)” utan makron "
        "och försök igen."
    ),
    "too_large_unpacked": _(
        "Arbetsboken är %(size)s uppackad; den får vara högst %(limit)s. Dela upp den i flera filer."),
    "too_many_rows": _("Arbetsboken har fler än %(limit)s rader på de fyra bladen tillsammans; det är det mesta en "
                       "import får ha. Dela upp den i flera filer."),
    "too_many_strings": _("Arbetsboken har fler olika texter (%(count)s) än en import med högst %(limit)s rader "
                          "kan ha. Dela upp den i flera filer."),
    "file_gone": _("Den uppladdade filen finns inte längre. Ladda upp den igen."),
    "unreadable": _("Filen kunde inte läsas som en Excel-arbetsbok. Utgå från mallen och försök igen."),
    "missing_sheets": _("Arbetsboken saknar bladen: %(sheets)s. Utgå från mallen."),
    "missing_columns": _("Bladet %(sheet)s saknar kolumnerna: %(columns)s."),
    "duplicate_column": _(
        "Bladet %(sheet)s har kolumnen ”%(column)s” två gånger på rad 1: i kolumn %(first)s och %(second)s. "
        "Ta bort eller byt namn på den ena."
    ),
    "required": _("Fältet måste fyllas i."),
    "uncalculated": _(
        "Cellen har en formel utan beräknat värde. Öppna filen i kalkylprogrammet och spara den igen, "
        "eller skriv in värdet i stället för formeln."
    ),
    "date": _("Skriv datumet som ÅÅÅÅ-MM-DD, till exempel 2026-03-15."),
    "bool": _("Skriv Ja eller Nej."),
    "int": _("Skriv ett heltal, till exempel 3."),
    "decimal": _("Skriv ett tal, till exempel 125000 eller 1250,5."),
    "choice": _("”%(value)s” är inte ett giltigt val. Välj något av: %(choices)s."),
    "category": _("Kategorin ”%(value)s” finns inte i registret."),
    "product_group": _("Varugruppen ”%(value)s” finns inte i kategorin ”%(category)s”."),
    "municipality": _("Okänd kommun: %(names)s. Skriv de samverkande kommunernas namn åtskilda med kommatecken."),
    "municipality_required": _("Ange minst en kommun."),
    "duplicate_case_number": _("Diarienumret %(value)s finns redan på rad %(row)s."),
    "duplicate_contract_number": _("Avtalsnumret %(value)s finns redan på rad %(row)s."),
    "duplicate_bid": _("Leverantören har redan ett anbud i upphandlingen (rad %(row)s)."),
    "duplicate_follow_up": _("Uppföljningen finns redan på rad %(row)s."),
    "unknown_procurement": _(
        "Det finns ingen upphandling med diarienummer %(value)s, varken på bladet Upphandlingar eller i registret."
    ),
    "unknown_contract": _(
        "Det finns inget avtal med avtalsnummer %(value)s, varken på bladet Avtal eller i registret."
    ),
    "supplier_name_needed": _(
        "Leverantören %(value)s finns inte i registret. Ange leverantörens namn så läggs den till."
    ),
    "unknown_user": _(
        "Det finns ingen användare med användarnamnet eller e-postadressen ”%(value)s”. Skriv användarnamnet "
        "eller e-postadressen för någon på UhC som förvaltar avtal."
    ),
    "ambiguous_user": _(
        "Flera användare har e-postadressen eller användarnamnet ”%(value)s”. Skriv användarnamnet i stället."
    ),
    "not_a_contract_manager": _(
        "Användaren %(value)s kan inte förvalta avtal: kontot är avstängt eller får inte ändra avtal."
    ),
    "options": _(
        "”%(value)s” kan inte läsas som optioner. Skriv varje options längd i hela månader, åtskilda med +, "
        "till exempel 12+12 för två optioner om 12 månader."
    ),
    "option_length": _("”%(value)s”: en option är från %(minimum)s till %(maximum)s månader lång."),
    "too_many_options": _("”%(value)s” är %(count)s optioner; ett avtal kan ha högst %(maximum)s."),
    "options_without_end": _("Ett avtal utan slutdatum kan inte ha optioner: ange slutdatum."),
    "options_decided": _("Avtalet har beslutade optioner; ändra dem i registret."),
    "database": _("Raden kunde inte sparas: %(error)s"),
}
