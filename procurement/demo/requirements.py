"""What was required of the procurements advertised in a year, and what those completed in it achieved."""

import math

from procurement.demo.procurements import Kind, Procedure, by_year
from procurement.demo.reference import CATEGORY_NAMES, FOOD
from procurement.models import UhmLevel

# Categories where a requirement is most relevant weigh more when drawing who gets it.
RELEVANCE = {
    "labour_law": {"Fastighetsdrift och underhåll": 8, "Tekniska tjänster och entreprenadnära tjänster": 8,
                   "Fordon och transporter": 4, "Vård och omsorg": 3, FOOD: 2},
    "reserved": {"Fastighetsdrift och underhåll": 5, "Kontor och förbrukning": 5, "Möbler och inredning": 5,
                 "Tryck och kommunikation": 3, FOOD: 3},
    "env_management": {"Fastighetsdrift och underhåll": 3, "Tekniska tjänster och entreprenadnära tjänster": 3,
                       "Fordon och transporter": 3, "Energi och miljö": 3},
    "reuse": {"Möbler och inredning": 6, "IT och telekom": 4, "Kontor och förbrukning": 3, "Energi och miljö": 3},
    "climate_transport": {"Fordon och transporter": 8, FOOD: 3, "Tekniska tjänster och entreprenadnära tjänster": 3},
    "climate_other": {"IT och telekom": 4, FOOD: 4, "Tekniska tjänster och entreprenadnära tjänster": 4,
                      "Energi och miljö": 4},
    "chemicals": {"Fastighetsdrift och underhåll": 4, "Vård och omsorg": 4, "Kontor och förbrukning": 4,
                  "Utbildning och fritid": 4, "Möbler och inredning": 3},
    "preparedness": {FOOD: 5, "Energi och miljö": 5, "Fordon och transporter": 4, "IT och telekom": 4,
                     "Vård och omsorg": 4, "Fastighetsdrift och underhåll": 2},
    "welfare": {"Vård och omsorg": 8, "Fastighetsdrift och underhåll": 5,
                "Tekniska tjänster och entreprenadnära tjänster": 4, "Fordon och transporter": 2},
    "accessibility": {"IT och telekom": 4, "Möbler och inredning": 3, "Tryck och kommunikation": 3,
                      "Tekniska tjänster och entreprenadnära tjänster": 2, "Utbildning och fritid": 2},
}

WELFARE_ACTIONS = [
    "Fördjupad kontroll av underleverantörer; krav på kollektivavtalsenliga villkor skärptes.",
    "Anbudsgivare uteslöts efter kontroll hos Skatteverket och Bolagsverket.",
    "Avtalsvillkor om rätt att kontrollera personalliggare infördes.",
]
ENVIRONMENTAL_AREAS = ["env_management", "reuse", "climate_transport", "climate_other", "chemicals"]


# --- requirements (advertised in the year) ---

def draw_requirements(world, procs):
    chance = world.chance
    for year, group in sorted(by_year(procs, lambda p: p.advertised).items()):
        profile = world.profiles[year]
        _flag(chance.quota(group, profile.employment), "employment_requirement")
        _flag(_relevant(chance, group, chance.count(profile.labour_law, year), "labour_law"), "labour_law_conditions")
        _flag(_relevant(chance, group, chance.count(profile.reserved, year), "reserved"), "reserved")
        _flag(chance.quota(group, profile.preparedness), "preparedness_requirement")
        _flag(_relevant(chance, group, round(len(group) * profile.accessibility / 100), "accessibility"),
              "accessibility_requirement")
        _flag(chance.quota(group, profile.gender_equality), "gender_equality_requirement")
        _environment(chance, group, profile)
        _questions(chance.rng, group, profile.questions)
        _welfare(chance.rng, _relevant(chance, group, chance.count(profile.welfare_risk, year), "welfare"))


def _relevant(chance, procs, k, area):
    """k of `procs`, those of the categories where `area` is most relevant (RELEVANCE) more likely."""
    table = RELEVANCE[area]
    return chance.weighted_sample(procs, k, lambda proc: table.get(CATEGORY_NAMES[proc.category], 1))


def _flag(procs, name):
    for proc in procs:
        proc.flags[name] = True


def _environment(chance, group, profile):
    environmental = chance.quota(group, profile.environmental)
    _flag(environmental, "environmental_requirement")
    for area in ENVIRONMENTAL_AREAS:
        k = round(len(group) * getattr(profile, area) / 100)
        advanced = {id(p) for p in _relevant(chance, environmental, k, area)}
        for proc in environmental:
            if id(proc) in advanced:
                level = UhmLevel.SPJUTSPETS if chance.rng.random() < 0.2 else UhmLevel.AVANCERAD
            else:
                level = UhmLevel.BAS if chance.rng.random() < 0.45 else UhmLevel.NONE
            proc.flags[f"{area}_level"] = level


def _questions(rng, group, average):
    """Questions while advertised: skewed per procurement, exactly `average` over the year."""
    total = round(average * len(group))
    weights = [rng.gammavariate(1.3, 1.0) for _ in group]
    scale = total / (sum(weights) or 1)
    shares = [w * scale for w in weights]
    counts = [math.floor(s) for s in shares]
    by_remainder = sorted(range(len(group)), key=lambda i: counts[i] - shares[i])
    for i in by_remainder[: total - sum(counts)]:
        counts[i] += 1
    for proc, n in zip(group, counts, strict=True):
        proc.flags["questions_received"] = n


def _welfare(rng, risky):
    for proc in risky:
        proc.flags.update(
            welfare_crime_risk=True,
            supplier_checks=rng.randint(1, 6),
            tenders_disqualified_welfare=rng.choices([0, 1, 2], weights=[70, 25, 5])[0],
        )
        if rng.random() < 0.35:
            proc.flags.update(welfare_actions=rng.randint(1, 2), welfare_actions_text=rng.choice(WELFARE_ACTIONS))


# --- outcomes (completed in the year) ---

def draw_outcomes(world, procs):
    """Negotiations, bidders contacted, innovative solutions and traineeships of the year's completed ones."""
    chance = world.chance
    for year, group in sorted(by_year(procs, lambda p: p.completed).items()):
        profile = world.profiles[year]
        _negotiations(chance, [p for p in group if p.kind != Kind.DIS_CALL], chance.count(profile.negotiations, year))
        _flag(chance.quota(group, profile.bidders_contacted), "bidders_contacted")
        for proc in chance.up_to(group, chance.count(profile.innovative, year)):
            proc.flags["innovative_solution"] = True
            if chance.rng.random() < 0.3 and proc.kind != Kind.DIS_CALL:
                proc.procedure = chance.rng.choice([Procedure.COMPETITIVE_DIALOGUE, Procedure.INNOVATION_PARTNERSHIP])
        _traineeships(chance, group, chance.count(profile.traineeships, year))


def _negotiations(chance, negotiable, k):
    for proc in chance.up_to(negotiable, k):
        proc.procedure = Procedure.NEGOTIATED if chance.rng.random() < 0.3 else Procedure.SIMPLIFIED
        saving = round(chance.rng.lognormvariate(math.log(180_000), 0.9), -3)
        proc.flags.update(negotiation_held=True, negotiation_saving_sek=saving)


def _traineeships(chance, group, total):
    eligible = [p for p in group if p.flags.get("employment_requirement")]
    if not eligible:
        return
    receivers = chance.up_to(eligible, max(1, total // 2))
    for _ in range(total):
        proc = chance.rng.choice(receivers)
        proc.flags["traineeships"] = proc.flags.get("traineeships", 0) + 1
