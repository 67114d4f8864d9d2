"""Settings shared by every environment; the environment modules only override."""

from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("DJANGO_SECRET_KEY", default="insecure-local-only-key-change-me-in-production-0123456789")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
# Under DEBUG a missing page still shows the site's 404 page (core.middleware.OwnNotFoundPageMiddleware); set this to
# get Django's technical 404 page, with its list of URL patterns, instead.
DEBUG_TECHNICAL_404 = env.bool("DJANGO_DEBUG_TECHNICAL_404", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "daphne",  # first: its runserver serves ASGI (websockets) in development
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",  # allauth.mfa's security-key list ({% load humanize %})
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "guardian",
    "channels",
    "core",
    "tenancy",
    "planning",
    "assessments",
    "listening",
    "experience",
    "roadmaps",
    "kpis",
    "sharing",
    "versions",
    "library",
    "workshops",
    "sync",
    "sync.webhooks",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "core.api.problems.ProblemDetailsMiddleware",
    "core.middleware.ApiMissingSlashMiddleware",
    "django.middleware.common.CommonMiddleware",
    "core.api.body_size.ApiBodySizeLimitMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "sharing.session.ShareSessionMiddleware",
    "core.middleware.UserLanguageMiddleware",
    "core.middleware.RequestMemoMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "core.middleware.BrokerUnavailableMiddleware",
    "core.middleware.OwnNotFoundPageMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

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
                "tenancy.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Guardian: direct foreign-key permission tables, no anonymous user row.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env("DJANGO_TIME_ZONE", default="Europe/Paris")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env("DJANGO_MEDIA_ROOT", default=str(BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("DJANGO_EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("DJANGO_EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("DJANGO_EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("DJANGO_EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("DJANGO_EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="Journey Planner <noreply@localhost>")
EMAIL_FILE_PATH = env("DJANGO_EMAIL_FILE_PATH", default=str(BASE_DIR / "sent-emails"))
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

INVITATION_VALID_DAYS = env.int("INVITATION_VALID_DAYS", default=7)

# Celery: with no REDIS_URL the tasks run in-process (embedded default for `make run`).
REDIS_URL = env("REDIS_URL", default="")
# Production refuses to start without REDIS_URL unless this says in-process tasks are fine (core.checks).
ALLOW_IN_PROCESS_TASKS = env.bool("ALLOW_IN_PROCESS_TASKS", default=True)
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
# With no broker, an export runs in a background thread of the web process, after the response, so the exports
# page shows its progress instead of the request blocking until the file exists (roadmaps/tasks.py).
PLAN_EXPORTS_IN_THREAD = env.bool("PLAN_EXPORTS_IN_THREAD", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=300)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=360)
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env.int("CELERY_WORKER_MAX_MEMORY_PER_CHILD", default=512_000)  # KiB
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
# An export's task gets time limits that grow with its plan (roadmaps.services.export_time_limit): the defaults
# above plus EXPORT_SECONDS_PER_ROW per touchpoint and roadmap item, at most EXPORT_TIME_LIMIT_MAX seconds.
EXPORT_SECONDS_PER_ROW = env.float("EXPORT_SECONDS_PER_ROW", default=0.25)
EXPORT_TIME_LIMIT_MAX = env.int("EXPORT_TIME_LIMIT_MAX", default=3600)
# A PDF export checks its worker's resident memory after each section it lays out and fails, saying so, over this.
EXPORT_MEMORY_BUDGET_MIB = env.int("EXPORT_MEMORY_BUDGET_MIB", default=600)
# A PDF over this many pages leaves its appendix out (unless the person asked for the full appendix).
PDF_PAGE_BUDGET = env.int("PDF_PAGE_BUDGET", default=400)
# With acks_late, a task whose worker died is redelivered after this; keep it above the longest hard time limit.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": max(2 * CELERY_TASK_TIME_LIMIT,
                                                             EXPORT_TIME_LIMIT_MAX + CELERY_TASK_TIME_LIMIT),
                                   "socket_connect_timeout": 1}

