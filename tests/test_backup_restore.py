"""Backup and restore: dump, wipe, restore, compare. Runs on SQLite and PostgreSQL in CI."""

import datetime
import gzip
import io
import json
import os
import stat

import pytest
from cryptography.fernet import Fernet
from django.apps import apps
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.core.serializers.json import Serializer
from simple_history.models import HistoricalChanges

from indicators.models import IndicatorValue
from nämndplan.models import Goal, Plan
from procurement.models import Bid, Contract, ContractFollowUp, Procurement
from tests.factories import ProcurementFactory
from tests.register_world import build_register

pytestmark = pytest.mark.django_db(transaction=True)


def _snapshot():
    return {
        "procurements": sorted(Procurement.objects.values_list("case_number", "title", "status")),
        "municipalities": sorted(Procurement.municipalities.through.objects.values_list(
            "procurement__case_number", "municipality__name")),
        "bids": Bid.objects.count(),
        "contracts": sorted(Contract.objects.values_list("number", "terminated_on")),
        "follow_ups": ContractFollowUp.objects.count(),
        "values": sorted((v.indicator.code, v.year, str(v.value)) for v in IndicatorValue.objects.select_related(
            "indicator")),
        "goals": sorted(Goal.objects.values_list("number", "title")),
        "users": sorted(User.objects.values_list("username", flat=True)),
        "groups": sorted(User.objects.filter(groups__isnull=False).values_list("username", "groups__name")),
    }


def test_dump_wipe_restore_gives_back_the_same_data(plan, staff_user, tmp_path):
    build_register()
    before = _snapshot()
    path = tmp_path / "backup.json.gz"
    call_command("backup", output=str(path))
    assert path.stat().st_size > 1000

    call_command("flush", interactive=False, verbosity=0)
    assert Procurement.objects.count() == 0 and Goal.objects.count() == 0

    call_command("restore", str(path), yes=True)
    assert _snapshot() == before
    # Restored rows work: a new procurement gets a fresh id (sequences were reset).
    category = Procurement.objects.first().category
    Procurement.objects.create(case_number="NY-1", title="Efter återställning", category=category)


def test_restore_needs_confirmation_and_an_existing_file(plan, tmp_path):
    existing = tmp_path / "x.json"
    existing.write_text("[]")
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(existing))
    with pytest.raises(CommandError, match="finns inte"):
        call_command("restore", str(tmp_path / "saknas.json"), yes=True)


def test_a_broken_backup_leaves_the_database_as_it_was(plan, tmp_path):
    path = tmp_path / "trasig.json"
    path.write_text('[{"model": "plan.goal", "fields": {"title": "utan plan"}}]')
    goals = Goal.objects.count()
    with pytest.raises(Exception):  # noqa: B017 - loaddata raises different errors per database
        call_command("restore", str(path), yes=True)
    assert Goal.objects.count() == goals


def test_a_backup_that_fails_while_loading_is_rolled_back(plan, staff_user, tmp_path):
    """The file passes the checks; the last object names a category that does not exist."""
    build_register()
    before = _snapshot()
    path = tmp_path / "backup.json.gz"
    call_command("backup", output=str(path))
    objects = json.loads(gzip.decompress(path.read_bytes()))
    objects.append({"model": "procurement.procurement", "fields": {"case_number": "X-1", "category": ["Finns inte"]}})
    path.write_bytes(gzip.compress(json.dumps(objects).encode()))
    with pytest.raises(Exception):  # noqa: B017 - loaddata raises different errors per database
        call_command("restore", str(path), yes=True, stdout=io.StringIO())
    assert _snapshot() == before


def _history_rows():
    return {m._meta.label_lower: m.objects.count() for m in apps.get_models() if issubclass(m, HistoricalChanges)}


def test_a_restore_brings_back_the_history_the_backup_held_and_adds_none(plan, staff_user, tmp_path):
    build_register()  # saved through the ORM: every procurement has a "+" and its municipalities' "~" entries
    before = _history_rows()
    changes = sorted(Procurement.history.values_list("case_number", "history_type", "history_date"))
    assert before["procurement.historicalprocurement"] > 0
    path = tmp_path / "backup.json.gz"
    call_command("backup", output=str(path))
    call_command("flush", interactive=False, verbosity=0)

    call_command("restore", str(path), yes=True, stdout=io.StringIO())
    assert _history_rows() == before
    assert sorted(Procurement.history.values_list("case_number", "history_type", "history_date")) == changes


