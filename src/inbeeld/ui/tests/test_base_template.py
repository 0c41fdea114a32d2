"""The base layout: navigation by permission, the acting organisation, messages with words."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.template.loader import render_to_string
from django.test import RequestFactory

from inbeeld.ui.templatetags.inbeeld_ui import alert_modifier, alert_prefix, can


@dataclass
class FakeOrganisation:
    name: str


@dataclass
class FakeActor:
    organisation: FakeOrganisation
    permissions: frozenset[str] = field(default_factory=frozenset)

    def can(self, permission: str) -> bool:
        return permission in self.permissions


class FakeUser:
    is_authenticated = True
    username = "fleur"

    def get_full_name(self) -> str:
        return "Fleur de Vries"


def render(actor=None, user=None, messages=()):
    request = RequestFactory().get("/")
    return render_to_string(
        "ui/base.html", {"actor": actor, "user": user, "messages": messages}, request=request
    )


def test_can_takes_the_value_or_the_name_and_no_actor_can_nothing():
    actor = FakeActor(FakeOrganisation("Gemeente Utrecht"), frozenset({"view_worklist"}))
    assert can(actor, "view_worklist")
    assert can(actor, "VIEW_WORKLIST")
    assert not can(actor, "IMPORT_DATA")
    assert not can(None, "VIEW_WORKLIST")


def test_message_levels_have_an_alert_kind_and_a_word():
    assert alert_modifier("success") == "ok"
    assert alert_modifier("error") == "error"
    assert alert_modifier("unknown") == "info"
    assert alert_prefix("error") == "Fout"


def test_anonymous_page_has_no_navigation_and_a_skip_link():
    html = render()
    assert 'lang="nl"' in html
    assert 'href="#main"' in html
    assert "Hoofdmenu" not in html
    assert "Uitloggen" not in html


def test_navigation_shows_only_what_the_actor_may_do():
    worker = FakeActor(FakeOrganisation("Gemeente Utrecht"), frozenset({"view_worklist"}))
    html = render(actor=worker, user=FakeUser())
    assert "Wie zit er thuis?" in html
    assert "Gemeente Utrecht" in html
    assert "Fleur de Vries" in html

    figures_only = FakeActor(FakeOrganisation("Gemeente Utrecht"), frozenset({"view_figures"}))
    assert "Wie zit er thuis?" not in render(actor=figures_only, user=FakeUser())


def test_messages_carry_their_kind_in_words_and_sit_in_a_status_region():
    html = render(
        actor=FakeActor(FakeOrganisation("Gemeente Utrecht")),
        user=FakeUser(),
        messages=[Message(constants.SUCCESS, "De melding is afgesloten.")],
    )
    assert 'role="status"' in html
    assert "utrecht-alert--ok" in html
    assert "Gelukt:</strong> De melding is afgesloten." in html


@pytest.mark.parametrize("level", ["error", "warning", "success", "info", "debug"])
def test_every_message_level_is_mapped(level):
    assert alert_modifier(level) in {"error", "warning", "ok", "info"}