# Nothing stays stuck: Celery beat (`make run` with REDIS_URL, compose's `beat`) runs the sweeps every
# JOBS_SWEEP_SECONDS. A job whose message was lost is sent again after JOBS_RESEND_SECONDS; an export still queued
# after JOBS_GIVE_UP_SECONDS, or a webhook delivery still pending after WEBHOOKS_GIVE_UP_SECONDS, is failed with
# the reason.
JOBS_SWEEP_SECONDS = env.int("JOBS_SWEEP_SECONDS", default=60)
JOBS_RESEND_SECONDS = env.int("JOBS_RESEND_SECONDS", default=120)
JOBS_GIVE_UP_SECONDS = env.int("JOBS_GIVE_UP_SECONDS", default=3600)
WEBHOOKS_GIVE_UP_SECONDS = env.int("WEBHOOKS_GIVE_UP_SECONDS", default=86_400)
# A running export writes a sign of life every EXPORT_HEARTBEAT_SECONDS; one silent for EXPORT_HEARTBEAT_TIMEOUT_SECONDS
# (its worker was killed) is failed by the next sweep, instead of after the hard time limit.
EXPORT_HEARTBEAT_SECONDS = env.int("EXPORT_HEARTBEAT_SECONDS", default=5)
EXPORT_HEARTBEAT_TIMEOUT_SECONDS = env.int("EXPORT_HEARTBEAT_TIMEOUT_SECONDS", default=60)
CELERY_BEAT_SCHEDULE = {
    "exports-sweep": {"task": "roadmaps.tasks.exports_sweep_task", "schedule": JOBS_SWEEP_SECONDS},
    "webhook-deliveries-sweep": {"task": "sync.webhooks.tasks.webhook_deliveries_sweep_task",
                                 "schedule": JOBS_SWEEP_SECONDS},
    "invitations-sweep": {"task": "tenancy.tasks.invitations_sweep_task", "schedule": JOBS_SWEEP_SECONDS},
    # Computed KPIs (kpis.tasks): this month and last month from the data, every few hours.
    "kpis-compute": {"task": "kpis.tasks.kpis_compute_task",
                     "schedule": env.int("KPIS_COMPUTE_SECONDS", default=6 * 3600)},
}

# A request must not wait long on a Redis that is down or unreachable: the throttles then count locally
# (sync.api.throttling), presence assumes someone listens (workshops.live.presence), and a task that cannot be sent
# answers 503 (core.tasks). Publishing a task is retried once, briefly.
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL,
                          "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Live workshops (workshops.live): the channel layer carries plan events between processes. Redis when configured;
# otherwise an in-process layer, enough for `make run` (one process) but not for several workers. A socket waits
# for its next message with a blocking pop of up to 5 s (channels-redis), so reads must be allowed longer than
# that: redis-py 8's default read timeout is 5 s too, which would drop idle sockets. All the sockets of one server
# process share one Redis list, so its capacity is for all of them together (a full list drops group messages).
if REDIS_URL:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels_redis.core.RedisChannelLayer", "CONFIG": {
        "hosts": [{"address": REDIS_URL, "socket_connect_timeout": 2, "socket_timeout": 15}],
        "capacity": 5000, "expiry": 30}}}
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# API rates ("<n>/<second|minute|hour|day>", empty for none), read at each request by sync.api.throttling.
API_THROTTLE_ANON = env("API_THROTTLE_ANON", default="60/min")
API_THROTTLE_USER = env("API_THROTTLE_USER", default="1000/min")
API_THROTTLE_TOKEN = env("API_THROTTLE_TOKEN", default="1000/min")

# Webhooks (sync.webhooks): targets on loopback, private or link-local addresses are refused unless allowed here;
# failed deliveries are retried after base * 2**(attempt-1) seconds, up to the maximum number of attempts.
WEBHOOKS_ALLOW_PRIVATE_TARGETS = env.bool("WEBHOOKS_ALLOW_PRIVATE_TARGETS", default=False)
WEBHOOKS_RETRY_BASE_SECONDS = env.float("WEBHOOKS_RETRY_BASE_SECONDS", default=60)
WEBHOOKS_MAX_ATTEMPTS = env.int("WEBHOOKS_MAX_ATTEMPTS", default=6)
WEBHOOKS_TIMEOUT_SECONDS = env.float("WEBHOOKS_TIMEOUT_SECONDS", default=10)
# A rotated-out signing secret keeps signing (a second webhook-signature) this long, so receivers can switch.
WEBHOOKS_SECRET_GRACE_SECONDS = env.int("WEBHOOKS_SECRET_GRACE_SECONDS", default=86_400)
# With no broker, retries wait in the row (next_attempt_at) and a timer thread of this process runs the sweep when
# one is due, since no Celery beat runs then (sync/webhooks/tasks.py).
WEBHOOKS_SWEEP_IN_THREAD = env.bool("WEBHOOKS_SWEEP_IN_THREAD", default=not REDIS_URL)

