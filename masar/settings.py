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
    "pgtrigger",
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
    "masar.opendata",
    "masar.integrity",
    "masar.catalogue",
    "masar.portal",
    "masar.factcheck",
    "masar.demo",
]

MIDDLEWARE = [
    "masar.core.observe.ObserveRequestMiddleware",
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
    "masar.core.replicas.ReplicaMiddleware",
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
REDIS_URL = env_str("REDIS_URL", "")  # empty: no Redis (the cache stays in each process's memory)
if TASKS_BACKEND == "db":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
elif TASKS_BACKEND == "rq":
    if not REDIS_URL:
        raise ImproperlyConfigured("TASKS_BACKEND=rq needs REDIS_URL (e.g. redis://127.0.0.1:6379/0)")
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

# The largest body one API call may send (bigger data goes through an import).
API_MAX_BODY_BYTES = env_int("API_MAX_BODY_BYTES", 2 * 1024 * 1024)

# --- serve (issue 12)
from whitenoise.compress import Compressor  # noqa: E402 - kept in this block, with the setting that uses it

# Static files: hashed names (collectstatic writes the manifest) that WhiteNoise serves with a ten-year
# `Cache-Control: immutable`, whenever DEBUG is off; STATIC_MANIFEST=0/1 overrides. `make serve` and `make demo`
# run collectstatic first. The test suite renders pages without collectstatic: tests/conftest.py keeps the plain
# storage for the session, as Django's documentation advises for manifest storage.
STATIC_MANIFEST = env_bool("STATIC_MANIFEST", not DEBUG)
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
if STATIC_MANIFEST:
    STORAGES["staticfiles"] = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}
# Source maps are read by a developer's browser tools only: compressing them (brotli, 5 MB) was half of collectstatic.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = [*Compressor.SKIP_COMPRESS_EXTENSIONS, "map"]

# /metrics answers a Prometheus holding this bearer token (or a signed-in staff member); empty turns tokens off.
METRICS_TOKEN = env_str("METRICS_TOKEN", "")
if env_str("METRICS_TOKEN_FILE", ""):
    if METRICS_TOKEN:
        raise ImproperlyConfigured("Set METRICS_TOKEN or METRICS_TOKEN_FILE, not both")
    try:
        METRICS_TOKEN = Path(env_str("METRICS_TOKEN_FILE")).read_text(encoding="utf-8").strip()
    except OSError as error:
        raise ImproperlyConfigured(f"METRICS_TOKEN_FILE cannot be read: {error}") from None

