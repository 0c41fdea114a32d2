"""Development and demo: DEBUG on unless the environment says otherwise."""

from inbeeld.conf import env
from inbeeld.conf.settings.base import *  # noqa: F403

DEBUG = env.flag("INBEELD_DEBUG", True)
