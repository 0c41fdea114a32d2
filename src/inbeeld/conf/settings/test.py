"""Tests: fast password hashing, in-memory e-mail; the database comes from INBEELD_DATABASE_URL."""

import atexit
import shutil
import tempfile

from inbeeld.conf import env
from inbeeld.conf.settings.base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Uploads of a test run (employers' statements, letters) go to a folder of that run, removed at exit.
MEDIA_ROOT = tempfile.mkdtemp(prefix="inbeeld-test-media-")
atexit.register(shutil.rmtree, MEDIA_ROOT, ignore_errors=True)
MIDDLEWARE = [m for m in MIDDLEWARE if m != "whitenoise.middleware.WhiteNoiseMiddleware"]  # noqa: F405

# Several test runs may share one PostgreSQL server: each may name its own test database.
if env.text("INBEELD_TEST_DATABASE_NAME"):
    DATABASES["default"]["TEST"] = {"NAME": env.text("INBEELD_TEST_DATABASE_NAME")}  # noqa: F405

# Background tasks run at once where they are queued; the lifecycle tests switch to the database
# backend and run the worker's loop themselves (operations/tests).
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
