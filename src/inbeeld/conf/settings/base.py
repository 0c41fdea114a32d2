"""Settings shared by every environment; every value from the environment goes through conf.env."""

from __future__ import annotations

import datetime as dt

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from inbeeld.conf import env, logs
from inbeeld.rules import escalation

BASE_DIR = env.BASE_DIR
VAR_DIR = env.BASE_DIR / "var"

SECRET_KEY = env.text("INBEELD_SECRET_KEY", "insecure-development-key-change-me")
DEBUG = env.flag("INBEELD_DEBUG", False)
ALLOWED_HOSTS = env.items("INBEELD_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env.items("INBEELD_CSRF_TRUSTED_ORIGINS", "")
#: Reverse proxies whose X-Forwarded-For is believed for the client's address in the audit trail
#: (inbeeld.accounts.client_ip); empty: REMOTE_ADDR is the client
INBEELD_TRUSTED_PROXIES = env.networks("INBEELD_TRUSTED_PROXIES", "")
#: Demo mode: demo users exist and their logins are printed at start. Refused in production.
DEMO_MODE = env.flag("INBEELD_DEMO", False)

DATABASES = {
    "default": dj_database_url.parse(
        env.text("INBEELD_DATABASE_URL", f"sqlite:///{VAR_DIR / 'inbeeld.sqlite3'}"),
        conn_max_age=env.number("INBEELD_DATABASE_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # web requests are short: PostgreSQL's JIT compilation costs more (~30 ms) than it saves
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # the embedded database lives under var/, which a fresh checkout does not have yet
    if str(DATABASES["default"]["NAME"]) not in ("", ":memory:"):
        env.BASE_DIR.joinpath(DATABASES["default"]["NAME"]).parent.mkdir(
            parents=True, exist_ok=True
        )
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "inbeeld.ui",
    "inbeeld.accounts",
    "inbeeld.audit",
    "inbeeld.operations",
    "inbeeld.people",
    "inbeeld.notifications",
    "inbeeld.concerns",
    "inbeeld.attendance",
    "inbeeld.cases",
    "inbeeld.leave",
    "inbeeld.exemptions",
    "inbeeld.barriers",
    "inbeeld.monitor",
    "inbeeld.today",
    "inbeeld.privacy",
    "inbeeld.correspondence",
    "inbeeld.prevention",
    "inbeeld.api",
    "inbeeld.schedule",
    "inbeeld.demo",
    "inbeeld.backups",
]

MIDDLEWARE = [
    # first: the request's id for the logs and the X-Request-ID response header
    "inbeeld.conf.logs.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "inbeeld.accounts.no_store.NoStoreMiddleware",
    "inbeeld.accounts.middleware.ActingOrganisationMiddleware",
    "inbeeld.privacy.middleware.RefusedAttemptMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "inbeeld.accounts.login_steps.IdleTimeoutMiddleware",
    "inbeeld.accounts.login_steps.LoginStepsMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # last: turns a refused (locked-out) login into the lockout page
    "axes.middleware.AxesMiddleware",
]

#: A strict Content-Security-Policy (django-csp): scripts, styles and everything else only from
#: Inbeeld itself; no inline script or style, no eval, no plug-ins, no framing. The templates keep
#: no inline code (ui/tests/test_csp.py); images also as data: URLs (the NL Design System CSS
#: draws its icons so); the monitor's charts use Vega's expression interpreter, not eval.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

ROOT_URLCONF = "inbeeld.urls"
WSGI_APPLICATION = "inbeeld.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "today:index"
LOGOUT_REDIRECT_URL = "accounts:login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "inbeeld.accounts.context_processors.acting",
                "inbeeld.notifications.context_processors.unread",
                "inbeeld.today.context_processors.counts",
            ],
        },
    }
]

#: Django's form renderer with select lists written in Python (ui/renderer.py: a list of 300
#: schools cost 600 template includes)
FORM_RENDERER = "inbeeld.ui.renderer.FormRenderer"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "inbeeld.accounts.password_validation.DutchCommonWordValidator"},
]

