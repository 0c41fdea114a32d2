"""Escalation proposals with frozen dates (issue 4 §3)."""

from __future__ import annotations

import datetime as dt

import pytest

from inbeeld.rules.escalation import (
    BOVENSCHOOLS_TEAM,
    DOORBRAAKOVERLEG,
    SCHOOL_TEAM,
    CaseFacts,
    Referral,
    escalation_proposal,
    next_step,
)

D = dt.date


def test_the_ladder():
    assert next_step(None) == SCHOOL_TEAM
    assert next_step(SCHOOL_TEAM) == BOVENSCHOOLS_TEAM
    assert next_step(BOVENSCHOOLS_TEAM) == DOORBRAAKOVERLEG
    assert next_step(DOORBRAAKOVERLEG) is None


@pytest.mark.parametrize(
    ("on", "plan", "proposed"),
    [
        (D(2025, 3, 14), None, False),  # exactly six weeks after 31 January: not yet
        (D(2025, 3, 15), None, True),  # a day later: propose
        (D(2025, 4, 1), D(2025, 3, 1), False),  # a plan was agreed
    ],
)
def test_no_plan_six_weeks_after_an_lrv_melding(on, plan, proposed):
    facts = CaseFacts(on=on, step=SCHOOL_TEAM, lrv_melding_on=D(2025, 1, 31), plan_agreed_on=plan)
    proposal = escalation_proposal(facts)
    assert (proposal is not None) == proposed
    if proposal:
        assert proposal.to_step == BOVENSCHOOLS_TEAM
        assert (
            "geen plan van aanpak 6 weken na de lrv-melding van 31-01-2025" in proposal.reasons[0]
        )


@pytest.mark.parametrize(
    ("since", "offer", "proposed"),
    [
        (D(2024, 11, 30), None, False),  # 28 Feb minus 3 months is 28 Nov: 30 Nov is after it
        (D(2024, 11, 29), None, False),
        # RULES.md §7: since ≤ 28 Nov, the day itself included (v1 proposed only from 27 Nov)
        (D(2024, 11, 28), None, True),
        (D(2024, 11, 27), None, True),
        (D(2024, 10, 1), D(2025, 1, 10), False),  # a suitable offer was made
    ],
)
def test_three_months_at_home_without_a_suitable_offer(since, offer, proposed):
    facts = CaseFacts(
        on=D(2025, 2, 28), step=BOVENSCHOOLS_TEAM, at_home_since=since, suitable_offer_on=offer
    )
    proposal = escalation_proposal(facts)
    assert (proposal is not None) == proposed
    if proposal:
        assert proposal.to_step == DOORBRAAKOVERLEG


def test_a_referral_waiting_longer_than_the_regions_norm():
    waiting = Referral("jeugd-ggz", requested_on=D(2024, 11, 1))
    started = Referral("wijkteam", requested_on=D(2024, 6, 1), started_on=D(2024, 7, 1))
    not_blocking = Referral("leerlingenvervoer", requested_on=D(2024, 6, 1), blocks_return=False)
    on_time = CaseFacts(
        on=D(2025, 1, 10), step=SCHOOL_TEAM, referrals=(waiting,), referral_norm_weeks=10
    )
    assert escalation_proposal(on_time) is None  # 10 weeks: at the norm, not over it
    late = CaseFacts(
        on=D(2025, 1, 17),
        step=SCHOOL_TEAM,
        referrals=(waiting, started, not_blocking),
        referral_norm_weeks=10,
    )
    proposal = escalation_proposal(late)
    assert proposal is not None
    assert proposal.reasons == (
        "verwijzing naar jeugd-ggz wacht al 11 weken (norm 10 weken) en houdt de terugkeer "
        "naar school tegen",
    )


def test_nothing_above_the_doorbraakoverleg():
    facts = CaseFacts(on=D(2025, 6, 1), step=DOORBRAAKOVERLEG, at_home_since=D(2024, 1, 1))
    assert escalation_proposal(facts) is None
