"""The meeting mode in real Chromium: every screen by keyboard at a projector's 1280×720 and a tablet's
768 px, no horizontal scrolling, axe without violations, swipes, and no script or style the CSP blocks."""

import datetime
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import expect

from indicators.models import Publication
from ops.roles import MEMBER
from tests.factories import MeetingFactory, UserFactory
from tests.register_world import build_register

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
VIEWPORTS = {"projektor": {"width": 1280, "height": 720}, "surfplatta": {"width": 768, "height": 1024}}
SCREENS = 10  # start, goals 1–7, section 8, end


def log_in(page, live_server):
    UserFactory(username="ledamot-motesvy", role=MEMBER)
    page.goto(f"{live_server.url}/logga-in/")
    page.get_by_label("Användarnamn").fill("ledamot-motesvy")
    page.get_by_label("Lösenord").fill("test-password-123")
    page.get_by_role("button", name="Logga in").click()


def _a_last_meeting_with_figures():
    """So that the screens show their changes since the last meeting."""
    today = timezone.localdate()
    meeting = MeetingFactory(date=max(today - datetime.timedelta(days=7), datetime.date(today.year, 1, 1)))
    Publication.objects.create(meeting=meeting, year=today.year, as_of=meeting.date, figures={
        "1.1": {"year": today.year, "value": "92.0", "status": "on_track", "unit": "index"},
        "1.2": {"year": today.year, "value": "55.6", "status": "off_track", "unit": "percent"},
    })


def _fits_the_width(page):
    return page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")


def _violations(page):
    results = Axe().run(page, options=WCAG_AA)
    return [f"{v['id']}: {v['help']} – " + "; ".join(n["target"][0] for n in v["nodes"][:5])
            for v in results.response["violations"]]


def _focused_heading(page):
    return page.evaluate("document.activeElement.matches('h1[data-deck-heading]')")


@pytest.fixture
def presenting(page, live_server, plan):
    build_register()
    _a_last_meeting_with_figures()
    errors = []  # a script or style the CSP blocks shows up here
    page.on("console", lambda m: errors.append(m) if m.type == "error" else None)
    log_in(page, live_server)
    yield page, errors
    errors = [m for m in errors if "favicon" not in m.location.get("url", "")]
    assert not errors, [f"{m.text} ({m.location.get('url')})" for m in errors]


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_every_screen_by_keyboard_fits_the_screen_and_passes_axe(presenting, live_server, viewport):
    page, _errors = presenting
    page.set_viewport_size(VIEWPORTS[viewport])
    page.goto(f"{live_server.url}/motesvy/")
    failures = {}
    for number in range(1, SCREENS + 1):
        expect(page.locator(".deck-nav__count")).to_have_text(f"Skärm {number} av {SCREENS}")
        assert _focused_heading(page), f"skärm {number}: fokus ligger inte på rubriken"
        if not _fits_the_width(page):
            failures[f"skärm {number} bredd"] = page.url
        violations = _violations(page)
        if violations:
            failures[f"skärm {number} axe"] = "\n".join(violations)
        if number == 4:
            expect(page).to_have_title(re.compile(r"^Mål 3 av 7: "))
            expect(page.locator(".deck-bar__place")).to_have_text("Mål 3 av 7")
        if number < SCREENS:
            page.keyboard.press("ArrowRight")
            page.wait_for_url(re.compile(r"/motesvy/(mal/\d+|slut)/"))
    assert page.url.endswith("/motesvy/slut/")
    assert not failures, "\n".join(f"{k}: {v}" for k, v in failures.items())


def test_the_other_keys_go_back_to_the_start_to_the_end_and_out(presenting, live_server):
    page, _errors = presenting
    page.goto(f"{live_server.url}/motesvy/mal/2/")
    page.keyboard.press("PageDown")
    page.wait_for_url(re.compile(r"/motesvy/mal/3/"))
    page.keyboard.press("PageUp")
    page.wait_for_url(re.compile(r"/motesvy/mal/2/"))
    page.keyboard.press("ArrowLeft")
    page.wait_for_url(re.compile(r"/motesvy/mal/1/"))
    page.keyboard.press("End")
    page.wait_for_url(re.compile(r"/motesvy/slut/"))
    page.keyboard.press("Home")
    page.wait_for_url(re.compile(r"/motesvy/(\?.*)?$"))
    page.goto(f"{live_server.url}/motesvy/mal/3/")
    page.keyboard.press("Escape")
    page.wait_for_url(re.compile(r"/mal/3/(\?.*)?$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Inriktningsmål 3")


def test_the_arrows_belong_to_the_meeting_chooser_while_it_has_the_focus(presenting, live_server):
    page, _errors = presenting
    page.goto(f"{live_server.url}/motesvy/")
    page.get_by_text("Välj ett annat sammanträde").click()
    page.get_by_label("År", exact=True).focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_timeout(300)
    assert re.search(r"/motesvy/(\?.*)?$", page.url)


def test_without_javascript_the_links_lead_through_the_screens(browser, live_server, plan):
    context = browser.new_context(java_script_enabled=False, locale="sv-SE")
    page = context.new_page()
    log_in(page, live_server)
    page.goto(f"{live_server.url}/motesvy/")
    page.get_by_role("link", name="Nästa").click()
    expect(page).to_have_url(re.compile(r"/motesvy/mal/1/"))
    page.get_by_role("link", name="Föregående").click()
    expect(page).to_have_url(re.compile(r"/motesvy/(\?.*)?$"))
    context.close()


def _swipe(page, dx):
    page.evaluate("""(dx) => {
        const touch = (x) => new Touch({identifier: 1, target: document.body, clientX: x, clientY: 400});
        document.dispatchEvent(new TouchEvent("touchstart", {touches: [touch(400)], changedTouches: [touch(400)]}));
        document.dispatchEvent(new TouchEvent("touchend", {touches: [], changedTouches: [touch(400 + dx)]}));
    }""", dx)


def test_a_swipe_to_the_left_shows_the_next_screen_and_to_the_right_the_previous(presenting, live_server):
    page, _errors = presenting
    page.set_viewport_size(VIEWPORTS["surfplatta"])
    page.goto(f"{live_server.url}/motesvy/mal/4/")
    _swipe(page, -200)
    page.wait_for_url(re.compile(r"/motesvy/mal/5/"))
    _swipe(page, 200)
    page.wait_for_url(re.compile(r"/motesvy/mal/4/"))
    _swipe(page, -20)  # too short: a tap, not a swipe
    page.wait_for_timeout(300)
    assert re.search(r"/motesvy/mal/4/", page.url)
