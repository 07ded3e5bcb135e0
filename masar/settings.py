"""Masar settings, read from the environment.

Every value has a default that makes `runserver` work on SQLite with nothing set;
a malformed value stops start-up with a message naming the variable.
"""

import os
from pathlib import Path

import csp.constants as csp
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


def env_secret(name, default=""):
    """Return NAME, or the content of the file NAME_FILE names (a container's mounted secret), without its end of line.

    Setting both is refused rather than one silently winning; an unreadable or empty file stops start-up.
    """
    value = os.environ.get(name)
    path = os.environ.get(f"{name}_FILE")
    if path and value:
        raise ImproperlyConfigured(f"Set {name} or {name}_FILE, not both")
    if not path:
        return default if value is None else value
    try:
        content = Path(path).read_text(encoding="utf-8").rstrip("\r\n")
    except (OSError, UnicodeDecodeError) as error:
        raise ImproperlyConfigured(f"{name}_FILE={path!r} cannot be read: {error}") from None
    if not content:
        raise ImproperlyConfigured(f"{name}_FILE={path!r} is empty")
    return content


# DEBUG is off unless asked for (DEBUG=1 on a developer's machine). There is no fallback key: a process that
# signs anything (sessions, CSRF, password-reset links) without SECRET_KEY stops with Django's own error, while
# the commands that need no key (migrate, load_demo, the type checker) still run. The tests use masar/settings_test.py.
DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_secret("SECRET_KEY")
# Former keys, still accepted when reading signatures, so that rotating SECRET_KEY does not sign everyone out at once.
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS", [])
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
    "csp",
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
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "masar.core.security.SessionSlidingMiddleware",
    "masar.core.security.PrivateCacheMiddleware",
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
        env_secret("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
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

# --- secure (issue 12)
# One switch for a site served over HTTPS (HTTPS=1): secure cookies, the redirect to https and HSTS. Off by
# default so that the demo on http://127.0.0.1 keeps working; each setting can still be set on its own.
HTTPS = env_bool("HTTPS", False)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", HTTPS)
# The load balancer's probes come in plain http on the private network: they are answered, not redirected.
SECURE_REDIRECT_EXEMPT = [r"^(healthz|readyz|metrics)/?$"]
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", HTTPS)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", HTTPS)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 365 * 24 * 3600 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", HTTPS)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", HTTPS)
# Behind a reverse proxy that ends TLS: the header it sets and the value meaning https, e.g.
# SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO,https". Only set it when the proxy always overwrites that header.
_proxy_header = env_list("SECURE_PROXY_SSL_HEADER", [])
if _proxy_header and (len(_proxy_header) != 2 or not _proxy_header[0].startswith("HTTP_")):
    raise ImproperlyConfigured(
        f"SECURE_PROXY_SSL_HEADER must be 'HTTP_<HEADER>,<value>', e.g. 'HTTP_X_FORWARDED_PROTO,https', "
        f"not {os.environ['SECURE_PROXY_SSL_HEADER']!r}"
    )
SECURE_PROXY_SSL_HEADER = tuple(_proxy_header) or None
# Origins allowed to post forms besides the site's own (scheme included), e.g. https://masar.gov.tn.
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# A session ends after SESSION_COOKIE_AGE seconds without a request (30 minutes), and when the browser closes.
# SessionSlidingMiddleware moves the end forward at most once every SESSION_REFRESH_SECONDS, so that a person
# clicking around does not cost a session write on every request (SESSION_SAVE_EVERY_REQUEST would).
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 30 * 60)
SESSION_REFRESH_SECONDS = min(env_int("SESSION_REFRESH_SECONDS", 60), SESSION_COOKIE_AGE)
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", True)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# Content-Security-Policy (django-csp): no inline script or style, no eval. The few elements that must be
# inline carry the request's nonce ({{ request.csp_nonce }}); charts run Vega's expression interpreter.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp.SELF],
        "script-src": [csp.SELF, csp.NONCE],
        "style-src": [csp.SELF, csp.NONCE],
        "img-src": [csp.SELF, "data:"],
        "object-src": [csp.NONE],
        "base-uri": [csp.SELF],
        "frame-ancestors": [csp.NONE],
        "form-action": [csp.SELF],
    }
}

# Finished exports and council packs are deleted after these many days (manage.py files_expire, run nightly);
# their pages then say the file has expired.
EXPORT_RETENTION_DAYS = env_int("EXPORT_RETENTION_DAYS", 7)
PACK_RETENTION_DAYS = env_int("PACK_RETENTION_DAYS", 30)
