"""Settings for the commitment tracker, read from the environment.

With nothing configured the tracker runs on one machine with embedded parts: SQLite, files and
e-mail under ``var/`` and a Celery broker kept in files. Every variable is listed in the README.
"""

import secrets
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from kombu import Queue

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()

VAR_DIR = Path(env("VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env.bool("DEBUG", default=True)


def _development_secret_key() -> str:
    # Generated once so sessions survive restarts; never used with DEBUG off.
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


if DEBUG:
    SECRET_KEY = env("SECRET_KEY", default="") or _development_secret_key()
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
else:
    SECRET_KEY = env("SECRET_KEY", default="")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
    if not SECRET_KEY or not ALLOWED_HOSTS:
        raise ImproperlyConfigured("With DEBUG off, set SECRET_KEY and ALLOWED_HOSTS.")

CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "django_countries",
    "simple_history",
    "resolutions",
    # Hardening: sign-in lockout, second factor, Content-Security-Policy.
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Refuses an oversized body before anything reads it.
    "resolutions.security.middleware.RequestBodyCapMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every page needs a login unless its view is marked @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # A signed-in person's saved language wins over the browser's (resolutions/languages.py).
    "resolutions.languages.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # After messages and htmx, which they use: idle sessions end, the second factor is asked.
    "resolutions.security.middleware.IdleSessionMiddleware",
    "resolutions.security.middleware.SecondFactorMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "csp.middleware.CSPMiddleware",
    "resolutions.security.middleware.SecurityHeadersMiddleware",
    # Last, as django-axes asks: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# Text responses compressed (gzip) when the browser accepts it; after WhiteNoise, which serves
# its own pre-compressed static files. BREACH: see docs/compression.md.
MIDDLEWARE.insert(
    MIDDLEWARE.index("whitenoise.middleware.WhiteNoiseMiddleware") + 1,
    "tracker.compression.CompressTextMiddleware",
)

ROOT_URLCONF = "tracker.urls"
WSGI_APPLICATION = "tracker.wsgi.application"

# Plain widgets written in Python, the HTML of Django's own templates (tracker/form_renderer.py).
FORM_RENDERER = "tracker.form_renderer.FormRenderer"

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
                "django.template.context_processors.i18n",
                "resolutions.context_processors.navigation",
            ],
        },
    },
]

# Database: SQLite under var/ unless DATABASE_URL names another.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE transactions and a busy timeout keep the worker and the web server from
    # failing each other's writes with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Behind PgBouncer in transaction pooling (docs/scaling.md) set DISABLE_SERVER_SIDE_CURSORS=true:
# a server-side cursor (`.iterator()`, and Django's own choice fields when a form is rendered)
# lives on one server connection, and outside a transaction PgBouncer may send the next FETCH to
# another one ("cursor does not exist"). The price: such reads come whole into memory (the full
# CSV at size L: figures in docs/scaling.md). Off by default: a direct connection keeps them.
if DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = env.bool(
        "DISABLE_SERVER_SIDE_CURSORS", default=False
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "resolutions.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "resolutions.security.passwords.ContextWordsValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
# The French catalogue (locale/fr/LC_MESSAGES/django.po) is compiled by `make install`, CI and
# the Dockerfile; no .mo file is committed. Terms follow docs/glossary.md.
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
TIME_ZONE = env("TIME_ZONE", default="Europe/Brussels")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise warns on every request when it is missing
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(VAR_DIR / "media")))
MEDIA_URL = "/media-not-served/"  # uploads are served only through views that check permission
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed names in production; plain names in development and tests, where the
        # manifest is not built and hashed URLs would 404.
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env.bool("STATIC_MANIFEST", default=not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        ),
    },
}

