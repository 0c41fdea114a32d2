"""The leerplichttelling of a school year (LPW art. 25; issue 5 §2), counted from the episodes.

:func:`leerplichttelling` counts **unique children over the whole school year** (1 August N to
31 July N+1), not on one date, within a :class:`~inbeeld.monitor.scope.FigureScope`:

* **absoluut verzuim**: children with an absoluut-verzuim episode that overlaps the year; **over
  three months**: of those, the children whose episode passed three months (RULES.md §5) on or
  before 31 July (also when that was before 1 August and it went on into the year).
* **relatief verzuim**: children with a ``16_uur`` melding ending in the year (LPW art. 21, 21a),
  each counted once however many meldingen they had.
* **langdurig relatief verzuim**: *on 1 September* the children whose LRV episode counted (from
  its 20th school day, its melding) on 1 September and had not ended; *new* the children with an LRV
  episode that started counting in the year and was not already one of those going on 1 September;
  *total* the children with an LRV episode counting at some time in the year; *over three months*
  as for absoluut verzuim.
* **thuiszitters** (the Thuiszitterspact: absoluut verzuim and LRV), and over three months: each
  child once; *ended after three months*: children whose episode of over three months ended in the
  year (back at school, exempted, or out of duty).
* **vrijstellingen** per article (LPW art. 5 onder a/b/c, 5a, 15): children with an exemption in
  effect at some time in the year, once per article, and all exemptions once per child. RULES.md §7
  (v2): a ``5a`` row without end date lapses on 31 July of its school year unless ``permanent``;
  an art. 15 row counts only when it covers days under kwalificatieplicht
  (``monitor.articles``).
* **vervangende leerplicht** (LPW art. 3a, 3b; RULES.md §7: no exemption) in a table of its own,
  per article and once per child.
* **handling of the meldingen** made in the year (``16_uur``, ``lrv``, ``luxe_verzuim``,
  ``absoluut_verzuim``; the MAZL meldingen go to the school doctor and are no verzuim): by state
  and closing reason, luxe verzuim (RULES.md §7) in a column of its own.

Breakdowns: per month (thuiszitters at each month's end), per school at the start of the episode
(each child with the school of its latest episode in the year) and per postcode area (gemeente).

The result is a plain :class:`Telling` of raw counts (for a case team); :meth:`Telling.published`
returns the same with small cells suppressed (``monitor.suppression``) for anything shown further.
No figure carries a child: only counts leave this module.
"""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace

from django.db.models import Count, Q

from inbeeld.attendance.models import ClosingReason, Melding, MeldingState
from inbeeld.cases.causes import Cause
from inbeeld.cases.models import CaseCause
from inbeeld.monitor.articles import (
    ARTICLE_LABELS,
    EXEMPTION_ARTICLES,
    VERVANGENDE_LEERPLICHT_ARTICLES,
    exemptions_in_effect,
    vervangende_leerplicht_in_effect,
)
from inbeeld.monitor.models import AV, LRV, Episode, FiguresRefresh
from inbeeld.monitor.scope import FigureScope
from inbeeld.monitor.selectors.base import counting, in_school_year
from inbeeld.monitor.suppression import Cell, suppress_count, suppress_table
from inbeeld.people.models import Exemption
from inbeeld.rules.calendar import MONTH_NAMES_NL, school_year_bounds

#: the meldingen of the count (verzuim); MAZL meldingen are for the school doctor
TELLING_RULES = ("16_uur", "lrv", "luxe_verzuim", "absoluut_verzuim")
RULE_LABELS = {
    "16_uur": "16 uur in 4 weken",
    "lrv": "langdurig relatief verzuim",
    "luxe_verzuim": "luxe verzuim",
    "absoluut_verzuim": "absoluut verzuim",
}
#: the months of a school year, August first
MONTHS = MONTH_NAMES_NL[7:] + MONTH_NAMES_NL[:7]
NO_SCHOOL = "geen school bekend"
NO_AREA = "onbekend"

