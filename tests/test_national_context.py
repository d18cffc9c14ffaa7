"""National context: reference figures beside the comparable indicators, with year and source, on the goal
pages and in the report; a frozen report keeps the figure it was frozen with; only a superuser edits them."""

import copy
import datetime
import importlib
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, User
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from indicators.context import reference_figures_by_code
from indicators.models import Indicator, ReferenceFigure
from nämndplan.models import Meeting
from ops.roles import CHIEF, ROLES, STAFF
from reports.pdf import render_document
from reports.services import create_report, draft_snapshot, freeze_report
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fake_pdf")]
MAY_20 = datetime.date(2026, 5, 20)
UHM_URL = "https://www.upphandlingsmyndigheten.se/nyheter/2026/antalet-annonserade-upphandlingar-okar"
GOAL_5 = reverse("dashboards:goal_detail", args=[5])
INITIAL = importlib.import_module("indicators.migrations.0008_initial_reference_figures")


def figure(**changes):
    fields = {
        "indicator_code": "5.5", "measure": "Genomsnittligt antal anbud per upphandling", "value": Decimal("4.6"),
        "unit": "average", "year": 2024, "publisher": "Upphandlingsmyndigheten",
        "source": "Upphandlingsmyndigheten, Antalet annonserade upphandlingar ökar (nyhet 5 februari 2026)",
        "definition": "Anbud per annonserad upphandling i hela landet.", "url": UHM_URL,
    }
    return ReferenceFigure.objects.create(**fields | changes)


@pytest.fixture
def only_our_figures(plan):
    """The tests' own figures, not those the migration loaded (a flushed database has none anyway)."""
    ReferenceFigure.objects.all().delete()


@pytest.fixture
def mean_bids(only_our_figures):
    return figure()


def text(response):
    return response.content.decode().replace("\xa0", " ")


# --- Goal pages ----------------------------------------------------------------------------------------

def test_a_goal_page_shows_the_figure_beside_its_indicator_with_year_and_source(member_client, mean_bids):
    page = text(member_client.get(GOAL_5))
    assert "Riket 2024: 4,6 (" in page
    assert f'<a href="{UHM_URL}" rel="external noopener">Upphandlingsmyndigheten</a>)' in page
    assert "Källa: Upphandlingsmyndigheten, Antalet annonserade upphandlingar ökar (nyhet 5 februari 2026)." in page
    beside = [panel for panel in page.split('<section class="panel"') if "Riket 2024: 4,6" in panel]
    assert len(beside) == 1 and '<span class="code">5.5</span>' in beside[0]  # in 5.5's panel, and only there


def test_a_share_is_shown_in_the_same_number_format_as_the_indicators(member_client, only_our_figures):
    figure(measure="Andel upphandlingar med endast ett anbud", value=Decimal("21"), unit="percent", year=2022)
    assert "Riket 2022: 21,0 % (" in text(member_client.get(GOAL_5))


def test_a_goal_without_comparable_indicators_shows_no_figure(member_client, mean_bids):
    assert "Riket 2024" not in text(member_client.get(reverse("dashboards:goal_detail", args=[1])))


def test_the_goal_page_reads_all_reference_figures_in_one_query(member_client, only_our_figures):
    member_client.get(GOAL_5)  # warm the per-process caches
    figure()
    with CaptureQueriesContext(connection) as one:
        member_client.get(GOAL_5)
    for code, measure in [("5.5", "Andel med ett anbud"), ("5.2", "Andel SMF"), ("5.3", "Andel SMF avtal")]:
        figure(indicator_code=code, measure=measure, unit="percent", value=Decimal("20"))
    with CaptureQueriesContext(connection) as four:
        response = member_client.get(GOAL_5)
    assert text(response).count("Riket 2024: ") == 4
    assert len(four.captured_queries) == len(one.captured_queries)
    reading = [q["sql"] for q in four.captured_queries if "indicators_referencefigure" in q["sql"]]
    assert len(reading) == 1


# --- The report ----------------------------------------------------------------------------------------

@pytest.fixture
def draft(plan, chief_user):
    return create_report(meeting=Meeting.objects.create(date=MAY_20, title="Majsammanträdet"), user=chief_user)[0]


def test_the_report_shows_the_figure_beside_its_indicator_with_year_and_source(chief_client, mean_bids, draft):
    page = text(chief_client.get(reverse("reports:report_html", args=[draft.pk])))
    assert "Genomsnittligt antal anbud per upphandling – Riket 2024: 4,6 (" in page
    assert f'<a href="{UHM_URL}" rel="external noopener">Upphandlingsmyndigheten</a>)' in page
    assert "Källa: Upphandlingsmyndigheten, Antalet annonserade upphandlingar ökar (nyhet 5 februari 2026)" in page
    goal_5 = next(goal for goal in draft_snapshot(draft)["goals"] if goal["number"] == 5)
    row = next(row for row in goal_5["indicators"] if row["code"] == "5.5")
    assert [(r["year"], r["value"], r["publisher"]) for r in row["references"]] == [
        (2024, "4.60", "Upphandlingsmyndigheten")
    ]
    assert goal_5["references"] == row["references"]


def admin_client_for(client):
    client.force_login(User.objects.create_superuser("admin-test", "admin@example.se", "test-password-123"))
    return client


def change_in_admin(client, reference, **changes):
    data = {name: getattr(reference, name) for name in (
        "indicator_code", "measure", "area", "value", "unit", "year", "publisher", "source", "definition", "url",
        "note")} | changes
    return client.post(reverse("admin:indicators_referencefigure_change", args=[reference.pk]), data)