# Logs: one JSON line per record (LOG_FORMAT=json, the default, for the log shipper) or text for a developer's
# terminal (LOG_FORMAT=text); both carry the request id. masar.request writes one line per request at INFO
# whatever LOG_LEVEL says for the rest, so django.request's own 4xx warnings would only repeat it (its errors,
# with their tracebacks, stay).
LOG_FORMAT = env_str("LOG_FORMAT", "json")
if LOG_FORMAT not in ("json", "text"):
    raise ImproperlyConfigured(f"LOG_FORMAT must be json or text, not {LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "masar.core.logs.JsonFormatter"},
        "text": {"()": "masar.core.logs.TextFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
    "loggers": {
        "masar.request": {"level": env_str("LOG_REQUEST_LEVEL", "INFO")},
        "django.request": {"level": "ERROR"},
    },
}

# --- audit (issue 12)
# The key that signs the audit trail (HMAC-SHA256), kept outside the database: AUDIT_KEY, or a file holding it
# (AUDIT_KEY_FILE, which wins). At least 32 characters. Unset, a key derived from SECRET_KEY with its own salt is
# used (and SECRET_KEY_FALLBACKS keep older entries verifiable); set a separate key in production so that
# rotating SECRET_KEY and rotating the trail's key are separate decisions. Old keys after a rotation, comma-separated:
AUDIT_KEY = env_str("AUDIT_KEY", "")
AUDIT_KEY_FILE = env_str("AUDIT_KEY_FILE", "")
AUDIT_KEY_FALLBACKS = env_list("AUDIT_KEY_FALLBACKS", [])
# Where `audit_anchor` writes the trail's daily signed head; copy it off the machine to write-once storage.
AUDIT_ANCHOR_DIR = Path(env_str("AUDIT_ANCHOR_DIR", "") or BASE_DIR / "var" / "audit-anchors")
# `audit_reconcile` counts a row as written by a bulk write when a bulk entry follows its last change within this.
AUDIT_RECONCILE_BULK_WINDOW = env_int("AUDIT_RECONCILE_BULK_WINDOW", 3600)
# --- signin (issue 12)
# Throttled sign-in (django-axes), a second factor for those who read everything (django-otp), password reset.
INSTALLED_APPS += ["axes", "django_otp", "django_otp.plugins.otp_totp", "django_otp.plugins.otp_static"]
# After the session's user is known: OTP marks whether it passed the second factor, then the gate refuses every
# page but the sign-in steps to a session that still owes it. Axes turns a lock-out into its page (innermost).
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "django_otp.middleware.OTPMiddleware",
)
MIDDLEWARE.insert(
    MIDDLEWARE.index("django_otp.middleware.OTPMiddleware") + 1, "masar.accounts.middleware.SecondFactorMiddleware"
)
MIDDLEWARE.append("axes.middleware.AxesMiddleware")
# Axes first: a locked-out sign-in is refused before the password is hashed.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_HANDLER = "masar.accounts.throttle.SignInThrottle"
# Failures of one username from one address within the cool-off lock that pair out; failures from one address
# over any usernames lock the address at the higher limit (a ministry's offices share one address behind NAT).
# Never the username alone: an attacker elsewhere must not lock the real person out.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_FAILURE_LIMIT = env_int("SIGNIN_FAILURE_LIMIT", 5)
SIGNIN_ADDRESS_FAILURE_LIMIT = env_int("SIGNIN_ADDRESS_FAILURE_LIMIT", 50)
AXES_COOLOFF_TIME = env_int("SIGNIN_COOLOFF_MINUTES", 15) / 60  # in hours, as axes reads a number
# Attempts during a lock-out are refused without being written: the flood costs two small reads each, the
# cool-off runs from the last counted failure, and the table does not grow with the attack.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = False  # the counted attempts and the audit trail say enough
AXES_DISABLE_ACCESS_LOG = env_bool("SIGNIN_DISABLE_ACCESS_LOG", False)  # successful sign-ins; `axes_reset_logs --age`
AXES_LOCKOUT_CALLABLE = "masar.accounts.throttle.lockout_response"
AXES_CLIENT_IP_CALLABLE = "masar.accounts.throttle.client_address"
AXES_USERNAME_CALLABLE = "masar.accounts.throttle.username_tried"
AXES_VERBOSE = False
# Behind a reverse proxy: how many proxies append to X-Forwarded-For. 0 (the default) trusts no header and reads
# the connection's own address; never set it when clients reach gunicorn directly (they could forge the header).
SIGNIN_TRUSTED_PROXY_COUNT = env_int("SIGNIN_TRUSTED_PROXY_COUNT", 0)
if not 1 <= AXES_FAILURE_LIMIT <= SIGNIN_ADDRESS_FAILURE_LIMIT or SIGNIN_TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured(
        "SIGNIN_FAILURE_LIMIT must be at least 1 and at most SIGNIN_ADDRESS_FAILURE_LIMIT; "
        "SIGNIN_TRUSTED_PROXY_COUNT must not be negative"
    )
