"""The figures of the monitor (issue 5 §1, §3), already limited to what the acting organisation may
count and already suppressed: nothing here returns a child, only counts.

Scope: a gemeente counts the children living in it (``Episode.municipality_code``), a
samenwerkingsverband the pupils of its member schools (``Episode.partnership``), a school its own
pupils (``Episode.school``). Pupils "per 1,000" are the students currently enrolled in that scope.

Every count leaves here through the suppression functions (counts 1–4 hidden, and one more where a
single hidden count could be worked out from a total): the dashboard is always "beyond a case team".
A hidden number is ``None``.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from fractions import Fraction
from math import floor

from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inbeeld.accounts.actor import Actor
from inbeeld.accounts.models import Organisation, OrganisationType
from inbeeld.accounts.permissions import Permission
from inbeeld.attendance.explanations import MONTHS, RULE_LABELS
from inbeeld.attendance.models import Melding, MeldingState
from inbeeld.cases.models import Case, Referral, Step
from inbeeld.cases.workflow import OPEN_STATES as CASE_OPEN_STATES
from inbeeld.monitor.articles import (
    ARTICLE_LABELS,
    EXEMPTION_ARTICLES,
    VERVANGENDE_LEERPLICHT_ARTICLES,
    exemptions_in_effect,
    vervangende_leerplicht_in_effect,
)
from inbeeld.monitor.models import Episode, EpisodeCategory, FiguresRefresh, Target
from inbeeld.monitor.scope import FigureScope, ScopeError
from inbeeld.monitor.suppression import MIN_SHOWN, suppress_count, suppress_line
from inbeeld.people.models import Enrolment, Exemption, School, Student
from inbeeld.rules.calendar import school_year_bounds, school_year_label, school_year_start

#: counts under this are hidden outside a case team (issue 5 §3)
MIN_COUNT = MIN_SHOWN
#: the pact's default yearly reduction (Thuiszitterspact: the four big cities, 25 % a year)
DEFAULT_REDUCTION = 25
OPEN_MELDING_STATES = (MeldingState.OPEN, MeldingState.IN_BEHANDELING)
AV = EpisodeCategory.ABSOLUUT_VERZUIM.value
LRV = EpisodeCategory.LANGDURIG_RELATIEF_VERZUIM.value

#: National figures (OCW leerplichttelling, DOMAIN.md): school year → counts.
NATIONAL_FIGURES: dict[int, dict[str, int]] = {
    2015: {"av": 5101, "lrv": 4287, "5a": 5537, "over_3_months": 4194},
    2016: {"av": 4565, "lrv": 4116, "5a": 5736, "over_3_months": 4214},
    2017: {"av": 4515, "lrv": 4174, "5a": 5576, "over_3_months": 4479},
    2018: {"av": 4958, "lrv": 3917, "5a": 6022, "over_3_months": 4790},
    2019: {"av": 5570, "lrv": 3385, "5a": 6361},
    2021: {"av": 10240, "lrv": 3246, "5a": 7389},
}
#: (choice) the pupils the national figures are counted over, for "per 1,000": about 2.5 million
#: leerplichtige and kwalificatieplichtige children (5–18) in the Netherlands. DOMAIN.md gives no
#: denominator; this round number is ours and shown as such on the dashboard.
NATIONAL_PUPILS = 2_500_000

BREAKDOWNS = {
    "school": _("school"),
    "swv": _("samenwerkingsverband"),
    "postcode": _("postcodegebied"),
    "gemeente": _("gemeente"),
}
DEFAULT_BREAKDOWN = "school"
_BREAKDOWN_FIELDS = {
    "school": "school_id",
    "swv": "partnership_id",
    "postcode": "postcode_area",
    "gemeente": "municipality_code",
}
CATEGORY_LABELS = {
    AV: _("absoluut verzuim"),
    LRV: _("langdurig relatief verzuim"),
    "total": _("thuiszitters samen"),
}


# -- suppression (issue 5 §3): monitor.suppression, always applied (beyond a case team) --------


def suppress(count: int | None) -> int | None:
    """A count as it may be shown on its own: 1–4 hidden (None); 0 and 5 or more shown."""
    return None if count is None else suppress_count(count)


def suppress_with_total(parts: list[int], total: int) -> tuple[list[int | None], int | None]:
    """Parts that add up to a shown total, after primary and secondary suppression."""
    return suppress_line(parts, total)


def per_1000(count: float | None, pupils: int) -> float | None:
    """Per 1,000 pupils, from a shown count only (a rate of a hidden count would reveal it)."""
    if count is None or not pupils:
        return None
    return round(count * 1000 / pupils, 2)


def median_days(durations: list[int]) -> float | None:
    """The median, only over enough children to hide any one of them."""
    if len(durations) < MIN_COUNT:
        return None
    return float(statistics.median(durations))


# -- scope --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """What one organisation may count: conditions on Episode, Enrolment, Exemption, Melding
    and Case (from ``monitor.scope.FigureScope``, plus the pupils and the cases)."""

    organisation: Organisation
    figure_scope: FigureScope
    pupils: Q  # on Enrolment

    @property
    def key(self) -> str:
        return f"{self.organisation.pk}:{self.figure_scope.key}"

    @property
    def episodes(self) -> Q:
        return self.figure_scope.episodes

    @property
    def exemptions(self) -> Q:
        return self.figure_scope.exemptions

    @property
    def meldingen(self) -> Q:
        return self.figure_scope.meldingen

    @property
    def cases(self) -> Q:
        return Q(student__in=Student.objects.filter(self.figure_scope.students).values("pk"))


def figure_scope(*, actor: Actor) -> Scope | None:
    """The scope of the acting organisation's figures, or None (no VIEW_FIGURES, or an
    organisation that counts nothing: GGD, wijkteam, a school organisation without a school)."""
    if not actor.can(Permission.VIEW_FIGURES):
        return None
    try:
        scope = FigureScope.for_organisation(actor.organisation)
    except ScopeError:
        return None
    match scope.kind:
        case "gemeente":
            pupils = Q(student__municipality_code=scope.municipality_code)
        case "samenwerkingsverband":
            pupils = Q(school__partnership_id=scope.partnership_id)
        case _:
            pupils = Q(school_id=scope.school_id)
    return Scope(organisation=actor.organisation, figure_scope=scope, pupils=pupils)


def latest_refresh() -> FiguresRefresh | None:
    return (
        FiguresRefresh.objects.filter(finished_at__isnull=False)
        .order_by("-started_at", "-id")
        .first()
    )


def _episodes(scope: Scope):
    """The episodes in scope, unordered (Meta.ordering would join the student for nothing)."""
    return Episode.objects.filter(scope.episodes).order_by()


def _on_date(refresh: FiguresRefresh | None) -> dt.date:
    return refresh.on_date if refresh is not None else timezone.localdate()


def pupils_in_scope(scope: Scope, on: dt.date) -> int:
    """Students enrolled on ``on`` within the scope (each counted once)."""
    current = Q(start_date__lte=on) & (Q(end_date__isnull=True) | Q(end_date__gte=on))
    if scope.figure_scope.kind == "gemeente":
        # the children living there with any current enrolment: a semi-join, no DISTINCT
        return Student.objects.filter(
            Exists(Enrolment.objects.filter(current, student_id=OuterRef("pk"))),
            municipality_code=scope.figure_scope.municipality_code,
        ).count()
    return (
        Enrolment.objects.filter(scope.pupils, start_date__lte=on)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
        .values("student_id")
        .distinct()
        .count()
    )


# -- figures ------------------------------------------------------------------------------------


@dataclass
class FigureRow:
    """One row of a figures table: a key, its label, and its (suppressed) numbers."""

    key: str
    label: str
    values: dict[str, int | float | None]
    is_total: bool = False

    def as_dict(self) -> dict:
        return {"key": self.key, "label": str(self.label), **self.values}


def _rows_with_total(
    items: list[tuple[str, str, dict[str, int]]],
    total_label: str,
    columns: Iterable[str],
    medians: dict[str, tuple[str, dict[str, list[int]]]] | None = None,
) -> list[FigureRow]:
    """Rows of raw counts → suppressed rows plus a total row (secondary suppression per column).

    ``medians``: per median column, the count column it belongs to and, per row key, the
    durations; the total's over all rows.
    """
    columns = list(columns)
    rows = [FigureRow(key, label, {}) for key, label, _ in items]
    total = FigureRow("total", total_label, {}, is_total=True)
    for column in columns:
        raw = [counts.get(column, 0) for _, _, counts in items]
        shown, shown_total = suppress_line(raw, sum(raw))
        for row, value in zip(rows, shown, strict=True):
            row.values[column] = value
        total.values[column] = shown_total
    for column, (count_column, per_key) in (medians or {}).items():
        everything: list[int] = []
        for row in [*rows, total]:
            durations = per_key.get(row.key, []) if row is not total else everything
            if row is not total:
                everything.extend(durations)
            # a median only beside a count that is shown (it would tell "at least 5")
            visible = row.values.get(count_column) is not None
            row.values[column] = median_days(durations) if visible else None
    return [*rows, total]


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
            "national": self.national,
        }


def _now_thuiszitters(scope: Scope, pupils: int) -> list[FigureRow]:
    counts = dict.fromkeys((AV, LRV), 0)
    long = dict.fromkeys((AV, LRV), 0)
    for row in (
        _episodes(scope)
        .filter(end_date__isnull=True)
        .values("category")
        .annotate(n=Count("id"), long=Count("id", filter=Q(over_3_months_on__isnull=False)))
    ):
        counts[row["category"]] = row["n"]
        long[row["category"]] = row["long"]
    now, now_total = suppress_with_total([counts[AV], counts[LRV]], counts[AV] + counts[LRV])
    over, over_total = suppress_with_total([long[AV], long[LRV]], long[AV] + long[LRV])
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


def _now_per_article(
    scope: Scope, rows: Q, articles: tuple[str, ...], total_label: str, pupils: int
) -> list[FigureRow]:
    counts = dict.fromkeys(articles, 0)
    for row in (
        Exemption.objects.filter(scope.exemptions)
        .filter(rows)
        .values("article")
        .annotate(n=Count("student_id", distinct=True))
    ):
        counts[row["article"]] = row["n"]
    figure_rows = _rows_with_total(
        [(a, ARTICLE_LABELS[a], {"now": counts[a]}) for a in articles], total_label, ["now"]
    )
    for row in figure_rows:
        row.values["now_per_1000"] = per_1000(row.values["now"], pupils)
    return figure_rows


def _now_exemptions(scope: Scope, on: dt.date, pupils: int) -> list[FigureRow]:
    """Exemptions in effect on ``on`` per article (RULES.md §7: ``monitor.articles``)."""
    return _now_per_article(
        scope,
        exemptions_in_effect(on, on),
        EXEMPTION_ARTICLES,
        _("alle vrijstellingen"),
        pupils,
    )


def _now_vervangende_leerplicht(scope: Scope, on: dt.date, pupils: int) -> list[FigureRow]:
    """Vervangende leerplicht (art. 3a, 3b) running on ``on``: no exemption (RULES.md §7)."""
    return _now_per_article(
        scope,
        vervangende_leerplicht_in_effect(on, on),
        VERVANGENDE_LEERPLICHT_ARTICLES,
        _("alle vervangende leerplicht"),
        pupils,
    )


def _now_meldingen(scope: Scope) -> list[FigureRow]:
    counts: dict[str, int] = dict.fromkeys(RULE_LABELS, 0)
    for row in (
        Melding.objects.filter(scope.meldingen, state__in=OPEN_MELDING_STATES)
        .values("rule")
        .annotate(n=Count("id"))
    ):
        counts[row["rule"]] = row["n"]
    return _rows_with_total(
        [(rule, RULE_LABELS.get(rule, rule), {"now": n}) for rule, n in counts.items()],
        _("alle open meldingen"),
        ["now"],
    )


def _cases_figures(scope: Scope, on: dt.date) -> tuple[list[FigureRow], list[FigureRow]]:
    """Open cases per escalation step; referrals waiting (not started) per kind, with the median
    days they have waited so far."""
    cases = Case.objects.filter(scope.cases, state__in=CASE_OPEN_STATES)
    counts = {"": 0, **dict.fromkeys(Step.values, 0)}
    for row in cases.values("escalation_step").annotate(n=Count("id")):
        counts[row["escalation_step"]] = row["n"]
    labels = {"": _("nog niet geëscaleerd"), **dict(Step.choices)}
    steps = _rows_with_total(
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
    referrals = _rows_with_total(
        [(k, dict(Referral.Kind.choices).get(k, k), {"waiting": n}) for k, n in waiting.items()],
        _("alle wachtende verwijzingen"),
        ["waiting"],
        medians={"median_days_waiting": ("waiting", days)},
    )
    return steps, referrals


def now_figures(*, actor: Actor) -> NowFigures | None:
    """Where things stand: thuiszitters now and over three months, exemptions per article, open
    meldingen per rule, open cases per step (when the cases app has them), per 1,000 pupils and
    beside the national figures."""
    scope = figure_scope(actor=actor)
    if scope is None:
        return None
    refresh = latest_refresh()
    on = _on_date(refresh)
    key = f"monitor:now:{scope.key}:{refresh.pk if refresh else 0}:{on.isoformat()}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    pupils_key = f"monitor:pupils:{scope.key}:{on.isoformat()}"
    pupils = cache.get(pupils_key)
    if pupils is None:
        pupils = pupils_in_scope(scope, on)
        cache.set(pupils_key, pupils, 6 * 3600)
    thuiszitters = _now_thuiszitters(scope, pupils)
    exemptions = _now_exemptions(scope, on, pupils)
    cases, referrals = _cases_figures(scope, on)
    figures = NowFigures(
        on_date=on,
        refresh=refresh,
        pupils=pupils,
        thuiszitters=thuiszitters,
        exemptions=exemptions,
        meldingen=_now_meldingen(scope),
        vervangende_leerplicht=_now_vervangende_leerplicht(scope, on, pupils),
        cases=cases,
        referrals=referrals,
        national=_national_comparison(thuiszitters, exemptions),
    )
    cache.set(key, figures, 300)
    return figures


def _national_comparison(thuiszitters: list[FigureRow], exemptions: list[FigureRow]) -> list[dict]:
    """Per 1,000 pupils here (now) beside the latest national figure of each kind."""
    here = {
        "av": thuiszitters[0].values["now_per_1000"],
        "lrv": thuiszitters[1].values["now_per_1000"],
        "over_3_months": thuiszitters[2].values["over_3_months_per_1000"],
        "5a": next(r.values["now_per_1000"] for r in exemptions if r.key == "5a"),
    }
    labels = {
        "av": _("absoluut verzuim"),
        "lrv": _("langdurig relatief verzuim"),
        "5a": _("vrijstelling artikel 5 onder a"),
        "over_3_months": _("thuiszitters langer dan 3 maanden"),
    }
    rows = []
    for key, label in labels.items():
        year = max(y for y, figures in NATIONAL_FIGURES.items() if key in figures)
        count = NATIONAL_FIGURES[year][key]
        rows.append(
            {
                "key": key,
                "label": str(label),
                "here_per_1000": here[key],
                "national_year": school_year_label(year),
                "national_count": count,
                "national_per_1000": round(count * 1000 / NATIONAL_PUPILS, 2),
            }
        )
    return rows


# -- trends -------------------------------------------------------------------------------------


def current_school_year(on: dt.date | None = None) -> int:
    return school_year_start(on or timezone.localdate()).year


def school_years_available(*, actor: Actor) -> list[int]:
    """The school years with episodes in scope, plus the current one; newest first."""
    scope = figure_scope(actor=actor)
    current = current_school_year(_on_date(latest_refresh()))
    if scope is None:
        return [current]
    first = (
        Episode.objects.filter(scope.episodes)
        .order_by("start_date")
        .values_list("start_date", flat=True)[:1]
    )
    start = school_year_start(first[0]).year if first else current
    return list(range(current, min(start, current) - 1, -1))


def _relapse() -> Exists:
    """An episode is a relapse when the same child had an episode that ended before it began."""
    return Exists(
        Episode.objects.filter(
            student_id=OuterRef("student_id"), end_date__lt=OuterRef("start_date")
        )
    )


def _month_keys(year: int) -> list[dt.date]:
    return [dt.date(year + (m < 8), m, 1) for m in (*range(8, 13), *range(1, 8))]


@dataclass
class Trends:
    school_year: int
    label: str
    months: list[FigureRow]
    years: list[FigureRow]
    breakdown: str
    breakdown_rows: list[FigureRow]

    def as_dict(self) -> dict:
        return {
            "school_year": self.school_year,
            "label": self.label,
            "months": [r.as_dict() for r in self.months],
            "years": [r.as_dict() for r in self.years],
            "breakdown": self.breakdown,
            "breakdown_rows": [r.as_dict() for r in self.breakdown_rows],
        }


TREND_COLUMNS = ("new", "returns", "relapses")


def _monthly(scope: Scope, year: int) -> list[FigureRow]:
    first, last = school_year_bounds(year)
    episodes = _episodes(scope)
    counts: dict[dt.date, dict[str, int]] = defaultdict(lambda: dict.fromkeys(TREND_COLUMNS, 0))
    for row in (
        episodes.filter(start_date__range=(first, last))
        .annotate(month=TruncMonth("start_date"), relapse=_relapse())
        .values("month")
        .annotate(n=Count("id"), relapses=Count("id", filter=Q(relapse=True)))
    ):
        month = _as_date(row["month"])
        counts[month]["new"] = row["n"]
        counts[month]["relapses"] = row["relapses"]
    durations: dict[str, list[int]] = defaultdict(list)
    for start, end in episodes.filter(end_date__range=(first, last)).values_list(
        "start_date", "end_date"
    ):
        month = end.replace(day=1)
        counts[month]["returns"] += 1
        durations[month.isoformat()].append((end - start).days + 1)
    return _rows_with_total(
        [(m.isoformat(), f"{MONTHS[m.month - 1]} {m.year}", counts[m]) for m in _month_keys(year)],
        _("heel het schooljaar"),
        TREND_COLUMNS,
        medians={"median_days_to_return": ("returns", durations)},
    )


def _as_date(value) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def _yearly(scope: Scope, years: list[int]) -> list[FigureRow]:
    """Per school year: new, returns, relapses, median days to return, thuiszitters in the year
    (children with an episode in it) and of them over three months."""
    raw: list[tuple[str, str, dict[str, int]]] = []
    durations: dict[str, list[int]] = {}
    for year in sorted(years):
        counts = _year_counts(scope, year)
        durations[str(year)] = counts.pop("_durations")
        raw.append((str(year), school_year_label(year), counts))
    rows = [FigureRow(key, label, {}) for key, label, _ in raw]
    # the years do not add up to anything shown, so each count is suppressed on its own
    for row, (_key, _label, counts) in zip(rows, raw, strict=True):
        row.values = {k: suppress(v) for k, v in counts.items()}
        row.values["median_days_to_return"] = (
            median_days(durations[row.key]) if row.values["returns"] is not None else None
        )
    return rows


def _year_counts(scope: Scope, year: int) -> dict:
    first, last = school_year_bounds(year)
    overlapping = Q(start_date__lte=last) & (Q(end_date__isnull=True) | Q(end_date__gte=first))
    started = Q(start_date__range=(first, last))
    counts = (
        _episodes(scope)
        .filter(overlapping)
        .annotate(relapse=_relapse())
        .aggregate(
            thuiszitters=Count("student_id", distinct=True),
            over_3_months=Count("student_id", distinct=True, filter=Q(over_3_months_on__lte=last)),
            new=Count("id", filter=started),
            relapses=Count("id", filter=started & Q(relapse=True)),
        )
    )
    returns = list(
        _episodes(scope).filter(end_date__range=(first, last)).values_list("start_date", "end_date")
    )
    return {
        **counts,
        "returns": len(returns),
        "_durations": [(end - start).days + 1 for start, end in returns],
    }


def thuiszitters_in_year(scope: Scope, year: int) -> int:
    """Children with an episode in the school year (the count the pact's reduction is about)."""
    first, last = school_year_bounds(year)
    return (
        _episodes(scope)
        .filter(start_date__lte=last)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=first))
        .values("student_id")
        .distinct()
        .count()
    )