# Evidence in an S3 bucket (or any S3-compatible store) when one is named; private objects,
# never overwritten, read back through the application's permission-checking view.
if env("AWS_STORAGE_BUCKET_NAME", default=""):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("AWS_STORAGE_BUCKET_NAME"),
            "region_name": env("AWS_S3_REGION_NAME", default=None),
            "endpoint_url": env("AWS_S3_ENDPOINT_URL", default=None),
            "default_acl": "private",
            "file_overwrite": False,
            "querystring_auth": True,
            # "path" for SeaweedFS, MinIO and other stores without per-bucket host names.
            "addressing_style": env("AWS_S3_ADDRESSING_STYLE", default=None),
            "signature_version": "s3v4",
        },
    }
    # Evidence and report files are streamed to the browser by the application after the
    # permission check (resolutions/storage.py, docs/scaling.md says why not presigned URLs).
    # A store that is missing, unreachable or refuses the key stops `manage.py check`,
    # `migrate` and the web entry point with a clear error (resolutions/checks.py).
    S3_CHECK_TIMEOUT_SECONDS = env.int("S3_CHECK_TIMEOUT_SECONDS", default=5)

# E-mail: files under var/mail/ unless EMAIL_URL names a server (smtp://user:pass@host:port).
if env("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Commitment Tracker <tracker@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Cache: Redis when REDIS_URL is set (shared by every web process), else memory in each
# process. No page is cached: pages read their data fresh (docs/performance.md).
# When Redis cannot be reached the cache reads as empty (resolutions/cache.py): rate limits let
# requests through, nothing answers 500.
if env("REDIS_URL", default=""):
    CACHES = {
        "default": {
            "BACKEND": "resolutions.cache.TolerantRedisCache",
            "LOCATION": env("REDIS_URL"),
            "KEY_PREFIX": "tracker",
            "TIMEOUT": 600,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1.0},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "tracker",
            "TIMEOUT": 600,
        }
    }

# Celery: Redis when CELERY_BROKER_URL or REDIS_URL is set, else a broker kept in files (one
# machine only; tasks start up to a second late because it polls).
_celery_folder = VAR_DIR / "celery"
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="") or env("REDIS_URL", default="")
if not CELERY_BROKER_URL:
    CELERY_BROKER_URL = "filesystem://"
    for sub in ("queue", "processed"):
        (_celery_folder / sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_celery_folder / "queue"),
        "data_folder_out": str(_celery_folder / "queue"),
        "processed_folder": str(_celery_folder / "processed"),
        "store_processed": False,
    }
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_IGNORE_RESULT = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ACKS_LATE = True  # tasks are idempotent; a crashed worker's task runs again
# ...including when the worker process itself is killed mid-task (OOM, SIGKILL): the message goes
# back to the queue instead of being acknowledged. make_report counts its attempts, so a report
# that kills its worker every time fails after EXPORT_MAX_ATTEMPTS instead of looping.
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# No task may run longer than this; the broker's visibility timeout (below) is longer, so Redis
# never hands a task that is still running to a second worker.
CELERY_TASK_SOFT_TIME_LIMIT = env.int("TASK_SOFT_TIME_LIMIT_SECONDS", default=600)
CELERY_TASK_TIME_LIMIT = CELERY_TASK_SOFT_TIME_LIMIT + 60
if CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_TASK_TIME_LIMIT + 300}
# Reports and digests on queues of their own, so a pile of PDFs never delays a digest or the
# watchdog; the worker of `make run` consumes all three.
# A worker started without -Q consumes every queue named here; production runs one worker per
# queue (docker-compose.yml).
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TASK_QUEUES = [Queue("celery"), Queue("reports"), Queue("digests")]
CELERY_TASK_ROUTES = {
    "resolutions.reports.tasks.*": {"queue": "reports"},
    "resolutions.tasks.sweep_digests": {"queue": "digests"},
    "resolutions.tasks.send_digest": {"queue": "digests"},
}
# When the broker is down, queuing fails within about a second (the page says "try again
# shortly") instead of hanging the request on kombu's default retries.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE: dict = {}
# Exactly one beat on Redis: celery-redbeat keeps the schedule in Redis behind a lock, so a second
# beat started by mistake (another host, a scaled container) waits on the lock instead of
# sending every periodic task twice, and takes over within BEAT_LOCK_SECONDS if the first dies.
# Without Redis (make run's file broker, one machine) Celery's own file-kept scheduler is used.
if CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    CELERY_BEAT_SCHEDULER = "redbeat.RedBeatScheduler"
    CELERY_REDBEAT_REDIS_URL = CELERY_BROKER_URL
    CELERY_REDBEAT_KEY_PREFIX = "tracker:redbeat:"
    # How long a beat sleeps at most between looks; the lock outlives five of them.
    CELERY_BEAT_MAX_LOOP_INTERVAL = env.int("BEAT_MAX_LOOP_SECONDS", default=30)
    CELERY_REDBEAT_LOCK_TIMEOUT = env.int(
        "BEAT_LOCK_SECONDS", default=5 * CELERY_BEAT_MAX_LOOP_INTERVAL
    )