#: headline figures, in the order of the report: key → label
FIGURE_LABELS: dict[str, str] = {
    "thuiszitters": "Thuiszitters (absoluut en langdurig relatief verzuim)",
    "thuiszitters_over_3_months": "Thuiszitters langer dan drie maanden",
    "absoluut_verzuim": "Absoluut verzuim",
    "absoluut_verzuim_over_3_months": "Absoluut verzuim langer dan drie maanden",
    "relatief_verzuim_16_uur": "Relatief verzuim (16 uur in 4 weken)",
    "lrv_on_1_september": "Langdurig relatief verzuim op 1 september",
    "lrv_new": "Langdurig relatief verzuim, nieuw in het schooljaar",
    "lrv_total": "Langdurig relatief verzuim, totaal",
    "lrv_over_3_months": "Langdurig relatief verzuim langer dan drie maanden",
    "ended_over_3_months": "Na meer dan drie maanden thuis beëindigd",
    "exemptions": "Vrijstellingen (kinderen)",
    "vervangende_leerplicht": "Vervangende leerplicht (kinderen)",
    "meldingen": "Verzuimmeldingen in het schooljaar",
}


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    value: Cell  # None: hidden (published tellingen only)


@dataclass(frozen=True)
class TableRow:
    key: str
    label: str
    cells: tuple[Cell, ...]
    total: Cell = None


@dataclass(frozen=True)
class Table:
    """A breakdown: rows × columns of counts, with the totals that are published with it."""

    key: str
    title: str
    row_header: str
    columns: tuple[str, ...]
    column_keys: tuple[str, ...]
    rows: tuple[TableRow, ...]
    has_row_totals: bool = False
    column_totals: tuple[Cell, ...] | None = None
    grand_total: Cell = None
    note: str = ""


@dataclass(frozen=True)
class Telling:
    """The count of one school year in one scope (raw, or published: suppressed)."""

    school_year: int
    label: str
    scope_label: str
    period_start: dt.date
    period_end: dt.date
    #: the reference date of the episodes (the latest refresh); None: never refreshed
    on_date: dt.date | None
    figures: tuple[Figure, ...]
    tables: tuple[Table, ...]
    suppressed: bool = False

    def value(self, key: str) -> Cell:
        for figure in self.figures:
            if figure.key == key:
                return figure.value
        raise KeyError(key)

    def table(self, key: str) -> Table:
        for table in self.tables:
            if table.key == key:
                return table
        raise KeyError(key)

    @property
    def complete(self) -> bool:
        """The episodes reach the end of the school year (else the year is still running)."""
        return self.on_date is not None and self.on_date >= self.period_end

    def published(self) -> Telling:
        """The same count with small cells hidden (``monitor.suppression``): counts 1–4, and
        whatever would let one be worked out from a total and the visible parts, also across
        tables that publish the same number."""
        return publish(self)


# -- counting ------------------------------------------------------------------------------------


def _year(school_year: int) -> tuple[dt.date, dt.date, dt.date]:
    first, last = school_year_bounds(school_year)
    return first, last, dt.date(school_year, 9, 1)  # the LRV count is taken on 1 September


def _month_ends(start: dt.date, last: dt.date) -> list[dt.date]:
    out = []
    year, month = start.year, start.month
    for _ in range(12):
        end = dt.date(year, month, _calendar.monthrange(year, month)[1])
        if end > last:
            break
        out.append(end)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def _counts_on(row, day: dt.date) -> bool:
    return row["counted_from"] <= day and (row["end_date"] is None or row["end_date"] >= day)


