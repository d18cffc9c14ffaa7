"""Every computed indicator on a small hand-built register (tests/register_world.py).

The expected numbers are worked out by hand in the comments.
"""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from indicators.calculation import compute_all
from indicators.definitions import DEFINITIONS
from indicators.results import indicator_results
from nämndplan.models import Municipality
from tests.factories import CategoryFactory, EconomicReportFactory, IndicatorValueFactory, ProcurementFactory
from tests.register_world import build_register

pytestmark = pytest.mark.django_db
END_2026 = datetime.date(2026, 12, 31)


@pytest.fixture
def register(plan):
    build_register()


def values(as_of=END_2026, year=2026, municipality=None):
    results = compute_all(as_of=as_of, years=[2024, 2025, 2026], municipality=municipality)
    return {code: (by_year[year].value if year in by_year else "absent") for code, by_year in results.items()}


def test_full_year_2026_worked_out_by_hand(register):
    v = values()
    # Advertised in 2026: P1, P2, P3, P4 = 4.
    assert v["3.1"] == Decimal("5.3")  # questions (10 + 4 + 7 + 0) / 4 = 5,25 → 5,3
    assert v["4.1"] == Decimal("25.0")  # sysselsättningskrav: P1 → 1 / 4
    assert v["4.2"] == 1  # arbetsrättsliga villkor: P2
    assert v["4.3"] == 1  # reserved: P3
    assert v["4.5"] == 1 and v["4.6"] == 1  # P3
    assert v["4.7"] == Decimal("50.0")  # environmental: P1, P2 → 2 / 4
    assert v["4.8"] == Decimal("25.0")  # miljöledning avancerad: P1
    assert v["4.9"] == Decimal("25.0")  # återbruk avancerad: P2 (P1 only bas)
    assert v["4.10"] == Decimal("0.0") and v["4.11"] == Decimal("0.0")
    assert v["4.12"] == Decimal("25.0")  # kemikalier spjutspets: P1
    assert v["4.13"] == Decimal("100.0")  # food P2, P3: both organic
    assert v["4.14"] == Decimal("50.0")  # food P2, P3: P3 local
    assert v["7.3"] == 1  # beredskapskrav: P2
    assert (v["3.4"], v["3.5"], v["3.6"]) == (1, 2, 1)  # P3: risk, 2 checks, 1 action
    # Completed in 2026: P1, P2, P5 = 3.
    assert v["1.2"] == Decimal("66.7")  # coordinated: P1 (2 kommuner), P5 (2) → 2 / 3
    assert v["2.3"] == 1 and v["2.4"] == 100000  # negotiation in P1
    assert v["3.2"] == 1  # bidders contacted: P1
    assert v["4.4"] == 2  # traineeships: P1
    assert v["6.1"] == 1  # innovative: P1
    # Bids in completed 2026: P1 3, P2 2, P5 1 = 6; regional S1, S2 (P1), S2 (P5) = 3.
    assert v["5.2"] == Decimal("50.0")
    assert v["5.3"] == Decimal("66.7")  # awarded: S1, S3, S2 → regional S1, S2 = 2 / 3
    assert v["5.5"] == Decimal("2.0")  # 6 bids / 3 completed
    # Other sources.
    assert v["2.1"] == 3  # follow-ups 2026: A1 ×2, A2 ×1 (A2's 2025 one not counted)
    assert v["5.1"] == 2  # information activities
    assert v["2.2"] == 2  # competence efforts reached Falun and Borlänge
    assert v["7.1"] == 3 and v["7.2"] == 1  # remiss: Falun, Borlänge, Avesta; preparedness: Falun
    assert v["1.3"] == 2 and v["6.2"] == 1 and v["6.3"] == 1  # K1, K2 strategy; K1 innovation, digital
    assert v["8.2"] == Decimal("50.0")  # planned 2026: P1 on time, P2 late (06-20 > 06-01)
    assert v["8.8"] == 1 and v["8.9"] == 1  # P4 appealed and cancelled
    assert v["8.10"] == 1  # A2 terminated 2026-03-01


