"""Browser test harness: Debian's Chromium driven by the sync Playwright API, against pytest-django's
``live_server``, with axe-core (from node_modules) for WCAG 2.1 A/AA checks.

No ``playwright install``: the browser is the system's ``/usr/bin/chromium`` (``apt-get install
chromium``; ``.ci/run`` installs it). Without it the browser tests are skipped with that reason.

Fixtures for tests marked ``@pytest.mark.browser``:

- ``page``: a fresh browser context and page (Dutch locale), closed after the test; the test fails
  on any Content-Security-Policy violation in it (``csp_violations`` lists them);
- ``app_url``: builds an absolute URL on the live server from a path or a URL name;
- ``log_in``: ``log_in(page, username, password)`` fills the login form, submits it and passes
  the second step with a code of the user's authenticator (made if the user has none);
- ``axe``: ``axe(page)`` returns the axe-core violations; ``axe.assert_clean(page)`` fails listing them.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path(os.environ.get("INBEELD_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
REPO = Path(__file__).resolve().parent.parent
AXE_SCRIPT = REPO / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
#: seconds Playwright waits for a page or an element before failing a test
TIMEOUT_MS = 15_000


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(f"no Chromium at {CHROMIUM}: install it with `apt-get install -y chromium`")
    # The sync Playwright API keeps an event loop running in this thread; Django then refuses ORM
    # calls from it (the test's own set-up) unless told that this is safe, which it is here.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield chromium
        finally:
            chromium.close()


#: reports every Content-Security-Policy violation of a page to the test (across navigations)
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__inbeeldCspViolation(
    `${event.violatedDirective} blocked ${event.blockedURI || "inline"} `
    + `(${event.sourceFile || document.location.href}:${event.lineNumber}) ${event.sample || ""}`
  );
});
"""


class CspViolations(list):
    """What the strict Content-Security-Policy blocked in a test's pages: the page fixture fails the
    test on any (the ``securitypolicyviolation`` events and Chromium's console messages)."""

    def record_console(self, message: Any) -> None:
        if "Content Security Policy" in message.text:
            self.append(f"console: {message.text}")


@pytest.fixture
def csp_violations() -> CspViolations:
    return CspViolations()


@pytest.fixture
def page(browser, live_server, csp_violations) -> Iterator[Any]:
    context = browser.new_context(
        locale="nl-NL", viewport={"width": 1280, "height": 900}, base_url=live_server.url
    )
    context.set_default_timeout(TIMEOUT_MS)
    context.expose_binding(
        "__inbeeldCspViolation", lambda _source, text: csp_violations.append(text)
    )
    context.add_init_script(CSP_LISTENER)
    page = context.new_page()
    page.on("console", csp_violations.record_console)
    try:
        yield page
    finally:
        context.close()
    assert not csp_violations, "Content-Security-Policy violations:\n" + "\n".join(csp_violations)


@pytest.fixture
def app_url(live_server) -> Callable[..., str]:
    """``app_url("/accounts/login/")`` or ``app_url("attendance:home")`` → an absolute URL."""
    from django.urls import reverse

    def build(path_or_name: str, *args: Any, **kwargs: Any) -> str:
        path = (
            path_or_name
            if path_or_name.startswith("/")
            else reverse(path_or_name, args=args or None, kwargs=kwargs or None)
        )
        return live_server.url + path

    return build


def totp_code(device: Any) -> str:
    """The current code of a django-otp TOTP device, one that the device has not seen yet (it
    refuses a code of a time step it already accepted): waits for the next step when needed."""
    import time

    from django_otp.oath import totp

    device.refresh_from_db()
    while True:
        now_step = (int(time.time()) - device.t0) // device.step
        drift = max(0, device.last_t + 1 - now_step)
        if drift <= device.tolerance:
            code = totp(device.bin_key, device.step, device.t0, device.digits, drift)
            return f"{code:0{device.digits}d}"
        time.sleep(1)


@pytest.fixture
def log_in(app_url) -> Callable[..., None]:
    """Open the login page, fill in the user name and password, submit, wait for the next page;
    then pass the second step with a code from the user's authenticator (one is made for a user
    without a second factor). ``second_factor=False`` stops after the password."""

    def do_log_in(page: Any, username: str, password: str, second_factor: bool = True) -> None:
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from inbeeld.accounts.models import User

        device = None
        if second_factor:
            user = User.objects.get(username=username)
            device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
            if device is None:
                device = TOTPDevice.objects.create(user=user, name="browser-test", confirmed=True)
        page.goto(app_url("accounts:login"))
        page.get_by_label("Gebruikersnaam").fill(username)
        page.get_by_label("Wachtwoord").fill(password)
        with page.expect_navigation():
            page.get_by_role("button", name="Inloggen").click()
        if device is not None and "/accounts/tweede-factor/code/" in page.url:
            page.get_by_label("Code").fill(totp_code(device))
            with page.expect_navigation():
                page.get_by_role("button", name="Bevestigen", exact=True).click()

    return do_log_in


def format_violations(violations: list[dict[str, Any]]) -> str:
    """One block per violated rule: id, impact, help and the offending nodes."""
    lines = [f"{len(violations)} axe-core violation(s):"]
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation.get('impact')}): {violation.get('help')}"
            f" <{violation.get('helpUrl')}>"
        )
        for node in violation.get("nodes", []):
            lines.append(f"    {json.dumps(node.get('target'))}: {node.get('html', '')[:200]}")
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            if summary:
                lines.append(f"      {summary[:300]}")
    return "\n".join(lines)


class Axe:
    """Runs axe-core in a page for the WCAG 2.0/2.1 A and AA rules."""

    def __init__(self, script: Path, tags: list[str]) -> None:
        self.script = script
        self.tags = tags

    def __call__(self, page: Any) -> list[dict[str, Any]]:
        if not self.script.exists():
            pytest.fail(f"{self.script} is missing: run `make install` (npm ci) first")
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            # evaluated by the test, not added as an inline <script> (the page's CSP refuses those)
            page.evaluate(self.script.read_text(encoding="utf-8"))
        result = page.evaluate(
            "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
            self.tags,
        )
        return result["violations"]

    def assert_clean(self, page: Any) -> None:
        violations = self(page)
        assert not violations, f"{page.url}\n{format_violations(violations)}"


@pytest.fixture
def axe() -> Axe:
    return Axe(AXE_SCRIPT, AXE_TAGS)