def leerplichttelling(*, school_year: int, scope: FigureScope | None = None) -> Telling:
    """The leerplichttelling of the school year starting 1 August ``school_year`` (2024 =
    2024/25) in ``scope`` (default: everything), as raw counts (see the module docstring)."""
    scope = scope or FigureScope.everything()
    start, end, september = _year(school_year)
    refresh = FiguresRefresh.objects.filter(finished_at__isnull=False).order_by("-id").first()
    on_date = refresh.on_date if refresh is not None else None

    rows = list(
        counting(Episode.objects.filter(scope.episodes))
        .filter(in_school_year(school_year))
        .order_by("start_date", "pk")
        .values(
            "student_id",
            "category",
            "start_date",
            "end_date",
            "counted_from",
            "over_3_months_on",
            "school__name",
            "postcode_area",
        )
    )
    for row in rows:  # rows from before counted_from existed: the start
        row["counted_from"] = row["counted_from"] or row["start_date"]
    people: dict[str, set[int]] = defaultdict(set)
    latest_school: dict[tuple[str, int], str] = {}
    latest_area: dict[tuple[str, int], str] = {}
    for row in rows:
        sid, category = row["student_id"], row["category"]
        passed = row["over_3_months_on"] is not None and row["over_3_months_on"] <= end
        people[category].add(sid)
        if passed:
            people[f"{category}_3"].add(sid)
            latest_school[("over_3", sid)] = row["school__name"] or NO_SCHOOL
            latest_area[("over_3", sid)] = row["postcode_area"] or NO_AREA
            if row["end_date"] is not None and start <= row["end_date"] <= end:
                people["ended_3"].add(sid)
        latest_school[(category, sid)] = row["school__name"] or NO_SCHOOL
        latest_area[(category, sid)] = row["postcode_area"] or NO_AREA
        if category == LRV:
            if _counts_on(row, september):
                people["lrv_sep"].add(sid)
            elif start <= row["counted_from"] <= end:
                people["lrv_new_episode"].add(sid)
    lrv_new = people["lrv_new_episode"]

    sixteen = (
        Melding.objects.filter(scope.meldingen, rule="16_uur", end_date__range=(start, end))
        .values("student_id")
        .distinct()
        .count()
    )
    per_article, exempted = _per_article(scope, exemptions_in_effect(start, end))
    per_replacement, replaced = _per_article(scope, vervangende_leerplicht_in_effect(start, end))

    handling = (
        Melding.objects.filter(
            scope.meldingen, rule__in=TELLING_RULES, end_date__range=(start, end)
        )
        .values("rule", "state", "closing_reason")
        .annotate(n=Count("id"))
        .order_by()
    )
    meldingen_table = _meldingen_table(handling)

    thuis = people[AV] | people[LRV]
    thuis_3 = people[f"{AV}_3"] | people[f"{LRV}_3"]
    values = {
        "thuiszitters": len(thuis),
        "thuiszitters_over_3_months": len(thuis_3),
        "absoluut_verzuim": len(people[AV]),
        "absoluut_verzuim_over_3_months": len(people[f"{AV}_3"]),
        "relatief_verzuim_16_uur": sixteen,
        "lrv_on_1_september": len(people["lrv_sep"]),
        "lrv_new": len(lrv_new),
        "lrv_total": len(people[LRV]),
        "lrv_over_3_months": len(people[f"{LRV}_3"]),
        "ended_over_3_months": len(people["ended_3"]),
        "exemptions": exempted,
        "vervangende_leerplicht": replaced,
        "meldingen": meldingen_table.grand_total or 0,
    }
    figures = tuple(Figure(key, FIGURE_LABELS[key], values[key]) for key in FIGURE_LABELS)

    tables = [
        Table(
            key="thuiszitters",
            title="Thuiszitters in het schooljaar",
            row_header="categorie",
            columns=("kinderen", "langer dan drie maanden"),
            column_keys=("total", "over_3_months"),
            rows=(
                TableRow(
                    AV,
                    "absoluut verzuim",
                    (values["absoluut_verzuim"], values["absoluut_verzuim_over_3_months"]),
                ),
                TableRow(
                    LRV,
                    "langdurig relatief verzuim",
                    (values["lrv_total"], values["lrv_over_3_months"]),
                ),
            ),
            column_totals=(values["thuiszitters"], values["thuiszitters_over_3_months"]),
            note="Een kind dat in beide categorieën zat, telt in het totaal één keer.",
        ),
        Table(
            key="lrv",
            title="Langdurig relatief verzuim",
            row_header="moment",
            columns=("kinderen",),
            column_keys=("children",),
            rows=(
                TableRow("on_1_september", "op 1 september", (values["lrv_on_1_september"],)),
                TableRow("new", "nieuw in het schooljaar", (values["lrv_new"],)),
            ),
            column_totals=(values["lrv_total"],),
            note="Een kind met op 1 september én later een nieuwe periode telt in beide regels.",
        ),
        Table(
            key="exemptions",
            title="Vrijstellingen per artikel",
            row_header="artikel",
            columns=("kinderen",),
            column_keys=("children",),
            rows=tuple(
                TableRow(a, ARTICLE_LABELS[a], (per_article[a],)) for a in EXEMPTION_ARTICLES
            ),
            column_totals=(exempted,),
            note=(
                "Een kind met vrijstellingen op grond van twee artikelen telt in het totaal één "
                "keer. Artikel 15 telt alleen waar het kind kwalificatieplichtig was; een "
                "vrijstelling op grond van artikel 5 onder a zonder einddatum loopt tot 31 juli "
                "van haar schooljaar, behalve als ze blijvend is."
            ),
        ),
        Table(
            key="vervangende_leerplicht",
            title="Vervangende leerplicht",
            row_header="artikel",
            columns=("kinderen",),
            column_keys=("children",),
            rows=tuple(
                TableRow(a, ARTICLE_LABELS[a], (per_replacement[a],))
                for a in VERVANGENDE_LEERPLICHT_ARTICLES
            ),
            column_totals=(replaced,),
            note=(
                "Geen vrijstelling: deze kinderen volgen een vervangend programma en tellen voor "
                "verzuim als iedere leerling."
            ),
        ),
        meldingen_table,
        _per_month(rows, start, end, on_date),
        _causes_table(thuis, start, end, values["thuiszitters"]),
        _breakdown(
            "per_school",
            "Per school (bij het begin van de periode)",
            "school",
            latest_school,
            values,
        ),
        _breakdown(
            "per_postcode_area",
            "Per postcodegebied (woonadres, vier cijfers)",
            "postcodegebied",
            latest_area,
            values,
        ),
    ]
    return Telling(
        school_year=school_year,
        label=f"{school_year}/{(school_year + 1) % 100:02d}",
        scope_label=scope.label,
        period_start=start,
        period_end=end,
        on_date=on_date,
        figures=figures,
        tables=tuple(tables),
    )