# Security. With DEBUG off the secure defaults apply; a proxy that terminates TLS sets
# SECURE_PROXY_SSL_HEADER=true.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
if env.bool("SECURE_PROXY_SSL_HEADER", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SILENCED_SYSTEM_CHECKS = env.list("SILENCED_SYSTEM_CHECKS", default=[])

# Resolution texts larger than this are refused before parsing.
RESOLUTION_TEXT_MAX_BYTES = env.int("RESOLUTION_TEXT_MAX_BYTES", default=1_000_000)
# Resolution PDFs (one text or a session booklet) larger than this are refused unread; the text
# taken from a PDF is held to RESOLUTION_TEXT_MAX_BYTES like any other.
RESOLUTION_PDF_MAX_BYTES = env.int("RESOLUTION_PDF_MAX_BYTES", default=30 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Evidence files larger than this are refused (bytes; 20 MB by default).
EVIDENCE_MAX_BYTES = env.int("EVIDENCE_MAX_BYTES", default=20 * 1024 * 1024)
# A commitment with no update for this many days stands out as stale.
STALE_AFTER_DAYS = env.int("STALE_AFTER_DAYS", default=90)

# Reminder digests (resolutions/digests.py says what, resolutions/tasks.py sends). Beat runs one
# sweep every DIGEST_SWEEP_SECONDS; it enqueues a task per person whose digest is due.
DIGEST_STALE_AFTER_DAYS = env.int("DIGEST_STALE_AFTER_DAYS", default=STALE_AFTER_DAYS)
DIGEST_DEADLINE_WINDOW_DAYS = env.int("DIGEST_DEADLINE_WINDOW_DAYS", default=14)
DIGEST_SWEEP_SECONDS = env.int("DIGEST_SWEEP_SECONDS", default=3600)
# A claim left "sending" (worker died) or "failed" this long may be taken by a later sweep, at
# most DIGEST_MAX_CLAIMS times per period. Longer than the longest retry wait (10 minutes).
DIGEST_CLAIM_TIMEOUT_MINUTES = env.int("DIGEST_CLAIM_TIMEOUT_MINUTES", default=30)
DIGEST_MAX_CLAIMS = env.int("DIGEST_MAX_CLAIMS", default=3)
DIGEST_MAX_RETRIES = env.int("DIGEST_MAX_RETRIES", default=5)
DIGEST_RETRY_BACKOFF_SECONDS = env.int("DIGEST_RETRY_BACKOFF_SECONDS", default=60)
CELERY_BEAT_SCHEDULE["digest-sweep"] = {
    "task": "resolutions.tasks.sweep_digests",
    "schedule": DIGEST_SWEEP_SECONDS,
    # A sweep not started before the next one is due is dropped, not run late in a pile.
    "options": {"expires": max(DIGEST_SWEEP_SECONDS - 5, 1)},
}

# Status reports (resolutions/reports/). An export of more national actions than this is made by
# a Celery task while the page shows its progress; finished files are deleted after
# EXPORT_KEEP_HOURS by an hourly cleanup.
EXPORT_BACKGROUND_THRESHOLD = env.int("EXPORT_BACKGROUND_THRESHOLD", default=2000)
EXPORT_KEEP_HOURS = env.int("EXPORT_KEEP_HOURS", default=24)
# Fonts the PDF reports are typeset with (Typst): DejaVu Sans has every status symbol.
REPORT_FONT_DIRS = env.list("REPORT_FONT_DIRS", default=["/usr/share/fonts/truetype/dejavu"])
# At most this many background reports per person at once; further requests are told to wait.
EXPORT_MAX_RUNNING_PER_PERSON = env.int("EXPORT_MAX_RUNNING_PER_PERSON", default=2)
# A report that kills its worker this many times is marked failed instead of being retried.
EXPORT_MAX_ATTEMPTS = env.int("EXPORT_MAX_ATTEMPTS", default=3)
# A background job that has not moved for this long (lost with a restarted broker, or its worker
# gone) is marked failed by the watchdog, and its page says to try again.
JOB_STALL_MINUTES = env.int("JOB_STALL_MINUTES", default=15)
CELERY_BEAT_SCHEDULE["fail-stalled-jobs"] = {
    "task": "resolutions.jobs.fail_stalled_jobs",
    "schedule": 300,
    "options": {"expires": 290},
}
# Buttons that send mail or start work, per person: at most RATE_LIMIT_ACTIONS in
# RATE_LIMIT_WINDOW_SECONDS (digest previews, background reports).
RATE_LIMIT_ACTIONS = env.int("RATE_LIMIT_ACTIONS", default=5)
RATE_LIMIT_WINDOW_SECONDS = env.int("RATE_LIMIT_WINDOW_SECONDS", default=600)
CELERY_BEAT_SCHEDULE["delete-old-reports"] = {
    "task": "resolutions.reports.tasks.delete_old_reports",
    "schedule": 3600,
    "options": {"expires": 3540},  # dropped if not started before the next one is due
}

# --- Hardening (docs/security.md) -------------------------------------------------------------
from datetime import timedelta  # noqa: E402

from csp.constants import NONCE, NONE, SELF  # noqa: E402

# Sign-in lockout (django-axes): AXES_FAILURE_LIMIT failures for one account name, or from one
# address, pause signing in for AXES_COOLOFF_MINUTES; an administrator can unlock earlier.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_MINUTES = env.int("AXES_COOLOFF_MINUTES", default=15)
AXES_COOLOFF_TIME = timedelta(minutes=AXES_COOLOFF_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # each on its own
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "resolutions.views.account.locked_out"
AXES_CLIENT_IP_CALLABLE = "resolutions.security.client.axes_client_ip"
AXES_VERBOSE = False
# Behind the reverse proxy: how many proxies append to X-Forwarded-For (1 with the compose file;
# 0 when the app is reached directly, so a client cannot choose its own address).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# Second factor (django-otp): required for secretaries and administrators.
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", default="NATO PA Commitment Tracker")

# Sessions end after SESSION_IDLE_MINUTES without a request (8 hours by default).
SESSION_IDLE_SECONDS = env.int("SESSION_IDLE_MINUTES", default=8 * 60) * 60
SESSION_COOKIE_AGE = SESSION_IDLE_SECONDS
# …and in any case this long after signing in (ASVS 7.3.2).
SESSION_MAX_SECONDS = env.int("SESSION_MAX_HOURS", default=24) * 3600
SESSION_COOKIE_SAMESITE = "Lax"
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT_HOURS", default=24) * 3600

# Content-Security-Policy on every page (django-csp): scripts only from this site with the
# page's nonce, no inline styles, no frames, forms post only here; violations are logged.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-src": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "report-uri": "/csp-report/",
    },
}
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=()"
)

