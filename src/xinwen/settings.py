"""The one settings module: every value that differs between sites comes from the environment.

Production (DEBUG off, the default) refuses to start without a real SECRET_KEY and
ALLOWED_HOSTS; `xinwen demo` turns DEBUG on for a local demo. README lists every variable.
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
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
    "xinwen.backup",
    "xinwen.publishing",
    "xinwen.guard",
    "xinwen.site",
    "xinwen.serving",
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
    # django-axes and django-otp's devices under Chinese names in the back office.
    "xinwen.editorial.vendor_apps.AxesConfig",
    "django_otp",
    "xinwen.editorial.vendor_apps.OTPTOTPConfig",
    "xinwen.editorial.vendor_apps.OTPStaticConfig",
    "js_asset",
    "django_prose_editor",
    "ninja",  # the API's bundled Swagger UI at /api/v1/docs (never a CDN)
    "csp",  # its system checks reject settings in the pre-4.0 format
]

MIDDLEWARE = [
    # Each stamp (tree, settings, glossary) read once per request: xinwen/stamps.py.
    "xinwen.stamps.OneReadingMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "xinwen.assets.StaticFiles",  # WhiteNoise, with fingerprinted names and their gzip/brotli twins
    # Too many parameters is a 400 here, not a 500 wherever the query string is first read.
    "xinwen.news.middleware.RequestShapeMiddleware",
    # After WhiteNoise (static files need no policy), before everything that renders a page.
    "xinwen.news.csp.ContentSecurityPolicyMiddleware",
    "xinwen.hanzi.middleware.ScriptVariantMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Back office: idle and absolute session lifetimes, then the second factor before any admin page.
    "xinwen.editorial.middleware.SessionLifetimeMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "xinwen.editorial.middleware.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    # Old URLs of an imported site without a file extension (/?p=88) answer 301 too.
    "xinwen.importer.middleware.LegacyRedirectFallbackMiddleware",
]

ROOT_URLCONF = "xinwen.urls"
WSGI_APPLICATION = "xinwen.wsgi.application"

# Readers' pages (jinja2/ folders) are Jinja2, compiled to Python: a page-cache miss spent half its
# CPU in Django's template language (xinwen/templating.py). The back office keeps Django's templates.
TEMPLATES = [
    {
        "BACKEND": "xinwen.templating.Jinja2",
        "NAME": "jinja2",
        "DIRS": [PACKAGE_DIR / "jinja2"],
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "xinwen.templating.environment",
            "context_processors": ["xinwen.news.context_processors.site", "xinwen.hanzi.context_processors.script"],
        },
    },
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "xinwen.news.context_processors.site",
                "xinwen.hanzi.context_processors.script",
                "xinwen.editorial.passwords.password_reset_link",
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
    # on write transactions that start by reading. Every request thread holds its own
    # connection, each with its own page cache: 1 MiB each instead of SQLite's 2 MiB (the
    # operating system caches the file for all of them).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-1024;",
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
            # 300 saved ~3 MB a worker but evicted what search keeps between queries:
            # PostgreSQL search p50 22 -> 25 ms, p99 47 -> 54 ms at 100,000 articles.
            "OPTIONS": {"MAX_ENTRIES": 1000},
        }
    }

# --- auth ------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "xinwen.news.grants.SectionGrantBackend",  # 栏目权限: article screens for section-only accounts
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    # Django's bundled list of 20,000 common (breached) passwords.
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # zxcvbn: keyboard walks, repeats, sequences, dates and dictionary words (0 weakest .. 4).
    {
        "NAME": "xinwen.editorial.passwords.StrengthValidator",
        "OPTIONS": {"min_score": int(os.environ.get("PASSWORD_MIN_SCORE", "3"))},
    },
]
# Sessions: a back-office session ends after SESSION_IDLE_MINUTES without a request and at the
# latest SESSION_MAX_HOURS after its login (xinwen.editorial.middleware.SessionLifetimeMiddleware).
SESSION_IDLE_MINUTES = int(os.environ.get("SESSION_IDLE_MINUTES", "120"))
SESSION_MAX_HOURS = int(os.environ.get("SESSION_MAX_HOURS", "12"))
SESSION_COOKIE_AGE = SESSION_MAX_HOURS * 3600
# Second factor (django-otp): required for 编辑, 管理员 and superusers; for 作者 only when this is on.
OTP_REQUIRED_FOR_AUTHORS = env_bool("OTP_REQUIRED_FOR_AUTHORS", False)
# Email: password reset by email for staff is offered only when mail can be sent.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "webmaster@localhost")
PASSWORD_RESET_BY_EMAIL = env_bool("PASSWORD_RESET_BY_EMAIL", bool(EMAIL_HOST or os.environ.get("EMAIL_BACKEND")))
# Review-chain notices (三审): mail the next reviewers, the publishers and the author on submit,
# approve, reject and publish. On by default when an e-mail backend or host is configured.
REVIEW_NOTICE_EMAIL = env_bool("REVIEW_NOTICE_EMAIL", bool(EMAIL_HOST or os.environ.get("EMAIL_BACKEND")))
# Login throttling: five failures lock that user name from that address for an hour, and an
# address from which LOGIN_SPRAY_LIMIT different user names failed is blocked (password spraying).
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
LOGIN_SPRAY_LIMIT = int(os.environ.get("LOGIN_SPRAY_LIMIT", "20"))
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_HANDLER = "xinwen.editorial.throttle.LoginThrottleHandler"
# How many reverse proxies in front of the app append to X-Forwarded-For; 0 means the
# socket address is the client (login throttling, view de-duplication, rate limits).
PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0"))
# Axes without django-ipware reads REMOTE_ADDR (the proxy); it gets the site's own address instead.
AXES_CLIENT_IP_CALLABLE = "xinwen.editorial.throttle.client_ip"
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
# Deleted articles wait this many days in the recycle bin (回收站) before they are purged
# (lazily: by `xinwen purge_recycle_bin` and whenever the back office's article list or bin is opened).
RECYCLE_BIN_DAYS = int(os.environ.get("RECYCLE_BIN_DAYS", "30"))
SEARCH_RATE_LIMIT = os.environ.get("SEARCH_RATE_LIMIT", "30/60")

# --- page cache ----------------------------------------------------------------
# Anonymous GETs of public pages are served from stored bytes (xinwen.pagecache), shared
# by every worker: files under PAGE_CACHE_DIR, or Redis when REDIS_URL is set.
PAGE_CACHE = env_bool("PAGE_CACHE", True)
PAGE_CACHE_DIR = Path(os.environ.get("PAGE_CACHE_DIR", VAR_DIR / "pagecache"))
PAGE_CACHE_TTL = int(os.environ.get("PAGE_CACHE_TTL", "3600"))  # seconds; purges keep pages fresh, this bounds the rest
# The on-disk store's size cap: past it the pages due to expire soonest are dropped (0: no cap).
PAGE_CACHE_MAX_MB = float(os.environ.get("PAGE_CACHE_MAX_MB", "512"))

# --- xinwen serve -------------------------------------------------------------
# Optional dictionaries loaded once before the workers fork, so that they share them:
# "pinyin" (the ?ruby=1 pages, ~35 MB), "search" (the segmenter: jieba and its dictionary, ~55 MB). Both by
# default; "none": each worker loads them on its first page that needs them (serving/prefork.py).
SERVE_PRELOAD = tuple(
    name.strip() for name in os.environ.get("SERVE_PRELOAD", "pinyin,search").split(",") if name.strip() not in ("", "none")
)

# --- static publishing -------------------------------------------------------------
# A tree made by `xinwen publish --to DIR`: when set, every change notice rewrites the
# files that show the change (xinwen.publishing). Empty: publishing only when run by hand.
PUBLISH_DIR = os.environ.get("PUBLISH_DIR", "")
# The rewrite runs in a background thread of each app process (publishing/worker.py), so an
# editor's save never waits for it; 0 runs it in the caller (tests, one-off scripts).
PUBLISH_BACKGROUND = env_bool("PUBLISH_BACKGROUND", True)
# rsync targets the worker copies the tree to after each change (publishing/push.py):
# local paths, host:path over SSH, rsync://host/module/path; comma-separated.
PUBLISH_PUSH = env_list("PUBLISH_PUSH")
# Where OpenCC's dictionaries come from: "table" (a mapped file built from the installed
# opencc's own dictionaries, shared by every process: hanzi/opencc_table.py) or "library"
# (the opencc library, about 47 MB in every process). Both convert alike.
XINWEN_OPENCC = os.environ.get("XINWEN_OPENCC", "table").strip().lower() or "table"
if XINWEN_OPENCC not in {"table", "library"}:
    raise ImproperlyConfigured(f"XINWEN_OPENCC={XINWEN_OPENCC!r}: use table (the default) or library.")
# XINWEN_ROLE=edge: the app process on the public side of a static site. Its URL conf
# (xinwen/urls_edge.py) routes only the view beacon, search and the read-only API; the
# back office, logins and the apps that write content are not even loaded. It runs as
# `XINWEN_ROLE=edge xinwen serve`: xinwen.serving stays installed.
XINWEN_ROLE = os.environ.get("XINWEN_ROLE", "cms").strip().lower() or "cms"
if XINWEN_ROLE not in {"cms", "edge"}:
    raise ImproperlyConfigured(f"XINWEN_ROLE={XINWEN_ROLE!r}: use cms (the default) or edge.")
if XINWEN_ROLE == "edge":
    _BACK_OFFICE = {
        "xinwen.editorial", "xinwen.importer", "xinwen.backup", "xinwen.guard", "xinwen.site",
        "django.contrib.admin", "xinwen.editorial.vendor_apps.AxesConfig", "django_otp",
        "xinwen.editorial.vendor_apps.OTPTOTPConfig", "xinwen.editorial.vendor_apps.OTPStaticConfig",
        "django_prose_editor", "js_asset",
    }  # fmt: skip
    INSTALLED_APPS = [a for a in INSTALLED_APPS if a not in _BACK_OFFICE]
    MIDDLEWARE = [m for m in MIDDLEWARE if not m.startswith(("xinwen.editorial.", "xinwen.importer.", "django_otp.", "axes."))]
    AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
    AUTH_PASSWORD_VALIDATORS = []  # nobody sets a password here
    _processors = TEMPLATES[1]["OPTIONS"]["context_processors"]
    _processors[:] = [p for p in _processors if not p.startswith("xinwen.editorial.")]
    ROOT_URLCONF = "xinwen.urls_edge"

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
# {% static %} names carry the content's fingerprint, served for a year, compressed (xinwen/assets.py).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "xinwen.assets.FingerprintedStorage"},
}
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
FILE_UPLOAD_PERMISSIONS = 0o644  # never executable
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
UPLOAD_MAX_IMAGE_BYTES = int(os.environ.get("UPLOAD_MAX_IMAGE_MB", "10")) * 1024 * 1024
UPLOAD_MAX_ATTACHMENT_BYTES = int(os.environ.get("UPLOAD_MAX_ATTACHMENT_MB", "50")) * 1024 * 1024
UPLOAD_MAX_VIDEO_BYTES = int(os.environ.get("UPLOAD_MAX_VIDEO_MB", "200")) * 1024 * 1024
# Re-encoding an animated GIF costs about width x height x frames: bounded before any frame is decoded.
UPLOAD_MAX_PIXELS = int(os.environ.get("UPLOAD_MAX_PIXELS", str(100_000_000)))
UPLOAD_MAX_FRAMES = int(os.environ.get("UPLOAD_MAX_FRAMES", "300"))
# Picture sizes and watermark (news/images.py): a font file with Chinese characters for a text
# watermark, when the server has none of Debian's fonts-noto-cjk / fonts-wqy-* installed.
WATERMARK_FONT = os.environ.get("WATERMARK_FONT", "")

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

# Content-Security-Policy on every response Django renders (django-csp; xinwen.news.csp also
# covers the DEBUG error pages). Public pages carry no inline script at all, so their header
# names no nonce and a stored page (xinwen.pagecache) is the same for every reader:
# `script-src 'self'`. A page that needs an inline script (the article form's import map for
# the rich-text editor) reads `request.csp_nonce`, and only then does its header carry a fresh
# `'nonce-…'`; the page cache refuses to store such a page. JSON-LD
# (<script type="application/ld+json">) is data, never executed, and needs no source.
# style-src has no 'unsafe-inline': scripts may still set element.style (CSSOM), which CSP
# allows; only <style> elements and style="" attributes in markup would need it. The one
# <style> element the rich-text editor adds is allowed by its hash on the article form alone
# (editorial.admin.EDITOR_STYLE_HASH).
# Uploads keep their own stricter policy (news.views.media_file): the middleware never
# replaces a Content-Security-Policy a view has set.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}

# --- rich-text editor ---------------------------------------------------------
def _no_convert_allowlist(config, shared):
    # Bodies are sanitised by xinwen.news.sanitize; this keeps the editor's own allowlist in step.
    shared["tags"].add("span")
    shared["attributes"].setdefault("span", set()).add("translate")


def _align_allowlist(config, shared):
    # The two alignment classes news.sanitize allows on blocks (align-center, align-right).
    for tag in ("p", "h2", "h3", "h4"):
        shared["attributes"].setdefault(tag, set()).add("class")


def _no_markup(config, shared):
    # Decorations only (内容检查 hits): nothing reaches the saved HTML, nothing to allow.
    pass


DJANGO_PROSE_EDITOR_EXTENSIONS = [
    {"js": [f"{STATIC_URL}editorial/no-convert.js"], "extensions": {"NoConvert": _no_convert_allowlist}},
    {"js": [f"{STATIC_URL}editorial/align.js"], "extensions": {"AlignClass": _align_allowlist}},
    {"js": [f"{STATIC_URL}editorial/check-hits.js"], "extensions": {"CheckHits": _no_markup}},
]

# --- site ------------------------------------------------------------------
SITE_NAME = os.environ.get("SITE_NAME", "东方智联装备集团")
SITE_URL = os.environ.get("SITE_URL", "").rstrip("/")  # used for canonical URLs when set
OTP_TOTP_ISSUER = SITE_NAME  # the name authenticator apps show beside the code

# --- dead links (xinwen linkcheck) ---------------------------------------------
# Seconds between two requests to one host (a host's robots.txt Crawl-delay, up to 30 s,
# wins when longer), and each request's timeout.
LINKCHECK_INTERVAL = float(os.environ.get("LINKCHECK_INTERVAL", "1.0"))
LINKCHECK_TIMEOUT = float(os.environ.get("LINKCHECK_TIMEOUT", "10"))
# --- hijack guard (xinwen guard, 网站安全) ---------------------------------------------
# Minutes between scheduled passes over SITE_URL, run by the server's own processes (one
# pass per slot however many there are); 0 turns the schedule off. Alerts for new findings
# go to these addresses (comma-separated; needs EMAIL_* settings) and/or are POSTed as JSON.
GUARD_SCHEDULE_MINUTES = float(os.environ.get("GUARD_SCHEDULE_MINUTES", "360"))
GUARD_ALERT_EMAILS = [a.strip() for a in os.environ.get("GUARD_ALERT_EMAILS", "").split(",") if a.strip()]
GUARD_ALERT_WEBHOOK = os.environ.get("GUARD_ALERT_WEBHOOK", "")
# The Chromium `xinwen guard` drives for its browser profile (skip it with --no-browser).
GUARD_CHROMIUM = os.environ.get("GUARD_CHROMIUM", "/usr/bin/chromium")

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
