"""Retention with frozen dates: active two years, deleted after five (the ``retention`` command)."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from unittest import mock

from django.core.management import call_command

from inbeeld.audit.models import AuditEvent
from inbeeld.concerns.models import Concern, Match
from inbeeld.concerns.retention import purge_concerns
from inbeeld.concerns.tests.conftest import register
from inbeeld.people.models import Involvement
from inbeeld.people.selectors import student_for

D = dt.date
REGISTERED = D(2020, 6, 15)


def _frozen(day: dt.date):
    """The clock stopped at noon on ``day`` (no time-machine or freezegun needed)."""
    moment = dt.datetime(day.year, day.month, day.day, 12, tzinfo=dt.UTC)
    return mock.patch("django.utils.timezone.now", return_value=moment)


def test_purge_deletes_only_what_passed_five_years_with_matches_and_involvement(world):
    old = register(world, "zorg", on=REGISTERED)
    old_match_side = register(world, "jeugdarts", on=REGISTERED)
    young = register(world, "wijkteam_member", on=D(2021, 1, 4))
    assert Match.objects.count() == 3
    assert old.delete_after == D(2025, 6, 15)

    assert purge_concerns(on=D(2025, 6, 15)) == 0  # the last day it is kept
    assert purge_concerns(on=D(2025, 6, 16)) == 2
    assert list(Concern.objects.all()) == [young]
    assert Match.objects.count() == 0
    assert not Involvement.objects.filter(source_id__in=[old.pk, old_match_side.pk]).exists()
    assert Involvement.objects.filter(source_id=young.pk).exists()
    event = AuditEvent.objects.get(summary__startswith="bewaartermijn")
    assert event.user is None
    assert event.detail == {
        "retention": "concerns",
        "on": "2025-06-16",
        "concerns": 2,
        "matches": 3,
        "involvements": 2,
    }
    assert event.student is None  # only counts: nothing about a child
    # again: nothing to do, and no second event
    assert purge_concerns(on=D(2025, 6, 16)) == 0
    assert AuditEvent.objects.filter(summary__startswith="bewaartermijn").count() == 1


def test_after_two_years_a_concern_no_longer_gives_sight_nor_matches(world):
    with _frozen(REGISTERED):
        concern = register(world, "jeugdarts")
        assert concern.registered_on == REGISTERED
        assert student_for(actor=world.actor("jeugdarts"), pk=world.pupil.pk) == world.pupil
    with _frozen(D(2022, 6, 15)):  # the last active day
        assert student_for(actor=world.actor("jeugdarts"), pk=world.pupil.pk) == world.pupil
    with _frozen(D(2022, 6, 16)):
        assert student_for(actor=world.actor("jeugdarts"), pk=world.pupil.pk) is None
        assert register(world, "zorg").new_matches == []


def test_retention_command_with_a_date_and_with_the_frozen_clock(world):
    register(world, "zorg", on=REGISTERED)
    out = StringIO()
    call_command("retention", "--on", "2025-06-15", stdout=out)
    assert "0 zorgen verwijderd" in out.getvalue()
    with _frozen(D(2025, 6, 16)):
        out = StringIO()
        call_command("retention", stdout=out)
    assert out.getvalue().strip() == "Bewaartermijnen op 2025-06-16: 1 zorgen verwijderd."
    assert not Concern.objects.exists()
