"""Chapter 5 of the follow-up report, contract management: the follow-up plan and the end-date radar
at the report's cut-off, stored in the snapshot, shown in HTML and PDF and as two Excel sheets.

The report at the meeting of 20 May 2026 (after the year's first meeting, 18 February) covers
1 January – 20 May 2026. Default rules: A three meetings a year (due 30 April, 31 August,
31 December), B one meeting, C and D one contact by e-mail, telephone or meeting (due 31 December).

The plan's register:
- A1 (A, all year): a meeting on 10 March fulfils 30 April; 31 August and 31 December not yet due;
- A2 (A, all year): only an e-mail on 1 April, which does not count for class A: 30 April overdue;
- B1 (B, ended 31 March 2026): its one follow-up is due on its last day, 31 March: overdue;
- C1 (C, all year): a telephone contact on 1 February fulfils its one;
- nothing in class D.
So A: 2 contracts, 3 + 3 = 6 planned, 1 held, 1 overdue; B: 1, 1, 0, 1; C: 1, 1, 1, 0; D: 0;
in all 4 contracts, 8 planned, 2 held, 2 overdue. Indicator 2.1 counts all three follow-ups.

The radar's register on 20 May 2026 (horizon 20 November 2027; meetings 18 February (past), 20 May,
16 September 2026 and 17 February 2027; an item goes to the last meeting on or before its day):
- R1 (A) ends 30 June 2026, nothing replaces it: at risk, for 20 May itself (on 1 June, with no
  meeting before 30 June left, it needs a decision before the next meeting);
- R2 (B) ends 31 March 2027 with a 12-month option, 3 months' notice: decided by 31 December 2026
  (16 September); with it, it runs to 31 March 2028, beyond the horizon: not an end;
- R3 (C) ends 31 January 2027, a planned procurement replaces it: an end for 16 September, no risk;
- R4 (D) ends 30 June 2027, nothing replaces it: at risk, for 17 February 2027.
"""

import datetime
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from common.xlsx import write_workbook
from nämndplan.models import Plan
from procurement.models import Contract, ContractOption
from reports.excel import report_sheets
from reports.pdf import render_document
from reports.services import create_report, draft_snapshot, freeze_report
from reports.snapshot import _contracts, build_snapshot
from tests.factories import ContractFactory, ContractFollowUpFactory, MeetingFactory, ProcurementFactory

pytestmark = pytest.mark.django_db
D = datetime.date
MAY_20 = D(2026, 5, 20)
EARLIER_SHEETS = ["Indikatorer", "Ekonomi", "Särskilda uppdrag", "Överprövningar", "Avbrutna upphandlingar",
                  "Avtal avslutade i förtid", "Förändringar", "Rättade siffror", "Sent inrapporterat"]


@pytest.fixture(autouse=True)
def meetings(plan):
    return [MeetingFactory(date=day) for day in (D(2026, 2, 18), MAY_20, D(2026, 9, 16), D(2027, 2, 17))]


@pytest.fixture
def plan_register():
    a1 = ContractFactory(number="A1", contract_class="A", start_date=D(2025, 1, 1))
    ContractFollowUpFactory(contract=a1, date=D(2026, 3, 10), form="meeting")
    a2 = ContractFactory(number="A2", contract_class="A", start_date=D(2025, 1, 1))
    ContractFollowUpFactory(contract=a2, date=D(2026, 4, 1), form="email")
    ContractFactory(number="B1", contract_class="B", start_date=D(2024, 1, 1), end_date=D(2026, 3, 31))
    c1 = ContractFactory(number="C1", contract_class="C", start_date=D(2025, 1, 1))
    ContractFollowUpFactory(contract=c1, date=D(2026, 2, 1), form="phone")


@pytest.fixture
def radar_register():
    ContractFactory(number="R1", title="Städtjänster", contract_class="A", end_date=D(2026, 6, 30))
    r2 = ContractFactory(number="R2", contract_class="B", end_date=D(2027, 3, 31))
    ContractOption.objects.create(contract=r2, order=1, length_months=12, notice_months=3)
    r3 = ContractFactory(number="R3", contract_class="C", end_date=D(2027, 1, 31))
    ProcurementFactory(status="planned").replaces.add(r3)
    ContractFactory(number="R4", title="Kontorsmaterial", contract_class="D", end_date=D(2027, 6, 30))


def contracts(as_of=MAY_20):
    return build_snapshot(Plan.objects.current(), as_of=as_of)["contracts"]


def test_the_plan_shows_planned_against_held_and_overdue_per_class(plan_register):
    plan = contracts()["plan"]
    assert [(c["contract_class"], c["contracts"], c["planned"], c["held"], c["overdue"]) for c in plan["classes"]] \
        == [("A", 2, 6, 1, 1), ("B", 1, 1, 0, 1), ("C", 1, 1, 1, 0), ("D", 0, 0, 0, 0)]
    assert plan["total"] == {"contracts": 4, "planned": 8, "held": 2, "overdue": 2}
    assert plan["classes"][0]["forms"] == ["Möte"] and plan["classes"][2]["forms"] == ["E-post", "Telefon", "Möte"]


