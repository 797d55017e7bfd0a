"""Settings of the directory, read from environment variables with safe development defaults.

DATABASE_URL        database (default: SQLite file db.sqlite3 beside manage.py);
                    e.g. postgres://postgres@127.0.0.1:5432/postgres
DJANGO_SECRET_KEY   secret key (a development key is used when unset and DEBUG is on)
DJANGO_DEBUG        "1"/"true" to turn debug on (default on, for development)
DJANGO_ALLOWED_HOSTS comma-separated host names (default: localhost and 127.0.0.1)
API_ANON_RATE       requests an anonymous API caller may make (default: 120/minute)
API_CORS_ALLOWED_ORIGINS origins allowed to read the API from JavaScript (default: any)
NUM_PROXIES         reverse proxies in front of the site that append to X-Forwarded-For
                    (default: 0, the client is REMOTE_ADDR)
REDIS_URL           shared cache of throttles and public pages (e.g. redis://127.0.0.1:6379/0;
                    default: memory)
PAGE_CACHE_SECONDS  how long anonymous pages stay cached (default 600 with REDIS_URL, else 0: off)
FACET_INDEX         1: facets counted from each process's memory (default with REDIS_URL)
DATABASE_STATEMENT_TIMEOUT seconds after which PostgreSQL cancels a query (default: none;
                    gunicorn.conf.py sets 5 for the web workers)
The README's Settings section lists the production switches (DJANGO_SECURE_*…) too.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DJANGO_DEBUG", True)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off.")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"

ALLOWED_HOSTS = [
    host.strip()
    for host in os.environ.get("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",")
    if host.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django_filters",
    "rest_framework",
    "rest_framework.authtoken",
    "corsheaders",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "csp",
    "axes",
    "partnerships",
    "workshops",
    "repertoire.apps.RepertoireConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy on every response (CONTENT_SECURITY_POLICY below).
    "csp.middleware.CSPMiddleware",
    # Serves the project's own CSS and JavaScript: the site works with no CDN and no network.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # HTML and JSON compressed for clients that accept it; below whitenoise, whose static
    # files are compressed once at collectstatic and never pass through here.
    "django.middleware.gzip.GZipMiddleware",
    # Before CommonMiddleware, so that its redirects carry the CORS headers too.
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Language from the URL prefix; old unprefixed public URLs redirect permanently.
    "repertoire.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Records the signed-in user on every historical row (who changed what).
    "simple_history.middleware.HistoryRequestMiddleware",
    # Anonymous readers' pages served from the shared cache until the data changes
    # (repertoire/pagecache.py); below every middleware that adds headers or cookies.
    "repertoire.pagecache.PublicPageCacheMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into the login page's message.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "repertoire.urls"

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
                # show_personal_data and the masker of texts (partnerships/privacy.py).
                "partnerships.privacy.context_processor",
            ],
        },
    },
]

WSGI_APPLICATION = "repertoire.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=60,
        # A connection kept open between requests is checked before reuse (a restarted
        # database would otherwise give one error per worker).
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent writers wait for each other instead of failing with "database is locked": a
    # write transaction takes the lock when it begins (no deadlock upgrading a read lock), a
    # writer waits up to 20 s for it, and WAL lets readers go on while one writes.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # Tests run on a file, as the site does: an in-memory database is one connection shared
    # by the live server's threads, which would hide (or fake) what concurrent writers meet.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "test-db.sqlite3")}

# One slow query must never pin a web worker: PostgreSQL cancels it after
# DATABASE_STATEMENT_TIMEOUT seconds (the request answers 500). gunicorn.conf.py sets 5 s for
# the web; commands (seed, exports, migrations) and tests run without, as they may rightly run
# longer (creating or dropping a test database on a busy machine).
# The web's queries are many, small and LIMITed: PostgreSQL's parallel workers (some 30 ms to
# start each time, on cores the other requests need) and its JIT compiler (hundreds of ms on a
# big query, before the timeout even counts) cost them more than they save. The data is read
# from memory or SSD, where a random read costs about a sequential one: with the default
# random_page_cost (4, for spinning disks) the planner scans every search document (and
# unpacks each text vector) rather than read the matches from the GIN index, 10 times slower.
STATEMENT_TIMEOUT = float(os.environ.get("DATABASE_STATEMENT_TIMEOUT", "0"))
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and STATEMENT_TIMEOUT > 0:
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        f"-c statement_timeout={int(STATEMENT_TIMEOUT * 1000)} "
        "-c max_parallel_workers_per_gather=0 -c jit=off -c random_page_cost=1.1"
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Unambiguous dates in both languages ("10 septembre 2008", "10 September 2008").
FORMAT_MODULE_PATH = ["repertoire.formats"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
if not DEBUG:
    # collectstatic writes each file under a name with its hash, and gzip beside it: whitenoise
    # serves those compressed, with a far-future Cache-Control (immutable).
    STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }

# The répertoire's sources and the fixtures generated from them.
FIXTURES_DIR = BASE_DIR / "fixtures"
SOURCES_DIR = FIXTURES_DIR / "sources"

# The publisher of the IATI export (partnerships/iati.py): its organisation identifier prefixes
# every activity's. The default is a placeholder: set the identifier registered with IATI
# before publishing the file on the IATI Registry. Type 22: national NGO (IATI codelist).
IATI_REPORTING_ORG_REF = os.environ.get("IATI_REPORTING_ORG_REF", "XX-REPERTOIRE-FRANCO-MALIEN")
IATI_REPORTING_ORG_TYPE = os.environ.get("IATI_REPORTING_ORG_TYPE", "22")
IATI_REPORTING_ORG_NAME = os.environ.get(
    "IATI_REPORTING_ORG_NAME", "Répertoire de la coopération décentralisée franco-malienne"
)

# The client of a request, for the API throttles, the sign-in lock-out and the password-reset
# throttle (repertoire/accounts.py): REMOTE_ADDR when nothing stands in front of the site (0),
# else the address the outermost of NUM_PROXIES trusted proxies appended to X-Forwarded-For
# (the right-most ones). Whatever a client writes into X-Forwarded-For itself is never trusted.
NUM_PROXIES = int(os.environ.get("NUM_PROXIES", "0"))

# Throttles and lock-out counters must be shared by every worker: Redis in production
# (REDIS_URL, e.g. redis://127.0.0.1:6379/0), this process's memory in development.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "repertoire",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Public pages and API answers cached for anonymous readers until the data changes
# (repertoire/pagecache.py): on by default only with Redis, which every worker shares.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "600" if REDIS_URL else "0"))
PAGE_CACHE_MAX_BYTES = 2_000_000
# The apps whose writes make cached pages stale.
PAGE_CACHE_APPS = {"partnerships", "workshops"}
# The facets counted from each process's memory (partnerships/facetindex.py), which learns of
# edits through the cache: on only where every process shares it (Redis).
FACET_INDEX = os.environ.get("FACET_INDEX", "1" if REDIS_URL else "0") == "1"

REST_FRAMEWORK = {
    # Amounts and coordinates are JSON numbers, not strings.
    "COERCE_DECIMAL_TO_STRING": False,
    # Pages of 50, `page_size` up to 200 (partnerships/api/rendering.py); JSON, or CSV with
    # ?format=csv.
    "DEFAULT_PAGINATION_CLASS": "partnerships.api.rendering.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "partnerships.api.rendering.CSVRenderer",
    ],
    # Token first: an anonymous write is then a 401 (WWW-Authenticate: Token), not a 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["partnerships.api.permissions.StaffWriteOrReadOnly"],
    # Anonymous callers only; a 429 says how long to wait (Retry-After). A caller is its
    # address as the last trusted proxy saw it (NUM_PROXIES below), counted in CACHES.
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.AnonRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": os.environ.get("API_ANON_RATE", "120/minute")},
    "NUM_PROXIES": NUM_PROXIES,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Répertoire de la coopération décentralisée franco-malienne — API",
    "DESCRIPTION": (
        "Partenariats, collectivités, régions maliennes, domaines et actions du répertoire. "
        "Lecture libre ; écriture réservée au personnel (jeton ou session). Les contacts ne sont "
        "donnés qu'aux utilisateurs connectés. / Partnerships, local authorities, Malian "
        "regions, fields of action and actions of the directory. Free to read; writes for staff "
        "(token or session). Contacts only for signed-in users."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Separate request and response components: writes send slugs, reads get documents.
    "COMPONENT_SPLIT_REQUEST": True,
    # The interactive docs' JavaScript and CSS come from drf-spectacular-sidecar: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "CountryEnum": "partnerships.models.Country",
        "CollectivityKindEnum": "partnerships.models.CollectivityKind",
        "BudgetKindEnum": "partnerships.models.BudgetKind",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "partnerships.api.schema.schema_hook",
    ],
}

# Read endpoints of the API may be called from other sites' JavaScript: from the origins listed
# in API_CORS_ALLOWED_ORIGINS (comma-separated), or from any origin when it is unset. Reads only.
CORS_URLS_REGEX = r"^/api/v1/.*$"
CORS_ALLOWED_ORIGINS = [
    origin.strip()
    for origin in os.environ.get("API_CORS_ALLOWED_ORIGINS", "").split(",")
    if origin.strip()
]
CORS_ALLOW_ALL_ORIGINS = not CORS_ALLOWED_ORIGINS
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]

# Staff sign in at compte/connexion (Django's auth views, French templates in
# templates/registration/) and land on their area. Password reset e-mails go to the console in
# development, to files in EMAIL_FILE_PATH otherwise (until an SMTP server is configured).
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "staff_home"
LOGOUT_REDIRECT_URL = "home"
# A save refused for its CSRF token (the editor signed in again in another tab) keeps what was
# typed and lets the editor sign in and send it again (partnerships/staff/resume.py).
CSRF_FAILURE_VIEW = "partnerships.staff.resume.csrf_failure"
if DEBUG:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(BASE_DIR / "sent_emails"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "repertoire@localhost")
# Partners' update links (partnerships/updates/): how long one stays valid, and the address a
# partner whose link expired or was used is told to write to for a new one.
UPDATE_LINK_DAYS = int(os.environ.get("UPDATE_LINK_DAYS", "30"))
UPDATE_CONTACT_EMAIL = os.environ.get("UPDATE_CONTACT_EMAIL", DEFAULT_FROM_EMAIL)

# Who publishes the site and how readers reach them (legal notice, contact, privacy pages).
SITE_PUBLISHER = os.environ.get("SITE_PUBLISHER", "")
SITE_CONTACT_EMAIL = os.environ.get("SITE_CONTACT_EMAIL", DEFAULT_FROM_EMAIL)
# Readers' error reports accepted from one client in an hour (partnerships/reports.py).
ERROR_REPORTS_PER_HOUR = int(os.environ.get("ERROR_REPORTS_PER_HOUR", "5"))

# Sign-in lock-out (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one username from
# one client address, that pair is refused for AXES_COOLOFF_TIME, whatever the password; the
# login page says so in the reader's language. Password reset requests are throttled too
# (PASSWORD_RESET_RATES: per client address and per e-mail address).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "repertoire.accounts.client_address"
AXES_LOCKOUT_CALLABLE = "repertoire.accounts.locked_out"
PASSWORD_RESET_RATES = {"address": "10/hour", "email": "3/hour"}

# Content-Security-Policy (django-csp) on every response: scripts, styles, fonts and frames
# from this site only, never inline (templates link static/js and static/css files); images
# may also be data: URIs (the favicon, the API docs' icons). SVG maps use presentation
# attributes (fill=…), which the policy allows, and no style attribute.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Production (DJANGO_DEBUG=0): HTTPS only, unless a plain-HTTP intranet turns a switch off.
# Behind a proxy that terminates TLS, DJANGO_SECURE_PROXY_SSL_HEADER names the header it sets
# ("HTTP_X_FORWARDED_PROTO,https"); without it, the redirect to HTTPS would never end there.
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = int(
    os.environ.get("DJANGO_SECURE_HSTS_SECONDS", "0" if DEBUG else str(365 * 24 * 3600))
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", not DEBUG)
if os.environ.get("DJANGO_SECURE_PROXY_SSL_HEADER"):
    header, _sep, value = os.environ["DJANGO_SECURE_PROXY_SSL_HEADER"].partition(",")
    SECURE_PROXY_SSL_HEADER = (header.strip(), value.strip())

# Errors reach the process's stderr (the service manager's journal): Django's default sends
# them to ADMINS by e-mail only, so without ADMINS a 500 would be logged nowhere.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "{asctime} {levelname} {name}: {message}", "style": "{"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["stderr"], "level": "WARNING"},
    "loggers": {
        "django": {
            "handlers": ["stderr"],
            "level": os.environ.get("DJANGO_LOG_LEVEL", "ERROR"),
            "propagate": False,
        },
    },
}