def test_every_definition_is_covered_by_the_hand_built_register(register):
    assert set(values()) == set(DEFINITIONS)


def test_numerators_and_denominators_are_kept(register):
    result = compute_all(as_of=END_2026, years=[2026])
    assert (result["1.2"][2026].numerator, result["1.2"][2026].denominator) == (2, 3)
    assert (result["4.13"][2026].numerator, result["4.13"][2026].denominator) == (2, 2)
    assert (result["5.3"][2026].numerator, result["5.3"][2026].denominator) == (2, 3)
    assert result["2.1"][2026].denominator is None


def test_year_to_date_at_a_meeting_on_30_april(register):
    v = values(as_of=datetime.date(2026, 4, 30))
    assert v["4.1"] == Decimal("33.3")  # advertised by 30/4: P1, P2, P4 → 1 / 3
    assert v["3.1"] == Decimal("4.7")  # (10 + 4 + 0) / 3
    assert v["1.2"] == Decimal("100.0")  # completed by 30/4: P1, P5, both coordinated
    assert v["2.1"] == 1  # A2's follow-up of 1 February
    assert v["2.2"] == 1  # Falun in March
    assert v["8.2"] is None  # nothing planned to be done by 30/4: no base, no value
    assert v["7.1"] == 0


def test_earlier_years_are_whole_at_a_cut_off(register):
    v = values(as_of=datetime.date(2026, 4, 30), year=2025)
    assert v["1.2"] == Decimal("0.0")  # 2025 completed: P6 (Falun only)
    assert v["2.1"] == 1 and v["5.5"] == Decimal("1.0")
    assert v["1.3"] == 1  # K1's strategy of March 2025


def test_per_municipality(register):
    falun = Municipality.objects.get(name="Falun")
    borlange = Municipality.objects.get(name="Borlänge")
    gagnef = Municipality.objects.get(name="Gagnef")
    f, b, g = values(municipality=falun), values(municipality=borlange), values(municipality=gagnef)
    assert f["1.2"] == Decimal("66.7")  # Falun's completed: P1, P2, P5; coordinated P1, P5
    assert b["1.2"] == Decimal("100.0")  # Borlänge's completed: P1
    assert g["1.2"] == "absent"  # Gagnef has nothing in the register
    assert f["2.1"] == 3 and b["2.1"] == 2  # A1 covers both, A2 only Falun
    assert f["5.2"] == Decimal("50.0") and b["5.2"] == Decimal("66.7")  # Borlänge: P1's 3 bids, 2 regional
    assert f["2.2"] == 1 and b["2.2"] == 1
    assert f["7.2"] == 1 and b["7.2"] == 0
    assert "1.3" not in f  # categories are not per municipality


def test_a_year_without_register_data_has_no_computed_value(register):
    assert values(year=2024)["1.2"] == "absent"


def test_an_empty_base_gives_no_value_not_zero(plan):
    ProcurementFactory(case_number="X1", title="Bara annonserad", category=CategoryFactory(name="K"),
                       status="advertised", advertised_on=datetime.date(2026, 3, 1))
    v = values()
    assert v["4.1"] == Decimal("0.0")  # one advertised, none with the requirement
    assert v["1.2"] is None  # nothing completed: a share of nothing is no value
    assert v["5.5"] is None


def _queries(**kwargs):
    with CaptureQueriesContext(connection) as ctx:
        compute_all(**kwargs)
    return len(ctx.captured_queries)


def test_the_number_of_queries_does_not_grow_with_the_register(register):
    from procurement.models import Procurement

    small = _queries(as_of=END_2026, years=list(range(2021, 2027)))
    # Triple the register: every procurement copied twice under new case numbers.
    for p in list(Procurement.objects.all()):
        for i in range(2):
            municipalities = list(p.municipalities.all())
            p.pk, p.case_number = None, f"{p.case_number}-{i}"
            p.save()
            p.municipalities.set(municipalities)
    assert Procurement.objects.count() == 18
    assert _queries(as_of=END_2026, years=list(range(2021, 2027))) == small
    assert small <= 18  # one grouped query per source (the supplier-check ledger adds two)


