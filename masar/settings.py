"""Masar settings, read from the environment.

Every value has a default that makes `runserver` work on SQLite with nothing set;
a malformed value stops start-up with a message naming the variable.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name, default=""):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {value!r}")


def env_int(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, not {value!r}") from None


def env_list(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env_str("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "masar-development-only-key-never-use-in-production"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "masar.core",
    "masar.accounts",
    "masar.audit",
    "masar.organizations",
    "masar.strategy",
    "masar.portfolio",
    "masar.decisions",
    "masar.delivery",
    "masar.attachments",
    "masar.documents",
    "masar.dashboards",
    "masar.exports",
    "masar.reports",
    "masar.indicators",
    "masar.workspace",
    "masar.exchange",
    "masar.webhooks",
    "masar.imports",
    "masar.search",
    "masar.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "masar.core.middleware.ReaderMiddleware",
    "masar.api.middleware.ApiMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "masar.urls"
WSGI_APPLICATION = "masar.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "masar" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "masar.delivery.context_processors.inbox",
                "masar.core.context_processors.reader",
                "masar.workspace.context_processors.navigation",
            ],
            "builtins": ["masar.core.templatetags.masar"],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE makes a write transaction take the lock when it begins, so two
    # writers queue up instead of failing half-way ("database is locked").
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"}
    )
    DATABASES["default"]["TEST"] = {"NAME": env_str("TEST_SQLITE_NAME", "") or None}
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The just-in-time compiler costs more than it saves on Masar's short queries: its cost estimates
    # for nested visibility conditions run into millions and make it compile every search (20 s against 2 s).
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts-login"
LOGIN_REDIRECT_URL = "workspace-my-work"
LOGOUT_REDIRECT_URL = "core-home"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages: Arabic first, then French and English.
LANGUAGE_CODE = "ar"
LANGUAGES = [("ar", _("Arabic")), ("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "masar" / "locale"]
# The CLDR locale used to format Arabic dates and numbers: month names differ between
# the Maghreb (ar_TN, ar_DZ: جانفي; ar_MA: يناير) and the Levant (ar_SY, ar_LB: كانون الثاني).
MASAR_ARABIC_LOCALE = env_str("MASAR_ARABIC_LOCALE", "ar_TN")
TIME_ZONE = env_str("TIME_ZONE", "Africa/Tunis")
# Percent complete rising by more points than this in one month asks the reporter to confirm the figures.
MASAR_PERCENT_JUMP_LIMIT = env_int("MASAR_PERCENT_JUMP_LIMIT", 25)
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_ROOT = BASE_DIR / env_str("MEDIA_DIR", "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# WhiteNoise serves the collected files (collectstatic) when DEBUG is off, and reads the
# apps' static folders directly while developing.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

PAGE_SIZE = env_int("PAGE_SIZE", 50)
# The largest attachment accepted (evidence on updates, obstacles, decisions), in bytes.
ATTACHMENT_MAX_BYTES = env_int("ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)
# The largest document accepted in the document library (laws, strategies, minutes, reports), in bytes.
DOCUMENT_MAX_BYTES = env_int("DOCUMENT_MAX_BYTES", 25 * 1024 * 1024)
# Calls a minute of one person's tokens together (a system's rate is set on its page): enough for a script
# that loads a ministry's documents one by one, bounded against a runaway loop.
API_PERSON_RATE_PER_MINUTE = env_int("API_PERSON_RATE_PER_MINUTE", 3000)

# Background work: Django's Tasks API. The database backend needs nothing more than the
# database (run `manage.py db_worker`); TASKS_BACKEND=rq moves the queue to Redis (REDIS_URL)
# for deployments with several workers (run `manage.py rqworker --job-class django_tasks_rq.Job`).
TASKS_BACKEND = env_str("TASKS_BACKEND", "db")
REDIS_URL = env_str("REDIS_URL", "redis://127.0.0.1:6379/0")
if TASKS_BACKEND == "db":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
elif TASKS_BACKEND == "rq":
    INSTALLED_APPS += ["django_rq"]
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 3600}}
elif TASKS_BACKEND == "immediate":
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
else:
    raise ImproperlyConfigured(f"TASKS_BACKEND must be db, rq or immediate, not {TASKS_BACKEND!r}")

# Webhooks go to https addresses only; plain http to this machine (127.0.0.1, localhost, ::1) is allowed
# where a developer's receiver runs: under DEBUG, or when set (the tests' receiver).
WEBHOOKS_ALLOW_LOOPBACK = env_bool("WEBHOOKS_ALLOW_LOOPBACK", DEBUG)

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# The address the links in notification e-mails start with.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

# The largest body one API call may send (bigger data goes through an import).
API_MAX_BODY_BYTES = env_int("API_MAX_BODY_BYTES", 2 * 1024 * 1024)

# --- uploads (issue 12)
# What an uploaded file may cost before it is refused with its door's own message (README, "Upload limits").
# Zip-based files (XLSX, DOCX) are checked before any parser opens them: unpacked size, members, ratio.
UPLOAD_MAX_UNZIPPED_MB = env_int("UPLOAD_MAX_UNZIPPED_MB", 50)
UPLOAD_MAX_ZIP_RATIO = env_int("UPLOAD_MAX_ZIP_RATIO", 100)
UPLOAD_MAX_ZIP_MEMBERS = env_int("UPLOAD_MAX_ZIP_MEMBERS", 2000)
# A table (CSV, XLSX, JSON import): its columns, one cell (Excel's own limit) and one physical CSV line.
UPLOAD_MAX_COLUMNS = env_int("UPLOAD_MAX_COLUMNS", 500)
UPLOAD_MAX_CELL_CHARS = env_int("UPLOAD_MAX_CELL_CHARS", 32767)
UPLOAD_MAX_LINE_CHARS = env_int("UPLOAD_MAX_LINE_CHARS", 1_000_000)
# Bulk imports (masar.imports): file size, rows (blank ones included), and rows of an XLSX file, whose
# reading costs far more than CSV's: bigger files go as CSV.
IMPORT_MAX_MB = env_int("IMPORT_MAX_MB", 256)
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 2_000_000)
IMPORT_XLSX_MAX_ROWS = env_int("IMPORT_XLSX_MAX_ROWS", 100_000)
# Indicator values uploaded on an indicator's page: checked and previewed in the request.
INDICATOR_UPLOAD_MAX_MB = env_int("INDICATOR_UPLOAD_MAX_MB", 5)
INDICATOR_UPLOAD_MAX_ROWS = env_int("INDICATOR_UPLOAD_MAX_ROWS", 5000)