def test_indicator_2_1_beside_the_plan_counts_every_held_follow_up(plan_register):
    follow_ups = contracts()["follow_ups"]
    assert follow_ups["code"] == "2.1" and float(follow_ups["value"]) == 3  # A1's meeting, A2's e-mail, C1's call


def test_the_plan_is_as_of_the_cut_off(plan_register):
    # On 31 March no planned day has passed yet (B1's is that very day); on 1 April B1's has.
    plan = contracts(D(2026, 3, 31))["plan"]
    assert plan["total"] == {"contracts": 4, "planned": 8, "held": 2, "overdue": 0}
    assert contracts(D(2026, 4, 1))["plan"]["total"]["overdue"] == 1


def test_the_radar_counts_options_ends_and_risks_per_meeting(radar_register):
    radar = contracts()["radar"]
    assert radar["groups"] == [
        {"meeting": "2026-05-20", "options": 0, "ends": 1, "risks": 1},
        {"meeting": "2026-09-16", "options": 1, "ends": 1, "risks": 0},
        {"meeting": "2027-02-17", "options": 0, "ends": 1, "risks": 1},
    ]
    assert radar["total"] == {"options": 1, "ends": 3, "risks": 2}
    assert radar["at_risk"] == [
        {"number": "R1", "title": "Städtjänster", "date": "2026-06-30", "contract_class": "A",
         "meeting": "2026-05-20"},
        {"number": "R4", "title": "Kontorsmaterial", "date": "2027-06-30", "contract_class": "D",
         "meeting": "2027-02-17"},
    ]
    assert radar["at_risk_more"] == 0 and radar["horizon_months"] == 18


def test_the_radar_is_as_of_the_cut_off(radar_register):
    # On 1 June 2026 no meeting is left before R1's end; on 1 July R1 has ended.
    groups = contracts(D(2026, 6, 1))["radar"]["groups"]
    assert [(g["meeting"], g["options"], g["ends"], g["risks"]) for g in groups] == [
        (None, 0, 1, 1), ("2026-09-16", 1, 1, 0), ("2027-02-17", 0, 1, 1)]
    groups = contracts(D(2026, 7, 1))["radar"]["groups"]
    assert [g["meeting"] for g in groups] == ["2026-09-16", "2027-02-17"]


def test_at_most_25_contracts_at_risk_are_listed_and_the_rest_counted(radar_register):
    ContractFactory.create_batch(26, title="Risk", contract_class="C", end_date=D(2026, 8, 31))
    radar = contracts()["radar"]
    # R1 and R4 and 26 more: 28 at risk, 25 listed by date (R1 first), 3 more.
    assert radar["total"]["risks"] == 28
    assert len(radar["at_risk"]) == 25 and radar["at_risk"][0]["number"] == "R1"
    assert radar["at_risk_more"] == 3
    html = render_document(build_snapshot(Plan.objects.current(), as_of=MAY_20))
    assert "och 3 till." in html


def test_nothing_of_a_bid_is_in_the_section(radar_register):
    section = contracts()
    keys = {key for item in section["radar"]["at_risk"] for key in item}
    assert keys == {"number", "title", "date", "contract_class", "meeting"}


def test_the_html_shows_chapter_5_and_numbers_the_later_chapters_after_it(plan_register, radar_register):
    html = render_document(build_snapshot(Plan.objects.current(), as_of=MAY_20))
    assert '<a href="#avtalsforvaltning">5 Avtalsförvaltning</a>' in html
    assert "5.1 Planerade och genomförda avtalsuppföljningar" in html and "5.2 Slutdatumsradar" in html
    assert ">6 Personal<" in html and ">8 Avvikelser<" in html and "8.4 Avtal avslutade i förtid" in html
    assert html.index('id="uppdrag"') < html.index('id="avtalsforvaltning"') < html.index('id="personal"')
    assert "Före sammanträdet 20 maj 2026" in html and "Före sammanträdet 16 september 2026" in html
    assert "Städtjänster" in html and "Kontorsmaterial" in html
    assert "3 gånger per år (möte)" in html and "Indikator 2.1 räknar alla" in html
    assert "Före nästa sammanträde" in render_document(build_snapshot(Plan.objects.current(), as_of=D(2026, 6, 1)))


def test_a_snapshot_frozen_before_the_section_shows_none_and_keeps_its_numbers(plan_register):
    old = build_snapshot(Plan.objects.current(), as_of=MAY_20)
    del old["contracts"]
    html = render_document(old)
    assert "Avtalsförvaltning" not in html and "avtalsforvaltning" not in html
    assert ">5 Personal<" in html and ">7 Avvikelser<" in html and "7.4 Avtal avslutade i förtid" in html
    assert [sheet.title for sheet in report_sheets(old)] == EARLIER_SHEETS


