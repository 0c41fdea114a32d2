"""Dutch by default, English on request: the browser's Accept-Language, the language cookie or the
language switch in the footer. The compiled English catalogue is in the repository (the machines
need not have gettext), so these tests also check that it is complete and matches the .po."""

from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db

LOCALE = Path(settings.LOCALE_PATHS[0])
SRC = LOCALE.parent  # src/inbeeld
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")
H1 = re.compile(r"<h1[^>]*>(.*?)</h1>", re.S)


def login_page(client, **headers):
    response = client.get(reverse("accounts:login"), headers=headers)
    assert response.status_code == 200
    return response.content.decode()


def test_without_a_preference_the_ui_speaks_dutch(client):
    html = login_page(client)
    assert 'lang="nl"' in html
    assert H1.search(html).group(1) == "Inloggen"
    assert "Gebruikersnaam" in html


def test_accept_language_nl_gives_dutch(client):
    html = login_page(client, accept_language="nl-NL,nl;q=0.9")
    assert H1.search(html).group(1) == "Inloggen"
    assert "Wachtwoord" in html


def test_accept_language_en_gives_english(client):
    html = login_page(client, accept_language="en-GB,en;q=0.9")
    assert 'lang="en"' in html
    assert H1.search(html).group(1) == "Log in"
    assert "Username" in html
    assert "Password" in html
    assert "Skip to content" in html
    assert "Inloggen" not in html


