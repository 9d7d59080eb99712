"""Settings shared by every environment, read from the environment.

Nothing here exists only in production: development, tests and production differ
in the values of environment variables, never in which code runs. See
docs/operations.md for every variable.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from openaeo.settings.environment import env_bool, env_list, mail_settings, read_secret_key

PACKAGE_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = Path(os.environ.get("OPENAEO_HOME", PACKAGE_DIR.parent.parent)).resolve()
VAR_DIR = Path(os.environ.get("OPENAEO_VAR_DIR", BASE_DIR / "var")).resolve()

DEBUG = env_bool("DEBUG", default=False)
SECRET_KEY = read_secret_key(VAR_DIR)
# Old keys still accepted for sessions and signed links while a rotation settles.
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS", default=[])
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "openaeo.common",
    "openaeo.accounts",
    "openaeo.operators",
    "openaeo.catalogue",
    "openaeo.assessments",
    "openaeo.cases",
    "openaeo.evidence",
    "openaeo.notifications",
    "openaeo.certificates",
    "openaeo.mra",
    "openaeo.monitoring",
    "openaeo.screening",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "django_tasks_db",
    "ninja",
    # Last, so that its ready() runs after the admin has discovered every app.
    "openaeo.web",
]

MIDDLEWARE = [
    # The first two also serve anonymous GET /api/v1/verify/{number}, which the WSGI
    # application (openaeo.wsgi) answers before the rest: certificates/verify_fast_path.py.
    "openaeo.common.request_context.RequestContextMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "openaeo.accounts.middleware.StaffMfaRequiredMiddleware",
    "openaeo.common.policy_middleware.RoutePolicyMiddleware",
]

ROOT_URLCONF = "openaeo.urls"
WSGI_APPLICATION = "openaeo.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "web" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "openaeo.web.context_processors.navigation",
                "openaeo.web.context_processors.unread_notifications",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'openaeo.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process read while the task worker writes; IMMEDIATE
    # transactions make concurrent writers wait instead of failing mid-way.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool(
    "DATABASE_PREPARED_STATEMENTS", default=DATABASES["default"]["CONN_MAX_AGE"] != 0
):
    # The public lookups by number keep their plans on the server once a connection has
    # run them a few times (psycopg's threshold; only common/prepared_statements.py
    # cursors use it, Django's own bind on the client). On by default with persistent
    # connections only: a connection opened for one request would never reuse a plan.
    # Off behind a pooler that cannot carry prepared statements: PgBouncer in
    # transaction mode before 1.21, or without max_prepared_statements.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("prepare_threshold", 5)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Allauth's lockout counters and used-TOTP markers must be shared by every web
# process, so the cache lives in the database unless a shared one is configured.
CACHES = {
    "default": {
        "BACKEND": os.environ.get("CACHE_BACKEND", "django.core.cache.backends.db.DatabaseCache"),
        "LOCATION": os.environ.get("CACHE_LOCATION", "openaeo_cache"),
    }
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "web:dashboard"

# Sessions end after SESSION_IDLE_MINUTES without activity (the cookie is
# renewed on every request) and always at the end of the working day's maximum.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_IDLE_MINUTES", "30")) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_TLS_PROXY", default=False) else None
)
# Behind a reverse proxy, the client address is the last one it appends to X-Forwarded-For.
OPENAEO_TRUST_X_FORWARDED_FOR = env_bool("TRUST_X_FORWARDED_FOR", default=False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# No inline script, no external host: everything is served from our own static files.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

# django-allauth: e-mail is the sign-in name, verified before first use.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_ADAPTER = "openaeo.accounts.adapters.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "openaeo.accounts.adapters.StaffSsoAdapter"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[OpenAEO] "
# Lockout: after LOGIN_FAILURES_BEFORE_LOCKOUT wrong passwords for one account,
# sign-in for that account is refused for the lockout period.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "{}/{}m/key,20/5m/ip".format(
        os.environ.get("LOGIN_FAILURES_BEFORE_LOCKOUT", "5"),
        os.environ.get("LOGIN_LOCKOUT_MINUTES", "15"),
    ),
    "signup": "20/h/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = os.environ.get("MFA_TOTP_ISSUER", "OpenAEO")
SOCIALACCOUNT_ONLY = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_LOGIN_ON_GET = False

# Customs staff single sign-on through OpenID Connect (docs/operations.md#sso).
OIDC_SERVER_URL = os.environ.get("OIDC_SERVER_URL", "")
SOCIALACCOUNT_PROVIDERS = {}
if OIDC_SERVER_URL:
    SOCIALACCOUNT_PROVIDERS["openid_connect"] = {
        "OAUTH_PKCE_ENABLED": True,
        "APPS": [
            {
                "provider_id": os.environ.get("OIDC_PROVIDER_ID", "customs"),
                "name": os.environ.get("OIDC_PROVIDER_NAME", "Customs sign-in"),
                "client_id": os.environ["OIDC_CLIENT_ID"],
                "secret": os.environ.get("OIDC_CLIENT_SECRET", ""),
                "settings": {"server_url": OIDC_SERVER_URL},
            }
        ],
    }

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("fr", _("French")),
    ("es", _("Spanish")),
    ("ar", _("Arabic")),
]
LANGUAGES_BIDI = ["ar"]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {
        "BACKEND": os.environ.get(
            "FILE_STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage"
        ),
    },
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage",
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# Declaration data for compliance screening (docs/screening.md): a directory of Parquet
# files read by DuckDB (the default), or a table in a PostgreSQL database named by its
# Django alias (SCREENING_STORE_BACKEND=postgres). Holders are re-screened every
# SCREENING_RESCREEN_HOURS through `manage.py tick`.
SCREENING_STORE = {
    "backend": os.environ.get("SCREENING_STORE_BACKEND", "parquet"),
    "path": Path(os.environ.get("SCREENING_PARQUET_DIR", VAR_DIR / "declarations")),
    "database": os.environ.get("SCREENING_DATABASE", "default"),
    "threads": int(os.environ.get("SCREENING_THREADS", "0")) or None,
    "memory_limit": os.environ.get("SCREENING_MEMORY_LIMIT", "") or None,
}
SCREENING_RESCREEN_HOURS = int(os.environ.get("SCREENING_RESCREEN_HOURS", "24"))

# Evidence files: the largest upload accepted, and clamd, the virus scanner (a UNIX
# socket, or a host and port). Without a scanner, uploads stay quarantined.
EVIDENCE_MAX_BYTES = int(os.environ.get("EVIDENCE_MAX_BYTES", str(10 * 1024 * 1024)))
CLAMD_SOCKET = os.environ.get("CLAMD_SOCKET", "")
CLAMD_HOST = os.environ.get("CLAMD_HOST", "")
CLAMD_PORT = int(os.environ.get("CLAMD_PORT", "3310"))
CLAMD_TIMEOUT = float(os.environ.get("CLAMD_TIMEOUT", "60"))

# Mail: files under var/mail in development, SMTP in production, chosen by
# EMAIL_BACKEND ("file", "smtp" or a dotted backend path). Every message is sent
# by a background task (openaeo.common.mail).
MAILERS = {"default": mail_settings(VAR_DIR)}
# Links in e-mails are made absolute with this address (no trailing slash).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "OpenAEO <no-reply@openaeo.invalid>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# Where the administration's signing keys live (generated by `manage.py keys init`).
OPENAEO_KEYS_DIR = Path(os.environ.get("OPENAEO_KEYS_DIR", VAR_DIR / "keys"))
# The issuer of credentials (a DID or an HTTPS URL); SITE_URL when empty.
OPENAEO_ISSUER = os.environ.get("CREDENTIAL_ISSUER", "")
# Public verification (/verify/, /api/v1/verify): lookups per client address, and per
# API token, as "COUNT/second|minute|hour|day".
VERIFY_RATE_LIMIT = os.environ.get("VERIFY_RATE_LIMIT", "60/minute")
VERIFY_TOKEN_RATE_LIMIT = os.environ.get("VERIFY_TOKEN_RATE_LIMIT", "600/minute")
# Client addresses (or networks, as 10.0.0.0/8) whose lookups are never counted: a trusted
# system of the administration, or a load test on loopback. Empty by default.
VERIFY_RATE_LIMIT_EXEMPT = env_list("VERIFY_RATE_LIMIT_EXEMPT", default=[])
OPENAEO_API_TOKEN_DAYS = int(os.environ.get("API_TOKEN_DAYS", "90"))
OPENAEO_MACHINE_TOKEN_LIFETIME = timedelta(
    minutes=int(os.environ.get("MACHINE_TOKEN_MINUTES", "60"))
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "openaeo.common.request_context.RequestIdLogFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"}
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
