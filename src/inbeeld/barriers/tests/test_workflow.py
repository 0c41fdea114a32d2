"""Every state and every transition of a barrier, and every refusal (``barriers.workflow``)."""

from __future__ import annotations

import itertools

import pytest
from django.core.exceptions import ValidationError

from inbeeld.barriers import workflow as wf
from inbeeld.barriers.workflow import BarrierKind, BarrierState

T = BarrierKind.TRANSPORT
OTHERS = [k for k in BarrierKind.values if k != T]

#: the allowed moves, written out once more by hand: the table must say exactly this
TRANSPORT_ALLOWED = {
    ("aangevraagd", "toegekend"),
    ("aangevraagd", "geweigerd"),
    ("aangevraagd", "vervallen"),
    ("toegekend", "geregeld"),
    ("toegekend", "vervallen"),
    ("geweigerd", "aangevraagd"),
    ("geweigerd", "bezwaar"),
    ("geweigerd", "vervallen"),
    ("bezwaar", "toegekend"),
    ("bezwaar", "geweigerd"),
    ("bezwaar", "vervallen"),
}
SIMPLE_ALLOWED = {("open", "opgelost"), ("open", "vervallen")}


def test_where_a_barrier_starts():
    assert wf.initial_state(T) == "aangevraagd"
    for kind in OTHERS:
        assert wf.initial_state(kind) == "open"


def test_the_states_of_each_kind():
    assert set(wf.states_of(T)) == {"aangevraagd", "toegekend", "geweigerd", "bezwaar", "geregeld"}
    for kind in OTHERS:
        assert set(wf.states_of(kind)) == {"open", "opgelost", "vervallen"}


@pytest.mark.parametrize(
    ("kind", "allowed"),
    [(T, TRANSPORT_ALLOWED), *((k, SIMPLE_ALLOWED) for k in OTHERS)],
)
def test_every_pair_of_states(kind, allowed):
    """Each (from, to) over all states: allowed exactly as the table says, refused otherwise with
    a message; check_transition names the step or raises on ``to``."""
    for state, to in itertools.product(BarrierState.values, repeat=2):
        if state not in wf.states_of(kind):
            assert wf.refusal(kind, state, to) is not None
            continue
        if (state, to) in allowed:
            assert wf.refusal(kind, state, to) is None
            assert wf.check_transition(kind, state, to)
            assert (to, wf.check_transition(kind, state, to)) in wf.available(kind, state)
        else:
            assert wf.refusal(kind, state, to)
            with pytest.raises(ValidationError) as refused:
                wf.check_transition(kind, state, to)
            assert "to" in refused.value.message_dict


def test_open_and_ended():
    for state in ("aangevraagd", "toegekend", "geweigerd", "bezwaar", "open"):
        assert wf.is_open(state)
    for state in ("geregeld", "opgelost", "vervallen"):
        assert not wf.is_open(state)
        assert wf.available(T, state) == [] or state not in wf.states_of(T)


def test_an_ended_barrier_says_nothing_follows():
    assert "niets meer" in wf.refusal(T, "geregeld", "aangevraagd")
    assert "niets meer" in wf.refusal("wachtlijst", "opgelost", "open")


def test_a_refusal_names_what_is_possible():
    why = wf.refusal(T, "aangevraagd", "geregeld")
    assert "toegekend" in why
    assert "geweigerd" in why


def test_labels():
    assert wf.state_label("bezwaar") == "in bezwaar"
    assert wf.state_label("iets") == "iets"
    assert wf.state_label(None) == "—"
