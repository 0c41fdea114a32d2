"""The children on a school team's list, by cause, in the monitor (issue 12 §6)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from inbeeld.monitor.extensions import school_team_causes
from inbeeld.monitor.scope import FigureScope
from inbeeld.monitor.selectors.now import NO_CAUSE, _school_team_cause_figures
from inbeeld.prevention import services


def test_the_children_on_a_list_count_per_cause_of_their_discussions(team_world):
    tw = team_world
    today = timezone.localdate()
    entry = tw.put_on_list()
    services.discussion_add(actor=tw.school, entry=entry, causes=["pesten", "vervoer"])
    services.discussion_add(actor=tw.school, entry=entry, causes=["pesten"])
    children, per_cause = school_team_causes(FigureScope.everything(), today)
    assert children == {tw.child.pk}
    assert per_cause == {"pesten": {tw.child.pk}, "vervoer": {tw.child.pk}}
    # before the child was put on the list it counts nowhere
    assert school_team_causes(FigureScope.everything(), today - dt.timedelta(days=1)) == (
        set(),
        {},
    )
    # a gemeente elsewhere does not count it
    assert school_team_causes(FigureScope.for_gemeente("GM9999"), today) == (set(), {})


def test_a_child_taken_off_the_list_no_longer_counts(team_world):
    tw = team_world
    entry = tw.put_on_list()
    services.discussion_add(actor=tw.school, entry=entry, causes=["rouw"])
    services.entry_end(actor=tw.school, entry=entry, reason="gaat weer goed")
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    assert school_team_causes(FigureScope.everything(), tomorrow) == (set(), {})


def test_the_monitor_rows_hide_small_counts_and_keep_one_row_per_cause(team_world):
    tw = team_world
    services.discussion_add(actor=tw.school, entry=tw.put_on_list(), causes=["pesten"])
    rows = _school_team_cause_figures(FigureScope.everything(), timezone.localdate())
    keys = [row.key for row in rows]
    assert keys[-2:] == [NO_CAUSE, "total"]
    by_key = {row.key: row.values["now"] for row in rows}
    assert by_key["pesten"] is None  # 1 child: hidden (small-cell suppression)
    assert by_key["total"] is None
    assert by_key["rouw"] == 0
