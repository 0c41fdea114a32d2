"""The strict Content-Security-Policy in a real browser (finding 10 of issue 9): every demo user
walks through every main page of Inbeeld (the menu and the pages one click further: a child, a
case, a letter) and nothing is blocked, the monitor's charts included (drawn by Vega with its
expression interpreter, no eval, no injected style). The ``page`` fixture fails a test on any
violation (``securitypolicyviolation`` events and Chromium's console); the first test shows that
it notices one."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from inbeeld.attendance.detection import detection_run
from inbeeld.concerns.demo import concerns_demo
from inbeeld.demo.setup import DEMO_PASSWORD, DEMO_USERNAMES
from inbeeld.demo.tests.world import generate_demo_files, load_demo
from inbeeld.monitor.refresh import refresh_episodes
from tests import build

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ON = dt.date(2025, 6, 20)
#: pages per user: the menu, and from each menu page the first links of each kind
MAX_PAGES = 30
NOT_A_PAGE = re.compile(r"\.(pdf|csv|xlsx|json|zip)$|/uitloggen|/logout|/api/|/admin/")


@pytest.fixture(scope="module")
def demo_files(tmp_path_factory):
    return generate_demo_files(tmp_path_factory, students=300, seed=3, on=ON)


@pytest.fixture
def demo(demo_files):
    cache.clear()
    load_demo(demo_files)
    detection_run(on=ON)
    refresh_episodes(on=ON)
    concerns_demo(on=ON)
    yield
    cache.clear()


def _kind(path: str) -> str:
    """Pages of one kind (every child's page, every case) are visited once."""
    return re.sub(r"\d+", "N", path)


def _links(page, live_server_url: str) -> list[str]:
    hrefs = page.eval_on_selector_all(
        "header a[href], nav a[href], main a[href]:not([download])",
        "links => links.map(a => a.href)",
    )
    paths = []
    for href in hrefs:
        parts = urlsplit(href)
        if f"{parts.scheme}://{parts.netloc}" != live_server_url or NOT_A_PAGE.search(parts.path):
            continue
        paths.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return paths


def _charts_drawn(page) -> None:
    charts = page.locator("[data-vega-spec]")
    for i in range(charts.count()):
        expect(charts.nth(i)).to_have_attribute("data-rendered", "done")
        expect(charts.nth(i).locator("svg")).to_have_count(1)


def test_the_page_fixture_notices_a_violation(page, app_url, csp_violations):
    page.goto(app_url("accounts:login"))
    page.evaluate(
        """() => {
          const style = document.createElement("style");
          style.textContent = "body { color: red; }";
          document.head.append(style);
        }"""
    )
    page.wait_for_timeout(300)
    assert any("style-src" in v for v in csp_violations), csp_violations
    csp_violations.clear()


def test_every_main_page_of_every_demo_user_keeps_the_policy(
    page, log_in, live_server, demo, csp_violations
):
    visited: dict[str, list[str]] = {}
    for username in DEMO_USERNAMES:
        page.context.clear_cookies()
        log_in(page, username, DEMO_PASSWORD)
        seen_kinds: set[str] = set()
        queue = [(urlsplit(page.url).path, 0)]
        queue += [(path, 1) for path in _links(page, live_server.url)]
        pages = []
        while queue and len(pages) < MAX_PAGES:
            path, depth = queue.pop(0)
            if _kind(path.split("?")[0]) in seen_kinds:
                continue
            seen_kinds.add(_kind(path.split("?")[0]))
            response = page.goto(live_server.url + path)
            assert response.status < 500, (username, path, response.status)
            assert "Content-Security-Policy" in {k.title() for k in response.headers}
            page.wait_for_load_state("networkidle")
            _charts_drawn(page)
            pages.append(path)
            if depth < 2:
                queue += [(link, depth + 1) for link in _links(page, live_server.url)]
            assert not csp_violations, (username, path, list(csp_violations))
        visited[username] = pages
    # the walk reached the pages that matter
    every = {_kind(p) for pages in visited.values() for p in pages}
    for expected in ("/monitor/", "/leerling/N/", "/zorgen/N/brief/"):
        assert any(expected in kind for kind in every), (expected, sorted(every))


def test_the_dashboard_charts_are_drawn_and_redrawn_under_the_policy(page, log_in, csp_violations):
    cache.clear()
    world = build.dashboard()
    log_in(page, world.beleid_a.user.username, build.PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Monitor")
    for chart in ("chart-now", "chart-targets", "chart-trend"):
        expect(page.locator(f"[data-vega-spec='{chart}']")).to_have_attribute(
            "data-rendered", "done"
        )
    _charts_drawn(page)
    # the tooltip (vega-tooltip, its default style off) shows without breaking the policy
    page.locator("[data-vega-spec] [aria-roledescription='bar']").filter(visible=True).first.hover()
    expect(page.locator("#vg-tooltip-element")).to_be_visible()
    # the breakdown is swapped in by htmx and drawn again
    page.get_by_label("Uitsplitsen naar").select_option("gemeente")
    expect(page.get_by_test_id("table-breakdown")).to_contain_text("Gemeente A")
    expect(page.locator("[data-vega-spec='chart-breakdown']")).to_have_attribute(
        "data-rendered", "done"
    )
    _charts_drawn(page)
    assert not csp_violations
    cache.clear()