def test_an_encrypted_backup_round_trips_with_its_key(plan, staff_user, tmp_path, monkeypatch):
    monkeypatch.setenv("BACKUP_ENCRYPTION_KEY", Fernet.generate_key().decode())
    build_register()
    before = _snapshot()
    path = tmp_path / "backup.json.gz.fernet"
    out = io.StringIO()
    call_command("backup", output=str(path), stdout=out)
    assert "krypterad med BACKUP_ENCRYPTION_KEY" in out.getvalue()
    raw = path.read_bytes()
    assert raw.startswith(b"gAAAAA") and b"uhc-test" not in raw and b"pbkdf2" not in raw
    with pytest.raises(gzip.BadGzipFile):
        gzip.decompress(raw)
    call_command("flush", interactive=False, verbosity=0)

    call_command("restore", str(path), yes=True, stdout=io.StringIO())
    assert _snapshot() == before


# What the checks ask of a backup, for files that are refused or only checked (never loaded).
PLAUSIBLE = [
    {"model": label, "fields": {}}
    for label in ["plan.plan", "plan.goal", "indicators.indicator", "auth.user", "procurement.procurement"]
]


def _file(tmp_path, objects, *, fernet=None, name="backup.json.gz"):
    data = gzip.compress(json.dumps(objects).encode())
    path = tmp_path / name
    path.write_bytes(fernet.encrypt(data) if fernet else data)
    return path


@pytest.fixture
def world(plan, staff_user):
    ProcurementFactory(case_number="UhC 2026/0001")


def _counts():
    return [Plan.objects.count(), Goal.objects.count(), User.objects.count(), Procurement.objects.count()]


def _refused(path, match, **options):
    before = _counts()
    with pytest.raises(CommandError, match=match) as refusal:
        call_command("restore", str(path), yes=True, stdout=io.StringIO(), **options)
    assert "återställs inte, databasen är orörd" in str(refusal.value)
    assert _counts() == before and before[0] > 0 and before[3] == 1


@pytest.mark.django_db
def test_an_empty_backup_is_refused_and_the_database_is_unchanged(world, tmp_path):
    _refused(_file(tmp_path, []), "Filen är tom: den innehåller inga objekt alls")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "content, message",
    [
        (gzip.compress(json.dumps(PLAUSIBLE).encode())[:-12], "inte en hel gzip-fil: den är avkortad eller skadad"),
        (b"\x1f\x8b\x08\x00garbage", "inte en hel gzip-fil"),
        (json.dumps(PLAUSIBLE).encode()[:-30], "den är inte hel JSON"),
        (gzip.compress(json.dumps(PLAUSIBLE).encode()[:-30]), "den är inte hel JSON"),
        ("Inte en säkerhetskopia".encode(), "den är inte hel JSON"),
        (b"\xff\xfe\x00", "den är inte hel JSON"),
        (b'{"model": "plan.plan"}', "JSON men inte en lista av objekt"),
        (b'[{"model": "plan.plan", "fields": {}}, 7]', "JSON men inte en lista av objekt"),
        (b'[{"model": "plan.saknas", "fields": {}}]', "'plan.saknas' är ingen modell i systemet"),
    ],
    ids=["truncated-gzip", "corrupt-gzip", "truncated-json", "truncated-json-in-gzip", "text", "binary",
         "object", "not-objects", "unknown-model"],
)
def test_a_file_that_is_not_a_whole_backup_is_refused(world, tmp_path, content, message):
    path = tmp_path / "backup.json.gz"
    path.write_bytes(content)
    _refused(path, message)


@pytest.mark.django_db
def test_a_folder_is_refused(world, tmp_path):
    _refused(tmp_path, "Filen kunde inte läsas")


