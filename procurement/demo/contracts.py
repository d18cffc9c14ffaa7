"""Contracts: one per awarded bid of a completed procurement, and those still in force from before the
register; their terminations and follow-ups."""

import datetime
import math
from dataclasses import dataclass

from procurement.demo.bids import awarded_count
from procurement.demo.chance import ONE_DAY, add_years, year_end, year_start
from procurement.demo.procurements import Status
from procurement.demo.reference import CATEGORIES, FOOD, draw_category
from procurement.models import ContractFollowUp

TERMINATION_REASONS = [
    "Hävning på grund av väsentligt avtalsbrott (upprepade leveransbrister).",
    "Leverantören försattes i konkurs.",
    "Uppsägning efter att leverantören brustit i arbetsrättsliga villkor.",
    "Hävning efter att leverantören inte betalat skatter och avgifter.",
    "Leverantören begärde uppsägning; avtalet avslutades i samförstånd.",
]
FOLLOW_UP_NOTES = [
    "Genomgång av leveransprecision och reklamationer.",
    "Avstämning av priser och indexjustering.",
    "Uppföljning av hållbarhetskraven i avtalet.",
    "Kontroll av att sysselsättningskravet uppfylls.",
    "Genomgång av köpstatistik och avtalstrohet.",
    "Inga avvikelser noterade.",
    "Diskussion om sortiment och nya produkter.",
    "Uppföljning av arbetsrättsliga villkor hos underleverantörer.",
    "Leverantören informerade om organisationsförändringar.",
    "Kvalitetsmöte med kommunernas referensgrupp.",
]
FOLLOW_UP_ACTIONS = [
    "Leverantören återkommer med en handlingsplan.",
    "Ny avstämning om tre månader.",
    "Påpekande om leveransförseningar skickat till leverantören.",
    "Vite aviserat enligt avtalet.",
    "Kommunerna informeras om rätt beställningsväg.",
]
CRITICAL = [FOOD, "Vård och omsorg", "IT och telekom", "Energi och miljö"]  # more A and B contracts


@dataclass(eq=False)
class DraftContract:
    """A contract while it is being made up, before it becomes a model instance."""

    number: str
    title: str
    supplier: int  # index into the suppliers
    municipalities: list  # indexes into the municipalities
    contract_class: str
    start: datetime.date
    end: datetime.date
    value: float
    proc: object = None  # the DraftProcurement, or None for a contract from before the register
    terminated: datetime.date | None = None
    reason: str = ""
    pk: int | None = None


def draw_contracts(world, procs):
    """The contracts of the completed procurements, then those in force on 1 January of the first year."""
    return _procurement_contracts(world, procs) + _legacy_contracts(world)


def _procurement_contracts(world, procs):
    chance = world.chance
    contracts = []
    for proc in procs:
        if proc.status != Status.COMPLETED:
            continue
        start = chance.after(proc.completed, 0, 45)
        start = start if start <= chance.horizon else proc.completed
        awarded = [supplier for supplier, _disqualified, is_awarded in proc.bids if is_awarded]
        for number, supplier in enumerate(awarded, start=1):
            contracts.append(_contract(
                chance.rng, f"AVT {proc.case_number.split(' ', 1)[1]}-{number}", proc.title, supplier,
                proc.municipalities, proc.category, start, proc,
            ))
    return contracts


def _legacy_contracts(world):
    """Contracts still in force on 1 January of the first year, from procurements before the register."""
    chance, rng = world.chance, world.chance.rng
    first = year_start(world.years[0])
    contracts, number = [], 0
    for year in range(world.years[0] - 4, world.years[0]):
        for _ in range(chance.scaled(200)):
            category = draw_category(rng)
            title = rng.choice(CATEGORIES[category][2])
            municipalities = world.reference.commissioning(rng, rng.random() < 0.58)
            start = chance.date_between(year_start(year), year_end(year))
            for _ in range(awarded_count(rng)):
                regional = rng.random() < 0.55
                supplier = rng.choice(world.suppliers.pools[category][regional])
                number += 1
                contract = _contract(rng, f"AVT {year}-{number:04d}", title, supplier, municipalities, category,
                                     start, None)
                if contract.end >= first:
                    contracts.append(contract)
    return contracts


def _contract(rng, number, title, supplier, municipalities, category, start, proc):
    critical = CATEGORIES[category][0] in CRITICAL
    contract_class = rng.choices("ABCD", weights=[16, 30, 32, 22] if critical else [6, 20, 38, 36])[0]
    years = rng.choice([2, 3, 3, 4, 4])
    value = round(rng.lognormvariate(math.log(900_000), 1.2), -4)
    return DraftContract(number=number, title=title[:250], supplier=supplier, municipalities=municipalities,
                         contract_class=contract_class, start=start, end=add_years(start, years) - ONE_DAY,
                         value=value, proc=proc)


def _active_in(chance, contracts, year):
    low, high = year_start(year), min(year_end(year), chance.horizon)
    return [c for c in contracts if c.start <= high and (c.terminated or c.end) >= low]


def draw_terminations(world, contracts):
    """The year's number of contracts ended early (8.10), from those in force in the year."""
    chance = world.chance
    for year in world.years:
        active = [c for c in _active_in(chance, contracts, year) if c.terminated is None]
        for contract in chance.up_to(active, chance.scaled(world.profiles[year].terminated)):
            low = max(contract.start + datetime.timedelta(days=30), year_start(year))
            high = min(contract.end - ONE_DAY, year_end(year))
            if low <= high:
                day = chance.date_between(low, high)
                if day <= chance.horizon:
                    contract.terminated = day
                    contract.reason = chance.rng.choice(TERMINATION_REASONS)


def draw_follow_ups(world, contracts):
    """The year's number of follow-ups, A and B contracts (followed up in meetings) more often."""
    chance = world.chance
    follow_ups = []
    weight_of = {"A": 4.0, "B": 3.0, "C": 1.0, "D": 0.6}
    for year in world.years:
        active = _active_in(chance, contracts, year)
        if not active:
            continue
        chosen = chance.rng.choices(active, weights=[weight_of[c.contract_class] for c in active],
                                    k=chance.scaled(world.profiles[year].follow_ups))
        for contract in chosen:
            low = max(contract.start, year_start(year))
            high = min(contract.terminated or contract.end, year_end(year))
            day = chance.date_between(low, high)
            if day > chance.horizon:
                continue
            follow_ups.append((contract, day, _follow_up_form(chance.rng, contract.contract_class)))
    return follow_ups


def _follow_up_form(rng, contract_class):
    Form = ContractFollowUp.Form
    weights = [85, 10, 5] if contract_class in "AB" else [20, 45, 35]
    return rng.choices([Form.MEETING, Form.EMAIL, Form.PHONE], weights=weights)[0]


def follow_up_texts(rng):
    """Notes and, for one in five, actions; drawn when the follow-up is written (writing.py), as they always were."""
    notes = rng.choice(FOLLOW_UP_NOTES)
    return notes, rng.choice(FOLLOW_UP_ACTIONS) if rng.random() < 0.2 else ""