def test_results_prefer_recorded_history_and_compute_register_years(register, plan):
    series = indicator_results(plan, as_of=END_2026)
    coordinated = series["1.2"]
    assert coordinated.for_year(2024).value == Decimal("56")  # the seed's history stays
    assert coordinated.for_year(2024).origin == "recorded"
    assert coordinated.for_year(2026).value == Decimal("66.7")  # computed from the register
    assert coordinated.for_year(2026).origin == "computed"
    assert coordinated.for_year(2026).status == "met"  # 66,7 >= 60 (the 2026 target)
    assert coordinated.for_year(2025).value == Decimal("0.0")  # 2025 register: P6 alone
    assert series["8.9"].for_year(2023).value is None  # "?" in the seed and no register data
    assert series["1.1"].for_year(2026).status == "no_value"  # NKI not yet reported


def test_the_start_page_statuses_come_from_the_computation(register, member_client):
    from django.urls import reverse

    response = member_client.get(reverse("dashboards:home"))
    latest = {ind.code: res for g in response.context["goals"] for ind, res in g["rows"]}
    assert latest["1.2"].year == 2026 and latest["1.2"].origin == "computed"


def test_a_meeting_in_may_judges_the_year_so_far_and_the_full_year_once_it_is_over(register, plan):
    may = indicator_results(plan, as_of=datetime.date(2026, 5, 20))["2.1"].for_year(2026)
    assert may.to_date and may.value == 1  # one follow-up by 20 May (A2, 1 February)
    assert may.expected == Decimal("95.9")  # 250 × 140/365
    assert may.status == "off_track"
    after = indicator_results(plan, as_of=datetime.date(2027, 1, 10), years=[2025, 2026])["2.1"].for_year(2026)
    assert not after.to_date and after.value == 3 and after.status == "not_met"


