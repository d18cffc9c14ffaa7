"""A small hand-built register whose indicator values are worked out by hand in the tests.

2026 (see tests/test_indicator_computations.py for the arithmetic):
  P1 adv 02-01, completed 04-15, Falun+Borlänge, 3 bids (S1 regional awarded, S2 regional, S3)
  P2 adv 03-01, completed 06-20, Falun, food, 2 bids (S3 awarded, S4 disqualified)
  P3 adv 05-10, still advertised, Avesta+Borlänge+Falun, food, reserved, welfare-crime risk
  P4 adv 01-15, appealed 02-01, cancelled 02-10, Borlänge
  P5 adv 2025-11-01, completed 2026-01-20, Falun+Avesta, 1 bid (S2 regional awarded)
  P6 adv 2025-03-01, completed 2025-06-01, Falun, 1 bid (S4 awarded)
"""

import datetime

from procurement.models import Procurement, UhmLevel
from tests.factories import (
    CategoryFactory,
    CompetenceEffortFactory,
    ContractFactory,
    ContractFollowUpFactory,
    InformationActivityFactory,
    MunicipalityDialogueFactory,
    ProcurementFactory,
    SupplierFactory,
)

D = datetime.date


def build_register():
    k1 = CategoryFactory(
        name="K1", strategy_adopted_on=D(2025, 3, 1), innovation_need_identified_on=D(2026, 2, 1),
        digital_potential_identified_on=D(2025, 5, 1),
    )
    CategoryFactory(name="K2", strategy_adopted_on=D(2026, 6, 1))
    CategoryFactory(name="K3")
    s1 = SupplierFactory(name="Dala Städ AB", org_number="556016-0680", regional=True)
    s2 = SupplierFactory(name="Falu Bygg AB", org_number="556036-0793", regional=True)
    s3 = SupplierFactory(name="Rikslev AB", org_number="212000-0142")
    s4 = SupplierFactory(name="Nordgross AB", org_number="556677-8899")

    def procurement(case, municipalities, **fields):
        return ProcurementFactory(case_number=case, category=k1, municipalities=municipalities, **fields)

    completed = Procurement.Status.COMPLETED
    p1 = procurement(
        "P1", ["Falun", "Borlänge"], bids=[s1, s2, s3], bids__awarded=[s1],
        status=completed, advertised_on=D(2026, 2, 1), awarded_on=D(2026, 4, 1), completed_on=D(2026, 4, 15),
        employment_requirement=True, environmental_requirement=True, env_management_level=UhmLevel.AVANCERAD,
        reuse_level=UhmLevel.BAS, chemicals_level=UhmLevel.SPJUTSPETS, questions_received=10,
        negotiation_held=True, negotiation_saving_sek=100000, bidders_contacted=True, traineeships=2,
        innovative_solution=True, in_procurement_plan=True, planned_completion=D(2026, 5, 1),
    )
    procurement(
        "P2", ["Falun"], bids__awarded=[s3], bids__disqualified=[s4],
        status=completed, advertised_on=D(2026, 3, 1), awarded_on=D(2026, 6, 1), completed_on=D(2026, 6, 20),
        environmental_requirement=True, reuse_level=UhmLevel.AVANCERAD, questions_received=4, is_food=True,
        organic_food_requirement=True, labour_law_conditions=True, preparedness_requirement=True,
        in_procurement_plan=True, planned_completion=D(2026, 6, 1),
    )
    procurement(
        "P3", ["Avesta", "Borlänge", "Falun"], status=Procurement.Status.ADVERTISED, advertised_on=D(2026, 5, 10),
        reserved=True, welfare_crime_risk=True, supplier_checks=2, welfare_actions=1,
        accessibility_requirement=True, gender_equality_requirement=True, questions_received=7, is_food=True,
        organic_food_requirement=True, local_food_requirement=True,
    )
    procurement(
        "P4", ["Borlänge"], status=Procurement.Status.CANCELLED, advertised_on=D(2026, 1, 15),
        cancelled_on=D(2026, 2, 10), cancellation_reason="Inga anbud", appealed_on=D(2026, 2, 1),
        appeal_outcome=Procurement.AppealOutcome.REJECTED,
    )
    procurement(
        "P5", ["Falun", "Avesta"], bids__awarded=[s2], status=completed, advertised_on=D(2025, 11, 1),
        awarded_on=D(2025, 12, 20), completed_on=D(2026, 1, 20),
    )
    p6 = procurement(
        "P6", ["Falun"], bids__awarded=[s4], status=completed, advertised_on=D(2025, 3, 1),
        awarded_on=D(2025, 5, 1), completed_on=D(2025, 6, 1),
    )
    c1 = ContractFactory(number="A1", title="Städ", procurement=p1, supplier=s1, contract_class="A",
                         start_date=D(2026, 5, 1), municipalities=["Falun", "Borlänge"])
    c2 = ContractFactory(number="A2", title="Livsmedel", procurement=p6, supplier=s4, contract_class="C",
                         start_date=D(2025, 7, 1), terminated_on=D(2026, 3, 1),
                         termination_reason="Hävt: leveransproblem", municipalities=["Falun"])
    for contract, date, form in [(c1, D(2026, 6, 1), "meeting"), (c1, D(2026, 9, 1), "meeting"),
                                 (c2, D(2025, 8, 1), "email"), (c2, D(2026, 2, 1), "phone")]:
        ContractFollowUpFactory(contract=contract, date=date, form=form)
    InformationActivityFactory(date=D(2026, 3, 5), kind="dialogue", title="Tidig dialog städ", municipalities=["Falun"])
    InformationActivityFactory(date=D(2026, 10, 5), kind="rfi", title="RFI fordon")
    for name, date in [("Falun", D(2026, 3, 10)), ("Falun", D(2026, 9, 10)), ("Borlänge", D(2026, 10, 5))]:
        CompetenceEffortFactory(date=date, municipality=name, title="Avtalstrohet")
    for name, kind in [("Falun", "plan_remiss"), ("Borlänge", "plan_remiss"), ("Avesta", "plan_remiss"),
                       ("Falun", "preparedness")]:
        MunicipalityDialogueFactory(date=D(2026, 11, 1), municipality=name, kind=kind)
    adopt_plans()


def adopt_plans():
    """The register's planned procurements (in_procurement_plan, planned_completion) as adopted plans per
    year, on time only by the adopted day itself, so 8.2 is as worked out above (procurement/planning)."""
    from procurement.planning.legacy import plans_from_register
    from procurement.planning.models import PlannedProcurement, ProcurementPlan, Tolerance

    return plans_from_register(Procurement, ProcurementPlan, PlannedProcurement, tolerance=Tolerance.SAME_DAY)