def test_a_frozen_report_keeps_the_figure_it_was_frozen_with_after_it_is_changed_in_admin(
        client, chief_user, mean_bids, draft):
    frozen = freeze_report(report=draft, user=chief_user)
    response = change_in_admin(admin_client_for(client), mean_bids, value="5,1", year=2025)
    assert response.status_code == 302, response.context["adminform"].form.errors
    mean_bids.refresh_from_db()
    assert (mean_bids.value, mean_bids.year) == (Decimal("5.1"), 2025)

    client.force_login(chief_user)
    stored = text(client.get(reverse("reports:report_html", args=[frozen.pk])))
    detail = text(client.get(reverse("reports:report_detail", args=[frozen.pk])))
    for page in (stored, detail):
        assert "Riket 2024: 4,6 (" in page
        assert "Riket 2025: 5,1" not in page
    next_draft = create_report(meeting=Meeting.objects.create(date=datetime.date(2026, 9, 16)), user=chief_user)[0]
    live = text(client.get(reverse("reports:report_html", args=[next_draft.pk])))
    assert "Riket 2025: 5,1 (" in live and "Riket 2024: 4,6" not in live  # a draft reads the figure as it is now


def test_a_snapshot_frozen_before_there_were_reference_figures_still_renders(mean_bids, draft):
    old = copy.deepcopy(draft_snapshot(draft))
    for goal in old["goals"]:
        del goal["references"]
        for row in goal["indicators"]:
            row.pop("references", None)
    for row in old["staff"]["indicators"] + old["deviations"]["indicators"]:
        row.pop("references", None)
    html = render_document(old).replace("\xa0", " ")
    assert "Inriktningsmål 5" in html
    assert "Riket 2024" not in html and "Jämförelsesiffror" not in html


# --- Who edits them ------------------------------------------------------------------------------------

def test_a_staff_member_who_is_not_a_superuser_cannot_change_a_figure_in_admin(client, mean_bids):
    chief = UserFactory(username="chef-admin", role=CHIEF, is_staff=True)
    chief.groups.add(Group.objects.get(name=STAFF))
    client.force_login(chief)
    assert client.get(reverse("admin:indicators_referencefigure_changelist")).status_code == 200  # may read
    assert change_in_admin(client, mean_bids, value="9,9").status_code == 403
    assert client.get(reverse("admin:indicators_referencefigure_add")).status_code == 403
    assert client.post(reverse("admin:indicators_referencefigure_delete", args=[mean_bids.pk]),
                       {"post": "yes"}).status_code == 403
    mean_bids.refresh_from_db()
    assert mean_bids.value == Decimal("4.6")


def test_no_role_may_add_change_or_delete_a_figure_but_every_role_may_read_them(plan):
    for role in ROLES:
        codenames = set(Group.objects.get(name=role).permissions.filter(
            content_type__model="referencefigure").values_list("codename", flat=True))
        assert codenames == {"view_referencefigure"}, role


def test_a_superuser_adds_a_figure_in_admin(client, only_our_figures):
    data = {"indicator_code": "8.8", "measure": "Andel annonserade upphandlingar som överprövats", "area": "Riket",
            "value": "5,3", "unit": "percent", "year": "2022", "publisher": "Upphandlingsmyndigheten",
            "source": "Upphandlingsmyndigheten, Andelen överprövningar minskar 2022", "definition": "", "url": "",
            "note": ""}
    response = admin_client_for(client).post(reverse("admin:indicators_referencefigure_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert reference_figures_by_code(["8.8"])["8.8"][0].value == Decimal("5.3")


# --- The model -----------------------------------------------------------------------------------------

def test_a_figure_for_an_unknown_indicator_or_a_share_above_100_is_refused_in_swedish(plan):
    unknown = ReferenceFigure(indicator_code="9.9", measure="Något", value=Decimal(1), unit="count", year=2024,
                              publisher="UHM", source="UHM")
    with pytest.raises(ValidationError) as refusal, translation.override("sv"):
        unknown.full_clean()
    assert refusal.value.message_dict["indicator_code"] == ["Det finns ingen indikator med koden 9.9."]
    share = ReferenceFigure(indicator_code="5.2", measure="Andel", value=Decimal(101), unit="percent", year=2024,
                            publisher="UHM", source="UHM")
    with pytest.raises(ValidationError) as refusal, translation.override("sv"):
        share.full_clean()
    assert refusal.value.message_dict["value"] == ["En andel måste ligga mellan 0 och 100 %."]


def test_the_initial_figures_name_their_source_year_and_link_and_sit_beside_existing_indicators(plan):
    codes = set(Indicator.objects.values_list("code", flat=True))
    assert {f["indicator_code"] for f in INITIAL.FIGURES} == {"5.5", "5.2", "5.3", "8.8"}
    for item in INITIAL.FIGURES:
        assert item["indicator_code"] in codes
        assert item["source"].startswith("Upphandlingsmyndigheten, ") and item["url"].startswith("https://")
        assert str(item["year"]) in item["source"] or item["year"] == 2024  # the 2026 news reports on 2024
        candidate = ReferenceFigure(**item, publisher=INITIAL.UHM)
        candidate.full_clean(validate_unique=False, validate_constraints=False)
    mean = next(f for f in INITIAL.FIGURES if f["measure"] == "Genomsnittligt antal anbud per upphandling")
    assert (mean["value"], mean["year"]) == (Decimal("4.6"), 2024)  # the example: 4,6 bids (UHM, 2024)
