import os
import shutil

import pytest

os.environ.setdefault("TESTING", "1")
# Playwright's sync API runs an event loop in the test thread; live_server setup needs this.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The plan from the seed is loaded once for the whole session."""
    from nämndplan.loading import load_plan, read_plan_file

    with django_db_blocker.unblock():
        load_plan(read_plan_file())


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A transactional test ends by flushing the database, taking the session's plan with it: once its
    fixtures are torn down, load the plan again, so the tests that follow on the same worker find it
    whatever the order (pytest-xdist)."""
    yield
    marker = item.get_closest_marker("django_db")
    # After the session's last test its database is gone already: nothing follows that needs the plan.
    if nextitem is not None and marker is not None and marker.kwargs.get("transaction"):
        from pytest_django.plugin import blocking_manager_key

        from nämndplan.loading import load_plan, read_plan_file

        with item.config.stash[blocking_manager_key].unblock():
            load_plan(read_plan_file())


@pytest.fixture
def plan(db):
    """The current plan; reloaded when a transactional (browser) test flushed the database."""
    from nämndplan.loading import load_plan, read_plan_file
    from nämndplan.models import Plan

    return Plan.objects.current() or load_plan(read_plan_file())


@pytest.fixture
def staff_user(db):
    from ops.roles import STAFF
    from tests.factories import UserFactory

    return UserFactory(username="uhc-test", role=STAFF)


@pytest.fixture
def member_user(db):
    from ops.roles import MEMBER
    from tests.factories import UserFactory

    return UserFactory(username="ledamot-test", role=MEMBER)


@pytest.fixture
def chief_user(db):
    from ops.roles import CHIEF
    from tests.factories import UserFactory

    return UserFactory(username="chef-test", role=CHIEF)


@pytest.fixture
def categories(plan):
    """The categories the import tests' files name: Livsmedel (with the product group Mejeri) and IT och telefoni."""
    from tests.factories import CategoryFactory, ProductGroupFactory

    food = CategoryFactory(name="Livsmedel", order=1)
    it = CategoryFactory(name="IT och telefoni", order=2)
    ProductGroupFactory(category=food, name="Mejeri")
    return {"food": food, "it": it}


FAKE_DOCX = b"PK fake docx"
FAKE_PDF = b"%PDF-1.7 fake"


@pytest.fixture
def fake_pdf(monkeypatch):
    """Reports render a stand-in PDF and Word file: WeasyPrint's and the charts' seconds are spent only in the
    tests about them (tests/test_report_docx.py puts the real Word file back)."""
    monkeypatch.setattr("reports.services.render_pdf", lambda html: FAKE_PDF)
    monkeypatch.setattr("reports.services.render_docx", lambda snapshot: FAKE_DOCX)


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


@pytest.fixture
def member_client(client, member_user):
    client.force_login(member_user)
    return client


@pytest.fixture
def chief_client(client, chief_user):
    client.force_login(chief_user)
    return client


# --- Browser tests (Playwright with Debian's Chromium) -------------------------------------

def pytest_collection_modifyitems(config, items):
    if os.path.exists(CHROMIUM):
        return
    if os.environ.get("CI") == "true":
        raise pytest.UsageError(f"Chromium saknas ({CHROMIUM}): CI får inte hoppa över webbläsartesterna.")
    skip = pytest.mark.skip(reason=f"Chromium saknas ({CHROMIUM}): webbläsartesterna hoppas över")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


def pytest_terminal_summary(terminalreporter):
    if not os.path.exists(CHROMIUM):
        terminalreporter.write_sep("!", f"WEBBLÄSARTESTERNA HOPPADES ÖVER: {CHROMIUM} saknas", red=True)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium"),
        "args": [
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            "--disable-sync",
            "--disable-gpu",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "sv-SE", "timezone_id": "Europe/Stockholm"}