#: the row of the causes table for the children whose case records no cause
NO_CAUSE = "geen"


def _causes_table(thuis: set[int], start: dt.date, end: dt.date, total: int) -> Table:
    """The thuiszitters of the school year (``thuis``) per cause of thuiszitten (issue 12 §6)
    recorded on a case of the child during the school year (recorded by its end, not ended before
    its start), and a row for those with none. A child with two causes counts in both rows: the
    rows do not add up to the total, which is the number of thuiszitters (the same number as in
    the thuiszitters table, hidden there and here alike)."""
    per_cause: dict[str, set[int]] = defaultdict(set)
    for sid, cause in (
        CaseCause.objects.filter(
            Q(ended_on__isnull=True) | Q(ended_on__gte=start),
            noted_on__lte=end,
            case__student_id__in=thuis,
        )
        .order_by()
        .values_list("case__student_id", "cause")
    ):
        per_cause[cause].add(sid)
    named = set().union(*per_cause.values()) if per_cause else set()
    labels = dict(Cause.choices)
    rows = (
        *(TableRow(c, str(labels[c]), (len(per_cause.get(c, ())),)) for c in Cause.values),
        TableRow(NO_CAUSE, "geen oorzaak vastgelegd", (len(thuis - named),)),
    )
    return Table(
        key="causes",
        title="Thuiszitters per oorzaak",
        row_header="oorzaak",
        columns=("kinderen",),
        column_keys=("children",),
        rows=rows,
        column_totals=(total,),
        note=(
            "Oorzaken zoals vastgelegd in de casus van het kind. Een kind met meer oorzaken telt "
            "in elke regel mee: de regels tellen niet op tot het totaal (alle thuiszitters)."
        ),
    )


