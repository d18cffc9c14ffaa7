"""The checkout's `.env`: written once by `make run`, read by the settings, the real environment winning over it.

Each case runs the settings in a process of its own with a `.env` under the test's control (ENV_FILE, or a
copy of the settings beside a temporary `.env`), never the developer's own file.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
SECRET = "from-the-env-file-not-a-real-secret-0123456789abcdefghijklmnop"
# Prints what a case looks at; the settings module alone is enough for most (no app is loaded).
SHOW = "import config.settings as s; print(s.DEBUG, s.SECRET_KEY, s.SITE_URL, s.DATABASES['default']['NAME'], sep='|')"


def _run(args, cwd=ROOT, default_env_file=False, **env):
    """A process with the deployment's variables unset, as in a fresh shell, plus `env`.

    It inherits the test run's ENV_FILE="" (no .env at all) unless `default_env_file` lets it read the one
    beside the settings, which only a copy of the settings in a temporary directory may.
    """
    unset = {"TESTING", "DEBUG", "SECRET_KEY", "SITE_URL", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    if default_env_file:
        assert cwd != ROOT, "never the developer's own .env"
        unset.add("ENV_FILE")
    base = {k: v for k, v in os.environ.items() if k not in unset}
    return subprocess.run([sys.executable, *args], cwd=cwd, env={**base, **env}, capture_output=True, text=True,
                          timeout=120)


def _show(cwd=ROOT, default_env_file=False, **env):
    result = _run(["-c", SHOW], cwd=cwd, default_env_file=default_env_file, **env)
    assert result.returncode == 0, result.stderr
    debug, secret, site_url, database = result.stdout.strip().split("|")
    return {"DEBUG": debug, "SECRET_KEY": secret, "SITE_URL": site_url, "DATABASE": database}


def _env_file(tmp_path, text):
    path = tmp_path / "demo.env"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_a_management_command_runs_with_no_prefix_on_the_env_file(tmp_path):
    env_file = _env_file(tmp_path, f"DEBUG=1\nSECRET_KEY={SECRET}\n")
    result = _run(["manage.py", "check"], ENV_FILE=env_file)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_the_env_file_gives_debug_the_secret_key_and_any_other_setting(tmp_path):
    env_file = _env_file(tmp_path, f"# a comment\nDEBUG=1\nSECRET_KEY='{SECRET}'\nSITE_URL=http://demo.example.se/\n")
    shown = _show(ENV_FILE=env_file)
    assert shown["DEBUG"] == "True"
    assert shown["SECRET_KEY"] == SECRET  # the quotes are the file's syntax, not part of the value
    assert shown["SITE_URL"] == "http://demo.example.se"  # read as from the environment: the trailing / goes


def test_the_real_environment_wins_over_the_env_file(tmp_path):
    env_file = _env_file(tmp_path, f"DEBUG=1\nSECRET_KEY={SECRET}\nSITE_URL=http://demo.example.se\n")
    shown = _show(ENV_FILE=env_file, SITE_URL="https://uppfoljning.example.se", SECRET_KEY="x" * 50)
    assert shown["SITE_URL"] == "https://uppfoljning.example.se"
    assert shown["SECRET_KEY"] == "x" * 50
    assert shown["DEBUG"] == "True"  # not in the environment: the file's


def test_debug_off_in_the_environment_still_asks_for_a_secret_key_the_file_lacks(tmp_path):
    env_file = _env_file(tmp_path, "DEBUG=1\n")
    result = _run(["-c", SHOW], ENV_FILE=env_file, DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_production_without_an_env_file_refuses_to_start_without_a_secret_key():
    result = _run(["manage.py", "check"])  # no .env: ENV_FILE="" as in the test run
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_a_named_env_file_that_is_missing_is_an_error(tmp_path):
    result = _run(["-c", SHOW], ENV_FILE=str(tmp_path / "missing.env"), DEBUG="1")
    assert result.returncode != 0
    assert "is not a file" in result.stderr


def test_make_runs_file_is_read_from_beside_the_settings_and_gives_todays_demo_database(tmp_path):
    # A checkout of its own: the settings (and their readers) with the .env that scripts/write_env.py writes.
    (tmp_path / "config").mkdir()
    for name in ("__init__.py", "settings.py", "env.py"):
        shutil.copy(ROOT / "config" / name, tmp_path / "config" / name)
    written = _run([str(ROOT / "scripts" / "write_env.py"), str(tmp_path / ".env")])
    assert written.returncode == 0, written.stderr
    secret = next(line for line in (tmp_path / ".env").read_text().splitlines() if line.startswith("SECRET_KEY="))
    shown = _show(cwd=tmp_path, default_env_file=True)
    assert shown["DEBUG"] == "True"
    assert shown["SECRET_KEY"] == secret.removeprefix("SECRET_KEY=")
    assert len(shown["SECRET_KEY"]) >= 50
    # The demo database that `make run` used before there was a .env: db.sqlite3 in the checkout.
    assert shown["DATABASE"] == str(ROOT / "db.sqlite3")
    assert (tmp_path / ".env").stat().st_mode & 0o077 == 0  # the secret key is readable by its owner only


def test_an_existing_env_file_is_never_overwritten(tmp_path):
    path = tmp_path / ".env"
    path.write_text("DEBUG=1\nSECRET_KEY=mine\n", encoding="utf-8")
    result = _run([str(ROOT / "scripts" / "write_env.py"), str(path)])
    assert result.returncode == 0, result.stderr
    assert "lämnas orörd" in result.stdout
    assert path.read_text(encoding="utf-8") == "DEBUG=1\nSECRET_KEY=mine\n"


def test_two_written_env_files_have_different_secret_keys(tmp_path):
    keys = []
    for name in ("a.env", "b.env"):
        _run([str(ROOT / "scripts" / "write_env.py"), str(tmp_path / name)])
        keys.append(next(line for line in (tmp_path / name).read_text().splitlines() if line.startswith("SECRET_KEY")))
    assert keys[0] != keys[1]


def test_the_test_run_reads_no_env_file_nor_do_the_processes_it_starts():
    assert settings.ENV_FILE == ""
    # Inherited by every subprocess a test starts (test_settings.py's manage.py runs among them).
    assert os.environ["ENV_FILE"] == ""