def test_ekonomi_i_balans_from_the_prognosis_against_the_budget(plan):
    # Prognosis: income 22 675 + 1 084 + 1 200 = 24 959; costs 20 500 + 1 084 + 2 800 = 24 384; result 575.
    prognosis = {"Enligt avtal deltagande kommuner": 22675, "Enligt avtal bolag samt kommunalförbund": 1084,
                 "Intäkter upphandlingsstöd": 1200, "Personalkostnader": 20500,
                 "Personalkostnader bolag/kommunalförbund": 1084, "Övriga omkostnader": 2800}
    EconomicReportFactory(plan=plan, as_of=datetime.date(2026, 8, 31),
                          lines=lambda line: (prognosis[line.name] * 2 // 3, prognosis[line.name]))
    result = indicator_results(plan, as_of=datetime.date(2026, 9, 15))["8.1"].for_year(2026)
    # Budgeted result (bilaga 2 as written): 24 859 − 23 859 = 1 000 tkr. Prognosis 575 → deviation −425 tkr,
    # −425 / 24 859 (budgeted income) = −1,71 % → −1,7 %, inside ±3,0 %.
    assert result.value == Decimal("-1.7")
    assert (result.numerator, result.denominator) == (-425, 24859)
    assert result.status == "on_track"
    before = indicator_results(plan, as_of=datetime.date(2026, 8, 30))["8.1"].for_year(2026)
    assert before.value is None  # no economic report yet by 30 August
    assert indicator_results(plan, as_of=datetime.date(2026, 9, 15))["8.1"].for_year(2024).value == Decimal("2.1")


@pytest.mark.django_db
def test_the_memo_serves_repeats_without_queries_and_never_a_stale_value(register, settings):
    from django.core.cache import cache

    from procurement.models import Procurement

    settings.INDICATOR_CACHE = True
    cache.clear()
    first = _queries(as_of=END_2026, years=[2026])
    assert first > 5
    assert _queries(as_of=END_2026, years=[2026]) == 1  # only the data version is read
    p3 = Procurement.objects.get(case_number="P3")
    p3.employment_requirement = True
    p3.save()
    # A save gives a new version: recomputed, and 4.1 now counts P1 and P3 of the 4 advertised.
    assert compute_all(as_of=END_2026, years=[2026])["4.1"][2026].value == Decimal("50.0")


def test_a_municipality_is_judged_on_shares_but_not_on_the_committees_counts(register, plan):
    falun = Municipality.objects.get(name="Falun")
    series = indicator_results(plan, as_of=END_2026, municipality=falun)
    assert series["1.2"].for_year(2026).status == "met"  # 66,7 % against "minst 60 %"
    assert series["2.1"].for_year(2026).value == 3
    assert series["2.1"].for_year(2026).status == "no_target"  # "minst 250" is for all seven together
    assert series["2.2"].for_year(2026).status == "no_target"


def test_a_prognosis_exactly_on_budget_is_in_balance(plan):
    EconomicReportFactory(plan=plan, as_of=datetime.date(2026, 12, 31),
                          lines=lambda line: (line.amount_tkr, line.amount_tkr))
    result = indicator_results(plan, as_of=datetime.date(2027, 1, 15))["8.1"].for_year(2026)
    assert result.value == Decimal("0.0") and result.status == "met"


def test_the_target_is_judged_on_the_unrounded_share(plan):
    from procurement.models import Procurement

    category = CategoryFactory(name="K")
    # 2 000 advertised, 999 with sysselsättningskrav: 49,95 % shows as 50,0 but is not "minst 50 %".
    Procurement.objects.bulk_create([
        Procurement(case_number=f"R{i}", title="R", category=category, status="advertised",
                    advertised_on=datetime.date(2025, 3, 1), employment_requirement=i < 999)
        for i in range(2000)
    ])
    result = indicator_results(plan, as_of=datetime.date(2026, 1, 10))["4.1"].for_year(2025)
    assert result.value == Decimal("50.0")
    assert result.status == "not_met"


def test_a_municipalitys_hand_reported_value_is_not_the_committees(plan):
    from indicators.models import Indicator

    IndicatorValueFactory(code="5.4", year=2026, municipality="Falun", value=Decimal("3.1"))
    series = indicator_results(plan, as_of=datetime.date(2026, 12, 31), indicators=[
        Indicator.objects.with_targets_and_values().get(code="5.4")])["5.4"]
    assert series.for_year(2026).value is None  # only Falun reported; the committee has no value


def test_a_tertial_value_is_judged_at_the_tertials_end(plan):
    # 8.6 "minst 80 timmar per anställd": 27 h reported for January–April. At the end of April
    # 80 × 120/365 = 26,3 h were expected: on track, even at a meeting on 20 May (30,7 by then).
    IndicatorValueFactory(code="8.6", year=2026, period="t1", value=27)
    result = indicator_results(plan, as_of=datetime.date(2026, 5, 20))["8.6"].for_year(2026)
    assert result.value == 27 and result.expected == Decimal("26.3")
    assert result.status == "on_track"


def test_the_records_behind_each_number_agree_with_it(register):
    """An independent count: the drill-down's records give the same numerator and denominator."""
    from indicators.definitions import COUNT, SHARE

    results = compute_all(as_of=END_2026, years=[2026])
    checked = 0
    for code, definition in DEFINITIONS.items():
        measure = results[code].get(2026)
        if measure is None or definition.measure not in (COUNT, SHARE) or definition.source.key == "economy":
            continue
        assert definition.records(2026, END_2026).count() == measure.numerator, code
        if definition.measure == SHARE:
            assert definition.records(2026, END_2026, numerator=False).count() == measure.denominator, code
        checked += 1
    assert checked >= 25
    # And 5.5's denominator is the completed procurements (3), not the bids (6).
    assert DEFINITIONS["5.5"].records(2026, END_2026, numerator=False).count() == 3
    assert DEFINITIONS["1.3"].records(2025, datetime.date(2025, 12, 31)).count() == 1  # K2's is from 2026


def test_the_drill_down_page_lists_the_procurements_behind_a_share(register, member_client):
    from django.urls import reverse

    response = member_client.get(reverse("indicators:indicator_records", args=["4.13", 2026]), {"till": "2026-12-31"})
    page = response.content.decode()
    assert response.context["numerator_total"] == 2 and response.context["denominator_total"] == 2
    assert "P2" in page and "P3" in page and "P1 " not in page