@pytest.mark.django_db
def test_a_backup_without_plan_or_users_is_refused(world, tmp_path):
    register_only = [{"model": "procurement.procurement", "fields": {}}] * 3
    _refused(_file(tmp_path, register_only), r"plan\.plan \(nämndplaner\): minst 1, filen har 0; .*"
             r"auth\.user \(användare\): minst 1, filen har 0")


@pytest.mark.django_db
def test_a_backup_without_a_register_is_refused_unless_expected_empty(world, tmp_path):
    no_register = [o for o in PLAUSIBLE if o["model"] != "procurement.procurement"]
    path = _file(tmp_path, no_register)
    _refused(path, r"procurement\.procurement \(upphandlingar\): minst 1, filen har 0")
    out = io.StringIO()
    call_command("restore", str(path), check=True, expect=["procurement.procurement=0"], stdout=out)
    assert "Filen går att återställa" in out.getvalue()


@pytest.mark.django_db
def test_expect_refuses_a_backup_with_fewer_rows(world, tmp_path):
    path = _file(tmp_path, PLAUSIBLE + [{"model": "procurement.procurement", "fields": {}}] * 198)  # 1 + 198 = 199
    _refused(path, r"procurement\.procurement \(upphandlingar\): minst 200, filen har 199", expect=[
        "procurement.procurement=200"])
    _refused(path, "--expect ska skrivas MODELL=ANTAL", expect=["procurement.procurement"])
    _refused(path, "--expect ska skrivas MODELL=ANTAL", expect=["procurement.procurement=-1"])
    _refused(path, "'procurement.saknas' är ingen modell", expect=["procurement.saknas=1"])
    call_command("restore", str(path), check=True, expect=["Procurement.Procurement=199"], stdout=io.StringIO())


@pytest.mark.django_db
def test_check_shows_what_the_file_holds_per_model_and_changes_nothing(world, tmp_path):
    path = _file(tmp_path, PLAUSIBLE + [{"model": "auth.user", "fields": {}}])
    before = _counts()
    out = io.StringIO()
    call_command("restore", str(path), check=True, stdout=out)
    assert out.getvalue().splitlines() == [
        "Filen innehåller 6 objekt:",  # 5 plausible + 1 more user
        "  auth.user: 2 (användare)",
        "  indicators.indicator: 1 (indikatorer)",
        "  plan.goal: 1 (inriktningsmål)",
        "  plan.plan: 1 (nämndplaner)",
        "  procurement.procurement: 1 (upphandlingar)",
        "Filen går att återställa. Databasen är inte ändrad.",
    ]
    assert _counts() == before


@pytest.mark.django_db
def test_an_encrypted_backup_is_refused_without_its_key(world, tmp_path, monkeypatch):
    path = _file(tmp_path, PLAUSIBLE, fernet=Fernet(Fernet.generate_key()))
    _refused(path, "Filen är krypterad. Sätt BACKUP_ENCRYPTION_KEY till nyckeln den krypterades med")
    monkeypatch.setenv("BACKUP_ENCRYPTION_KEY", Fernet.generate_key().decode())
    _refused(path, "kunde inte dekrypteras: BACKUP_ENCRYPTION_KEY är inte nyckeln den krypterades med")
    # With a key set, an unencrypted file is still read.
    out = io.StringIO()
    call_command("restore", str(_file(tmp_path, PLAUSIBLE, name="plain.json.gz")), check=True, stdout=out)
    assert "Filen innehåller 5 objekt:" in out.getvalue()


@pytest.mark.django_db
def test_a_key_that_is_not_a_fernet_key_is_refused(world, tmp_path, monkeypatch):
    monkeypatch.setenv("BACKUP_ENCRYPTION_KEY", "hemligt")
    with pytest.raises(CommandError, match="BACKUP_ENCRYPTION_KEY är ingen giltig nyckel"):
        call_command("backup", output=str(tmp_path / "b.json.gz"))
    assert list(tmp_path.iterdir()) == []
    _refused(_file(tmp_path, PLAUSIBLE), "BACKUP_ENCRYPTION_KEY är ingen giltig nyckel")