def _per_article(scope: FigureScope, rows: Q) -> tuple[dict[str, int], int]:
    """Children per article among the Exemption rows ``rows`` selects, and all once per child."""
    pairs = set(
        Exemption.objects.filter(scope.exemptions)
        .filter(rows)
        .values_list("article", "student_id")
        .distinct()
    )
    per_article: dict[str, int] = defaultdict(int)
    for article, _sid in pairs:
        per_article[article] += 1
    return per_article, len({sid for _, sid in pairs})


def _meldingen_table(handling: Iterable[dict]) -> Table:
    """Rows: the state, or for closed meldingen the closing reason; columns: the rule."""
    row_keys: list[tuple[str, str]] = [
        (MeldingState.OPEN.value, str(MeldingState.OPEN.label)),
        (MeldingState.IN_BEHANDELING.value, str(MeldingState.IN_BEHANDELING.label)),
        (MeldingState.TER_KENNISNEMING.value, str(MeldingState.TER_KENNISNEMING.label)),
        # withdrawn by the school: no melding to count as handled, shown when there are any
        (MeldingState.INGETROKKEN.value, str(MeldingState.INGETROKKEN.label)),
        *((f"afgesloten:{c.value}", f"afgesloten: {c.label}") for c in ClosingReason),
        ("afgesloten:", "afgesloten zonder reden"),
    ]
    index = {key: i for i, (key, _) in enumerate(row_keys)}
    counts = [[0] * len(TELLING_RULES) for _ in row_keys]
    for item in handling:
        key = (
            f"afgesloten:{item['closing_reason'] or ''}"
            if item["state"] == MeldingState.AFGESLOTEN
            else item["state"]
        )
        counts[index.get(key, index["afgesloten:"])][TELLING_RULES.index(item["rule"])] += item["n"]
    keep = [i for i, row in enumerate(counts) if any(row) or i < 3]
    rows = tuple(
        TableRow(row_keys[i][0], row_keys[i][1], tuple(counts[i]), sum(counts[i])) for i in keep
    )
    return Table(
        key="meldingen",
        title="Afhandeling van de verzuimmeldingen",
        row_header="stand / reden van afsluiten",
        columns=tuple(RULE_LABELS[r] for r in TELLING_RULES),
        column_keys=TELLING_RULES,
        rows=rows,
        has_row_totals=True,
        column_totals=tuple(sum(counts[i][c] for i in keep) for c in range(len(TELLING_RULES))),
        grand_total=sum(map(sum, counts)),
        note="Meldingen met een einddatum in het schooljaar; een kind kan meer meldingen hebben.",
    )


def _per_month(rows: list[dict], start: dt.date, end: dt.date, on: dt.date | None) -> Table:
    """Thuiszitters at each month's end up to the refresh date (a child counts once per day:
    absoluut verzuim and LRV exclude each other, so the row total is the sum)."""
    out = []
    for i, day in enumerate(_month_ends(start, min(end, on) if on else start - dt.timedelta(1))):
        av = len({r["student_id"] for r in rows if r["category"] == AV and _counts_on(r, day)})
        lrv = len({r["student_id"] for r in rows if r["category"] == LRV and _counts_on(r, day)})
        out.append(TableRow(day.isoformat(), f"eind {MONTHS[i]}", (av, lrv), av + lrv))
    return Table(
        key="per_month",
        title="Thuiszitters aan het eind van elke maand",
        row_header="maand",
        columns=("absoluut verzuim", "langdurig relatief verzuim"),
        column_keys=(AV, LRV),
        rows=tuple(out),
        has_row_totals=True,
        note="Een stand per datum: de maanden tellen niet op.",
    )


