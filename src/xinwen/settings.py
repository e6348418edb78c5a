"""The one settings module: every value that differs between sites comes from the environment.

Production (DEBUG off, the default) refuses to start without a real SECRET_KEY and
ALLOWED_HOSTS; `xinwen demo` turns DEBUG on for a local demo. README lists every variable.
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

PACKAGE_DIR = Path(__file__).resolve().parent


def env_bool(name: str, default: bool) -> bool:
    """Read a yes/no variable; anything but 1/true/yes/on means no."""
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

# Where the embedded database, media and generated secrets live unless told otherwise.
VAR_DIR = Path(os.environ.get("VAR_DIR", Path.cwd() / "var")).resolve()


def _secret_key() -> str:
    key = os.environ.get("SECRET_KEY", "")
    if key:
        if not DEBUG and (len(key) < 50 or key.startswith("django-insecure-") or len(set(key)) < 5):
            raise ImproperlyConfigured(
                "SECRET_KEY is too weak for production: use at least 50 random characters, "
                "for example: python -c 'import secrets; print(secrets.token_urlsafe(50))'"
            )
        return key
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Production needs a real secret: "
            "export SECRET_KEY=$(python -c 'import secrets; print(secrets.token_urlsafe(50))'). "
            "For a local trial run `xinwen demo`, or set DEBUG=1."
        )
    # Development: keep one generated key under var/ so logins survive restarts.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    path = VAR_DIR / "dev-secret-key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = _secret_key()

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if DEBUG and not ALLOWED_HOSTS:
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS is not set. List the host names this site answers to, "
        "for example: export ALLOWED_HOSTS=news.example.org,www.example.org"
    )
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "xinwen.hanzi",
    "xinwen.news",
    "xinwen.editorial",
    "xinwen.feeds",
    "xinwen.search",
    "xinwen.stats",
    "xinwen.importer",
    "xinwen.pagecache",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "reversion",
    "axes",
    "js_asset",
    "django_prose_editor",
    "ninja",  # the API's bundled Swagger UI at /api/v1/docs (never a CDN)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Too many parameters is a 400 here, not a 500 wherever the query string is first read.
    "xinwen.news.middleware.RequestShapeMiddleware",
    "xinwen.hanzi.middleware.ScriptVariantMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    # Old URLs of an imported site without a file extension (/?p=88) answer 301 too.
    "xinwen.importer.middleware.LegacyRedirectFallbackMiddleware",
]

ROOT_URLCONF = "xinwen.urls"
WSGI_APPLICATION = "xinwen.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "xinwen.news.context_processors.site",
                "xinwen.hanzi.context_processors.script",
            ],
        },
    },
]

# --- database --------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=600, conn_health_checks=True)}
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "xinwen.sqlite3",
            # Persistent connections: opening SQLite and running the PRAGMAs on every
            # request costs more than most requests do.
            "CONN_MAX_AGE": 600,
            "CONN_HEALTH_CHECKS": True,
        }
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run while an editor saves; IMMEDIATE avoids "database is locked"
    # on write transactions that start by reading.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- cache -----------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    from xinwen.cache import redis_cache_settings

    # Django's Redis cache with short timeouts, degrading (misses, no error pages) while Redis is down.
    CACHES = {"default": redis_cache_settings(REDIS_URL, os.environ.get("CACHE_PREFIX", "xinwen"))}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            # Each worker keeps its own copy; converted bodies are ~10 KB, and whole pages
            # are kept by the page cache anyway, so a small cache bounds worker memory.
            "OPTIONS": {"MAX_ENTRIES": 1000},
        }
    }

# --- auth ------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Login throttling: five failures lock that user name from that address for an hour.
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# How many reverse proxies in front of the app append to X-Forwarded-For; 0 means the
# socket address is the client (login throttling, view de-duplication, rate limits).
PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0"))
AXES_IPWARE_PROXY_COUNT = PROXY_COUNT or None
AXES_LOCKOUT_TEMPLATE = "editorial/lockout.html"
LOGIN_URL = "admin:login"

# --- view counting (stats app) ----------------------------------------------
STATS_DEDUP_SECONDS = int(os.environ.get("STATS_DEDUP_SECONDS", str(30 * 60)))
STATS_RATE_LIMIT = int(os.environ.get("STATS_RATE_LIMIT", "120"))
STATS_RATE_WINDOW_SECONDS = int(os.environ.get("STATS_RATE_WINDOW_SECONDS", "60"))
STATS_FLUSH_SECONDS = float(os.environ.get("STATS_FLUSH_SECONDS", "10"))

# --- search ------------------------------------------------------------------
# Searches per client address per window, "count/seconds"; past it a 429 page. A bad
# value is reported by the search.E001 system check.
SEARCH_RATE_LIMIT = os.environ.get("SEARCH_RATE_LIMIT", "30/60")

# --- page cache ----------------------------------------------------------------
# Anonymous GETs of public pages are served from stored bytes (xinwen.pagecache), shared
# by every worker: files under PAGE_CACHE_DIR, or Redis when REDIS_URL is set.
PAGE_CACHE = env_bool("PAGE_CACHE", True)
PAGE_CACHE_DIR = Path(os.environ.get("PAGE_CACHE_DIR", VAR_DIR / "pagecache"))
PAGE_CACHE_TTL = int(os.environ.get("PAGE_CACHE_TTL", "3600"))  # seconds; purges keep pages fresh, this bounds the rest
# The on-disk store's size cap: past it the pages due to expire soonest are dropped (0: no cap).
PAGE_CACHE_MAX_MB = float(os.environ.get("PAGE_CACHE_MAX_MB", "512"))

# --- i18n ------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("zh-hant", "繁體中文")]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [PACKAGE_DIR / "locale"]

# --- static and media --------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
# Served by WhiteNoise straight from the installed package; no collectstatic step needed.
# (`xinwen collectstatic` fills STATIC_ROOT for a reverse proxy that serves /static/ itself.)
try:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
except OSError:  # a read-only deployment; WhiteNoise serves from the package anyway
    pass
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
FILE_UPLOAD_PERMISSIONS = 0o644  # never executable
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
UPLOAD_MAX_IMAGE_BYTES = int(os.environ.get("UPLOAD_MAX_IMAGE_MB", "10")) * 1024 * 1024
UPLOAD_MAX_ATTACHMENT_BYTES = int(os.environ.get("UPLOAD_MAX_ATTACHMENT_MB", "50")) * 1024 * 1024
# Re-encoding an animated GIF costs about width x height x frames: bounded before any frame is decoded.
UPLOAD_MAX_PIXELS = int(os.environ.get("UPLOAD_MAX_PIXELS", str(100_000_000)))
UPLOAD_MAX_FRAMES = int(os.environ.get("UPLOAD_MAX_FRAMES", "300"))

# --- security ----------------------------------------------------------------
# HTTPS is assumed in production (behind a TLS-terminating reverse proxy); set HTTPS=0
# only for plain-HTTP setups such as local test servers.
HTTPS = env_bool("HTTPS", not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_PROXY", True) else None
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = int(os.environ.get("HSTS_SECONDS", "31536000")) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# --- rich-text editor ---------------------------------------------------------
def _no_convert_allowlist(config, shared):
    # Bodies are sanitised by xinwen.news.sanitize; this keeps the editor's own allowlist in step.
    shared["tags"].add("span")
    shared["attributes"].setdefault("span", set()).add("translate")


DJANGO_PROSE_EDITOR_EXTENSIONS = [
    {"js": [f"{STATIC_URL}editorial/no-convert.js"], "extensions": {"NoConvert": _no_convert_allowlist}},
]

# --- site ------------------------------------------------------------------
SITE_NAME = os.environ.get("SITE_NAME", "东方智联装备集团")
SITE_URL = os.environ.get("SITE_URL", "").rstrip("/")  # used for canonical URLs when set

# --- feeds, search engines, API ------------------------------------------------
BAIDU_PUSH_TOKEN = os.environ.get("BAIDU_PUSH_TOKEN", "")  # 百度搜索资源平台 推送接口 token; empty: off
BAIDU_PUSH_SITE = os.environ.get("BAIDU_PUSH_SITE", "").rstrip("/")  # empty: SITE_URL
BAIDU_PUSH_ENDPOINT = os.environ.get("BAIDU_PUSH_ENDPOINT", "http://data.zz.baidu.com/urls")
BAIDU_PUSH_THREAD = env_bool("BAIDU_PUSH_THREAD", True)
BAIDU_PUSH_TIMEOUT = float(os.environ.get("BAIDU_PUSH_TIMEOUT", "10"))
API_CORS_ORIGINS = env_list("API_CORS_ORIGINS")  # e.g. https://portal.example.org; "*" for any origin

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "axes": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}