def _failing_half_way(monkeypatch):
    """dumpdata fails after it has written every object, as when the disk fills up at the end."""

    def fail(self):
        raise OSError("Enheten är full")

    monkeypatch.setattr(Serializer, "end_serialization", fail)


@pytest.mark.django_db
def test_a_failed_backup_leaves_the_old_file_as_it_was_and_nothing_else(world, tmp_path, monkeypatch):
    path = tmp_path / "backup.json.gz"
    call_command("backup", output=str(path), stdout=io.StringIO())
    good = path.read_bytes()
    ProcurementFactory(case_number="UhC 2026/0002")  # the next backup differs
    _failing_half_way(monkeypatch)

    with pytest.raises(CommandError, match="Säkerhetskopieringen misslyckades: .*Enheten är full.* är orörd"):
        call_command("backup", output=str(path))
    assert path.read_bytes() == good
    assert list(tmp_path.iterdir()) == [path]


@pytest.mark.django_db
def test_a_backup_into_a_missing_folder_is_refused(world, tmp_path):
    with pytest.raises(CommandError, match="Katalogen .*saknas finns inte"):
        call_command("backup", output=str(tmp_path / "saknas" / "b.json.gz"))


@pytest.mark.django_db
@pytest.mark.parametrize("encrypted", [False, True], ids=["plain", "encrypted"])
def test_a_backup_is_readable_by_its_owner_only_from_the_first_byte(world, tmp_path, monkeypatch, encrypted):
    if encrypted:
        monkeypatch.setenv("BACKUP_ENCRYPTION_KEY", Fernet.generate_key().decode())
    modes = []
    original = Serializer.end_serialization

    def record_modes(self):
        modes.extend(stat.S_IMODE(p.stat().st_mode) for p in tmp_path.iterdir())
        original(self)

    monkeypatch.setattr(Serializer, "end_serialization", record_modes)
    old_umask = os.umask(0o022)  # the usual umask: files the process creates are world-readable
    try:
        call_command("backup", output=str(tmp_path / "backup.json.gz"), stdout=io.StringIO())
    finally:
        os.umask(old_umask)
    assert modes == [0o600]  # the temporary file, while dumpdata writes it
    assert [stat.S_IMODE(p.stat().st_mode) for p in tmp_path.iterdir()] == [0o600]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "utc, name",
    [
        (datetime.datetime(2026, 12, 1, 21, 45, 12), "backup-2026-12-01T224512.json.gz"),  # CET: UTC+1
        (datetime.datetime(2026, 7, 1, 22, 0, 59), "backup-2026-07-02T000059.json.gz"),  # CEST: UTC+2, next day
    ],
)
def test_the_default_name_is_the_local_time_to_the_second(world, tmp_path, monkeypatch, utc, name):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("django.utils.timezone.now", lambda: utc.replace(tzinfo=datetime.UTC))
    out = io.StringIO()
    call_command("backup", stdout=out)
    assert [p.name for p in tmp_path.iterdir()] == [name]
    assert f"Säkerhetskopia skriven: {name} (" in out.getvalue()
    assert "okrypterad: BACKUP_ENCRYPTION_KEY är inte satt" in out.getvalue()


@pytest.mark.django_db
def test_an_encrypted_backup_gets_a_name_that_says_so(world, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BACKUP_ENCRYPTION_KEY", Fernet.generate_key().decode())
    winter = datetime.datetime(2026, 12, 1, 21, 45, 12, tzinfo=datetime.UTC)
    monkeypatch.setattr("django.utils.timezone.now", lambda: winter)
    call_command("backup", stdout=io.StringIO())
    assert [p.name for p in tmp_path.iterdir()] == ["backup-2026-12-01T224512.json.gz.fernet"]


def test_import_runs_and_the_task_queue_are_not_backed_up(plan, staff_user, tmp_path):
    from procurement.importing.models import ImportRun

    ImportRun.objects.create(user=staff_user, file_name="register.xlsx")
    path = tmp_path / "backup.json.gz"
    call_command("backup", output=str(path))
    labels = {entry["model"] for entry in json.loads(gzip.decompress(path.read_bytes()))}
    assert "auth.user" in labels
    assert not {label for label in labels if label.startswith(("register_import.", "django_tasks_database."))}
