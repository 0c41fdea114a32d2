"""Where things stand now (issue 5 §1): thuiszitters now and over three months, exemptions and
vervangende leerplicht per article, open meldingen per rule, open cases per step and referrals
waiting, per 1,000 pupils and beside the national figures (``monitor.national``)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from inbeeld.accounts.actor import Actor
from inbeeld.attendance.explanations import RULE_LABELS
from inbeeld.attendance.models import REPORT_RULES, Melding
from inbeeld.barriers.models import Barrier
from inbeeld.barriers.workflow import BarrierKind
from inbeeld.cases.causes import Cause
from inbeeld.cases.models import Case, CaseCause, Referral, Step
from inbeeld.cases.selectors import suitable_offer
from inbeeld.cases.workflow import OPEN_STATES as CASE_OPEN_STATES
from inbeeld.monitor import national
from inbeeld.monitor.articles import (
    ARTICLE_LABELS,
    EXEMPTION_ARTICLES,
    VERVANGENDE_LEERPLICHT_ARTICLES,
    exemptions_in_effect,
    vervangende_leerplicht_in_effect,
)
from inbeeld.monitor.extensions import school_team_causes
from inbeeld.monitor.models import AV, LRV, FiguresRefresh
from inbeeld.monitor.scope import FigureScope
from inbeeld.monitor.selectors.base import (
    FigureRow,
    cached,
    episodes_in,
    figure_scope,
    figures_date,
    latest_refresh,
    rows_with_total,
)
from inbeeld.monitor.suppression import per_1000, suppress_count, suppress_line, suppress_table
from inbeeld.people.models import Enrolment, Exemption, Student

CATEGORY_LABELS = {
    AV: _("absoluut verzuim"),
    LRV: _("langdurig relatief verzuim"),
    "total": _("thuiszitters samen"),
}


def pupils_in_scope(scope: FigureScope, on: dt.date) -> int:
    """Students enrolled on ``on`` within the scope (each counted once)."""
    current = Q(start_date__lte=on) & (Q(end_date__isnull=True) | Q(end_date__gte=on))
    if scope.kind == "gemeente":
        # the children living there with any current enrolment: a semi-join, no DISTINCT
        return Student.objects.filter(
            Exists(Enrolment.objects.filter(current, student_id=OuterRef("pk"))),
            municipality_code=scope.municipality_code,
        ).count()
    return (
        Enrolment.objects.filter(scope.pupils, start_date__lte=on)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
        .values("student_id")
        .distinct()
        .count()
    )


@dataclass
class NowFigures:
    on_date: dt.date
    refresh: FiguresRefresh | None
    pupils: int
    thuiszitters: list[FigureRow]
    exemptions: list[FigureRow]
    meldingen: list[FigureRow]
    #: RULES.md §7: vervangende leerplicht (art. 3a, 3b) counted apart from the exemptions
    vervangende_leerplicht: list[FigureRow] = field(default_factory=list)
    cases: list[FigureRow] = field(default_factory=list)
    referrals: list[FigureRow] = field(default_factory=list)
    #: open barriers per kind, with the median and longest days open so far (issue 11 §6)
    barriers: list[FigureRow] = field(default_factory=list)
    #: thuiszitters now per cause (issue 12 §6); a child with two causes is in two rows
    causes: list[FigureRow] = field(default_factory=list)
    #: children on a school team's list now per cause (issue 12 §1, §6)
    school_team_causes: list[FigureRow] = field(default_factory=list)
    #: the pact's target as written (issue 12 §7): over three months at home without an offer
    over_3_months_without_offer: int | None = None
    national: list[dict] = field(default_factory=list)

    def thuiszitters_total(self) -> FigureRow:
        return self.thuiszitters[-1]

    def as_dict(self) -> dict:
        return {
            "on_date": self.on_date.isoformat(),
            "pupils": self.pupils,
            "thuiszitters": [r.as_dict() for r in self.thuiszitters],
            "exemptions": [r.as_dict() for r in self.exemptions],
            "vervangende_leerplicht": [r.as_dict() for r in self.vervangende_leerplicht],
            "open_meldingen": [r.as_dict() for r in self.meldingen],
            "open_cases": [r.as_dict() for r in self.cases],
            "referrals_waiting": [r.as_dict() for r in self.referrals],
            "open_barriers": [r.as_dict() for r in self.barriers],
            "thuiszitters_by_cause": [r.as_dict() for r in self.causes],
            "school_team_children_by_cause": [r.as_dict() for r in self.school_team_causes],
            "over_3_months_without_offer": self.over_3_months_without_offer,
            "national": self.national,
        }


def _now_thuiszitters(scope: FigureScope, pupils: int) -> list[FigureRow]:
    counts = dict.fromkeys((AV, LRV), 0)
    long = dict.fromkeys((AV, LRV), 0)
    for row in (
        episodes_in(scope)
        .filter(end_date__isnull=True)
        .values("category")
        .annotate(n=Count("id"), long=Count("id", filter=Q(over_3_months_on__isnull=False)))
    ):
        counts[row["category"]] = row["n"]
        long[row["category"]] = row["long"]
    now, now_total = suppress_line([counts[AV], counts[LRV]], counts[AV] + counts[LRV])
    over, over_total = suppress_line([long[AV], long[LRV]], long[AV] + long[LRV])
    rows = []
    for key, n, o in (
        (AV, now[0], over[0]),
        (LRV, now[1], over[1]),
        ("total", now_total, over_total),
    ):
        rows.append(
            FigureRow(
                key,
                CATEGORY_LABELS[key],
                {
                    "now": n,
                    "over_3_months": o,
                    "now_per_1000": per_1000(n, pupils),
                    "over_3_months_per_1000": per_1000(o, pupils),
                },
                is_total=key == "total",
            )
        )
    return rows


#: RULES.md §7 (``monitor.articles``): the exemptions in effect per article, and vervangende
#: leerplicht (art. 3a, 3b, no exemption) apart: which rows, which articles, the total's label.
_PER_ARTICLE = {
    "exemptions": (exemptions_in_effect, EXEMPTION_ARTICLES, _("alle vrijstellingen")),
    "vervangende_leerplicht": (
        vervangende_leerplicht_in_effect,
        VERVANGENDE_LEERPLICHT_ARTICLES,
        _("alle vervangende leerplicht"),
    ),
}


def _now_per_article(scope: FigureScope, kind: str, on: dt.date, pupils: int) -> list[FigureRow]:
    """The children with an exemption (``kind`` "exemptions") or vervangende leerplicht
    ("vervangende_leerplicht") running on ``on``, per article (see :data:`_PER_ARTICLE`)."""
    in_effect, articles, total_label = _PER_ARTICLE[kind]
    counts = dict.fromkeys(articles, 0)
    for row in (
        Exemption.objects.filter(scope.exemptions)
        .filter(in_effect(on, on))
        .values("article")
        .annotate(n=Count("student_id", distinct=True))
    ):
        counts[row["article"]] = row["n"]
    figure_rows = rows_with_total(
        [(a, ARTICLE_LABELS[a], {"now": counts[a]}) for a in articles], total_label, ["now"]
    )
    for row in figure_rows:
        row.values["now_per_1000"] = per_1000(row.values["now"], pupils)
    return figure_rows


def _now_meldingen(scope: FigureScope) -> list[FigureRow]:
    """The open meldingen awaiting handling per rule (``MeldingQuerySet.awaiting_handling``): a
    report for information (langdurig ziek, issue 12 §2) has no row and is not in the total."""
    counts = {rule: 0 for rule in RULE_LABELS if rule not in REPORT_RULES}
    for row in (
        Melding.objects.filter(scope.meldingen)
        .awaiting_handling()
        .values("rule")
        .annotate(n=Count("id"))
    ):
        counts[row["rule"]] = row["n"]
    return rows_with_total(
        [(rule, RULE_LABELS.get(rule, rule), {"now": n}) for rule, n in counts.items()],
        _("alle open meldingen"),
        ["now"],
    )


def _cases_figures(scope: FigureScope, on: dt.date) -> tuple[list[FigureRow], list[FigureRow]]:
    """Open cases per escalation step; referrals waiting (not started) per kind, with the median
    days they have waited so far."""
    cases = Case.objects.filter(scope.cases, state__in=CASE_OPEN_STATES)
    counts = {"": 0, **dict.fromkeys(Step.values, 0)}
    for row in cases.values("escalation_step").annotate(n=Count("id")):
        counts[row["escalation_step"]] = row["n"]
    labels = {"": _("nog niet geëscaleerd"), **dict(Step.choices)}
    steps = rows_with_total(
        [(k or "geen", labels[k], {"now": n}) for k, n in counts.items()],
        _("alle open zaken"),
        ["now"],
    )
    waiting = dict.fromkeys(Referral.Kind.values, 0)
    days: dict[str, list[int]] = defaultdict(list)
    for kind, requested in Referral.objects.filter(
        case__in=cases, started_on__isnull=True, requested_on__lte=on
    ).values_list("kind", "requested_on"):
        waiting[kind] = waiting.get(kind, 0) + 1
        days[kind].append((on - requested).days)
    referrals = rows_with_total(
        [(k, dict(Referral.Kind.choices).get(k, k), {"waiting": n}) for k, n in waiting.items()],
        _("alle wachtende verwijzingen"),
        ["waiting"],
        medians={"median_days_waiting": ("waiting", days)},
    )
    return steps, referrals


def _barrier_figures(scope: FigureScope, on: dt.date) -> list[FigureRow]:
    """The one definition of "open barriers" (issue 11 §6): barriers of the cases in scope that
    arose on or before ``on`` and had not ended by then (no end date, or one after ``on``), per
    kind; how long each has been open is ``on`` minus the day it arose. The median
    and the longest are shown only over five or more barriers beside a shown count."""
    rows = Barrier.objects.filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=on),
        case__in=Case.objects.filter(scope.cases).order_by().values("pk"),
        started_on__lte=on,
    )
    counts = dict.fromkeys(BarrierKind.values, 0)
    days: dict[str, list[int]] = defaultdict(list)
    for kind, started in rows.order_by().values_list("kind", "started_on"):
        counts[kind] = counts.get(kind, 0) + 1
        days[kind].append((on - started).days)
    labels = dict(BarrierKind.choices)
    return rows_with_total(
        [(k, labels.get(k, k), {"open": n}) for k, n in counts.items()],
        _("alle open belemmeringen"),
        ["open"],
        medians={"median_days_open": ("open", days)},
        longest={"longest_days_open": ("open", days)},
    )


#: the key of the row of thuiszitters whose case records no open cause (or who have no case)
NO_CAUSE = "geen"


def _cause_figures(scope: FigureScope, on: dt.date, total_hidden: bool) -> list[FigureRow]:
    """The one definition of "thuiszitters by cause" (issue 12 §6): the children at home now (an
    open episode in scope, as in the thuiszitters table) per cause open on ``on`` (recorded on or
    before it, not ended by then) on an open case of the child; a row for the children with no
    such cause. A child with two causes counts in both rows, so the rows do not add up to the
    total: the number of children at home now, the same figure as in the thuiszitters table
    (hidden here when it is hidden there, ``total_hidden``). Suppressed as a line with that
    total: small counts hidden, and a second cell where one alone would be hidden."""
    at_home = set(
        episodes_in(scope).filter(end_date__isnull=True).values_list("student_id", flat=True)
    )
    per_cause: dict[str, set[int]] = defaultdict(set)
    for student_id, cause in (
        CaseCause.objects.filter(
            Q(ended_on__isnull=True) | Q(ended_on__gt=on),
            noted_on__lte=on,
            case__state__in=CASE_OPEN_STATES,
            case__student_id__in=at_home,
        )
        .order_by()
        .values_list("case__student_id", "cause")
    ):
        per_cause[cause].add(student_id)
    return _cause_rows(
        at_home,
        per_cause,
        total_hidden=total_hidden,
        total_label=_("thuiszitters nu (een kind met meer oorzaken telt in elke rij mee)"),
    )


def _school_team_cause_figures(scope: FigureScope, on: dt.date) -> list[FigureRow]:
    """The children on a school team's list now (issue 12 §1) per cause their discussions
    recorded (issue 12 §6), read through :mod:`inbeeld.monitor.extensions`; a row for those with
    no cause recorded. Counted and suppressed as :func:`_cause_figures` does."""
    on_list, per_cause = school_team_causes(scope, on)
    return _cause_rows(
        on_list,
        per_cause,
        total_hidden=False,
        total_label=_("kinderen op de lijst van een schoolteam (met meer oorzaken in elke rij)"),
    )


def _cause_rows(
    children: set[int], per_cause: dict[str, set[int]], *, total_hidden: bool, total_label: str
) -> list[FigureRow]:
    """Rows per cause of ``children`` (a child with two causes in both), a row of those without
    a cause, and the total; suppressed as a line with that total: small counts hidden, and a
    second cell where one alone would be hidden."""
    per_cause = {k: v & children for k, v in per_cause.items()}
    with_cause = set().union(*per_cause.values()) if per_cause else set()
    keys = [*Cause.values, NO_CAUSE]
    counts = [len(per_cause.get(k, ())) for k in Cause.values] + [len(children - with_cause)]
    table = suppress_table(
        [counts],
        row_totals=[len(children)],
        also_hidden=[(0, len(counts))] if total_hidden else (),
    )
    labels = {**dict(Cause.choices), NO_CAUSE: _("geen oorzaak vastgelegd")}
    rows = [FigureRow(k, labels[k], {"now": n}) for k, n in zip(keys, table.cells[0], strict=True)]
    assert table.row_totals is not None
    rows.append(FigureRow("total", total_label, {"now": table.row_totals[0]}, is_total=True))
    return rows


def over_3_months_without_offer(scope: FigureScope, on: dt.date) -> int:
    """The pact's target as written (issue 12 §7), raw: children at home now for longer than
    three months (an open episode in scope that passed three months, as in the thuiszitters
    table's "over three months") without a suitable offer: no open case of the child holds one
    on ``on`` (``cases.selectors.suitable_offer``, the one definition the thuiszitters list and
    the escalation proposal use). Never more than the plain count over three months."""
    offer = Case.objects.filter(
        suitable_offer(on), student_id=OuterRef("student_id"), state__in=CASE_OPEN_STATES
    )
    return (
        episodes_in(scope)
        .filter(end_date__isnull=True, over_3_months_on__isnull=False)
        .exclude(Exists(offer))
        .values("student_id")
        .distinct()
        .count()
    )


def now_figures(*, actor: Actor) -> NowFigures | None:
    """Where things stand: thuiszitters now and over three months, exemptions per article, open
    meldingen per rule, open cases per step (when the cases app has them), per 1,000 pupils and
    beside the national figures."""
    scope = figure_scope(actor=actor)
    if scope is None:
        return None
    refresh = latest_refresh()
    on = figures_date(refresh)
    key = f"monitor:now:{scope.key}:{refresh.pk if refresh else 0}:{on.isoformat()}"
    return cached(key, 300, lambda: _now(scope, refresh, on))


def _now(scope: FigureScope, refresh: FiguresRefresh | None, on: dt.date) -> NowFigures:
    pupils = cached(
        f"monitor:pupils:{scope.key}:{on.isoformat()}",
        6 * 3600,
        lambda: pupils_in_scope(scope, on),
    )
    thuiszitters = _now_thuiszitters(scope, pupils)
    exemptions = _now_per_article(scope, "exemptions", on, pupils)
    cases, referrals = _cases_figures(scope, on)
    return NowFigures(
        on_date=on,
        refresh=refresh,
        pupils=pupils,
        thuiszitters=thuiszitters,
        exemptions=exemptions,
        meldingen=_now_meldingen(scope),
        vervangende_leerplicht=_now_per_article(scope, "vervangende_leerplicht", on, pupils),
        cases=cases,
        referrals=referrals,
        barriers=_barrier_figures(scope, on),
        causes=_cause_figures(scope, on, thuiszitters[-1].values["now"] is None),
        school_team_causes=_school_team_cause_figures(scope, on),
        over_3_months_without_offer=suppress_count(over_3_months_without_offer(scope, on)),
        national=_national_comparison(thuiszitters, exemptions),
    )


def _national_comparison(thuiszitters: list[FigureRow], exemptions: list[FigureRow]) -> list[dict]:
    """Per 1,000 pupils here (now) beside the latest national figure of each kind."""
    return national.comparison(
        {
            "av": thuiszitters[0].values["now_per_1000"],
            "lrv": thuiszitters[1].values["now_per_1000"],
            "over_3_months": thuiszitters[2].values["over_3_months_per_1000"],
            "5a": next(r.values["now_per_1000"] for r in exemptions if r.key == "5a"),
        }
    )
