"""The dashboards in real Chromium: a committee member's journey, and axe-core on every dashboard page."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from ops.roles import MEMBER
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def log_in(page, live_server):
    UserFactory(username="ledamot-webb", role=MEMBER)
    page.goto(f"{live_server.url}/logga-in/")
    page.get_by_label("Användarnamn").fill("ledamot-webb")
    page.get_by_label("Lösenord").fill("test-password-123")
    page.get_by_role("button", name="Logga in").click()


def test_a_member_opens_a_goal_switches_year_and_sees_the_chart_and_its_table(page, live_server, plan):
    errors = []  # a script or style the CSP blocks shows up here
    page.on("console", lambda m: errors.append(m) if m.type == "error" else None)
    log_in(page, live_server)

    expect(page.get_by_role("heading", level=1)).to_have_text("Nämndplan 2026–2028")
    cards = page.locator(".goal-card")
    expect(cards).to_have_count(8)
    expect(cards.first).to_contain_text("Inriktningsmål 1")
    expect(cards.first.locator(".tally__row")).to_have_count(3)
    expect(cards.first).to_contain_text("Utan mål eller värde")

    page.get_by_role("link", name=re.compile("^Inriktningsmål 1 ")).click()
    expect(page).to_have_url(re.compile(r"/mal/1/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Inriktningsmål 1")

    page.get_by_label("År", exact=True).select_option("2024")
    page.get_by_role("button", name="Visa").click()
    expect(page).to_have_url(re.compile(r"/mal/1/\?ar=2024"))

    chart = page.locator("#chart-1-2")
    chart.scroll_into_view_if_needed()
    chart.locator(".main-svg").first.wait_for(state="attached")
    expect(chart).to_have_attribute("role", "img")
    expect(chart).to_have_attribute("aria-label", re.compile("2024: 56,0 %"))

    # The bars' labels, drawn by plotly from the figure built in Python, are the table's values.
    bar_labels = chart.locator("text.bartext").all_text_contents()
    table = page.locator('table[data-table-for="chart-1-2"]')
    values = table.locator("tbody td[data-value]").all_text_contents()
    assert [v.strip() for v in values] == ["59,0 %", "57,0 %", "58,0 %", "56,0 %"]
    assert [b.strip() for b in bar_labels] == ["59,0 %", "57,0 %", "58,0 %", "56,0 %"]
    expect(table.locator("tbody tr").nth(3)).to_contain_text("Ej uppfyllt")
    expect(table.locator("tbody tr").nth(3)).to_contain_text("minst 80 %")
    errors = [m for m in errors if "favicon" not in m.location.get("url", "")]
    assert not errors, [f"{m.text} ({m.location.get('url')})" for m in errors]


def _last_meeting_with_figures():
    import datetime

    from django.utils import timezone

    from indicators.models import Publication
    from tests.factories import MeetingFactory

    today = timezone.localdate()
    meeting = MeetingFactory(date=max(today - datetime.timedelta(days=7), datetime.date(today.year, 1, 1)))
    Publication.objects.create(meeting=meeting, year=today.year, as_of=meeting.date, figures={
        "1.1": {"year": today.year, "value": "92.0", "status": "on_track", "unit": "index"},
        "1.2": {"year": today.year, "value": "55.6", "status": "off_track", "unit": "percent"},
    })


def _serious(results):
    return [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]


def _describe(violations):
    return "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} – " + "; ".join(n["target"][0] for n in v["nodes"][:5])
        for v in violations
    )


def test_every_dashboard_page_passes_axe_without_serious_violations(page, live_server, plan):
    from tests.register_world import build_register

    build_register()  # so that the municipality pages have values, links and badges to check
    _last_meeting_with_figures()  # so that the overview and goal pages show their changes since then
    log_in(page, live_server)
    pages = {
        "översikt": "/",
        "mål": "/mal/1/",
        "mål 8 år 2024": "/mal/8/?ar=2024",
        "kommun": "/kommuner/Falun/",
        "matris": "/kommuner/",
    }
    failures = {}
    for name, path in pages.items():
        page.goto(live_server.url + path)
        if page.locator("[data-chart]").count():
            page.locator("[data-chart] .main-svg").first.wait_for(state="attached")
        results = Axe().run(page, options=WCAG_AA)
        violations = _serious(results)
        print(f"axe {name} ({path}): {len(results.response['violations'])} brister, "
              f"varav {len(violations)} allvarliga eller kritiska")
        if violations:
            failures[name] = _describe(violations)
    assert not failures, "\n".join(f"{name}:\n{text}" for name, text in failures.items())