# Logging in (docs/authorization.md, "Inloggen"): django-axes refuses a username from one address
# after INBEELD_LOGIN_FAILURE_LIMIT failed attempts, for INBEELD_LOGIN_COOLOFF_MINUTES
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.number("INBEELD_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env.number("INBEELD_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "inbeeld.accounts.views.locked_out"
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "inbeeld.accounts.client_ip.client_ip"
#: axes keeps only the failed attempts it counts; logins are in the audit trail already
AXES_DISABLE_ACCESS_LOG = True
#: a session ends after this many seconds without a request (besides SESSION_COOKIE_AGE)
INBEELD_SESSION_IDLE_SECONDS = env.number("INBEELD_SESSION_IDLE_SECONDS", 30 * 60)
#: the second factor (django-otp): the issuer shown in authenticator apps
OTP_TOTP_ISSUER = env.text("INBEELD_OTP_ISSUER", "") or "Inbeeld"
#: passkeys (django-otp-webauthn): the relying party; empty ID = the host the page is served from
#: (WebAuthn needs a domain name: localhost, not 127.0.0.1)
OTP_WEBAUTHN_RP_ID = env.text("INBEELD_WEBAUTHN_RP_ID", "")
OTP_WEBAUTHN_RP_NAME = env.text("INBEELD_WEBAUTHN_RP_NAME", "") or "Inbeeld"
OTP_WEBAUTHN_RP_ID_CALLABLE = "inbeeld.accounts.passkeys.relying_party_id"
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", "Nederlands"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "src" / "inbeeld" / "locale"]
TIME_ZONE = env.text("INBEELD_TIME_ZONE", "Europe/Amsterdam")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.text("INBEELD_STATIC_ROOT", str(VAR_DIR / "static"))
#: front-end packages installed by npm at setup (package.json); served from node_modules
STATICFILES_DIRS = (
    [("vendor", BASE_DIR / "node_modules")] if (BASE_DIR / "node_modules").is_dir() else []
)
MEDIA_ROOT = env.text("INBEELD_MEDIA_ROOT", str(VAR_DIR / "uploads"))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
#: Imports (attendance.imports, the import page): the most bytes uploaded at once, all files
#: together, and the most bytes a zip may unpack to (protection against zip bombs)
INBEELD_IMPORT_MAX_UPLOAD_BYTES = env.number("INBEELD_IMPORT_MAX_UPLOAD_BYTES", 200 * 1024 * 1024)
INBEELD_IMPORT_MAX_UNPACKED_BYTES = env.number("INBEELD_IMPORT_MAX_UNPACKED_BYTES", 2 * 1024**3)
#: personal API tokens: the term offered when one is made, the longest term one may choose (days),
#: and how many requests one token may make (DRF rate: "1000/hour", "100/minute")
INBEELD_API_TOKEN_DAYS = env.number("INBEELD_API_TOKEN_DAYS", 90)
INBEELD_API_TOKEN_MAX_DAYS = env.number("INBEELD_API_TOKEN_MAX_DAYS", 365)
INBEELD_API_TOKEN_RATE = env.text("INBEELD_API_TOKEN_RATE", "1000/hour")
if not 1 <= INBEELD_API_TOKEN_DAYS <= INBEELD_API_TOKEN_MAX_DAYS:
    raise ImproperlyConfigured(
        "INBEELD_API_TOKEN_DAYS must be at least 1 and at most INBEELD_API_TOKEN_MAX_DAYS"
    )

#: Leave requests parents send through a school's public link (issue 11 §8): the largest employer's
#: statement accepted (bytes; PDF, JPEG or PNG), and how many times one address may send the form
#: (or try a link that does not work) per hour before it is refused for the rest of that hour
INBEELD_LEAVE_STATEMENT_MAX_BYTES = env.number("INBEELD_LEAVE_STATEMENT_MAX_BYTES", 5 * 1024 * 1024)
INBEELD_PUBLIC_LEAVE_PER_HOUR = env.number("INBEELD_PUBLIC_LEAVE_PER_HOUR", 10)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env.number("INBEELD_SESSION_SECONDS", 8 * 3600)
CSRF_COOKIE_HTTPONLY = False

EMAIL_BACKEND = env.text("INBEELD_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env.text("INBEELD_EMAIL_HOST", "localhost")
EMAIL_PORT = env.number("INBEELD_EMAIL_PORT", 25)
EMAIL_HOST_USER = env.text("INBEELD_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env.text("INBEELD_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env.flag("INBEELD_EMAIL_USE_TLS", False)
#: a shared cache for counts and figures: Redis in production (redis://127.0.0.1:6379/0); empty
#: keeps a cache per process in memory (the embedded default)
CACHE_URL = env.text("INBEELD_CACHE_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
        if CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

DEFAULT_FROM_EMAIL = env.text("INBEELD_FROM_EMAIL", "inbeeld@localhost")
#: the address users reach Inbeeld at, for links in e-mails
INBEELD_BASE_URL = env.text("INBEELD_BASE_URL", "http://127.0.0.1:8000")
#: the addresses (scheme://host[:port]) a passkey may be used from: https, or http://localhost
#: (WebAuthn refuses 127.0.0.1); by default INBEELD_BASE_URL when it is one of those
OTP_WEBAUTHN_ALLOWED_ORIGINS = env.items("INBEELD_WEBAUTHN_ALLOWED_ORIGINS") or [
    INBEELD_BASE_URL.rstrip("/")
    if INBEELD_BASE_URL.startswith(("https://", "http://localhost"))
    else "http://localhost:8000"
]

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "inbeeld.api.authentication.PersonalTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 100,
    "EXCEPTION_HANDLER": "inbeeld.api.errors.problem_exception_handler",
    # per personal token (a browser session is not throttled here)
    "DEFAULT_THROTTLE_CLASSES": ["inbeeld.api.throttling.PersonalTokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"personal_token": INBEELD_API_TOKEN_RATE},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Inbeeld API",
    "DESCRIPTION": "Thuiszitters in view: students, enrolments, absences, exemptions, findings.",
    "VERSION": "1.0.0",
    "GET_LIB_DOC_EXCLUDES": "inbeeld.api.base.lib_doc_excludes",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # several fields are called "kind" (and Step serves meetings and escalations): one name each
    "ENUM_NAME_OVERRIDES": {
        "StepEnum": "inbeeld.cases.models.Step",
        "ReferralKindEnum": "inbeeld.cases.models.Referral.Kind",
        "InterventionKindEnum": "inbeeld.cases.models.Intervention.Kind",
        "OutcomeKindEnum": "inbeeld.cases.models.Outcome.Kind",
        # the melding's closing reasons (attendance) are another set
        "CaseClosingReasonEnum": "inbeeld.cases.models.ClosingReason",
        "MeldingClosingReasonEnum": "inbeeld.attendance.models.ClosingReason",
        "NotificationKindEnum": "inbeeld.notifications.models.NotificationKind",
        "LeaveKindEnum": "inbeeld.leave.models.LeaveKind",
        # the list and the detail (with the history) of a request share its states
        "LeaveStateEnum": "inbeeld.leave.workflow.LeaveState",
        "ExemptionStateEnum": "inbeeld.exemptions.workflow.RequestState",
        # a melding's state in the findings and in the worklist
        "MeldingStateEnum": "inbeeld.attendance.models.MeldingState",
        "ContactKindEnum": "inbeeld.correspondence.models.ContactKind",
        "LetterKindEnum": "inbeeld.correspondence.models.LetterKind",
        # a barrier's kind and states (its list, its detail, a change's "to" and its history)
        "BarrierKindEnum": "inbeeld.barriers.workflow.BarrierKind",
        "BarrierStateEnum": "inbeeld.barriers.workflow.BarrierState",
    },
}

# Background work (issue 14, ADR 0004): django-tasks with its database backend, run by
# `inbeeld worker` beside the web server. A running job that reports nothing for this many minutes
# was killed with its worker and is marked failed; the worker is alive for /gezondheid/ while its
# newest heartbeat is younger than this many seconds. A leerplichttelling export the worker built
# (MEDIA_ROOT/jobs/export-*) is removed after this many hours, or when the organisation exports the
# same year and format again (monitor.jobs).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
INBEELD_JOB_ABANDONED_MINUTES = env.number("INBEELD_JOB_ABANDONED_MINUTES", 60)
INBEELD_WORKER_HEARTBEAT_MAX_AGE = env.number("INBEELD_WORKER_HEARTBEAT_MAX_AGE", 120)
INBEELD_EXPORT_RETENTION_HOURS = env.number("INBEELD_EXPORT_RETENTION_HOURS", 24)

#: Logs to stderr (inbeeld.conf.logs): one JSON object per line with the request's id, user and
#: organisation (INBEELD_LOG_FORMAT=json, the default) or plain text; BSN-like numbers masked
LOGGING = logs.logging_config(
    log_format=env.text("INBEELD_LOG_FORMAT", "json").lower(),
    level=env.text("INBEELD_LOG_LEVEL", "INFO"),
)

#: Backups (inbeeld backup DIR, inbeeld.backups): the key they are encrypted with (at least 32
#: characters; `inbeeld backup --new-key` makes one). Without it only demo mode writes a backup.
INBEELD_BACKUP_KEY = env.text("INBEELD_BACKUP_KEY", "")

# The privacy officer's view of unusual access (issue 9): a user who saw at least this many
# different children within this many minutes is listed, over the last this many days.
INBEELD_UNUSUAL_ACCESS_CHILDREN = env.number("INBEELD_UNUSUAL_ACCESS_CHILDREN", 50)
INBEELD_UNUSUAL_ACCESS_MINUTES = env.number("INBEELD_UNUSUAL_ACCESS_MINUTES", 60)
INBEELD_UNUSUAL_ACCESS_DAYS = env.number("INBEELD_UNUSUAL_ACCESS_DAYS", 30)

# The region's waiting norm for a referral in weeks (issue 4): a referral waiting longer is
# flagged and may be escalated (rules.escalation)
INBEELD_REFERRAL_NORM_WEEKS = env.number(
    "INBEELD_REFERRAL_NORM_WEEKS", escalation.DEFAULT_REFERRAL_NORM_WEEKS
)

# The team's norm for a new verzuimmelding, in days: a melding still "nieuw" (nobody took it in
# handling) this long after it arrived is overdue on "Vandaag" (issue 11)
INBEELD_MELDING_RESPONSE_DAYS = env.number("INBEELD_MELDING_RESPONSE_DAYS", 7)
