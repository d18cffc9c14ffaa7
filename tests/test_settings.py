"""Production settings: `check --deploy` is clean, secrets come only from the environment."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _manage(*args, **env):
    unset = {"TESTING", "DEBUG", "SECRET_KEY", "SECURE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    base = {k: v for k, v in os.environ.items() if k not in unset}
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env={**base, **env},
                          capture_output=True, text=True, timeout=120)


def test_check_deploy_is_clean_with_production_settings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", DEBUG="0", SECURE="1",
                     SECRET_KEY="x" * 20 + "production-secret-from-the-environment-0123456789",
                     ALLOWED_HOSTS="uppfoljning.example.se")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = _manage("check", DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_an_unexpected_boolean_is_an_error_not_a_default():
    result = _manage("check", DEBUG="kanske")
    assert result.returncode != 0
    assert "is not a boolean" in result.stderr