# Client input limits (core.api.body_size, core.safe_json): a larger API body answers 413 (JSON), a JSON body nested
# deeper answers 400. Django's own limit on bodies read into memory stays the same number.
API_MAX_BODY_BYTES = env.int("API_MAX_BODY_BYTES", default=10 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = API_MAX_BODY_BYTES
API_JSON_MAX_DEPTH = env.int("API_JSON_MAX_DEPTH", default=32)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "sync.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "sync.api.permissions.ApiTokenScopePermission",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "sync.api.throttling.AnonRateThrottle",
        "sync.api.throttling.UserRateThrottle",
        "sync.api.throttling.ApiTokenRateThrottle",
    ],
    # How many proxies append to X-Forwarded-For; 0 = use REMOTE_ADDR only (the header is never trusted).
    "NUM_PROXIES": env.int("NUM_PROXIES", default=0),
    # JSON by orjson (core/api/renderers.py, measured by `make bench`); browsers still get the browsable API.
    "DEFAULT_RENDERER_CLASSES": [
        "core.api.renderers.ORJSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    # JSON bodies only: a form-encoded or multipart write answers 415 (clients generated from the schema then have
    # one request body per operation). The one file upload (a persona's photo) names its own multipart parser.
    "DEFAULT_PARSER_CLASSES": ["core.api.parsers.JSONParser"],
    # Page numbers by default, cursor pages along the id with ?pagination=cursor (core/api/pagination.py).
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.ListPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "core.api.filters.GivenFiltersBackend",
        "core.api.filters.StableOrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "sync.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.errors.exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Journey Planner API",
    "DESCRIPTION": (
        "Organisations, plans, personas, customer journeys, touchpoint evaluations and roadmaps. "
        "Authenticate with an organisation API token, `Authorization: Bearer jp_…` (created on the organisation's "
        "API tokens page), or, for scripts, `Authorization: Token <key>` (from `POST /api/v1/auth/token/`). "
        "Writes accept an `Idempotency-Key` header; rates are limited per user and per token (429 with "
        "`Retry-After`)."
    ),
    "VERSION": "1.0.0",
    # OpenAPI 3.1: a nullable value is `type: [..., "null"]` (or oneOf with null), which strict validators and
    # client generators read; 3.0's `nullable: true` beside a $ref has no type and they refuse it.
    "OAS_VERSION": "3.1.0",
    "SERVERS": [{"url": SITE_URL.rstrip("/"), "description": "This installation (SITE_URL)"}],
    # Tags per resource (`personas`, `plans`…), not one `v1` tag for every operation.
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Enum names that stay the same whichever serializers share a field name (the bulk upserts' items do).
    "ENUM_NAME_OVERRIDES": {
        "ChannelKindEnum": "planning.models.journeys.ChannelKind",
        "LaneKindEnum": "experience.models.LaneKind",
        "PlanStatusEnum": "tenancy.models.plans.PlanStatus",
        "RoadmapItemStatusEnum": "roadmaps.models.items.ItemStatus",
        # Two fields are named "scope" (API tokens, share links); the token's keeps the name ScopeEnum it always had.
        "ScopeEnum": "sync.models.ApiTokenScope",
        # Verbatims' and mentions' sentiment, and the sentiment a listening tool gave a mention: one choice set.
        "SentimentEnum": "assessments.models.feedback.Sentiment",
        "ShareScopeEnum": "sharing.models.ShareScope",
        # Exports and copies share one status set (queued, running, succeeded, failed): the name exports always had.
        "StatusEnum": "roadmaps.models.exports.ExportStatus",
        "DuplicationKindEnum": "versions.models.DuplicationKind",
    },
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI served from our own static files, so the docs work without a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # The error answers (400, 401, 403, 404, 415, 429…) documented on every operation that can give them, the links
    # from each create to the operations on what it created, the feed's typed entries, then the shape strict tools
    # accept (3.1 nullables, problem+json errors): `make test` lints it with Redocly (redocly.yaml).
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums",
                             "core.api.openapi.document_error_responses",
                             "core.api.openapi.document_links",
                             "sync.api.feed_schema.feed_change_variants",
                             "core.api.openapi_strict.strict_schema"],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
    # WeasyPrint logs a line per step and page at INFO, from its import on (apps load the PDF's sections at start).
    "loggers": {"weasyprint.progress": {"level": "WARNING"}},
}