def test_the_language_cookie_wins_over_accept_language(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = login_page(client, accept_language="nl")
    assert H1.search(html).group(1) == "Log in"


def test_footer_has_a_labelled_language_switch_posting_to_set_language(client):
    html = login_page(client)
    form = re.search(r'<form[^>]*data-testid="language-switch"[^>]*>(.*?)</form>', html, re.S)
    assert form is not None
    assert f'action="{reverse("set_language")}"' in form.group(0)
    assert 'method="post"' in form.group(0)
    body = form.group(1)
    assert '<label for="inbeeld-language">Taal</label>' in body
    assert '<select id="inbeeld-language" name="language"' in body
    assert '<option value="nl" lang="nl" selected>Nederlands</option>' in body
    assert '<option value="en" lang="en">English</option>' in body
    assert 'name="next" value="/accounts/login/"' in body
    assert "csrfmiddlewaretoken" in body


def test_the_language_switch_changes_the_language_and_returns_to_the_page(client):
    login_url = reverse("accounts:login")

    response = client.post(reverse("set_language"), {"language": "en", "next": login_url})
    assert response.status_code == 302
    assert response.url == login_url
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    html = login_page(client)
    assert H1.search(html).group(1) == "Log in"
    assert '<option value="en" lang="en" selected>English</option>' in html
    assert "Choose language" in html

    client.post(reverse("set_language"), {"language": "nl", "next": login_url})
    assert H1.search(login_page(client)).group(1) == "Inloggen"


def test_the_language_switch_refuses_a_foreign_next_url(client):
    response = client.post(
        reverse("set_language"), {"language": "en", "next": "https://elders.example/"}
    )
    assert response.status_code == 302
    assert not response.url.startswith("https://elders.example")


def test_python_strings_translate_too():
    from inbeeld.ui.templatetags.inbeeld_ui import alert_prefix

    with translation.override("en"):
        assert alert_prefix("error") == "Error"
        assert translation.gettext("Wie zit er thuis?") == "Who is at home?"
        assert translation.ngettext("%(n)s week", "%(n)s weken", 3) % {"n": 3} == "3 weeks"
    with translation.override("nl"):
        assert alert_prefix("error") == "Fout"


# --- the catalogue itself ----------------------------------------------------------------------


def _unquote(line: str) -> str:
    return ast.literal_eval(line)


def read_po(path: Path) -> dict[str, dict]:
    """A small .po reader: {msgid: {"msgstr": [...], "plural": str|None, "fuzzy": bool}}."""
    entries: dict[str, dict] = {}
    current: dict | None = None
    field = None
    fuzzy = False

    def flush():
        if current is not None and current["msgid"]:
            entries[current["msgid"]] = current

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line.startswith("#~"):
            continue  # obsolete
        if line.startswith("#,"):
            fuzzy = "fuzzy" in line
            continue
        if not line or line.startswith("#"):
            continue
        if line.startswith("msgid "):
            flush()
            current = {"msgid": _unquote(line[6:]), "plural": None, "msgstr": [], "fuzzy": fuzzy}
            fuzzy = False
            field = "msgid"
        elif line.startswith("msgid_plural "):
            current["plural"] = _unquote(line[13:])
            field = "plural"
        elif line.startswith("msgstr"):
            current["msgstr"].append(_unquote(line.split(" ", 1)[1]))
            field = "msgstr"
        elif line.startswith('"'):
            if field == "msgstr":
                current["msgstr"][-1] += _unquote(line)
            else:
                current[field] += _unquote(line)
    flush()
    return entries


def test_every_dutch_string_has_an_english_translation_with_the_same_placeholders():
    entries = read_po(LOCALE / "en" / "LC_MESSAGES" / "django.po")
    assert len(entries) > 300
    untranslated = [m for m, e in entries.items() if e["fuzzy"] or not all(e["msgstr"])]
    assert untranslated == [], "translate these in locale/en/LC_MESSAGES/django.po"
    for msgid, entry in entries.items():
        sources = [msgid] + ([entry["plural"]] if entry["plural"] else [])
        expected = sorted(set(PLACEHOLDER.findall(" ".join(sources))))
        for msgstr in entry["msgstr"]:
            assert sorted(set(PLACEHOLDER.findall(msgstr))) == expected, msgid


def test_the_compiled_catalogue_matches_the_po_file():
    """The .mo is committed: it must hold exactly what the .po says (run compilemessages)."""
    po = read_po(LOCALE / "en" / "LC_MESSAGES" / "django.po")
    with open(LOCALE / "en" / "LC_MESSAGES" / "django.mo", "rb") as fh:
        mo = gettext.GNUTranslations(fh)
    for msgid, entry in po.items():
        if entry["plural"]:
            assert mo.ngettext(msgid, entry["plural"], 1) == entry["msgstr"][0], msgid
            assert mo.ngettext(msgid, entry["plural"], 2) == entry["msgstr"][1], msgid
        else:
            assert mo.gettext(msgid) == entry["msgstr"][0], msgid
    assert (LOCALE / "nl" / "LC_MESSAGES" / "django.mo").exists()


TEMPLATE_STRING = re.compile(r"""\{%\s*(?:translate|trans)\s+(["'])(.+?)\1(?:\s+as\s+\w+)?\s*%\}""")
PYTHON_STRING = re.compile(
    r"""\b(?:_|gettext|gettext_lazy|pgettext_lazy)\(\s*(["'])((?:(?!\1).)+)\1\s*\)"""
)


def test_every_literal_string_in_templates_and_code_is_in_the_catalogue():
    """A string added later without makemessages + translation shows up here."""
    known = set(read_po(LOCALE / "en" / "LC_MESSAGES" / "django.po"))
    missing: set[str] = set()
    for path in SRC.rglob("*.html"):
        for _quote, text in TEMPLATE_STRING.findall(path.read_text(encoding="utf-8")):
            if text not in known:
                missing.add(f"{path.relative_to(SRC)}: {text}")
    for path in SRC.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for _quote, text in PYTHON_STRING.findall(path.read_text(encoding="utf-8")):
            if "\\" not in text and text not in known:
                missing.add(f"{path.relative_to(SRC)}: {text}")
    assert sorted(missing) == [], (
        "run makemessages -l en -l nl (see locale/README.md), translate, compilemessages"
    )
