"""A 50 000-row import previews and imports in the background while another user keeps working.

The worker (the database backend's own `Worker`, as `manage.py db_worker` runs it) runs in a thread with its
own database connection, against a database both connections really share (a file on SQLite, see
config/settings.py), while the test, as another user, saves follow-ups and reads pages through the client.
Each step's final write is held open until a follow-up is on its way, and half a second more: on SQLite
that save waits for the import's transaction (IMMEDIATE, with a timeout) instead of failing with
"database is locked", and on both databases it succeeds.
"""

import datetime
import re
import threading
import time

import pytest
from django.db import connection
from django.urls import reverse
from django_tasks_db.management.commands.db_worker import Worker

from ops.benchmark import write_register_workbook
from ops.roles import STAFF
from procurement.importing import engine
from procurement.importing.models import ImportRun, StagedRow
from procurement.models import Bid, Contract, ContractFollowUp, Procurement, Supplier
from tests.factories import ContractFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)
ROWS = {"procurements": 20_000, "bids": 20_000, "contracts": 5_000, "follow_ups": 5_000}  # 50 000 rows
UPLOAD, PREVIEW = reverse("procurement:import_upload"), reverse("procurement:import_preview")
CONFIRM, STATUS = reverse("procurement:import_confirm"), reverse("procurement:import_status")


@pytest.fixture(scope="session")
def large_workbook(tmp_path_factory):
    """The 50 000-row workbook, written once per test session."""
    return write_register_workbook(tmp_path_factory.mktemp("import") / "register-50000.xlsx", **ROWS)


@pytest.fixture(autouse=True)
def temp_dir(tmp_path, settings):
    settings.IMPORT_TEMP_DIR = tmp_path / "uppladdat"
    # Messages in a cookie: the colleague's only writes are the follow-ups (a page showing a message would
    # otherwise save the session too, and be the request that waits for the import instead).
    settings.MESSAGE_STORAGE = "django.contrib.messages.storage.cookie.CookieStorage"


@pytest.fixture
def worker():
    """A worker running queued tasks in a thread until the test ends."""
    work = Worker(queue_names=["default"], interval=0.1, batch=False, backend_name="default", startup_delay=False,
                  max_tasks=None, worker_id="test-worker", excluded_queue_names=[])

    def run():
        try:
            work.run()
        finally:
            connection.close()  # the thread's own connection

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    yield work
    work.running = False
    thread.join(timeout=30)


class WriteWindow:
    """Keeps each import step's transaction open a second after its write, and tells when it is open."""

    def __init__(self, monkeypatch):
        self.open, self.save_sent = threading.Event(), threading.Event()
        self.times = []  # (opened, closed) of each write
        original = engine.execute

        def execute_and_hold(prepared):
            opened = time.monotonic()
            self.save_sent.clear()
            self.open.set()
            original(prepared)
            # Still inside the transaction (the register is locked on SQLite) until a colleague's save is on its way,
            # or for a few seconds (well within SQLite's timeout): the colleague may be blocked in a save already.
            self.save_sent.wait(timeout=5)
            time.sleep(0.5)
            self.open.clear()
            self.times.append((opened, time.monotonic()))

        monkeypatch.setattr(engine, "execute", execute_and_hold)


class Colleague:
    """Another member of staff, saving follow-ups of a contract and reading the register while the import runs."""

    def __init__(self, client):
        self.client = client
        client.force_login(UserFactory(role=STAFF))
        self.contract = ContractFactory(number="AVT-KOLLEGA", start_date=datetime.date(2020, 1, 1))
        self.saved = 0
        self.times = []  # (started, answered) of each save

    def saves_during(self, opened, closed):
        return sum(1 for started, answered in self.times if started < closed and answered > opened)

    def save_follow_up(self, window):
        url = reverse("procurement:followup_create") + f"?contract={self.contract.pk}"
        form = self.client.get(url).content.decode()
        data = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form))
        day = datetime.date.today() - datetime.timedelta(days=self.saved)
        data.update({"contract": self.contract.number, "date": day.isoformat(), "form": "phone",
                     "notes": f"Samtal {self.saved}", "actions": ""})
        started = time.monotonic()
        if window.open.is_set():
            window.save_sent.set()
        response = self.client.post(url, data)
        self.times.append((started, time.monotonic()))
        errors = re.findall(r'class="[^"]*error[^"]*"[^>]*>([^<]+)', response.content.decode())
        assert response.status_code == 302, errors
        self.saved += 1
        assert self.client.get(reverse("procurement:contract_list")).status_code == 200

    def work_until(self, staff_client, step, window):
        """Save a follow-up now and then, and one while the step's write is open, until the step is done."""
        deadline = time.monotonic() + 80
        saved_during_this_write = False
        while True:
            run = ImportRun.objects.get()
            if run.step == step and run.finished:
                return run
            assert time.monotonic() < deadline, f"the import did not finish: {run.stage} {run.done}/{run.total}"
            if window.open.wait(timeout=0.3) and not saved_during_this_write:
                self.save_follow_up(window)
                saved_during_this_write = True
            elif not window.open.is_set():
                self.save_follow_up(window)
                status = staff_client.get(STATUS).json()
                assert status["finished"] in (True, False) and isinstance(status["text"], str)


def test_a_large_import_runs_in_the_background_while_others_save(
        staff_client, client, categories, large_workbook, worker, monkeypatch):
    window = WriteWindow(monkeypatch)
    colleague = Colleague(client.__class__())
    with open(large_workbook, "rb") as file:
        response = staff_client.post(UPLOAD, {"file": file})
    assert response["Location"] == PREVIEW
    assert "<progress" in staff_client.get(PREVIEW).content.decode()

    run = colleague.work_until(staff_client, ImportRun.Step.PREVIEW, window)
    preview = staff_client.get(PREVIEW)
    assert preview.context["result"].errors == [], preview.context["result"].errors[:5]
    counts = {sheet: (c.created, c.updated) for sheet, c in preview.context["result"].counts.items()}
    assert counts == {"Upphandlingar": (20_000, 0), "Anbud": (20_000, 0), "Avtal": (5_000, 0),
                      "Uppföljningar": (5_000, 0), "Leverantörer": (1_000, 0)}
    assert StagedRow.objects.filter(run=run).count() == 50_000
    assert Procurement.objects.count() == 0  # a dry run

    assert staff_client.post(CONFIRM)["Location"] == PREVIEW
    colleague.work_until(staff_client, ImportRun.Step.SAVE, window)
    response = staff_client.get(PREVIEW)
    assert response.status_code == 302  # saved: on to the register

    assert Procurement.objects.count() == 20_000
    assert Bid.objects.count() == 20_000 and Supplier.objects.count() == 1_000 + 1  # and the colleague's contract's
    assert Contract.objects.count() == 5_000 + 1  # and the colleague's
    assert Procurement.history.count() == 20_000
    assert ContractFollowUp.objects.filter(contract=colleague.contract).count() == colleague.saved
    assert ContractFollowUp.objects.exclude(contract=colleague.contract).count() == 5_000
    # The preview's write (rolled back) and the import's: a follow-up was saved while each held the register.
    assert len(window.times) == 2
    assert all(colleague.saves_during(opened, closed) >= 1 for opened, closed in window.times)
