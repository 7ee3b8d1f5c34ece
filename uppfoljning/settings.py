"""Settings for Uppföljning, read from the environment (see README)."""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


TRUE_WORDS = ("1", "true", "yes", "on")
FALSE_WORDS = ("0", "false", "no", "off")


def envbool(name: str, default: str) -> bool:
    """A yes/no setting: 1/0, true/false, yes/no or on/off, in any case; empty means unset.

    Anything else stops the portal rather than being read as "off" (DEBUG=ture, HSTS=flase).
    """
    value = os.getenv(name, "").strip() or default
    word = value.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(
        f"{name}={value!r} is neither on nor off: use one of "
        f"{', '.join(TRUE_WORDS)} or {', '.join(FALSE_WORDS)}."
    )


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.getenv(name, default).split(",") if item.strip()]


DEBUG = envbool("DEBUG", "False")

SECRET_KEY = os.getenv("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off (set DEBUG=1 for development)."
        )
    SECRET_KEY = "development-only-secret-key-never-use-in-production"

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "axes",
    "simple_history",
    "goals",
    "assignments",
    "opendata",
    "reporting",
    "exports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # The language from the address alone (/en/...), before the page cache resolves it.
    "uppfoljning.language.PathLanguageMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "uppfoljning.pagecache.PageCacheMiddleware",
    "uppfoljning.unavailable.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Who made each change, for the history of goals, assignments and assessments.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "uppfoljning.urls"
WSGI_APPLICATION = "uppfoljning.wsgi.application"

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
                "goals.context_processors.organisation",
                "uppfoljning.language.languages",
            ],
            "builtins": ["django_htmx.templatetags.django_htmx"],
        },
    },
    # The hot lists of the public pages (assignments/presentation.py): Jinja2 renders a
    # list of 200 items several times faster.
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates" / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {"environment": "assignments.presentation.jinja2_environment"},
    },
]

