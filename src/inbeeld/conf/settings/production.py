"""Production: refuses to start with DEBUG, demo mode or the development secret key."""

from django.core.exceptions import ImproperlyConfigured

from inbeeld.conf import env
from inbeeld.conf.settings.base import *  # noqa: F403
from inbeeld.conf.settings.base import DEBUG, DEMO_MODE, SECRET_KEY

if DEBUG:
    raise ImproperlyConfigured("INBEELD_DEBUG must be off in production")
if DEMO_MODE:
    raise ImproperlyConfigured("INBEELD_DEMO must be off in production: demo users are not allowed")
if SECRET_KEY.startswith("insecure-") or len(SECRET_KEY) < 40:
    raise ImproperlyConfigured(
        "INBEELD_SECRET_KEY must be set to a long random value in production"
    )

SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
#: Django redirects plain HTTP to HTTPS; off only where the reverse proxy already does it
SECURE_SSL_REDIRECT = env.flag("INBEELD_SSL_REDIRECT", True)
if not SECURE_SSL_REDIRECT:
    # the operator said the proxy redirects to HTTPS: Django's warning about it does not apply
    SILENCED_SYSTEM_CHECKS = ["security.W008"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
#: inbeeld.wsgi refuses to serve while the demo users exist (inbeeld.demo.guard)
REFUSE_DEMO_USERS = True