def _breakdown(scope: Scope, year: int, breakdown: str) -> list[FigureRow]:
    """The school year's figures per school, SWV, postcode area or municipality."""
    group = _BREAKDOWN_FIELDS[breakdown]
    first, last = school_year_bounds(year)
    episodes = _episodes(scope)
    counts: dict[object, dict[str, int]] = defaultdict(
        lambda: dict.fromkeys((*TREND_COLUMNS, "over_3_months"), 0)
    )
    for row in (
        episodes.filter(start_date__range=(first, last))
        .annotate(relapse=_relapse())
        .values(group)
        .annotate(n=Count("id"), relapses=Count("id", filter=Q(relapse=True)))
    ):
        counts[row[group]]["new"] = row["n"]
        counts[row[group]]["relapses"] = row["relapses"]
    durations: dict[str, list[int]] = defaultdict(list)
    for key, start, end in episodes.filter(end_date__range=(first, last)).values_list(
        group, "start_date", "end_date"
    ):
        counts[key]["returns"] += 1
        durations[str(key)].append((end - start).days + 1)
    for row in (
        episodes.filter(start_date__lte=last, over_3_months_on__lte=last)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=first))
        .values(group)
        .annotate(n=Count("student_id", distinct=True))
    ):
        counts[row[group]]["over_3_months"] = row["n"]
    labels = _group_labels(breakdown, list(counts))
    items = sorted(
        ((str(k), labels.get(k) or str(_("onbekend")), c) for k, c in counts.items()),
        key=lambda item: item[1].lower(),
    )
    return _rows_with_total(
        items,
        _("totaal"),
        (*TREND_COLUMNS, "over_3_months"),
        medians={"median_days_to_return": ("returns", durations)},
    )


