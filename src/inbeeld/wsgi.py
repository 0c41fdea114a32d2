import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inbeeld.conf.settings.production")
application = get_wsgi_application()

from inbeeld.demo.guard import refuse_demo_users  # noqa: E402  (needs the apps loaded)

refuse_demo_users()
