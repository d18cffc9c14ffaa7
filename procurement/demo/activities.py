"""Information activities (5.1), competence efforts in the municipalities (2.2) and dialogues with them (7.1, 7.2)."""

import bisect
import datetime

from procurement.demo.chance import year_end, year_start
from procurement.demo.procurements import Kind
from procurement.demo.reference import lower_first
from procurement.models import CompetenceEffort, InformationActivity, MunicipalityDialogue

ACTIVITY_OTHER = [
    "Leverantörsträff i {place}",
    "Frukostmöte med näringslivet i {place}",
    "Informationsträff: så lämnar du anbud",
    "Webbinarium om upphandlingsplanen",
    "Utbildning i anbudsskrivning för små företag",
    "Träff med företagarföreningen i {place}",
    "Dialogmöte med idéburna organisationer",
]
EFFORT_TITLES = [
    "Avtalstrohet och rätt beställningsväg för chefer",
    "Introduktion till LOU för beställare",
    "E-handel och avtalskatalogen",
    "Direktupphandling: regler och rutiner",
    "Behovsanalys inför upphandling",
    "Hållbarhetskrav i praktiken",
    "Avtalsuppföljning för verksamhetens kontaktpersoner",
]
DIALOGUE_PERIODS = [  # the kinds of dialogue held from 2025, and the part of the year they are held in
    (MunicipalityDialogue.Kind.PLAN_REMISS, (9, 1), (11, 30)),
    (MunicipalityDialogue.Kind.PREPAREDNESS, (2, 1), (11, 30)),
]


def draw_activities(world, procs):
    """[(activity, municipality indexes)]; early dialogues and RFIs lead to a procurement advertised some
    months later."""
    chance = world.chance
    advertised = sorted((p for p in procs if p.advertised), key=lambda p: (p.advertised, p.index))
    dates = [p.advertised for p in advertised]
    activities = []
    for year in world.years:
        for _ in range(chance.scaled(world.profiles[year].activities)):
            day = chance.date_between(year_start(year), year_end(year))
            if day <= chance.horizon:
                activities.append(_activity(world, day, advertised, dates))
    return activities


def _activity(world, day, advertised, dates):
    rng, reference = world.chance.rng, world.reference
    Kinds = InformationActivity.Kind
    kind = rng.choices([Kinds.EARLY_DIALOGUE, Kinds.RFI, Kinds.OTHER], weights=[40, 15, 45])[0]
    proc = _later_procurement(rng, advertised, dates, day) if kind != Kinds.OTHER else None
    if proc:
        title = f"{'Tidig dialog' if kind == Kinds.EARLY_DIALOGUE else 'RFI'}: {lower_first(proc.title)}"
        municipalities = proc.municipalities[:3]
    else:
        kind = Kinds.OTHER
        place = reference.municipalities[reference.one_municipality(rng)].name
        title = rng.choice(ACTIVITY_OTHER).format(place=place)
        municipalities = sorted(rng.sample(range(len(reference.municipalities)), rng.randint(0, 2)))
    activity = InformationActivity(date=day, kind=kind, title=title[:250], procurement_id=proc.pk if proc else None)
    return activity, municipalities


def _later_procurement(rng, advertised, dates, day):
    low = bisect.bisect_left(dates, day + datetime.timedelta(days=20))
    high = bisect.bisect_right(dates, day + datetime.timedelta(days=180))
    proc = advertised[rng.randrange(low, high)] if low < high else None
    return proc if proc and proc.kind in (Kind.JOINT, Kind.MUNICIPAL) else None


def draw_efforts_and_dialogues(world):
    """Competence efforts every year, in six or seven of the municipalities; dialogues from 2025."""
    efforts, dialogues = [], []
    everyone = list(range(len(world.reference.municipalities)))
    for year in world.years:
        efforts.extend(_efforts(world, year, everyone))
        if year >= 2025:
            dialogues.extend(_dialogues(world, year, everyone))
    return efforts, dialogues


def _efforts(world, year, everyone):
    chance, municipalities = world.chance, world.reference.municipalities
    reached = chance.rng.sample(everyone, chance.rng.choice([6, 7, 7]))
    efforts = []
    for position in range(max(len(reached), chance.count(25, year))):
        municipality = reached[position] if position < len(reached) else chance.rng.choice(reached)
        efforts.append(CompetenceEffort(
            date=chance.date_between(year_start(year), min(year_end(year), chance.horizon)),
            municipality=municipalities[municipality],
            title=chance.rng.choice(EFFORT_TITLES), participants=chance.rng.randint(6, 45),
        ))
    return efforts


def _dialogues(world, year, everyone):
    chance, municipalities = world.chance, world.reference.municipalities
    dialogues = []
    for kind, low, high in DIALOGUE_PERIODS:
        for municipality in sorted(chance.rng.sample(everyone, chance.rng.randint(5, 7))):
            day = chance.date_between(datetime.date(year, *low), datetime.date(year, *high))
            if day <= chance.horizon:
                dialogues.append(MunicipalityDialogue(date=day, municipality=municipalities[municipality], kind=kind,
                                                      notes=_dialogue_note(kind, year)))
    return dialogues


def _dialogue_note(kind, year):
    if kind == MunicipalityDialogue.Kind.PLAN_REMISS:
        return f"Upphandlingsplanen {year + 1} på remiss; dialog med kommunledningen om behov och prioriteringar."
    return "Dialog om försörjningsberedskap och vilka avtal som är kritiska vid samhällsstörning, kris och krig."