# Request bodies: the proxy refuses more than 32 MB; the application refuses more than
# REQUEST_BODY_MAX_BYTES (an evidence file plus its form) before reading any of it. Uploads
# past 2.5 MB are spooled to FILE_UPLOAD_TEMP_DIR; files a killed worker left there are
# removed by a periodic cleanup.
REQUEST_BODY_MAX_BYTES = env.int("REQUEST_BODY_MAX_BYTES", default=EVIDENCE_MAX_BYTES + 1024 * 1024)
FILE_UPLOAD_TEMP_DIR = Path(env("FILE_UPLOAD_TEMP_DIR", default=str(VAR_DIR / "upload-tmp")))
FILE_UPLOAD_TEMP_DIR.mkdir(parents=True, exist_ok=True)
UPLOAD_TEMP_MAX_AGE_MINUTES = env.int("UPLOAD_TEMP_MAX_AGE_MINUTES", default=60)

# The audit trail of security events (Administration → Security events), kept this long.
SECURITY_EVENTS_KEEP_DAYS = env.int("SECURITY_EVENTS_KEEP_DAYS", default=365)
CELERY_BEAT_SCHEDULE["delete-old-security-events"] = {
    "task": "resolutions.security.tasks.delete_old_security_events",
    "schedule": 24 * 3600,
    "options": {"expires": 23 * 3600},
}
CELERY_BEAT_SCHEDULE["delete-stale-upload-files"] = {
    "task": "resolutions.security.tasks.delete_stale_upload_files",
    "schedule": 15 * 60,
    "options": {"expires": 14 * 60},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    # django-axes logs every successful sign-in at INFO; the audit trail keeps those.
    "loggers": {"axes": {"level": "WARNING"}},
}

