"""Django settings, twelve-factor: everything that differs between machines
comes from the environment, read by the strict helpers in ``perfreport.env``.
The defaults make a first run work with no configuration: a SQLite file in
the working directory, debug off, localhost only. Documented in
docs/settings.md (a test checks that every variable read here is there).
"""

from __future__ import annotations

import os
import warnings
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from perfreport.env import SettingError, env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent
DEFAULT_SECRET_KEY = "perfreport-insecure-default-key-set-SECRET_KEY-in-production"

try:
    SECRET_KEY = env_str(os.environ, "SECRET_KEY", DEFAULT_SECRET_KEY)
    DEBUG = env_bool(os.environ, "DEBUG", False)
    ALLOWED_HOSTS = env_list(os.environ, "ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
    PERFREPORT_FY_START_MONTH = env_int(os.environ, "PERFREPORT_FY_START_MONTH", 4, low=1, high=12)
    HTTPS = env_bool(os.environ, "HTTPS", False)
    # Behind a reverse proxy: the header it puts the client's address in
    # (X-Forwarded-For), and how many proxies in a row append to it. Unset,
    # the connection's own address is the client's and no forwarded header
    # (address or protocol) is believed.
    PERFREPORT_TRUSTED_PROXY_HEADER = env_str(os.environ, "PERFREPORT_TRUSTED_PROXY_HEADER", "")
    PERFREPORT_TRUSTED_PROXY_COUNT = env_int(
        os.environ, "PERFREPORT_TRUSTED_PROXY_COUNT", 1, low=1, high=10
    )
    CSRF_TRUSTED_ORIGINS = env_list(os.environ, "CSRF_TRUSTED_ORIGINS", [])
    _database_url = env_str(os.environ, "DATABASE_URL", "sqlite:///perfreport.sqlite3")
    # The quarterly round: may an approver sign off an entry they submitted?
    PERFREPORT_ALLOW_SELF_APPROVAL = env_bool(os.environ, "PERFREPORT_ALLOW_SELF_APPROVAL", False)
    # Reminders: owners are reminded this many days before a round's deadline.
    PERFREPORT_REMIND_DAYS = env_int(os.environ, "PERFREPORT_REMIND_DAYS", 3, low=0, high=60)
    # The address the reminders link to (the site as its users reach it).
    PERFREPORT_SITE_URL = env_str(os.environ, "PERFREPORT_SITE_URL", "http://127.0.0.1:8000")
    # Imports: the largest file read (a workbook's contents unpacked too), in MB.
    PERFREPORT_IMPORT_MAX_MB = env_int(
        os.environ, "PERFREPORT_IMPORT_MAX_MB", 200, low=1, high=100_000
    )
    # Uploaded files (report logos, evidence attached to entries): a folder
    # the server may write to, never served as static files.
    PERFREPORT_MEDIA_ROOT = env_str(
        os.environ, "PERFREPORT_MEDIA_ROOT", str(BASE_DIR.parent / "media")
    )
    # Evidence attached to an entry: the largest file accepted, in MB.
    PERFREPORT_EVIDENCE_MAX_MB = env_int(
        os.environ, "PERFREPORT_EVIDENCE_MAX_MB", 10, low=1, high=1000
    )
    # Report distribution: the largest report attached to an email, in MB (a
    # larger one is sent as a link; 0 sends every report as a link).
    PERFREPORT_DISTRIBUTION_ATTACH_MB = env_int(
        os.environ, "PERFREPORT_DISTRIBUTION_ATTACH_MB", 10, low=0, high=100
    )
    # The Reports page: a report of at least this many indicators is made by
    # the worker, in the background (0: every report is made in the request).
    PERFREPORT_REPORTS_IN_BACKGROUND_FROM = env_int(
        os.environ, "PERFREPORT_REPORTS_IN_BACKGROUND_FROM", 100, low=0, high=1_000_000
    )
    # Email: printed to the console unless EMAIL_HOST names an SMTP server.
    EMAIL_HOST = env_str(os.environ, "EMAIL_HOST", "")
    EMAIL_PORT = env_int(os.environ, "EMAIL_PORT", 25, low=1, high=65535)
    EMAIL_HOST_USER = env_str(os.environ, "EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env_str(os.environ, "EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool(os.environ, "EMAIL_USE_TLS", False)
    DEFAULT_FROM_EMAIL = env_str(os.environ, "DEFAULT_FROM_EMAIL", "perfreport@localhost")
    # Single sign-on with OpenID Connect (docs/sso.md): off unless the issuer
    # and the client id are set. The provider's endpoints come from its
    # discovery document, read at the first sign-in (never at start-up).
    PERFREPORT_OIDC_ISSUER = env_str(os.environ, "PERFREPORT_OIDC_ISSUER", "").rstrip("/")
    PERFREPORT_OIDC_CLIENT_ID = env_str(os.environ, "PERFREPORT_OIDC_CLIENT_ID", "")
    PERFREPORT_OIDC_CLIENT_SECRET = env_str(os.environ, "PERFREPORT_OIDC_CLIENT_SECRET", "")
    PERFREPORT_OIDC_PROVIDER_NAME = env_str(
        os.environ, "PERFREPORT_OIDC_PROVIDER_NAME", "your organisation's account"
    )
    PERFREPORT_OIDC_SCOPES = env_str(os.environ, "PERFREPORT_OIDC_SCOPES", "openid email profile")
    # The claim that says who someone is (matched to a username, or for
    # "email" to an email address too) and the claim that lists their groups.
    PERFREPORT_OIDC_USER_CLAIM = env_str(os.environ, "PERFREPORT_OIDC_USER_CLAIM", "email")
    PERFREPORT_OIDC_GROUPS_CLAIM = env_str(os.environ, "PERFREPORT_OIDC_GROUPS_CLAIM", "groups")
    PERFREPORT_OIDC_REQUIRE_GROUP = env_bool(os.environ, "PERFREPORT_OIDC_REQUIRE_GROUP", False)
    PERFREPORT_OIDC_CREATE_USERS = env_bool(os.environ, "PERFREPORT_OIDC_CREATE_USERS", True)
    # Passwords: switched off, only the break-glass accounts named may use one.
    PERFREPORT_PASSWORD_SIGNIN = env_bool(os.environ, "PERFREPORT_PASSWORD_SIGNIN", True)
    PERFREPORT_BREAK_GLASS_USERS = env_list(os.environ, "PERFREPORT_BREAK_GLASS_USERS", [])
    if bool(PERFREPORT_OIDC_ISSUER) != bool(PERFREPORT_OIDC_CLIENT_ID):
        raise SettingError(
            "PERFREPORT_OIDC_ISSUER and PERFREPORT_OIDC_CLIENT_ID go together: set both "
            "for single sign-on, or neither"
        )
    if PERFREPORT_OIDC_ISSUER and not PERFREPORT_OIDC_ISSUER.startswith(("https://", "http://")):
        raise SettingError(
            f"PERFREPORT_OIDC_ISSUER={PERFREPORT_OIDC_ISSUER!r} is not an address: "
            "it starts https://"
        )
    try:
        _database = dj_database_url.parse(_database_url, conn_max_age=60)
    except ValueError as error:
        raise SettingError(
            f"DATABASE_URL={_database_url!r} is not a database URL: {error}"
        ) from None
except SettingError as error:
    raise ImproperlyConfigured(str(error)) from None

if _database["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers carry on while an import writes; IMMEDIATE takes the
    # write lock at the start of a transaction instead of failing mid-way.
    _database["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        # Writers queue for the lock (16 editors saving at once) instead of
        # failing with "database is locked" after the default 5 seconds.
        "timeout": 30,
    }
    # Connections kept open, as for PostgreSQL: closing the last one makes
    # SQLite fold its write-ahead log back in, and the next save start it
    # again (a save took 11 ms so against 4 ms; see bench/README.md).
    _database["CONN_MAX_AGE"] = 60
DATABASES = {"default": _database}

EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_TIMEOUT = 30

if HTTPS and PERFREPORT_TRUSTED_PROXY_HEADER:
    # Behind a trusted proxy that terminates TLS and sets X-Forwarded-Proto:
    # only then is that header believed (a client could send it itself).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
if HTTPS:
    # Served over HTTPS: secure cookies and a year of HSTS.
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 31_536_000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # Asking browsers to preload the domain is for its owners to decide (for
    # a .gov.uk domain, centrally), not for one application: not sent, and
    # Django's reminder of it silenced.
    SILENCED_SYSTEM_CHECKS = ["security.W021"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Background work: the queue is a table in the same database, worked by
# `perfreport worker` (docs/jobs.md).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

INSTALLED_APPS = [
    "perfreport.accounts.admin_config.RolesAdminConfig",  # django.contrib.admin, by role
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",  # its Swagger UI files, served here: /api/docs needs no internet
    "axes",  # failed sign-ins counted, and too many locked out
    "django_tasks",  # the backport of Django 6's tasks
    "django_tasks_db",  # its database backend: the queue is a table
    "mozilla_django_oidc",  # single sign-on with OpenID Connect
    # The project's apps, lowest layer first (docs/architecture.md, "The layers").
    "perfreport.registry",
    "perfreport.accounts",
    "perfreport.audit",
    "perfreport.jobs",
    "perfreport.sso",
    "perfreport.data",
    "perfreport.rounds",
    "perfreport.imports",
    "perfreport.reports",
    "perfreport.feeds",
    "perfreport.distribution",
    "perfreport.web",
    "perfreport.api",
]

MIDDLEWARE = [
    # First, so that every answer and every error's log record has its id.
    "perfreport.web.errors.RequestId",
    "django.middleware.security.SecurityMiddleware",
    "perfreport.web.middleware.ContentSecurityPolicy",
    # The API answers JSON, its 404, 405 and 414 included.
    "perfreport.api.middleware.ApiAnswersJson",
    # Static files served by the application itself, compressed and cached
    # for ever by their hashed names: no separate web server needed.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language from the address (/cy/... is Welsh), then remembered.
    "django.middleware.locale.LocaleMiddleware",
    "perfreport.web.middleware.RememberLanguage",
    "django.middleware.common.CommonMiddleware",
    "perfreport.web.middleware.RefuseNullCharacters",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "perfreport.data.versions.VersionPerRequest",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: answers a locked-out sign-in.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "perfreport.urls"

# Server errors (django.request, level ERROR: every 500 with its traceback)
# go to stderr, where gunicorn and `perfreport serve` keep them, with the
# request id that the 500 page shows (perfreport/web/errors.py).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "perfreport.web.errors.RequestIdFilter"}},
    "formatters": {
        "with_id": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"}
    },
    "handlers": {
        "stderr": {"class": "logging.StreamHandler", "formatter": "with_id"},
    },
    "loggers": {
        "django.request": {"handlers": ["stderr"], "level": "ERROR", "filters": ["request_id"]},
    },
}
WSGI_APPLICATION = "perfreport.wsgi.application"

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
                "perfreport.web.context.site",
                "perfreport.web.context.languages",
            ],
        },
    },
]