def _group_labels(breakdown: str, keys: list) -> dict:
    present = [k for k in keys if k]
    if breakdown == "school":
        return dict(School.objects.filter(pk__in=present).values_list("pk", "name"))
    if breakdown == "swv":
        return dict(Organisation.objects.filter(pk__in=present).values_list("pk", "name"))
    if breakdown == "gemeente":
        names = dict(
            Organisation.objects.filter(
                type=OrganisationType.GEMEENTE, code__in=present
            ).values_list("code", "name")
        )
        return {k: names.get(k, k) for k in present}
    return {k: k for k in present}


def trends(*, actor: Actor, school_year: int, breakdown: str = DEFAULT_BREAKDOWN) -> Trends | None:
    """Per month of the school year, per school year, and per group of the breakdown."""
    scope = figure_scope(actor=actor)
    if scope is None:
        return None
    if breakdown not in BREAKDOWNS:
        breakdown = DEFAULT_BREAKDOWN
    refresh = latest_refresh()
    key = f"monitor:trends:{scope.key}:{refresh.pk if refresh else 0}:{school_year}:{breakdown}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    years = school_years_available(actor=actor)
    result = Trends(
        school_year=school_year,
        label=school_year_label(school_year),
        months=_monthly(scope, school_year),
        years=_yearly(scope, years[:6]),
        breakdown=breakdown,
        breakdown_rows=_breakdown(scope, school_year, breakdown),
    )
    cache.set(key, result, 300)
    return result