# A delegation's workbook (resolutions/workbook/): uploads larger than WORKBOOK_MAX_BYTES, or
# larger than WORKBOOK_MAX_UNPACKED_BYTES once unzipped, or with more than WORKBOOK_MAX_ROWS rows
# on a sheet, are refused with a message. An upload waits for its confirmation at most
# WORKBOOK_CONFIRM_SECONDS.
WORKBOOK_MAX_BYTES = env.int("WORKBOOK_MAX_BYTES", default=5 * 1024 * 1024)
WORKBOOK_MAX_UNPACKED_BYTES = env.int("WORKBOOK_MAX_UNPACKED_BYTES", default=60 * 1024 * 1024)
WORKBOOK_MAX_ROWS = env.int("WORKBOOK_MAX_ROWS", default=10_000)
WORKBOOK_CONFIRM_SECONDS = env.int("WORKBOOK_CONFIRM_SECONDS", default=3600)

# The REST API (resolutions/api/): Django REST framework with drf-spectacular's OpenAPI 3.1.
# Personal tokens (Preferences) or the browser's session; API_RATE_LIMIT requests per token
# (or per person on a session), counted in the cache. Errors share one JSON shape (api/errors.py).
INSTALLED_APPS += ["rest_framework", "django_filters", "drf_spectacular"]
API_RATE_LIMIT = env("API_RATE_LIMIT", default="600/minute")
API_PAGE_SIZE = env.int("API_PAGE_SIZE", default=50)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "resolutions.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_THROTTLE_CLASSES": ["resolutions.api.throttles.TokenRateThrottle"],
    "DEFAULT_PAGINATION_CLASS": "resolutions.api.pagination.IdCursorPagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "resolutions.api.errors.handle_exception",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Resolution Commitment Tracker API",
    "DESCRIPTION": "Resolutions, commitments, national actions, evidence, statuses and reporting "
    "rounds of the NATO Parliamentary Assembly's commitment tracker.",
    "VERSION": "1",
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "resolutions.api.errors.document_error_responses",
    ],
}