# Sessions in the database, read through each worker's memory: signing in
# and out take effect at once, and a page view costs no session query.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Sign-in throttling (django-axes): after 5 failed attempts for one username
# from one address, that pair is locked out for 15 minutes (HTTP 429); a
# successful sign-in clears the count. The admin's sign-in is covered too.
# Across all addresses a username is only slowed down, never locked
# (perfreport/accounts/signin.py): no one can lock the administrator out.
AUTHENTICATION_BACKENDS = [
    "perfreport.accounts.signin.SlowdownBackend",
    # Django's passwords, refused to all but the break-glass accounts when
    # PERFREPORT_PASSWORD_SIGNIN is off (the admin's sign-in too).
    "perfreport.sso.backends.PasswordBackend",
    # Single sign-on (OpenID Connect): only its callback signs in with it.
    "perfreport.sso.backends.SsoBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# An attempt refused while locked out or slowed down is not another failure:
# waiting out the time is enough, and the slowdown cannot be made to grow by
# the account's own owner.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "perfreport.web.signin.locked_out"
AXES_CLIENT_IP_CALLABLE = "perfreport.accounts.signin.client_address"

# Argon2 for new and changed passwords; the others only to read old hashes.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:home"

# mozilla-django-oidc: what perfreport.sso does not pass it itself (the
# issuer, client and endpoints are read from the PERFREPORT_OIDC_ settings
# at each sign-in, perfreport/sso/provider.py).
OIDC_USE_PKCE = True  # S256
OIDC_USE_NONCE = True
OIDC_STORE_ID_TOKEN = True  # for the provider's sign-out (id_token_hint)
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_TIMEOUT = 10
OIDC_AUTHENTICATION_CALLBACK_URL = "web:oidc_callback"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
# English and Welsh (docs/welsh.md). English pages have no prefix; Welsh
# pages are under /cy/ (perfreport/urls.py). One catalogue for the whole
# application, compiled by `make install`.
LANGUAGES = [("en-gb", "English"), ("cy", "Cymraeg")]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "perfreport_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

MEDIA_ROOT = Path(PERFREPORT_MEDIA_ROOT)
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR.parent / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed, compressed files after `collectstatic` (production); plain
    # files straight from the apps before it (development and tests).
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if (STATIC_ROOT / "staticfiles.json").exists()
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not (STATIC_ROOT / "staticfiles.json").exists()
# Before `collectstatic` there is no STATIC_ROOT: the files come from the apps.
warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
