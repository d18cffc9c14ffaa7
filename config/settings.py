"""Settings for the follow-up system. One file; every deployment value comes from the environment.

Development defaults are safe: DEBUG is off unless asked for, and without a SECRET_KEY only
DEBUG mode starts (with a throwaway key). Production: DEBUG=0, SECRET_KEY, ALLOWED_HOSTS,
DATABASE_URL and (behind TLS) SECURE=1. A checkout's `.env` (written by `make run`) is read too, with
the real environment winning over it.
"""

import atexit
import datetime
import os
import sys
import tempfile
from pathlib import Path

import dj_database_url
import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

# The local demo's settings (DEBUG=1, a generated SECRET_KEY, the demo database) live in the checkout's
# git-ignored `.env`, written once by `make run` (scripts/write_env.py), so management commands run as the
# README writes them. Variables already in the environment win over the file. ENV_FILE names another file,
# or none when empty; a deployment has no `.env` and reads only its real environment (docs/deployment.md).
# A test run reads none, nor do the processes its tests start (they inherit ENV_FILE=""), so a developer's
# `.env` never changes what the tests see.
if env_bool("TESTING", False) or "pytest" in sys.modules:
    os.environ.setdefault("ENV_FILE", "")
ENV_FILE = os.environ.get("ENV_FILE", str(BASE_DIR / ".env"))
if ENV_FILE:
    if "ENV_FILE" in os.environ and not Path(ENV_FILE).is_file():
        raise ImproperlyConfigured(f"ENV_FILE={ENV_FILE!r} is not a file.")
    environ.Env.read_env(ENV_FILE)

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY", "")
if not SECRET_KEY:
    # The throwaway key is for the local demo and for the test suite itself, never for a deployment.
    if not DEBUG and not (env_bool("TESTING", False) and "pytest" in sys.modules):
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-not-for-production-use-only-local-0123456789"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tables2",
    "django_filters",
    "simple_history",
    "axes",
    "csp",
    "rest_framework",
    "knox",
    "django_tasks",
    "django_tasks_db",
    # Our rooms, bottom to top: each imports only those above it in this list.
    "nämndplan.apps.PlanConfig",
    "procurement.apps.ProcurementConfig",
    "procurement.importing.apps.RegisterImportConfig",  # the import's runs and staged rows (label register_import)
    "procurement.checks.apps.SupplierChecksConfig",  # the ledger of supplier checks (label supplier_checks)
    "procurement.planning.apps.ProcurementPlanConfig",  # the procurement plan (label procurement_plan)
    "indicators.apps.IndicatorsConfig",
    "reports.apps.ReportsConfig",
    "dashboards.apps.DashboardsConfig",
    "ops.apps.OpsConfig",
]

MIDDLEWARE = [
    "config.http.RequestSizeLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "config.http.PrivateCacheMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ops.context_processors.roles",
            ],
        },
    },
]
FORM_RENDERER = "common.forms.FormRenderer"  # one template for every form field: templates/partials/field.html

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets pages read while an import (or anyone) writes; IMMEDIATE takes the write lock when a
    # transaction starts, so a second writer waits up to `timeout` seconds for its turn instead of
    # failing with "database is locked" half-way through.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": env_int("SQLITE_TIMEOUT", 20),
    }
    if env_bool("TESTING", False):
        # Tests run on a file as production does (an in-memory database has no WAL, and the import's
        # worker in another thread must see the test's data); one file per test process.
        _TEST_DATABASE = Path(tempfile.gettempdir()) / f"uppfoljning-test-{os.getpid()}.sqlite3"
        DATABASES["default"]["TEST"] = {"NAME": str(_TEST_DATABASE)}
        # Django removes the file after the run; SQLite's log beside it stays if a connection was left open.
        atexit.register(lambda: [Path(f"{_TEST_DATABASE}{end}").unlink(missing_ok=True) for end in ("-wal", "-shm")])
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Background tasks (the Excel import): django-tasks with its database backend; `manage.py db_worker`
# runs them (make run starts one; docs/deployment.md for production).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if env_bool("TESTING", False):
    # Fast hashing keeps the test suite quick; never used outside tests.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboards:home"
LOGOUT_REDIRECT_URL = "login"

# Login throttling: five failures for one username from one address answer 429 for an hour.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "config.http.client_ip"
# The user name axes stores and locks on, cut to the longest a user can have.
AXES_USERNAME_CALLABLE = "config.http.client_username"
# Failures during a lockout are refused without being recorded: else each one appends its request
# data to the attempt's row, which then grows for as long as someone keeps posting.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# Reverse proxies in front of the app that append to X-Forwarded-For (1 behind nginx; 0 when none).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Svenska"))]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True
# Numbers are grouped by common.formatting (the fmt filter); years and ids print plainly.
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "config.staticfinders.PlotlyFinder",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG and not env_bool("TESTING", False)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

