"""Settings for the PBM tracker, read from the environment.

A production install is one with SECRET_KEY set: DEBUG is then off unless asked for, and DATABASE_URL,
REDIS_URL, ALLOWED_HOSTS and the email variables say where everything is (README). With nothing set this is
a development install: SQLite, Celery tasks run in-process, email printed to the console.
"""

import datetime as dt
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = env_bool("DEBUG", not SECRET_KEY)
# Decided once, here, before a test runner flips DEBUG: seed_demo and other development-only doors ask this.
PRODUCTION_INSTALL = bool(SECRET_KEY) or not DEBUG
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set SECRET_KEY for a production install (DEBUG is off).")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "knox",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "import_export",
    "django_htmx",
    "pbm",
    "tambon",
    "reporting",
    "assessment",
    "api_clients",
    "opendata",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "pbm.middleware.ThaiFirstLocaleMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.middleware.common.CommonMiddleware",
    # before anything reads the body (the CSRF check reads POST): oversized uploads are refused unread
    "pbm.security.uploads.UploadLimitMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "pbm.security.twofactor.TwoFactorRequiredMiddleware",
    "tambon.programmes.ProgrammeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # last: turns a lockout raised while authenticating into the Thai lockout page (or JSON for the API)
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "pbm.urls"
WSGI_APPLICATION = "pbm.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "pbm.views.unread_notifications",
                "tambon.programmes.programme_switch_context",
            ],
            "builtins": ["pbm.templatetags.pbm", "django.contrib.humanize.templatetags.humanize"],
        },
    },
]