def _breakdown(key, title, header, latest: dict[tuple[str, int], str], values) -> Table:
    """Each child once per column, under its latest episode's school / area."""
    columns = (AV, LRV, "over_3")
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for (column, _sid), name in latest.items():
        counts[name][columns.index(column)] += 1
    names = sorted(counts, key=lambda n: (n in (NO_SCHOOL, NO_AREA), n))
    return Table(
        key=key,
        title=title,
        row_header=header,
        columns=("absoluut verzuim", "langdurig relatief verzuim", "langer dan drie maanden"),
        column_keys=columns,
        rows=tuple(TableRow(name, name, tuple(counts[name])) for name in names),
        column_totals=(
            values["absoluut_verzuim"],
            values["lrv_total"],
            values["thuiszitters_over_3_months"],
        ),
        note="Elk kind één keer per kolom, bij de school of het gebied van zijn laatste periode.",
    )


# -- publishing --------------------------------------------------------------------------------


def _suppress(table: Table, also_hidden: Iterable[tuple[int, int]] = ()) -> Table:
    if not table.rows:
        return table
    result = suppress_table(
        [list(r.cells) for r in table.rows],
        row_totals=[r.total or 0 for r in table.rows] if table.has_row_totals else False,
        column_totals=list(table.column_totals) if table.column_totals is not None else False,
        grand_total=table.grand_total,
        also_hidden=list(also_hidden),
    )
    rows = tuple(
        replace(
            row,
            cells=tuple(result.cells[i]),
            total=result.row_totals[i] if result.row_totals is not None else None,
        )
        for i, row in enumerate(table.rows)
    )
    return replace(
        table,
        rows=rows,
        column_totals=tuple(result.column_totals) if result.column_totals is not None else None,
        grand_total=result.grand_total,
    )


def publish(telling: Telling) -> Telling:
    """:meth:`Telling.published`: every table suppressed, and the headline figures taken from
    the suppressed tables, so that a number is hidden everywhere it appears or nowhere."""
    if telling.suppressed:
        return telling
    tables = {t.key: t for t in telling.tables}
    thuis = _suppress(tables["thuiszitters"])
    (av, av3), (lrv, lrv3) = (r.cells for r in thuis.rows)
    total, total3 = thuis.column_totals or (None, None)
    n_lrv_rows = len(tables["lrv"].rows)
    lrv_table = _suppress(tables["lrv"], [(n_lrv_rows, 0)] if lrv is None else [])
    exemptions = _suppress(tables["exemptions"])
    replacements = _suppress(tables["vervangende_leerplicht"])
    meldingen = _suppress(tables["meldingen"])
    out: list[Table] = []
    for table in telling.tables:
        if table.key == "thuiszitters":
            out.append(thuis)
        elif table.key == "lrv":
            out.append(lrv_table)
        elif table.key == "exemptions":
            out.append(exemptions)
        elif table.key == "vervangende_leerplicht":
            out.append(replacements)
        elif table.key == "meldingen":
            out.append(meldingen)
        elif table.key == "causes":
            # its total is the number of thuiszitters: hidden here when hidden there
            out.append(_suppress(table, [(len(table.rows), 0)] if total is None else []))
        elif table.key in ("per_school", "per_postcode_area"):
            n = len(table.rows)
            forced = [(n, c) for c, v in enumerate((av, lrv, total3)) if v is None]
            out.append(_suppress(table, forced))
        else:
            out.append(_suppress(table))
    sep, new = (r.cells[0] for r in lrv_table.rows)
    shown = {
        "thuiszitters": total,
        "thuiszitters_over_3_months": total3,
        "absoluut_verzuim": av,
        "absoluut_verzuim_over_3_months": av3,
        "lrv_on_1_september": sep,
        "lrv_new": new,
        "lrv_total": lrv,
        "lrv_over_3_months": lrv3,
        "exemptions": exemptions.column_totals[0] if exemptions.column_totals else None,
        "vervangende_leerplicht": (
            replacements.column_totals[0] if replacements.column_totals else None
        ),
        "meldingen": meldingen.grand_total,
    }
    figures = tuple(
        replace(f, value=shown[f.key] if f.key in shown else suppress_count(f.value or 0))
        for f in telling.figures
    )
    return replace(telling, figures=figures, tables=tuple(out), suppressed=True)


__all__ = [
    "FIGURE_LABELS",
    "Figure",
    "Table",
    "TableRow",
    "Telling",
    "leerplichttelling",
    "publish",
]
