"""Development and demo.

Development: DEBUG on unless the environment says otherwise. The demo (``make run``, INBEELD_DEMO
on): DEBUG off unless the environment says otherwise, so that a demo audience sees Inbeeld's own
error pages and never Django's debug page (with its settings and tracebacks).

Static files come from the apps and node_modules without ``collectstatic`` either way: WhiteNoise
serves them from Django's static file finders (runserver itself serves them only with DEBUG)."""

from pathlib import Path

from inbeeld.conf import env
from inbeeld.conf.settings.base import *  # noqa: F403
from inbeeld.conf.settings.base import DEMO_MODE

DEBUG = env.flag("INBEELD_DEBUG", not DEMO_MODE)
WHITENOISE_USE_FINDERS = True
# WhiteNoise also serves STATIC_ROOT (collectstatic's output) and warns when it is missing
Path(STATIC_ROOT).mkdir(parents=True, exist_ok=True)  # noqa: F405