def test_excel_has_the_plan_and_the_radar_as_the_last_two_sheets(plan_register, radar_register):
    workbook = load_workbook(BytesIO(write_workbook(report_sheets(contracts_snapshot()))))
    assert workbook.sheetnames == [*EARLIER_SHEETS, "Uppföljningsplan", "Slutdatumsradar"]
    plan = [list(row) for row in workbook["Uppföljningsplan"].iter_rows(values_only=True)]
    assert plan[0] == ["Avtalsklass", "Uppföljningar per år", "Former", "Avtal", "Planerade", "Genomförda",
                       "Försenade"]
    # With R1–R4 (from 1 January 2026) in the plan too: R1 (A, ends 30 June) due 30 April, overdue;
    # R2, R3 and R4 due 31 December. A: 3 contracts, 3 + 3 + 1 = 7 planned, 1 held, 2 overdue.
    assert plan[1] == ["A", 3, "Möte", 3, 7, 1, 2]
    assert plan[-1] == ["Totalt", None, None, 8, 12, 2, 3]
    radar = [list(row)[:8] for row in workbook["Slutdatumsradar"].iter_rows(values_only=True)]
    assert radar[1][:4] == [datetime.datetime(2026, 5, 20), 0, 1, 1]
    assert radar[2][4:8] == ["R1", "Städtjänster", datetime.datetime(2026, 6, 30), "A"]
    assert radar[3][:4] == [datetime.datetime(2026, 9, 16), 1, 1, 0]
    assert radar[5][4] == "R4"
    assert radar[-1][:4] == ["Totalt", 1, 3, 2]


def contracts_snapshot():
    return build_snapshot(Plan.objects.current(), as_of=MAY_20)


def test_a_full_year_report_uses_31_december(plan_register, radar_register, chief_user, meetings):
    report = create_report(meeting=meetings[0], user=chief_user)[0]  # 18 February: the full year 2025
    section = draft_snapshot(report)["contracts"]
    assert section["as_of"] == "2025-12-31"
    # 2025: A1 and A2 (3 each), B1 and C1 (1 each) in force all year, R1–R4 start in 2026; nothing held
    # in 2025. On 31 December A1's and A2's 30 April and 31 August have passed: 4 overdue.
    assert section["plan"]["total"] == {"contracts": 4, "planned": 8, "held": 0, "overdue": 4}
    # Horizon 30 June 2027, every meeting still to come: B1 (31 March 2026, at risk) under 18 February,
    # R1 (30 June 2026) under 20 May 2026, R2's option
    # (31 December 2026) and R3 (31 January 2027) under 16 September, R4 (30 June 2027) under 17 February 2027.
    assert [(g["meeting"], g["options"], g["ends"], g["risks"]) for g in section["radar"]["groups"]] == [
        ("2026-02-18", 0, 1, 1), ("2026-05-20", 0, 1, 1), ("2026-09-16", 1, 1, 0), ("2027-02-17", 0, 1, 1)]


def test_a_frozen_report_keeps_its_section_when_the_register_changes(plan_register, radar_register, chief_user,
                                                                      client, meetings):
    report = create_report(meeting=meetings[1], user=chief_user)[0]
    frozen = freeze_report(report=report, user=chief_user)
    before = frozen.snapshot["contracts"]
    assert before["radar"]["total"]["risks"] == 2

    # A procurement now replaces R1 and A2 has its meeting: the register no longer says what the report said.
    ProcurementFactory(status="planned").replaces.add(Contract.objects.get(number="R1"))
    ContractFollowUpFactory(contract=Contract.objects.get(number="A2"), date=D(2026, 5, 2))
    draft = contracts()
    assert draft["radar"]["total"]["risks"] == 1 and draft["plan"]["total"]["held"] == 3

    frozen.refresh_from_db()
    assert frozen.snapshot["contracts"] == before
    client.force_login(chief_user)
    page = client.get(reverse("reports:report_detail", args=[frozen.pk])).content.decode()
    assert "Städtjänster" in page and "5 Avtalsförvaltning" in page


def test_the_section_takes_nine_queries_whatever_the_register(plan_register, radar_register):
    with CaptureQueriesContext(connection) as small:
        _contracts(2026, MAY_20, {})
    ContractFactory.create_batch(5, contract_class="A", start_date=D(2025, 1, 1), end_date=D(2027, 1, 31))
    with CaptureQueriesContext(connection) as bigger:
        section = _contracts(2026, MAY_20, {})
    assert section["plan"]["total"]["contracts"] == 4 + 4 + 5  # A1, A2, B1, C1; R1–R4; the five new ones
    assert len(small) == len(bigger) == 9  # the plan's two; the radar's rows, meetings and listed contracts