TWO_FACTOR_REQUIRED = env_bool("TWO_FACTOR_REQUIRED", True)
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "Masar")
# Password reset links expire after an hour; a person or an address asks for a few an hour at most.
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT", 3600)
PASSWORD_RESET_ADDRESS_LIMIT = env_int("PASSWORD_RESET_ADDRESS_LIMIT", 10)
PASSWORD_RESET_EMAIL_LIMIT = env_int("PASSWORD_RESET_EMAIL_LIMIT", 3)
# Where the reset links (and notifications) are sent from; EMAIL_BACKEND above picks the console by default.
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "masar@localhost")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# --- jobs (issue 12)
# Each job row (council pack, export, import) is leased to the worker running it, which extends the lease as it
# reports progress. A lease left to expire means the worker died: the sweep (`manage.py jobs_sweep --every 30`,
# started beside the workers) queues the job again, up to JOB_MAX_ATTEMPTS attempts, then marks it failed.
# The lease must outlast the longest step between two progress reports (rendering a national pack's PDF).
JOB_LEASE_SECONDS = env_int("JOB_LEASE_SECONDS", 300)
JOB_MAX_ATTEMPTS = env_int("JOB_MAX_ATTEMPTS", 3)
# A job still queued this long after it was handed to the queue is handed again (a Redis that lost its data).
JOB_REQUEUE_SECONDS = env_int("JOB_REQUEUE_SECONDS", 300)
for _name in ("JOB_LEASE_SECONDS", "JOB_MAX_ATTEMPTS", "JOB_REQUEUE_SECONDS"):
    if globals()[_name] < 1:
        raise ImproperlyConfigured(f"{_name} must be at least 1, not {globals()[_name]}")
# --- replica (issue 12)
# Reads of GET/HEAD requests go to PostgreSQL streaming replicas (masar.core.replicas); writes, transactions, jobs,
# commands and migrations use the primary ("default"). DATABASE_REPLICA_URLS lists them, comma-separated.
DATABASE_REPLICA_URLS = env_list("DATABASE_REPLICA_URLS", [])
# A caller who wrote reads the primary for this long, which must exceed the lag a replica is allowed before it is
# skipped plus how long a health verdict is kept: then nobody ever misses their own change.
REPLICA_STICKY_SECONDS = env_int("REPLICA_STICKY_SECONDS", 10)
REPLICA_MAX_LAG_SECONDS = env_int("REPLICA_MAX_LAG_SECONDS", 5)
REPLICA_CHECK_SECONDS = env_int("REPLICA_CHECK_SECONDS", 3)  # a replica's health is probed this often per process
REPLICA_CONNECT_TIMEOUT = env_int("REPLICA_CONNECT_TIMEOUT", 2)  # seconds; libpq's minimum is 2
REPLICA_DATABASES: list[str] = []
if DATABASE_REPLICA_URLS:
    if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("DATABASE_REPLICA_URLS needs DATABASE_URL to be a PostgreSQL database")
    if REPLICA_STICKY_SECONDS <= REPLICA_MAX_LAG_SECONDS + REPLICA_CHECK_SECONDS:
        raise ImproperlyConfigured(
            "REPLICA_STICKY_SECONDS must exceed REPLICA_MAX_LAG_SECONDS + REPLICA_CHECK_SECONDS, "
            f"not {REPLICA_STICKY_SECONDS} <= {REPLICA_MAX_LAG_SECONDS} + {REPLICA_CHECK_SECONDS}"
        )
    for _index, _url in enumerate(DATABASE_REPLICA_URLS):
        _replica = dj_database_url.parse(
            _url, conn_max_age=DATABASES["default"]["CONN_MAX_AGE"], conn_health_checks=True
        )
        if _replica["ENGINE"] != "django.db.backends.postgresql":
            raise ImproperlyConfigured(f"DATABASE_REPLICA_URLS must list PostgreSQL URLs, not {_url!r}")
        _replica.setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
        _replica["OPTIONS"].setdefault("connect_timeout", REPLICA_CONNECT_TIMEOUT)
        # Under test a replica reads the primary's test database by name: a streaming replica holds it already,
        # and the test runner neither creates nor flushes a mirror.
        _replica["TEST"] = {"MIRROR": "default"}
        DATABASES[f"replica_{_index}"] = _replica
        REPLICA_DATABASES.append(f"replica_{_index}")
DATABASE_ROUTERS = ["masar.core.routers.ReplicaRouter"]

# The cache: Redis when REDIS_URL is set (shared by every app server: a dashboard computed by one serves all),
# else each process's memory. A Redis outage makes pages slower, never errors (masar.core.cache).
REDIS_CACHE_RETRY_SECONDS = env_int("REDIS_CACHE_RETRY_SECONDS", 5)
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "masar.core.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "masar"),
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1.0},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
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