# -- targets ------------------------------------------------------------------------------------


def target_for_year(baseline_count: int, reduction_percent: int, years_after: int) -> int:
    """The pact's target: the baseline less ``reduction_percent`` a year, compounded, rounded
    down (at most that many children): 40, 25 %, two years → 40 × 0.75² = 22.5 → 22."""
    if years_after <= 0:
        return baseline_count
    factor = Fraction(100 - reduction_percent, 100) ** years_after
    return floor(baseline_count * factor)


@dataclass
class TargetFigures:
    target: Target | None
    baseline_year: int
    baseline_label: str
    reduction_percent: int
    zero_over_three_months: bool
    is_default: bool
    baseline_count: int | None
    rows: list[dict]
    over_three_months_now: int | None
    current: dict | None

    def as_dict(self) -> dict:
        return {
            "baseline_year": self.baseline_year,
            "baseline_label": self.baseline_label,
            "yearly_reduction_percent": self.reduction_percent,
            "zero_over_three_months": self.zero_over_three_months,
            "is_default": self.is_default,
            "baseline_count": self.baseline_count,
            "years": self.rows,
            "over_three_months_now": self.over_three_months_now,
        }


def current_target(*, organisation: Organisation) -> Target | None:
    return Target.objects.filter(organisation=organisation).order_by("-set_at", "-id").first()


