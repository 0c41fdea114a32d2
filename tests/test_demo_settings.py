"""Finding 14 of issue 9: a failing page showed the demo's audience Django's debug page. The demo
(`make run`: the dev settings with INBEELD_DEMO on) runs with DEBUG off, shows Inbeeld's own error
pages, and still serves its CSS and JavaScript (WhiteNoise from the static file finders, without
collectstatic). Development without demo mode keeps DEBUG."""

from __future__ import annotations

import json
import os
import subprocess
import sys

SCRIPT = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client
client = Client(raise_request_exception=False)
answers = {path: client.get(path) for path in (
    "/static/ui/inbeeld.css",
    "/static/vendor/htmx.org/dist/htmx.min.js",
    "/static/vendor/vega-embed/build/vega-embed.min.js",
    "/bestaat-niet/",
)}
print(json.dumps({
    "debug": settings.DEBUG,
    "status": {p: r.status_code for p, r in answers.items()},
    "not_found": answers["/bestaat-niet/"].content.decode(),
}))
"""


def _run(**extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("INBEELD_")}
    env.update(
        DJANGO_SETTINGS_MODULE="inbeeld.conf.settings.dev",
        INBEELD_DATABASE_URL="sqlite:///:memory:",
        INBEELD_ALLOWED_HOSTS="testserver",
        **extra,
    )
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_demo_shows_no_debug_page_and_serves_its_static_files():
    demo = _run(INBEELD_DEMO="true")
    assert demo["debug"] is False
    assert set(demo["status"].values()) == {200, 404}
    assert all(status == 200 for path, status in demo["status"].items() if "static" in path)
    assert demo["status"]["/bestaat-niet/"] == 404
    assert ">Pagina niet gevonden</h1>" in demo["not_found"]
    assert "technical_404" not in demo["not_found"]
    assert "Django tried these URL patterns" not in demo["not_found"]


def test_development_without_demo_keeps_debug():
    assert _run()["debug"] is True
    assert _run(INBEELD_DEMO="true", INBEELD_DEBUG="true")["debug"] is True
