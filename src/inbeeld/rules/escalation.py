"""When a child gets stuck: the next step on the escalation ladder (issue 4 §3; DOMAIN.md).

The ladder is school team → bovenschools team → doorbraakoverleg. The application proposes the
next step itself when one of the pact's norms is passed:

* no plan of action six weeks after an lrv melding;
* more than three months at home without a suitable offer of education or care (the
  Thuiszitterspact's goal: no child home for more than three months without one); "over three
  months" is :func:`inbeeld.rules.periods.over_three_months`, the test of the status's
  ``over_3_months`` (RULES.md §7);
* a referral (jeugdhulp, youth mental health, a special-education place) waiting longer than the
  region's norm while it blocks the return to school.

Plain functions on dates, so a case page and a nightly run ask the same question.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from inbeeld.rules import choices
from inbeeld.rules.periods import over_three_months

SCHOOL_TEAM = "school_team"
BOVENSCHOOLS_TEAM = "bovenschools_team"
DOORBRAAKOVERLEG = "doorbraakoverleg"
LADDER = (SCHOOL_TEAM, BOVENSCHOOLS_TEAM, DOORBRAAKOVERLEG)

#: issue 4 §3: a plan of action is expected within this many weeks of an lrv melding
PLAN_AFTER_LRV_WEEKS = 6
#: a referral's waiting norm when the region has set none (weeks)
DEFAULT_REFERRAL_NORM_WEEKS = 10


@dataclass(frozen=True)
class Referral:
    kind: str
    requested_on: dt.date
    started_on: dt.date | None = None
    blocks_return: bool = True


@dataclass(frozen=True)
class CaseFacts:
    """What the proposal looks at, as of ``on``."""

    on: dt.date
    step: str | None  # the current step on the ladder, None before the school team
    lrv_melding_on: dt.date | None = None
    plan_agreed_on: dt.date | None = None
    at_home_since: dt.date | None = None
    suitable_offer_on: dt.date | None = None
    referrals: tuple[Referral, ...] = ()
    referral_norm_weeks: int = DEFAULT_REFERRAL_NORM_WEEKS


@dataclass(frozen=True)
class Proposal:
    to_step: str
    reasons: tuple[str, ...]


def next_step(step: str | None) -> str | None:
    """The next rung of the ladder, or None at the top."""
    if step is None:
        return LADDER[0]
    index = LADDER.index(step)
    return LADDER[index + 1] if index + 1 < len(LADDER) else None


def escalation_reasons(facts: CaseFacts) -> tuple[str, ...]:
    """Which of the pact's norms are passed on ``facts.on`` (issue 4 §3), in plain Dutch."""
    reasons = []
    if facts.lrv_melding_on is not None and facts.plan_agreed_on is None:
        deadline = facts.lrv_melding_on + dt.timedelta(weeks=PLAN_AFTER_LRV_WEEKS)
        if facts.on > deadline:
            reasons.append(
                f"geen plan van aanpak {PLAN_AFTER_LRV_WEEKS} weken na de lrv-melding van "
                f"{facts.lrv_melding_on:%d-%m-%Y}"
            )
    if (
        facts.at_home_since is not None
        and facts.suitable_offer_on is None
        and over_three_months(facts.at_home_since, facts.on)
    ):
        reasons.append(
            f"langer dan {choices.THUISZITTER_LONG_MONTHS} maanden thuis zonder passend aanbod "
            f"(sinds {facts.at_home_since:%d-%m-%Y})"
        )
    for referral in facts.referrals:
        if referral.started_on is not None or not referral.blocks_return:
            continue
        waited = (facts.on - referral.requested_on).days // 7
        if waited > facts.referral_norm_weeks:
            reasons.append(
                f"verwijzing naar {referral.kind} wacht al {waited} weken "
                f"(norm {facts.referral_norm_weeks} weken) en houdt de terugkeer naar school tegen"
            )
    return tuple(reasons)


def escalation_proposal(facts: CaseFacts) -> Proposal | None:
    """The next step when a norm is passed and the ladder has one left; else None."""
    reasons = escalation_reasons(facts)
    target = next_step(facts.step)
    if not reasons or target is None:
        return None
    return Proposal(target, reasons)
