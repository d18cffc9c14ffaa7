"""Year profiles: what each year's register should compute to.

For the plan's history years the profile is the seed's value of each indicator (bilaga 3, as the plan's
fixture holds it), completed with plausible values where the seed gives none; other years take the
nearest history year with a little variation.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class YearProfile:
    """Per year at scale 1. Shares in percent; counts per full year."""

    coordinated: float  # 1.2, of completed
    follow_ups: int  # 2.1
    questions: float  # 3.1, average over advertised
    employment: float  # 4.1, of advertised
    labour_law: int  # 4.2
    reserved: int  # 4.3
    traineeships: int  # 4.4, over completed
    environmental: float  # 4.7
    env_management: float  # 4.8 (avancerad or spjutspets)
    reuse: float  # 4.9
    climate_transport: float  # 4.10
    climate_other: float  # 4.11
    chemicals: float  # 4.12
    food: int  # advertised food procurements
    organic: float  # 4.13, of food
    local: float  # 4.14, of food
    activities: int  # 5.1
    bids_regional: float  # 5.2
    awarded_regional: float  # 5.3
    bids_per_procurement: float  # 5.5
    innovative: int  # 6.1
    on_time: float  # 8.2
    appeals: int  # 8.8
    cancelled: int  # 8.9
    terminated: int  # 8.10
    advertised: int = 230
    negotiations: int = 12  # 2.3
    bidders_contacted: float = 5  # 3.2, of completed
    preparedness: float = 0  # 7.3, of advertised
    welfare_risk: int = 0  # 3.4
    accessibility: float = 10  # 4.5, of advertised
    gender_equality: float = 5  # 4.6, of advertised


HISTORY_YEARS = range(2021, 2025)
# The plan's indicators whose history the register follows, by the profile's name for them.
SEED_CODES = {
    "1.2": "coordinated", "2.1": "follow_ups", "3.1": "questions", "4.1": "employment", "4.2": "labour_law",
    "4.3": "reserved", "4.4": "traineeships", "4.7": "environmental", "4.8": "env_management", "4.9": "reuse",
    "4.10": "climate_transport", "4.11": "climate_other", "4.12": "chemicals", "4.13": "organic", "4.14": "local",
    "5.1": "activities", "5.2": "bids_regional", "5.3": "awarded_regional", "5.5": "bids_per_procurement",
    "6.1": "innovative", "8.2": "on_time", "8.8": "appeals", "8.9": "cancelled", "8.10": "terminated",
}
# Where the seed gives no value for a history year, a plausible one: the number of food procurements;
# 4.8 before 2023; 4.10 and 4.11 before 2024, when they were one combined measure (split here:
# 13 + 10 = 23 % in 2021, 11 + 8 = 19 % in 2022, 14 + 10 = 24 % in 2023); 6.1 in 2021. 8.9 and 8.10,
# given for 2021–2022 only, are drawn for the other years (profile_for).
NOT_IN_SEED = {
    2021: dict(food=9, env_management=18, climate_transport=13, climate_other=10, innovative=7),
    2022: dict(food=8, env_management=27, climate_transport=11, climate_other=8),
    2023: dict(food=10, climate_transport=14, climate_other=10),
    2024: dict(food=7),
}
FOOD_SHARES = ["organic", "local"]
SHARES = ["coordinated", "employment", "environmental", "env_management", "reuse", "climate_transport",
          "climate_other", "chemicals", "bids_regional", "awarded_regional", "on_time"]
COUNTS = ["follow_ups", "labour_law", "traineeships", "activities", "innovative"]


def seed_history(plan):
    """{year: {profile name: value}}: the seed's values for the history years, from the plan's indicators."""
    history = {year: {} for year in HISTORY_YEARS}
    for indicator in plan["indicators"]:
        name = SEED_CODES.get(indicator["code"])
        for row in indicator["values"] if name else []:
            if row["year"] in history:
                history[row["year"]][name] = row["value"]
    return history


def year_profiles(years, seed, rng):
    """The profile of each year, drawn in the order of the years; the lead-in year takes the first year's."""
    profiles = {year: profile_for(year, seed, rng) for year in years}
    profiles[years[0] - 1] = profiles[years[0]]
    return profiles


def profile_for(year, seed, rng):
    """The profile of `year`: the history, or the nearest year of it with a little variation."""
    first, last = HISTORY_YEARS[0], HISTORY_YEARS[-1]
    if first <= year <= last:
        values = _history_year(seed, year)
    else:
        values = _varied(_history_year(seed, first if year < first else last), rng)
    for name, low, high in (("cancelled", 7, 12), ("terminated", 0, 3)):
        if name not in seed.get(year, {}):
            values[name] = rng.randint(low, high)
    new = year >= 2025  # the indicators that are new in the 2025 plan
    values.update(
        negotiations=max(6, 12 + 4 * (year - 2021)),
        bidders_contacted=(28 if year == 2025 else 32) if new else 5,
        preparedness=(10 if year == 2025 else 18) if new else 0,
        welfare_risk=rng.randint(6, 10) if new else 0,
        accessibility=20 if year >= 2024 else 10,
        gender_equality=10 if year >= 2024 else 5,
    )
    return YearProfile(**values)


def _history_year(seed, year):
    """The seed's values of `year`, completed with NOT_IN_SEED.

    4.13 and 4.14 are shares of a handful of food procurements, which the seed rounds (88 % is 7 of 8):
    the profile takes the whole number of them as the share, the same at any scale.
    """
    values = {**NOT_IN_SEED[year], **seed[year]}
    for name in FOOD_SHARES:
        values[name] = round(values["food"] * values[name] / 100) / values["food"] * 100
    return values


def _varied(values, rng):
    for name in SHARES:
        values[name] = min(99.0, max(1.0, values[name] + rng.uniform(-2.5, 2.5)))
    for name in COUNTS:
        values[name] = round(values[name] * rng.uniform(0.88, 1.05))
    values["questions"] = round(values["questions"] + rng.uniform(-0.6, 0.4), 1)
    values["bids_per_procurement"] = round(values["bids_per_procurement"] + rng.uniform(-0.2, 0.3), 1)
    values["food"] = rng.randint(7, 10)
    values["appeals"] = rng.randint(3, 9)
    return values