# SQLite in the project folder unless DATABASE_URL names another database (PostgreSQL in
# production: postgres://user:password@host:5432/name).
DATABASES = {
    "default": dj_database_url.parse(
        os.getenv("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.getenv("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("TEST", {})["NAME"] = os.getenv(
        "TEST_DATABASE_NAME", "test_uppfoljning"
    )

# PostgreSQL connections: kept open DB_CONN_MAX_AGE seconds per server process (above), or,
# with DB_POOL=1, taken from a pool per server process (psycopg's, with Django's pool
# option) between DB_POOL_MIN_SIZE and DB_POOL_MAX_SIZE connections; a request waits at
# most DB_POOL_TIMEOUT seconds for one (then the 503 page). A sync worker serves one request
# at a time, so it never waits for a busy connection: the timeout only bounds how long a
# worker is held up when the database is gone. After an outage the pool reconnects with
# growing pauses (1, 2, 4... s), so pages that need the database recover up to about as
# long again after it returns; persistent connections recover on the next request. Django
# allows one or the other: with the pool, connections are not kept (CONN_MAX_AGE 0). Every
# server process of every machine has a pool of its own: PostgreSQL's max_connections must
# cover machines × gunicorn workers × DB_POOL_MAX_SIZE. `make bench` measures both.
DB_POOL = envbool("DB_POOL", "False")
if DB_POOL:
    if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("DB_POOL=1 needs PostgreSQL (DATABASE_URL=postgres://...).")
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": int(os.getenv("DB_POOL_MIN_SIZE", "1")),
        "max_size": int(os.getenv("DB_POOL_MAX_SIZE", "4")),
        "timeout": float(os.getenv("DB_POOL_TIMEOUT", "2")),
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Security. Production runs behind a TLS-terminating reverse proxy: set
# TRUST_X_FORWARDED_PROTO=1 there so that Django sees https requests as secure, and
# TRUST_X_FORWARDED_FOR=1 (below) so that it sees each client's own address.
if envbool("TRUST_X_FORWARDED_PROTO", "False"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "False" if DEBUG else "True")
# The load balancer asks /health/ over plain HTTP, straight at each server: no redirect.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SECURE_HSTS_SECONDS = int(os.getenv("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", "True")
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", "True")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Citizens get no cookies: public pages use neither sessions nor CSRF tokens. Staff cookies
# are Secure outside development, HttpOnly and SameSite.
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 60 * 60
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")

# Framing is denied everywhere. Only the embeddable views (exports/cms_views.py) may be
# framed, and only by the municipality's own CMS sites named in FRAME_ANCESTORS
# (comma-separated origins such as https://www.kommun.se): those views set their own policy.
FRAME_ANCESTORS = envlist("FRAME_ANCESTORS", "")
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy: only the portal's own files; no inline scripts or styles.
SECURE_CSP = {
    "default-src": [CSP.NONE],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
}

# Password guessing: django-axes locks an account and address out after repeated failures.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.getenv("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.getenv("AXES_COOLOFF_HOURS", "1"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "lockout.html"
AXES_RESET_ON_SUCCESS = True

# The client's address, which the lockout counts failures per (django-axes asks
# django-ipware). Behind reverse proxies every request comes from the nearest proxy, so
# set TRUST_X_FORWARDED_FOR=1 and PROXY_COUNT to the number of proxies in front of the
# portal (default 1). Each proxy appends the address it got the request from to
# X-Forwarded-For, so the entry PROXY_COUNT places from the right end was written by the
# outermost proxy: that is the client, and whatever a client sends further left is ignored.
# Off (the default), the address is the connection's (REMOTE_ADDR) and X-Forwarded-For is
# ignored, so a client cannot pick an address. Turn it on only when nothing reaches the
# portal except through the proxies, which must append to X-Forwarded-For or replace it,
# and reach the portal from a private or loopback address (django-ipware prefers a public
# REMOTE_ADDR to a private client address, e.g. an office network's).
TRUST_X_FORWARDED_FOR = envbool("TRUST_X_FORWARDED_FOR", "False")
PROXY_COUNT = int(os.getenv("PROXY_COUNT", "1"))
if TRUST_X_FORWARDED_FOR:
    if PROXY_COUNT < 1:
        raise ImproperlyConfigured("PROXY_COUNT must be 1 or more with TRUST_X_FORWARDED_FOR.")
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
    AXES_IPWARE_PROXY_ORDER = "left-most"
    # django-ipware counts the proxies named in the header, which leaves out the nearest
    # one (it is REMOTE_ADDR): the client is then the entry PROXY_COUNT from the right.
    AXES_IPWARE_PROXY_COUNT = PROXY_COUNT - 1
    # Not strict: a header longer than the proxies make (a client's own X-Forwarded-For in
    # front) is still read from its right end rather than dropped for REMOTE_ADDR.
    IPWARE_STRICT = False
else:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]

# Who answers for the portal's accessibility, named in the accessibility statement.
ACCESSIBILITY_CONTACT_EMAIL = os.getenv("ACCESSIBILITY_CONTACT_EMAIL", "")

# The licence of the open data (/oppna-data/, its DCAT-AP-SE metadata and files): CC0 1.0
# unless the organisation names another with both OPEN_DATA_LICENCE_NAME (as shown, e.g.
# "CC BY 4.0") and OPEN_DATA_LICENCE_URL (its canonical address, for dataportal.se exactly as
# the licence publishes it, e.g. http://creativecommons.org/licenses/by/4.0/).
OPEN_DATA_LICENCE = {
    "name": os.getenv("OPEN_DATA_LICENCE_NAME", "").strip() or "CC0 1.0 Universell",
    "url": os.getenv("OPEN_DATA_LICENCE_URL", "").strip()
    or "http://creativecommons.org/publicdomain/zero/1.0/",
}
if bool(os.getenv("OPEN_DATA_LICENCE_NAME", "").strip()) != bool(
    os.getenv("OPEN_DATA_LICENCE_URL", "").strip()
):
    raise ImproperlyConfigured(
        "Set both OPEN_DATA_LICENCE_NAME and OPEN_DATA_LICENCE_URL, or neither (CC0 1.0)."
    )
if not OPEN_DATA_LICENCE["url"].startswith(("http://", "https://")):
    raise ImproperlyConfigured("OPEN_DATA_LICENCE_URL must be an http:// or https:// address.")

# E-mail (the officials' reminders, `manage.py send_reminders`), from DEFAULT_FROM_EMAIL:
# with DEBUG printed to the console, otherwise sent through the mail server EMAIL_HOST
# (EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS); EMAIL_BACKEND names
# another backend (django.core.mail.backends.console.EmailBackend: the console anyway).
SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
MAILERS = {
    "default": {
        "BACKEND": os.getenv("EMAIL_BACKEND", "").strip()
        or ("django.core.mail.backends.console.EmailBackend" if DEBUG else SMTP_BACKEND)
    }
}
if MAILERS["default"]["BACKEND"] == SMTP_BACKEND:
    MAILERS["default"]["OPTIONS"] = {
        "host": os.getenv("EMAIL_HOST", "localhost"),
        "port": int(os.getenv("EMAIL_PORT", "25")),
        "username": os.getenv("EMAIL_HOST_USER", ""),
        "password": os.getenv("EMAIL_HOST_PASSWORD", ""),
        "use_tls": envbool("EMAIL_USE_TLS", "False"),
        "timeout": int(os.getenv("EMAIL_TIMEOUT", "30")),
    }
DEFAULT_FROM_EMAIL = os.getenv("DEFAULT_FROM_EMAIL", "webmaster@localhost")
# The portal's own address, for the links in e-mails.
PORTAL_URL = os.getenv("PORTAL_URL", "http://127.0.0.1:8000").rstrip("/")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", "Svenska"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Page cache (uppfoljning/pagecache.py): citizens' pages come from this cache, replaced as a
# whole whenever content changes. Redis when REDIS_URL is set (needed when the portal runs on
# several machines); otherwise files in CACHE_DIR, shared by every server process on this
# machine. On by default in production, off with DEBUG (templates change under your hands).
# The content generation (the token that every cached page is stored under) must outlive
# the pages: with files it has a folder of its own, CACHE_DIR/generation, which culling the
# pages (MAX_ENTRIES) never touches; with Redis it sits beside the pages (one round trip
# reads both), where only an allkeys-* maxmemory-policy could ever evict it (pages expire
# after PAGE_CACHE_SECONDS; volatile-lru keeps the generation for certain).
REDIS_URL = os.getenv("REDIS_URL", "")
CACHE_KEY_PREFIX = os.getenv("CACHE_KEY_PREFIX", "uppfoljning")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "uppfoljning.rediscache.RedisCache",  # Django's, reusing clients
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": CACHE_KEY_PREFIX,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHE_DIR = Path(os.getenv("CACHE_DIR", str(BASE_DIR / "var" / "cache")))
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(CACHE_DIR),
            "KEY_PREFIX": CACHE_KEY_PREFIX,
            "OPTIONS": {"MAX_ENTRIES": 5000},
        },
        "pagecache-generation": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(CACHE_DIR / "generation"),
            "KEY_PREFIX": CACHE_KEY_PREFIX,
        },
    }
PAGE_CACHE_SECONDS = int(os.getenv("PAGE_CACHE_SECONDS", "0" if DEBUG else "600"))
PAGE_CACHE_EXCLUDED_PATHS = ["/admin/"]

# A CDN or caching proxy in front (uppfoljning/pagecache.py): citizens' pages say
# `public, max-age=0, s-maxage=CDN_MAX_AGE, stale-while-revalidate=CDN_STALE_SECONDS,
# stale-if-error=CDN_STALE_SECONDS`. A shared cache keeps a page CDN_MAX_AGE seconds (a
# save shows through it that much later) and may serve it CDN_STALE_SECONDS longer while
# it fetches the new one, or while the portal fails; browsers ask every time (ETag, 304).
# CDN_MAX_AGE=0: pages say no-cache, as without a CDN (the default with DEBUG).
CDN_MAX_AGE = int(os.getenv("CDN_MAX_AGE", "0" if DEBUG else "60"))
CDN_STALE_SECONDS = int(os.getenv("CDN_STALE_SECONDS", "300"))
