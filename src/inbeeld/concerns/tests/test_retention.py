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
from inbeeld.people.tests.factories import valid_bsn

D = dt.date
REGISTERED = D(2020, 6, 15)


def _frozen(day: dt.date):
    """The clock stopped at noon on ``day`` (no time-machine or freezegun needed)."""
    moment = dt.datetime(day.year, day.month, day.day, 12, tzinfo=dt.UTC)
    return mock.patch("django.utils.timezone.now", return_value=moment)


def _old_involvement(world, concern):
    """The involvement a concern gave before issue 9 (ended by a migration, deleted with it)."""
    return Involvement.objects.create(
        student=world.pupil,
        organisation=concern.organisation,
        source=Involvement.Source.CONCERN,
        source_id=concern.pk,
        since=concern.registered_on,
        until=concern.registered_on,
    )


def test_purge_deletes_only_what_passed_five_years_with_matches_and_involvement(world):
    old = register(world, "zorg", on=REGISTERED)
    old_match_side = register(world, "jeugdarts", on=REGISTERED)
    young = register(world, "wijkteam_member", on=D(2021, 1, 4))
    # a registration never linked to a child is kept and deleted the same way
    pending = register(
        world, "jeugdarts", bsn=valid_bsn(4242), birth_date=D(2012, 1, 1), on=REGISTERED
    )
    young_pending = register(
        world, "wijkteam_member", bsn=valid_bsn(4242), birth_date=D(2012, 1, 1), on=D(2021, 1, 4)
    )
    for concern in (old, old_match_side, young):
        _old_involvement(world, concern)
    assert Match.objects.count() == 3
    assert old.delete_after == pending.delete_after == D(2025, 6, 15)

    assert purge_concerns(on=D(2025, 6, 15)) == 0  # the last day it is kept
    assert purge_concerns(on=D(2025, 6, 16)) == 3
    assert set(Concern.objects.all()) == {young, young_pending}
    assert Match.objects.count() == 0
    assert not Involvement.objects.filter(source_id__in=[old.pk, old_match_side.pk]).exists()
    assert Involvement.objects.filter(source_id=young.pk).exists()
    event = AuditEvent.objects.get(summary__startswith="bewaartermijn")
    assert event.user is None
    assert event.detail == {
        "retention": "concerns",
        "on": "2025-06-16",
        "concerns": 3,
        "matches": 3,
        "involvements": 2,
    }
    assert event.student is None  # only counts: nothing about a child
    # again: nothing to do, and no second event
    assert purge_concerns(on=D(2025, 6, 16)) == 0
    assert AuditEvent.objects.filter(summary__startswith="bewaartermijn").count() == 1


def test_after_two_years_a_concern_no_longer_matches(world):
    with _frozen(REGISTERED):
        concern = register(world, "jeugdarts")
        assert concern.registered_on == REGISTERED
        assert student_for(actor=world.actor("jeugdarts"), pk=world.pupil.pk) is None
    with _frozen(D(2022, 6, 15)):  # the last active day
        assert len(register(world, "wijkteam_member").new_matches) == 1
    with _frozen(D(2022, 6, 16)):
        assert len(register(world, "zorg").new_matches) == 1  # the wijkteam's, not the GGD's


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