WHITENOISE_USE_FINDERS = DEBUG or env_bool("TESTING", False)
WHITENOISE_AUTOREFRESH = DEBUG or env_bool("TESTING", False)

# Uploads (Excel import): refused above 10 MB before they reach memory.
DATA_UPLOAD_MAX_MEMORY_SIZE = 11 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
IMPORT_MAX_BYTES = 10 * 1024 * 1024
# What one import may hold: rows on the four sheets together, and the workbook's size unpacked (an
# .xlsx is a zip; the largest accepted file is read within 500 MB, see docs/performance.md).
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 50_000)
IMPORT_MAX_UNPACKED_BYTES = env_int("IMPORT_MAX_UNPACKED_BYTES", 100 * 1024 * 1024)
# Where uploads wait until the worker has read them; the web server and `manage.py db_worker` must share it.
IMPORT_TEMP_DIR = env_str("IMPORT_TEMP_DIR", "") or None
MAX_REQUEST_BYTES = IMPORT_MAX_BYTES + 512 * 1024  # the file plus the form around it

# Security. SECURE=1 behind TLS turns on the transport settings that `check --deploy` asks for.
SECURE = env_bool("SECURE", False)
SECURE_SSL_REDIRECT = SECURE
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SECURE_HSTS_SECONDS = 31536000 if SECURE else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if SECURE else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 60 * 60
X_FRAME_OPTIONS = "DENY"
SILENCED_SYSTEM_CHECKS = ["security.W021"]  # HSTS preload is a domain owner's decision, not ours.

# Content-Security-Policy: only our own scripts; plotly.js is served from our static files.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # plotly.js sets inline styles on the elements it draws.
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# Read-only JSON API for integrations: a token (Authorization: Token …) or the browser session.
# Tokens are django-rest-knox's: shown once when made (manage.py create_api_token), stored as a digest.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "knox.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.UserRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"user": env_str("API_THROTTLE_RATE", "2000/hour")},
}
# Days a new token is valid; 0 gives tokens without an end date.
API_TOKEN_DAYS = env_int("API_TOKEN_DAYS", 365)
if API_TOKEN_DAYS < 0:
    raise ImproperlyConfigured(f"API_TOKEN_DAYS={API_TOKEN_DAYS} must be 0 (no end date) or more days.")
REST_KNOX = {
    "TOKEN_TTL": datetime.timedelta(days=API_TOKEN_DAYS) if API_TOKEN_DAYS else None,
    "AUTH_HEADER_PREFIX": "Token",  # the header clients sent to DRF's tokens before
}

# Memo of the register computation (indicators/freshness.py), keyed by the data version in the database,
# so no process serves a stale value. Without CACHE_URL each process keeps its own memo (no server needed);
# with several gunicorn workers or app servers, CACHE_URL=redis://host:6379/0 shares one memo between them
# (Django's own Redis backend; the URL may carry a password, redis://:secret@host:6379/0, or be rediss://).
CACHE_URL = env_str("CACHE_URL", "")
if not CACHE_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 500}}}
elif CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            # A Redis that stops answering fails the request after seconds instead of hanging the worker.
            "OPTIONS": {"socket_connect_timeout": 5, "socket_timeout": 5},
        }
    }
else:
    raise ImproperlyConfigured(f"CACHE_URL={CACHE_URL!r} is not a Redis URL (redis://, rediss:// or unix://).")
INDICATOR_CACHE = env_bool("INDICATOR_CACHE", not env_bool("TESTING", False))
INDICATOR_CACHE_SECONDS = env_int("INDICATOR_CACHE_SECONDS", 3600)

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# E-mail (the reminders of `send_reminders`): printed to the console in the demo, SMTP in production.
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Upphandlingscenter <noreply@localhost>")
# The address the links in e-mails start with, e.g. https://uppfoljning.example.se
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# The OCDS export (procurement/ocds.py, docs/ocds.md): the ocid prefix registered with the Open Contracting
# Partnership ("ocds-" and six letters or digits), the data's licence and the publication policy's URL.
OCDS_PREFIX = env_str("OCDS_PREFIX", "ocds-xxxxxx")
OCDS_LICENSE = env_str("OCDS_LICENSE", "https://creativecommons.org/publicdomain/zero/1.0/")
OCDS_PUBLICATION_POLICY = env_str("OCDS_PUBLICATION_POLICY", "")

DJANGO_TABLES2_TEMPLATE = "django_tables2/semantic.html"
DJANGO_TABLES2_TABLE_ATTRS = {"class": "data-table"}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
    # WeasyPrint reports every screen-only CSS rule it skips (e.g. visually-hidden); not actionable.
    "loggers": {"weasyprint": {"level": "ERROR"}, "fontTools": {"level": "ERROR"}},
}
