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

from nämndplan.models import Municipality
from procurement.models import (
    Bid,
    Category,
    CompetenceEffort,
    Contract,
    ContractFollowUp,
    InformationActivity,
    MunicipalityDialogue,
    Procurement,
    Supplier,
    UhmLevel,
)

D = datetime.date


def build_register():
    m = {x.name: x for x in Municipality.objects.all()}
    k1 = Category.objects.create(
        name="K1", strategy_adopted_on=D(2025, 3, 1), innovation_need_identified_on=D(2026, 2, 1),
        digital_potential_identified_on=D(2025, 5, 1),
    )
    Category.objects.create(name="K2", strategy_adopted_on=D(2026, 6, 1))
    Category.objects.create(name="K3")
    s1 = Supplier.objects.create(name="Dala Städ AB", org_number="556016-0680", regional=True)
    s2 = Supplier.objects.create(name="Falu Bygg AB", org_number="556036-0793", regional=True)
    s3 = Supplier.objects.create(name="Rikslev AB", org_number="212000-0142")
    s4 = Supplier.objects.create(name="Nordgross AB", org_number="556677-8899")

    def procurement(case, municipalities, bids=(), **fields):
        p = Procurement.objects.create(case_number=case, title=f"Upphandling {case}", category=k1, **fields)
        p.municipalities.set([m[name] for name in municipalities])
        for supplier, awarded, disqualified in bids:
            Bid.objects.create(procurement=p, supplier=supplier, awarded=awarded, disqualified=disqualified)
        return p

    completed = Procurement.Status.COMPLETED
    p1 = procurement(
        "P1", ["Falun", "Borlänge"], [(s1, True, False), (s2, False, False), (s3, False, False)],
        status=completed, advertised_on=D(2026, 2, 1), awarded_on=D(2026, 4, 1), completed_on=D(2026, 4, 15),
        employment_requirement=True, environmental_requirement=True, env_management_level=UhmLevel.AVANCERAD,
        reuse_level=UhmLevel.BAS, chemicals_level=UhmLevel.SPJUTSPETS, questions_received=10,
        negotiation_held=True, negotiation_saving_sek=100000, bidders_contacted=True, traineeships=2,
        innovative_solution=True, in_procurement_plan=True, planned_completion=D(2026, 5, 1),
    )
    procurement(
        "P2", ["Falun"], [(s3, True, False), (s4, False, True)],
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
        "P5", ["Falun", "Avesta"], [(s2, True, False)], status=completed, advertised_on=D(2025, 11, 1),
        awarded_on=D(2025, 12, 20), completed_on=D(2026, 1, 20),
    )
    p6 = procurement(
        "P6", ["Falun"], [(s4, True, False)], status=completed, advertised_on=D(2025, 3, 1),
        awarded_on=D(2025, 5, 1), completed_on=D(2025, 6, 1),
    )
    c1 = Contract.objects.create(number="A1", title="Städ", procurement=p1, supplier=s1, contract_class="A",
                                 start_date=D(2026, 5, 1))
    c1.municipalities.set([m["Falun"], m["Borlänge"]])
    c2 = Contract.objects.create(number="A2", title="Livsmedel", procurement=p6, supplier=s4, contract_class="C",
                                 start_date=D(2025, 7, 1), terminated_on=D(2026, 3, 1),
                                 termination_reason="Hävt: leveransproblem")
    c2.municipalities.set([m["Falun"]])
    for contract, date, form in [(c1, D(2026, 6, 1), "meeting"), (c1, D(2026, 9, 1), "meeting"),
                                 (c2, D(2025, 8, 1), "email"), (c2, D(2026, 2, 1), "phone")]:
        ContractFollowUp.objects.create(contract=contract, date=date, form=form)
    a1 = InformationActivity.objects.create(date=D(2026, 3, 5), kind="dialogue", title="Tidig dialog städ")
    a1.municipalities.set([m["Falun"]])
    InformationActivity.objects.create(date=D(2026, 10, 5), kind="rfi", title="RFI fordon")
    for name, date in [("Falun", D(2026, 3, 10)), ("Falun", D(2026, 9, 10)), ("Borlänge", D(2026, 10, 5))]:
        CompetenceEffort.objects.create(date=date, municipality=m[name], title="Avtalstrohet")
    for name, kind in [("Falun", "plan_remiss"), ("Borlänge", "plan_remiss"), ("Avesta", "plan_remiss"),
                       ("Falun", "preparedness")]:
        MunicipalityDialogue.objects.create(date=D(2026, 11, 1), municipality=m[name], kind=kind)