# --- Sign-in protection (issue 20): django-axes for password sign-ins, django-ratelimit for the other ways in -----
# Counted per account and per client address (the API throttles' NUM_PROXIES reading: core.client_address) in the
# default cache (Redis when REDIS_URL is set); the sign-in counts go on in the process's memory while it is
# unreachable (core.limits_cache), the reset and invitation limits are then lifted (core.ratelimits).
# LOGIN_FAILURE_LIMIT failures for one username, or from one address, lock it for
# LOGIN_COOLOFF_MINUTES; the page then answers 429 with the same message whether or not the account exists.
from datetime import timedelta as _timedelta  # noqa: E402

INSTALLED_APPS += ["axes"]
MIDDLEWARE += ["axes.middleware.AxesMiddleware"]  # last: it turns a lockout into our answer
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", *AUTHENTICATION_BACKENDS]
LOGIN_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=10)
LOGIN_COOLOFF_MINUTES = env.int("LOGIN_COOLOFF_MINUTES", default=15)
AXES_HANDLER = "core.limits_cache.AxesCacheHandler"
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = _timedelta(minutes=LOGIN_COOLOFF_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # each on its own: one account, or one address
AXES_CLIENT_IP_CALLABLE = "core.client_address.client_address"
AXES_LOCKOUT_CALLABLE = "identity.views.login_locked_out"
# allauth's sign-in form names its field "login"; its authenticate() call passes "username" (identity.lockout).
AXES_USERNAME_CALLABLE = "identity.lockout.attempted_username"
AXES_RESET_ON_SUCCESS = False  # core.limits_cache.AxesCacheHandler clears the account's count, not the address's
AXES_ENABLE_ADMIN = False  # the cache handler keeps no rows to show
AXES_VERBOSE = False
if not REDIS_URL:  # `make run`: one process, so its local memory is a fine place to count (production needs Redis)
    SILENCED_SYSTEM_CHECKS = ["axes.W001"]
# Password-reset requests and invitation links ("<n>/<s|m|h|d>", empty for no limit): core.ratelimits.
ABUSE_RATES = {
    "password_reset": {"address": env("PASSWORD_RESET_RATE_ADDRESS", default="10/h"),
                       "email": env("PASSWORD_RESET_RATE_EMAIL", default="3/h")},
    "invitation": {"address": env("INVITATION_RATE_ADDRESS", default="20/h")},
    # The SSO way in (sso.views.sso_sign_in) tells whether an address's domain has single sign-on: limited too.
    "sso_sign_in": {"address": env("SSO_SIGN_IN_RATE_ADDRESS", default="30/h")},
}
# --- end of sign-in protection ----------------------------------------------------------------------------------

# --- The organisation's admin log (issue 20): tenancy.admin_log; where a change came from: core.request_context ---
MIDDLEWARE += ["core.request_context.RequestContextMiddleware"]
ADMIN_LOG_RETENTION_DAYS = env.int("ADMIN_LOG_RETENTION_DAYS", default=365)
CELERY_BEAT_SCHEDULE["admin-log-purge"] = {"task": "tenancy.tasks.admin_log_purge_task", "schedule": 6 * 3600}
# --- end of the admin log ------------------------------------------------------------------------------------------

# --- Sign-in through django-allauth (issue 20, item 2): the account and multi-factor apps (identity) -------------
# The sign-in page is allauth's (identity.views.LoginView, URL names "login" and "account_login"); passwords are
# still counted by django-axes above (allauth's own password-failure count is off: identity.adapter). Second factors:
# TOTP, recovery codes, WebAuthn security keys and passkeys (allauth.mfa). An organisation may require them of its
# members (identity.MfaPolicy, identity.middleware). Signing up stays by invitation only (identity.adapter).
for _app in ["allauth", "allauth.account", "allauth.mfa", "identity"]:
    if _app not in INSTALLED_APPS:
        INSTALLED_APPS.append(_app)
if "allauth.account.middleware.AccountMiddleware" not in MIDDLEWARE:
    MIDDLEWARE.insert(MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
                      "allauth.account.middleware.AccountMiddleware")
MIDDLEWARE.insert(MIDDLEWARE.index("django.contrib.messages.middleware.MessageMiddleware") + 1,
                  "identity.middleware.MfaRequiredMiddleware")
ACCOUNT_ADAPTER = "identity.adapter.AccountAdapter"
ACCOUNT_FORMS = {"login": "identity.forms.LoginForm"}
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "email", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_SESSION_REMEMBER = True  # as before: a sign-in lasts SESSION_COOKIE_AGE, no "remember me" box
ACCOUNT_LOGOUT_REDIRECT_URL = LOGOUT_REDIRECT_URL
# allauth's limits count in the default cache (Redis when REDIS_URL is set; identity.apps makes them go on in the
# process's memory while it is unreachable, like core.limits_cache). "login_failed" is what allauth.mfa counts wrong
# second-factor codes with (per account, and per address); wrong passwords are django-axes' (see above).
MFA_CODE_RATE_ACCOUNT = env("MFA_CODE_RATE_ACCOUNT", default="5/5m")
MFA_CODE_RATE_ADDRESS = env("MFA_CODE_RATE_ADDRESS", default="30/5m")
ACCOUNT_RATE_LIMITS = {
    "login": None,  # axes counts sign-ins
    "login_failed": f"{MFA_CODE_RATE_ADDRESS}/ip,{MFA_CODE_RATE_ACCOUNT}/key",
    "reauthenticate": "10/m/user",
    "change_password": "5/m/user",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = env.bool("MFA_PASSKEY_LOGIN_ENABLED", default=True)
MFA_TOTP_ISSUER = env("MFA_TOTP_ISSUER", default="Journey Planner")
# WebAuthn needs a secure context: https, or http://localhost in development and tests.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = env.bool("MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN", default=DEBUG)
# --- end of allauth ------------------------------------------------------------------------------------------------

# --- Single sign-on, OpenID Connect per organisation (issue 20, item 1): the sso app on allauth.socialaccount -----
# Each organisation's SSO configuration (sso.models.SsoConfiguration) owns one allauth SocialApp (provider
# "openid_connect", provider_id "org-<id>"), so the redirect URI to register with its identity provider is
# <SITE_URL>/accounts/oidc/org-<id>/login/callback/.
INSTALLED_APPS += ["allauth.socialaccount", "allauth.socialaccount.providers.openid_connect", "sso"]
# allauth signs a person in with its own backend (a session stored with axes' standalone backend would not load).
AUTHENTICATION_BACKENDS += ["allauth.account.auth_backends.AuthenticationBackend"]
SOCIALACCOUNT_ADAPTER = "sso.adapter.SsoSocialAccountAdapter"
SOCIALACCOUNT_AUTO_SIGNUP = True  # just-in-time accounts; sso.adapter refuses what its organisation does not own
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"  # the identity provider vouches (email_verified is required)
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False  # sso.adapter links an existing account itself, for owned domains only
SOCIALACCOUNT_STORE_TOKENS = False  # sign-in only: no access or refresh token is kept
SOCIALACCOUNT_LOGIN_ON_GET = False  # the redirect to the provider starts from our POSTed form (sso.views)
SOCIALACCOUNT_REQUESTS_TIMEOUT = env.int("SSO_REQUESTS_TIMEOUT", default=10)
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]["SsoRoleEnum"] = "sso.models.JIT_ROLE_CHOICES"  # no owner by SSO
# --- end of single sign-on ------------------------------------------------------------------------------------------