def target_figures(*, actor: Actor) -> TargetFigures | None:
    """The organisation's target (or the pact's default: 25 % a year from last school year),
    per school year from the baseline: the target, the count, and the gap in plain numbers."""
    scope = figure_scope(actor=actor)
    if scope is None:
        return None
    refresh = latest_refresh()
    on = _on_date(refresh)
    current = current_school_year(on)
    target = current_target(organisation=actor.organisation)
    if target is not None:
        baseline_year, reduction, zero = (
            target.baseline_year,
            target.yearly_reduction_percent,
            target.zero_over_three_months,
        )
    else:
        # the pact's default: 25 % a year from last school year, or from this one when last
        # year has no thuiszitters in the data (the application was not yet in use)
        previous = thuiszitters_in_year(scope, current - 1)
        baseline_year = current - 1 if previous else current
        reduction, zero = DEFAULT_REDUCTION, True
    baseline_raw = thuiszitters_in_year(scope, baseline_year)
    baseline_shown = suppress(baseline_raw)
    rows = []
    for year in range(baseline_year, max(current, baseline_year) + 1):
        actual = suppress(thuiszitters_in_year(scope, year))
        # the target follows from the baseline: hidden when the baseline is
        goal = (
            target_for_year(baseline_raw, reduction, year - baseline_year)
            if baseline_shown is not None
            else None
        )
        gap = actual - goal if actual is not None and goal is not None else None
        rows.append(
            {
                "school_year": year,
                "label": school_year_label(year),
                "target": goal,
                "actual": actual,
                "gap": gap,
                "met": gap is not None and gap <= 0,
                "so_far": year == current,
            }
        )
    now = now_figures(actor=actor)
    over = now.thuiszitters_total().values["over_3_months"] if now else None
    over = int(over) if over is not None else None
    return TargetFigures(
        target=target,
        baseline_year=baseline_year,
        baseline_label=school_year_label(baseline_year),
        reduction_percent=reduction,
        zero_over_three_months=zero,
        is_default=target is None,
        baseline_count=baseline_shown,
        rows=rows,
        over_three_months_now=over,
        current=rows[-1] if rows else None,
    )


def as_plain(obj) -> dict:
    """A dataclass of figures as plain data (for JSON)."""
    return asdict(obj)
