"""The case's state machine: every allowed transition, refusals, and the 12-month relapse rule."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from inbeeld.cases.workflow import (
    CLOSED,
    IN_PROGRESS,
    OPENED,
    RETURNED,
    TRANSITIONS,
    CaseState,
    allowed,
    check_transition,
    is_relapse,
)

D = dt.date
RETURNED_ON = D(2025, 3, 1)

ALLOWED = [
    (OPENED, IN_PROGRESS),
    (OPENED, RETURNED),
    (OPENED, CLOSED),
    (IN_PROGRESS, RETURNED),
    (IN_PROGRESS, CLOSED),
    (RETURNED, IN_PROGRESS),
    (RETURNED, CLOSED),
    (CLOSED, IN_PROGRESS),
]


def test_the_table_is_exactly_the_allowed_transitions():
    table = {(f, t) for f, targets in TRANSITIONS.items() for t in targets}
    assert table == set(ALLOWED)
    assert set(TRANSITIONS) == set(CaseState.values)


@pytest.mark.parametrize(("from_state", "to_state"), ALLOWED)
def test_every_allowed_transition_passes(from_state, to_state):
    step = check_transition(from_state, to_state, on=D(2025, 6, 1), returned_on=RETURNED_ON)
    assert step == TRANSITIONS[from_state][to_state]


REFUSED = [(f, t) for f in CaseState.values for t in CaseState.values if (f, t) not in ALLOWED]


@pytest.mark.parametrize(("from_state", "to_state"), REFUSED)
def test_every_other_transition_is_refused_in_dutch(from_state, to_state):
    with pytest.raises(ValidationError) as error:
        check_transition(from_state, to_state, on=D(2025, 6, 1), returned_on=RETURNED_ON)
    assert "kan niet naar" in error.value.messages[0]


def test_refusal_names_what_is_possible():
    with pytest.raises(ValidationError) as error:
        check_transition(CLOSED, RETURNED)
    assert "afgesloten" in error.value.messages[0]
    assert "plan in uitvoering" in error.value.messages[0]


def test_relapse_within_twelve_months_of_the_return():
    assert is_relapse(RETURNED, IN_PROGRESS)
    assert is_relapse(CLOSED, IN_PROGRESS)
    assert not is_relapse(OPENED, IN_PROGRESS)
    check_transition(CLOSED, IN_PROGRESS, on=D(2026, 3, 1), returned_on=RETURNED_ON)
    with pytest.raises(ValidationError, match="langer dan 12 maanden"):
        check_transition(CLOSED, IN_PROGRESS, on=D(2026, 3, 2), returned_on=RETURNED_ON)
    with pytest.raises(ValidationError, match="terugkeer naar school is vastgelegd"):
        check_transition(RETURNED, IN_PROGRESS, on=D(2025, 6, 1), returned_on=None)
    with pytest.raises(ValidationError, match="vóór de terugkeer"):
        check_transition(RETURNED, IN_PROGRESS, on=D(2025, 2, 1), returned_on=RETURNED_ON)


def test_allowed_lists_the_next_states():
    assert set(allowed(OPENED)) == {IN_PROGRESS, RETURNED, CLOSED}
    assert set(allowed(CLOSED)) == {IN_PROGRESS}
