"""Chef UhC writes the analysis with the figures beside it, in real Chromium; axe-core checks the edit page.

With tests/register_world.py, 1.2 (coordinated share) on 20 May 2026 is P1 and P5 of the two completed
procurements, both for two municipalities: 2 of 2 = 100 %. The figure is read from goal 1's table
on the edit page, quoted in the analysis, and the report shows the analysis with the same figure.
"""

import datetime

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from ops.roles import CHIEF
from reports.models import GoalAnalysis
from reports.services import create_report
from tests.factories import MeetingFactory, UserFactory
from tests.register_world import build_register

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def test_chief_quotes_a_figure_from_beside_the_text_box_and_the_report_shows_it(page, live_server, plan):
    build_register()
    MeetingFactory(date=datetime.date(2026, 2, 18))  # the year's first meeting: the May report covers 2026
    chief = UserFactory(username="chef-skriver", role=CHIEF)
    report = create_report(meeting=MeetingFactory(date=datetime.date(2026, 5, 20)), user=chief)[0]
    page.goto(f"{live_server.url}/logga-in/")
    page.get_by_label("Användarnamn").fill("chef-skriver")
    page.get_by_label("Lösenord").fill("test-password-123")
    page.get_by_role("button", name="Logga in").click()

    page.goto(f"{live_server.url}/rapporter/{report.pk}/skriv/")
    table = page.get_by_role("table", name="Siffror för inriktningsmål 1")
    expect(table).to_be_visible()
    row = table.get_by_role("row").filter(has_text="1.2")
    figure = row.locator("td.num").inner_text().strip()
    assert figure.startswith("100")
    expect(row).to_contain_text("På väg mot målet")

    violations = Axe().run(page, options=WCAG_AA).response["violations"]
    assert not violations, [(v["id"], v["nodes"][0]["html"][:120]) for v in violations]

    analysis = f"Andelen samordnade upphandlingar är {figure} och målet är minst 60 %."
    page.get_by_label("Analys av inriktningsmål 1").fill(analysis)
    page.get_by_role("button", name="Spara och förhandsgranska").click()
    expect(page).to_have_url(f"{live_server.url}/rapporter/{report.pk}/")
    goal_1 = page.locator("#mal-1")
    expect(goal_1.locator(".analysis")).to_contain_text(analysis)
    # The table of the report, cut at the same day, says the same figure.
    expect(goal_1.get_by_role("row").filter(has_text="1.2").locator("td.col-current")).to_have_text(figure)
    assert GoalAnalysis.objects.get(report=report, goal__number=1).text == analysis