# Open data: the job sweep asks the worker this often to regenerate the published files whose public rows changed
# (0: never; the nightly job and each approval still do).
OPEN_DATA_CHECK_SECONDS = env_int("OPEN_DATA_CHECK_SECONDS", 300)
# A published dataset with more rows than this is not generated (its previous files stay, its steward is told).
OPEN_DATA_MAX_ROWS = env_int("OPEN_DATA_MAX_ROWS", 1_000_000)

# Integrity and early warning (issue 15): amounts are compared in this currency, converted with the dated
# exchange-rate table; the worker runs the red-flag rules and detectors this often (0: only nightly and on demand).
PROCUREMENT_CURRENCY = env_str("PROCUREMENT_CURRENCY", "TND")
INTEGRITY_SCAN_SECONDS = env_int("INTEGRITY_SCAN_SECONDS", 3600)
# --- public portal (issue 16)
# What one address may send in an hour: ratings over all services (one per service a day), and complaints or
# suggestions. Beyond, the form says to come back later and nothing is counted.
PORTAL_RATINGS_PER_HOUR = env_int("PORTAL_RATINGS_PER_HOUR", 20)
PORTAL_FEEDBACK_PER_HOUR = env_int("PORTAL_FEEDBACK_PER_HOUR", 5)
PORTAL_FACTCHECKS_PER_HOUR = env_int("PORTAL_FACTCHECKS_PER_HOUR", 30)
# Where a deployment keeps the official OCDS 1.1.5 schema (release-package-schema.json and release-schema.json):
# when set, imports are validated against it as well as against Masar's own profile of OCDS.
OCDS_SCHEMA_DIR = env_str("OCDS_SCHEMA_DIR", "")


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

# --- public pages (issue 12)
# Anonymous visitors' pages are kept whole in the cache until the data changes (masar.core.pagecache), at most this
# many seconds (0 turns it off): citizens reading the public dashboard at month end cost one query a page.
PUBLIC_PAGE_CACHE_SECONDS = env_int("PUBLIC_PAGE_CACHE_SECONDS", 300)
MIDDLEWARE.append("masar.core.pagecache.PublicPageCacheMiddleware")
# A request body larger than this is refused (413) before it is read: the largest upload (IMPORT_MAX_MB) plus room
# for the form around it. The reverse proxy should refuse earlier (nginx client_max_body_size).
_LARGEST_UPLOAD = max(IMPORT_MAX_MB * 1024 * 1024, DOCUMENT_MAX_BYTES)
REQUEST_MAX_BODY_BYTES = env_int("REQUEST_MAX_BODY_BYTES", _LARGEST_UPLOAD + 1024 * 1024)
MIDDLEWARE.insert(1, "masar.core.security.BodyLimitMiddleware")

# --- open data: IATI and OCDS (issue 14)
# The organization Masar publishes open data for (IATI reporting-org, OCDS publisher): the code of a Masar
# organization (the demo's ministry of communication technologies); when no organization has it, the root of
# the organization tree (the government).
OPENDATA_PUBLISHER_CODE = env_str("OPENDATA_PUBLISHER_CODE", "TN-MTC")
# The IATI organisation identifier of that publisher (IATI's "{registration agency}-{number}"); activities are
# identified as "<IATI_REPORTING_ORG_REF>-<project code>", so it must not change once published.
IATI_REPORTING_ORG_REF = env_str("IATI_REPORTING_ORG_REF", "TN-GOV-MTC")
# The country the projects are in (ISO 3166-1 alpha-2), the recipient country of every IATI activity.
IATI_RECIPIENT_COUNTRY = env_str("IATI_RECIPIENT_COUNTRY", "TN")
_country = IATI_RECIPIENT_COUNTRY
if not (len(_country) == 2 and _country.isascii() and _country.isalpha() and _country.isupper()):
    raise ImproperlyConfigured(f"IATI_RECIPIENT_COUNTRY must be an ISO 3166-1 alpha-2 code (e.g. TN), not {_country!r}")
if not IATI_REPORTING_ORG_REF.strip():
    raise ImproperlyConfigured("IATI_REPORTING_ORG_REF must not be empty")
# Where the OCDS publication policy is read (a page of the deployment); empty, the release package names none.
OCDS_PUBLICATION_POLICY_URL = env_str("OCDS_PUBLICATION_POLICY_URL", "")