def database_from_url(url: str) -> dict:
    """One DATABASES entry from a URL, the same for the primary and its replica."""
    database = dj_database_url.parse(
        url, conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")), conn_health_checks=True
    )
    if database["ENGINE"].endswith("sqlite3"):
        # Several requests (and the eager Celery tasks) share one file: wait instead of failing on a lock.
        database["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
        database["CONN_MAX_AGE"] = 0
    return database


DATABASES = {"default": database_from_url(os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"))}
if os.environ.get("DATABASE_REPLICA_URL"):
    # A read-only copy (PostgreSQL streaming replication) that the dashboards and the export jobs read their figures
    # from (pbm/replica.py: only inside replica.reading(); every write, and all else, goes to default).
    DATABASES["replica"] = database_from_url(os.environ["DATABASE_REPLICA_URL"])
    DATABASE_ROUTERS = ["pbm.replica.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "tambon.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTHENTICATION_BACKENDS = [
    # first: refuses a locked-out username + address before the password is even checked
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# The first hashes new passwords (pbm/security/hashers.py: Argon2id, OWASP's cost); the others verify the hashes
# made before (Django's defaults: PBKDF2 until session 4), which are upgraded at the person's next login.
PASSWORD_HASHERS = [
    "pbm.security.hashers.Argon2idHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "pbm.security.passwords.ProgrammeWordsValidator"},
]

# Lockout (django-axes): 5 wrong passwords for one username from one address lock that pair for 15 minutes,
# on /login/, /admin/login/ and /api/v1/auth/token/ alike; each further try while locked restarts the wait.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = dt.timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_CALLABLE = "pbm.security.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "pbm.security.lockout.client_ip"
# How many proxies in front of Django append to X-Forwarded-For (0: use the connection's address).
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))

# Two-factor (django-otp, TOTP): NSI admins confirm a 6-digit code after their password (pbm/security/twofactor.py).
OTP_TOTP_ISSUER = "PBM tracker"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True  # the admin never shows a device's secret key

# API tokens (django-rest-knox): only a digest is stored; the token is shown once, in the response that creates it.
REST_KNOX = {
    "TOKEN_TTL": dt.timedelta(days=int(os.environ.get("API_TOKEN_DAYS", "30"))),
    "AUTH_HEADER_PREFIX": "Token",
}

LANGUAGE_CODE = "th"
LANGUAGES = [("th", _("Thai")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Bangkok"
USE_I18N = True
USE_TZ = True
# Numbers get separators only through the explicit filters (baht, number): ids in forms and links never do.
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": os.environ.get("FILE_STORAGE", "pbm.storage.ThaiFileSystemStorage")},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Uploads: pbm/security/uploads.py refuses a body over its URL's limit from Content-Length (413, unread) and stops
# a streamed file once it passes its limit; the form fields besides files stay within Django's default 2.5 MB.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024  # larger files are streamed to a temporary file
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
UPLOAD_DEFAULT_MAX_BYTES = 2_621_440  # any URL that takes no files
EVIDENCE_MAX_FILES = 10  # evidence files in one request (each at most the programme's evidence_max_mb)

# Security: strict unless DEBUG; behind a TLS-terminating proxy that sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# Content-Security-Policy (django-csp): our own scripts and style sheets only; no inline script or <style> anywhere
# (the API docs page loads Swagger UI's start-up script as a file: pbm/urls.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        # style="…" attributes only (the dashboards' bar widths, the admin's): they cannot run script
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    }
}

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "PBM tracker <pbm@localhost>")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

# LINE Messaging API (pbm/line.py): off unless both the channel access token and the channel secret are set.
LINE_CHANNEL_ACCESS_TOKEN = os.environ.get("LINE_CHANNEL_ACCESS_TOKEN", "")
LINE_CHANNEL_SECRET = os.environ.get("LINE_CHANNEL_SECRET", "")
LINE_API_BASE = os.environ.get("LINE_API_BASE", "https://api.line.me")
LINE_OFFICIAL_ACCOUNT = os.environ.get("LINE_OFFICIAL_ACCOUNT", "")  # the @id people add, shown on the link page
# Failed email/LINE deliveries: retried with doubling waits from this many seconds, given up after that many tries.
NOTIFY_RETRY_SECONDS = int(os.environ.get("NOTIFY_RETRY_SECONDS", "300"))
NOTIFY_MAX_ATTEMPTS = int(os.environ.get("NOTIFY_MAX_ATTEMPTS", "6"))

# Celery: Redis when REDIS_URL is set, otherwise tasks run in-process so nothing else must be running.
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A broker outage must not hold a person's request: publishing gives up within a few seconds, the follow-up is
# recorded (pbm/followups.py) and the catch-up job queues it when the broker is back.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 3}
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 2
CELERY_REDIS_SOCKET_TIMEOUT = 5
# A background job (export, roster import) refreshes its heartbeat this often while it runs; one whose heartbeat is
# older than JOB_STALE_SECONDS has lost its worker and is marked failed, so its person can start it again.
JOB_HEARTBEAT_SECONDS = float(os.environ.get("JOB_HEARTBEAT_SECONDS", "10"))
JOB_STALE_SECONDS = float(os.environ.get("JOB_STALE_SECONDS", "60"))

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 3},  # a down Redis fails fast, never hangs
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "api_clients.auth.ApiClientAuthentication",
        "knox.auth.TokenAuthentication",
    ],
    "DEFAULT_THROTTLE_CLASSES": ["api_clients.auth.ApiClientThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "api_token": os.environ.get("API_TOKEN_RATE", "10/minute"),
        "api_client": os.environ.get("API_CLIENT_RATE", "120/minute"),  # per client key; each key may set its own
    },
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
# The open-data catalogue (/open/): who publishes it, under which licence, and how long figures stay cached
OPEN_DATA_PUBLISHER = os.environ.get("OPEN_DATA_PUBLISHER", "หน่วยบริหารจัดการโครงการระดับประเทศ (NSI)")
OPEN_DATA_CONTACT_EMAIL = os.environ.get("OPEN_DATA_CONTACT_EMAIL", "opendata@example.org")
OPEN_DATA_LICENSE = os.environ.get("OPEN_DATA_LICENSE", "http://creativecommons.org/licenses/by/4.0/")
OPEN_DATA_CACHE_SECONDS = int(os.environ.get("OPEN_DATA_CACHE_SECONDS", str(24 * 60 * 60)))

SPECTACULAR_SETTINGS = {
    "TITLE": "PBM tracker API",
    "DESCRIPTION": "Area-based development programmes (U2T): hierarchy, reports, rosters and assessments.",
    "VERSION": "1",
    # public (issue #17): another system's developers read what the API takes before they hold a key
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "ReviewStatusEnum": "pbm.models.ReviewStatus",
        "ContractStatusEnum": "tambon.roster.models.ContractStatus",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
