"""Daily detection (issue 3 §4): the bulk rules engine over the database, findings stored.

:func:`detection_run` reads the database through ``attendance.facts``, runs ``rules.engine.analyse``
on a reference date and stores, in one transaction:

* per child its :class:`StudentStatus` (RULES.md §5): a row whose content changed is replaced, an
  unchanged row is left alone;
* every melding not stored yet (natural key: student, rule, start and end date), with a plain-Dutch
  explanation and the organisations that must act on it; stored meldingen are left alone, so a run
  on the same data changes nothing. Besides the four rules of RULES.md §4, a child whose status is
  absoluut verzuim gets one ``absoluut_verzuim`` melding per stretch (start = end = since);
* a :class:`DetectionRun` row with counts, and an audit event;
* the system's own urgent concerns for long absence (issue 4 §1): the candidates
  (``selectors.system_concern_candidates``) go to ``concerns.services.register_system_concerns``,
  which registers each once, so a run repeated after a failure adds nothing twice.

The very first run on a database also finds the history of the years before Inbeeld. Meldingen
that ended before the current school year were handled in the package used then: they are stored
closed (``voor_inbeeld``, with an event saying so), except those of a thuiszitter episode that is
still going on (an lrv run or absoluut verzuim whose ``since`` is the melding's start), which stay
open. Later runs keep every new melding open, however old: that is new information; only the
first run under new rules files those of earlier school years in the same way
(``voor_regelwijziging``): the rules of their time did not find them, and a worklist full of last
year's news helps nobody.

Routing (issue 3 §4, issue 12 §2): ``16_uur``, ``lrv`` and ``luxe_verzuim`` (RULES.md §7) → the
gemeente of the student's municipality and the school's organisation; ``absoluut_verzuim`` → the
gemeente; ``mazl_*`` → the school and the GGD (jeugdarts) whose region holds the school's
municipality (``accounts.regions``); ``langdurig_ziek`` (a sick spell of
``choices.LONG_SICKNESS_SCHOOL_DAYS`` school days, the engine's ``reports``: no verzuimmelding) → the
samenwerkingsverband of the school. An open MAZL melding routed to a GGD gives it sight of the child
(an ``Involvement`` of source ``melding``, written here in the same transaction; the services end it
when the melding is handled), and only of that child: need-to-know lives in
``people.selectors.student_scope``.

A new version of the rules (:data:`RULES_VERSION`, stored on each run; RULES.md §7): the
first run whose version differs from the latest completed run's rewrites every StudentStatus, not
only the changed ones, and afterwards sends ``attendance.signals.rules_upgraded`` so the monitor
computes its episodes again. Meldingen keep the rules of every run: what the new rules find and
was not stored yet is new; stored meldingen are left alone, open or handled, also when the new
rules no longer find them (a melding once made is a fact of its time).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import polars as pl
from django.db import connection, transaction
from django.utils import timezone

from inbeeld.accounts.actor import Actor
from inbeeld.accounts.models import Organisation, OrganisationType
from inbeeld.accounts.regions import ggd_by_municipality
from inbeeld.attendance.explanations import (
    RULE_ABSOLUUT_VERZUIM,
    explain_melding,
    explain_status,
)
from inbeeld.attendance.facts import (
    _frame,
    dataset_from_database,
    records_from_dataset,
    school_day_counts,
)
from inbeeld.attendance.models import (
    ClosingReason,
    DetectionRun,
    Melding,
    MeldingEvent,
    MeldingState,
    StudentStatus,
)
from inbeeld.attendance.selectors import system_concern_candidates
from inbeeld.attendance.signals import rules_upgraded
from inbeeld.audit.models import AuditAction
from inbeeld.audit.services import audit_record
from inbeeld.concerns.services import register_system_concerns
from inbeeld.people.models import Involvement, School
from inbeeld.rules.absence import (
    REPORT_LANGDURIG_ZIEK,
    RULE_16_UUR,
    RULE_LRV,
    RULE_LUXE_VERZUIM,
    RULE_MAZL_4_IN_12,
    RULE_MAZL_7_DAGEN,
    effective_enrolment,
)
from inbeeld.rules.calendar import SchoolCalendar, school_year_start
from inbeeld.rules.duty import DutyPeriod, home_region
from inbeeld.rules.engine import STATUS_VALUES, analyse, calendar_for
from inbeeld.rules.legal import VERSIONS
from inbeeld.rules.model import (
    EXEMPTION_ARTICLES,
    KWALIFICATIEPLICHT_ONLY_ARTICLES,
    Dataset,
    StudentRecord,
)
from inbeeld.rules.model import School as RulesSchool
from inbeeld.rules.status import ABSOLUUT_VERZUIM, LANGDURIG_RELATIEF_VERZUIM, VRIJGESTELD

#: the version of the rules detection follows (RULES.md §7): the latest of ``rules.legal.VERSIONS``
#: ("v2" → 2). The first run under a new version rewrites every status (see the module docstring).
RULES_VERSION = int(VERSIONS[-1].removeprefix("v"))

#: who must act on a new melding (issue 3 §4)
ROUTING: dict[str, tuple[str, ...]] = {
    RULE_16_UUR: ("gemeente", "school"),
    RULE_LRV: ("gemeente", "school"),
    #: RULES.md §7: luxe verzuim is reported regardless of the hours (DUO); leerplicht acts on it
    RULE_LUXE_VERZUIM: ("gemeente", "school"),
    RULE_ABSOLUUT_VERZUIM: ("gemeente",),
    #: issue 12 §2: MAZL reaches the school and the jeugdarts of the school's region
    RULE_MAZL_7_DAGEN: ("school", "ggd"),
    RULE_MAZL_4_IN_12: ("school", "ggd"),
    #: issue 12 §2: long sickness is reported to the samenwerkingsverband of the school
    REPORT_LANGDURIG_ZIEK: ("samenwerkingsverband",),
}
#: the rules whose melding gives the GGD it is routed to sight of the child while it is open
GGD_SIGHT_RULES = frozenset({RULE_MAZL_7_DAGEN, RULE_MAZL_4_IN_12})

#: StudentStatus fields compared to decide whether a child's row changed
STATUS_FIELDS = (*STATUS_VALUES, "school_days_at_home", "explanation")
STATUS_SCHEMA: dict[str, pl.DataType] = {
    "student": pl.Int64(),
    "duty": pl.String(),
    "leerplicht_start": pl.Date(),
    "leerplicht_end": pl.Date(),
    "kwalificatieplicht_end": pl.Date(),
    "category": pl.String(),
    "since": pl.Date(),
    "over_3_months": pl.Boolean(),
    "school_days_at_home": pl.Int64(),
    "explanation": pl.String(),
}
THUISZITTERS = (ABSOLUUT_VERZUIM, LANGDURIG_RELATIEF_VERZUIM)
HISTORICAL_NOTE = (
    "Melding uit een eerder schooljaar, gevonden bij de eerste detectie: afgehandeld in het "
    "pakket van vóór Inbeeld."
)
UPGRADE_NOTE = (
    "Melding uit een eerder schooljaar, gevonden bij de eerste detectie onder nieuwe regels "
    "(RULES.md §7): de regels van toen vonden haar niet; ter kennisneming gearchiveerd."
)
BATCH = 2_000
INSERT_BATCH = 10_000
IN_CHUNK = 900  # ids per IN (...) list: SQLite's parameter limit


def _chunks(values: list[Any], size: int) -> Iterator[list[Any]]:
    for i in range(0, len(values), size):
        yield values[i : i + size]


def _subset(dataset: Dataset, ids: Iterable[str]) -> Dataset:
    wanted = pl.Series(list(ids), dtype=pl.String())
    keep = pl.col("student_id").is_in(wanted.implode())
    return Dataset(
        schools=dataset.schools,
        students=dataset.students.filter(keep),
        enrolments=dataset.enrolments.filter(keep),
        absences=dataset.absences.filter(keep),
        exemptions=dataset.exemptions.filter(keep),
        calendar=dataset.calendar,
    )


def _period(row: dict[str, Any]) -> DutyPeriod:
    return DutyPeriod(row["leerplicht_start"], row["leerplicht_end"], row["kwalificatieplicht_end"])


STATUS_INSERT_FIELDS = ("student", "run", "on_date", *STATUS_FIELDS)


def _insert_statuses(frame: pl.DataFrame, *, run: DetectionRun, on: dt.date) -> None:
    """Insert status rows straight from the frame, without model instances: COPY on PostgreSQL,
    executemany elsewhere (100,000 rows in seconds)."""
    if frame.height == 0:
        return
    quote = connection.ops.quote_name
    columns = [StudentStatus._meta.get_field(name).column for name in STATUS_INSERT_FIELDS]
    sql = (
        f"INSERT INTO {quote(StudentStatus._meta.db_table)} "
        f"({', '.join(quote(c) for c in columns)}) VALUES ({', '.join(['%s'] * len(columns))})"
    )
    rows = frame.select(
        "student",
        pl.lit(run.pk, dtype=pl.Int64()).alias("run"),
        pl.lit(on, dtype=pl.Date()).alias("on_date"),
        *STATUS_FIELDS,
    ).with_columns(pl.col("over_3_months").fill_null(False))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            copy_sql = (
                f"COPY {quote(StudentStatus._meta.db_table)} "
                f"({', '.join(quote(c) for c in columns)}) FROM STDIN"
            )
            with cursor.cursor.copy(copy_sql) as copy:
                for row in rows.iter_rows():
                    copy.write_row(row)
            return
        for start in range(0, rows.height, INSERT_BATCH):
            cursor.executemany(sql, rows.slice(start, INSERT_BATCH).rows())


_NO_RUN = object()


def _previous_rules_version() -> Any:
    """The rules version of the latest completed run (None: one from before versions were
    stored, v1), or ``_NO_RUN`` when there was none (the first run writes everything anyway)."""
    latest = (
        DetectionRun.objects.filter(finished_at__isnull=False)
        .order_by("-finished_at", "-id")
        .values_list("rules_version", flat=True)
        .first()
    )
    if latest is None and not DetectionRun.objects.filter(finished_at__isnull=False).exists():
        return _NO_RUN
    return latest


# -- the steps of a run -----------------------------------------------------------------------------


@dataclass
class _Analysis:
    """What the rules found in the database on the reference day."""

    on: dt.date
    dataset: Dataset
    calendar: SchoolCalendar
    #: the engine's status per child, with ``student`` (the Student primary key)
    status: pl.DataFrame
    #: the engine's meldingen (RULES.md §4)
    meldingen: pl.DataFrame
    #: the engine's reports (issue 12 §2: langdurig_ziek), in the meldingen's columns
    reports: pl.DataFrame | None = None

    @property
    def thuiszitters(self) -> pl.DataFrame:
        """The status rows of the children at home (absoluut or langdurig relatief verzuim)."""
        return self.status.filter(pl.col("category").is_in(THUISZITTERS))


@dataclass
class _Explaining:
    """The reference implementation's view of each child with a finding to explain or route."""

    affected: set[str]
    records: dict[int, StudentRecord]
    schools: dict[str, RulesSchool]


@dataclass
class _Routing:
    """Who must act on a new melding, and the duty periods its explanation needs."""

    periods: dict[int, DutyPeriod]
    school_by_brin: dict[str, tuple[int, int]]
    gemeenten: dict[str, int]
    municipality: dict[int, str]
    #: per BRIN the school's municipality and samenwerkingsverband (organisation pk or None)
    school_area: dict[str, tuple[str, int | None]]
    #: CBS code → the GGD whose region holds it (``accounts.regions``)
    ggds: dict[str, int]


@dataclass
class _Filing:
    """Which new meldingen are stored closed rather than open (see the module docstring)."""

    #: the first run on this database, or the first under new rules: otherwise nothing is filed
    files: bool
    first_run: bool
    year_start: dt.date
    #: (student, since) of every thuiszitter episode still going on: its meldingen stay open
    ongoing: set[tuple[int, dt.date]]

    @property
    def reason(self) -> str:
        return ClosingReason.VOOR_INBEELD if self.first_run else ClosingReason.VOOR_REGELWIJZIGING

    @property
    def note(self) -> str:
        return HISTORICAL_NOTE if self.first_run else UPGRADE_NOTE

    def filed(self, *, student: int, start: dt.date, end: dt.date) -> bool:
        """Whether the melding of ``student`` from ``start`` to ``end`` is stored closed."""
        return self.files and end < self.year_start and (student, start) not in self.ongoing


def _read_and_analyse(on: dt.date, say: Callable[[str], None]) -> _Analysis:
    """Read the database as a dataset and run the rules engine over it on ``on``."""
    say("reading the database")
    dataset = dataset_from_database()
    calendar = calendar_for(dataset)
    say(f"analysing {dataset.students.height:,} students on {on.isoformat()}")
    analysis = analyse(dataset, on, calendar)
    return _Analysis(
        on=on,
        dataset=dataset,
        calendar=calendar,
        status=analysis.status.with_columns(student=pl.col("student_id").cast(pl.Int64())),
        meldingen=analysis.meldingen,
        reports=analysis.reports,
    )


def _meldingen_found(analysis: _Analysis) -> pl.DataFrame:
    """Every melding the rules find: the engine's, its reports (langdurig ziek), and one per
    absoluut-verzuim stretch (start = end = since)."""
    columns = ("student_id", "rule", "start_date", "end_date", "hours", "brin")
    reports = [] if analysis.reports is None else [analysis.reports.select(*columns)]
    return pl.concat(
        [
            analysis.meldingen.select(*columns),
            *reports,
            analysis.status.filter(pl.col("category") == ABSOLUUT_VERZUIM).select(
                "student_id",
                pl.lit(RULE_ABSOLUUT_VERZUIM).alias("rule"),
                pl.col("since").alias("start_date"),
                pl.col("since").alias("end_date"),
                pl.lit(None, dtype=pl.Float64()).alias("hours"),
                pl.lit(None, dtype=pl.String()).alias("brin"),
            ),
        ]
    ).with_columns(student=pl.col("student_id").cast(pl.Int64()))


def _meldingen_not_stored(found: pl.DataFrame) -> pl.DataFrame:
    """The found meldingen not stored yet (natural key: student, rule, start and end date), once
    each: a melding once stored is left alone."""
    key = ["student", "rule", "start_date", "end_date"]
    stored = _frame(
        Melding.objects.order_by().values_list("student_id", "rule", "start_date", "end_date"),
        key,
        {
            "student": pl.Int64(),
            "rule": pl.String(),
            "start_date": pl.Date(),
            "end_date": pl.Date(),
        },
    )
    return found.join(stored, on=key, how="anti").unique(
        subset=key, keep="first", maintain_order=True
    )


def _children_to_explain(
    analysis: _Analysis, new_meldingen: pl.DataFrame, say: Callable[[str], None]
) -> _Explaining:
    """The children at home and those with a new melding, one by one (reference implementation)."""
    affected = set(analysis.thuiszitters["student_id"].to_list()) | set(
        new_meldingen["student_id"].to_list()
    )
    say(f"explaining findings of {len(affected):,} children")
    return _Explaining(
        affected=affected,
        records=records_from_dataset(_subset(analysis.dataset, affected)),
        schools=analysis.dataset.schools_by_brin(),
    )


def _school_days_at_home(analysis: _Analysis, explaining: _Explaining) -> dict[int, int]:
    """Per child at home: the school days since ``since``, in the region of its home (langdurig
    relatief verzuim: of the school it is enrolled at)."""
    thuis = analysis.thuiszitters
    spans = []
    for row in thuis.iter_rows(named=True):
        record = explaining.records[row["student"]]
        region = home_region(record.student, record.enrolments, explaining.schools)
        if row["category"] == LANGDURIG_RELATIEF_VERZUIM:
            enrolment = effective_enrolment(record.enrolments, analysis.on)
            if enrolment is not None:
                region = explaining.schools[enrolment.brin].region
        spans.append((region, row["since"], analysis.on))
    counts = school_day_counts(analysis.calendar, spans)
    return dict(zip(thuis["student"].to_list(), counts, strict=True))


def _exemption_articles(analysis: _Analysis) -> dict[tuple[int, dt.date], str]:
    """The article of the exemption a vrijgesteld child's ``since`` comes from, by (student, the
    first day the row exempts): RULES.md §7: vervangende leerplicht exempts no day; art. 15 from
    the first day of kwalificatieplicht at the earliest (``rules.exemptions.effective_span``)."""
    first_day = (
        pl.when(pl.col("article").is_in(KWALIFICATIEPLICHT_ONLY_ARTICLES))
        .then(pl.max_horizontal("start_date", pl.col("leerplicht_end") + pl.duration(days=1)))
        .otherwise(pl.col("start_date"))
    )
    return {
        (int(sid), start): article
        for sid, article, start in analysis.dataset.exemptions.filter(
            pl.col("article").is_in(EXEMPTION_ARTICLES)
        )
        .join(analysis.status.select("student_id", "leerplicht_end"), on="student_id", how="left")
        .select("student_id", "article", first_day.alias("first_day"))
        .iter_rows()
    }


def _statuses_explained(analysis: _Analysis, explaining: _Explaining) -> pl.DataFrame:
    """Every child's StudentStatus row as it is to be stored: with the school days at home and a
    plain-Dutch explanation of its category."""
    at_home = _school_days_at_home(analysis, explaining)
    articles = _exemption_articles(analysis)
    status = analysis.status
    explanations = {
        row["student"]: explain_status(
            category=row["category"],
            since=row["since"],
            duty=row["duty"],
            article=articles.get((row["student"], row["since"])),
        )
        for row in status.filter(pl.col("category").is_not_null()).iter_rows(named=True)
    }
    return status.select(
        "student",
        *STATUS_VALUES,
        pl.col("student")
        .replace_strict(at_home, default=None, return_dtype=pl.Int64())
        .alias("school_days_at_home"),
        pl.col("student")
        .replace_strict(explanations, default="", return_dtype=pl.String())
        .alias("explanation"),
    ).with_columns(pl.col("category").fill_null(""))


def _rules_upgrade(say: Callable[[str], None]) -> tuple[Any, bool]:
    """The rules version of the latest completed run, and whether this run is the first under
    new rules (RULES.md §7: then every status is computed anew and rewritten)."""
    previous_version = _previous_rules_version()
    upgrade = previous_version is not _NO_RUN and previous_version != RULES_VERSION
    if upgrade:
        say(f"rules v{previous_version or 1} → v{RULES_VERSION}: rewriting every status")
    return previous_version, upgrade


def _statuses_changed(new_status: pl.DataFrame, *, upgrade: bool) -> tuple[pl.DataFrame, int]:
    """The status rows to write (all of them under new rules, else those whose content changed or
    that are new), and how many of them replace a stored row."""
    old_status = _frame(
        StudentStatus.objects.order_by().values_list("student_id", *STATUS_FIELDS),
        list(STATUS_SCHEMA),
        STATUS_SCHEMA,
    )
    if upgrade:
        changed = new_status
    else:
        joined = new_status.join(old_status, on="student", how="left", suffix="_old")
        differs = pl.lit(False)
        for field in STATUS_FIELDS:
            differs = differs | pl.col(field).ne_missing(pl.col(f"{field}_old"))
        changed = joined.filter(differs | pl.col("duty_old").is_null()).select(new_status.columns)
    replaced = changed.join(old_status.select("student"), on="student", how="semi").height
    return changed, replaced


def _routing(analysis: _Analysis, explaining: _Explaining) -> _Routing:
    """Schools and gemeenten by their codes, and each affected child's municipality and duty
    period: what routing and explaining a new melding need."""
    affected = list(explaining.affected)
    school_rows = School.objects.values_list(
        "brin", "pk", "organisation_id", "municipality_code", "partnership_id"
    )
    return _Routing(
        periods={
            row["student"]: _period(row)
            for row in analysis.status.filter(pl.col("student_id").is_in(affected))
            .select("student", "leerplicht_start", "leerplicht_end", "kwalificatieplicht_end")
            .iter_rows(named=True)
        },
        school_by_brin={brin: (pk, org) for brin, pk, org, _code, _swv in school_rows},
        school_area={brin: (code, swv) for brin, _pk, _org, code, swv in school_rows},
        ggds=ggd_by_municipality(),
        gemeenten=dict(
            Organisation.objects.filter(type=OrganisationType.GEMEENTE).values_list("code", "pk")
        ),
        municipality=dict(
            analysis.dataset.students.filter(pl.col("student_id").is_in(affected))
            .select(pl.col("student_id").cast(pl.Int64()), "municipality")
            .iter_rows()
        ),
    )


def _filing(analysis: _Analysis, *, upgrade: bool) -> _Filing:
    """What is filed: the very first run finds the history of the years before Inbeeld (handled in
    the package used then), the first run under new rules what the old rules did not find; only
    this school year's, and those of a thuiszitter episode still going on, come into the
    worklists."""
    first_run = not DetectionRun.objects.filter(finished_at__isnull=False).exists()
    return _Filing(
        files=first_run or upgrade,
        first_run=first_run,
        year_start=school_year_start(analysis.on),
        ongoing={
            (row["student"], row["since"]) for row in analysis.thuiszitters.iter_rows(named=True)
        },
    )


def _store_statuses(
    changed: pl.DataFrame, *, run: DetectionRun, on: dt.date, rewrite_all: bool
) -> None:
    """Replace the status rows that changed (every row under new rules)."""
    if rewrite_all:
        StudentStatus.objects.all().delete()
    else:
        ids = changed["student"].to_list()
        for chunk in _chunks(ids, IN_CHUNK):
            StudentStatus.objects.filter(student_id__in=chunk).delete()
    _insert_statuses(changed, run=run, on=on)


def _route(
    rule: str, *, student: int, brin: str | None, school_org: int | None, routing: _Routing
) -> list[int]:
    """The organisations that must act on a melding of ``rule`` about ``student`` at the school
    ``brin`` (ROUTING)."""
    municipality, partnership = routing.school_area.get(brin or "", ("", None))
    organisations = []
    for target in ROUTING.get(rule, ()):
        if target == "gemeente":
            organisations.append(routing.gemeenten.get(routing.municipality.get(student, "")))
        elif target == "school":
            organisations.append(school_org)
        elif target == "ggd":
            organisations.append(routing.ggds.get(municipality))
        elif target == "samenwerkingsverband":
            organisations.append(partnership)
    return sorted({o for o in organisations if o is not None})


def _ggd_sight(created: list[Melding], routes: list[list[int]], routing: _Routing) -> int:
    """Each open MAZL melding routed to a GGD gives it sight of the child from the melding's end
    date (an Involvement of source ``melding``; the services end it when the melding is
    handled). Returns how many (the run's counts: "ggd_sight_given")."""
    ggds = set(routing.ggds.values())
    given = Involvement.objects.bulk_create(
        [
            Involvement(
                student_id=melding.student_id,
                organisation_id=org,
                source=Involvement.Source.MELDING,
                source_id=melding.pk,
                since=melding.end_date,
            )
            for melding, orgs in zip(created, routes, strict=True)
            if melding.rule in GGD_SIGHT_RULES and melding.state == MeldingState.OPEN
            for org in orgs
            if org in ggds
        ],
        batch_size=BATCH,
    )
    return len(given)


def _store_meldingen(
    new_meldingen: pl.DataFrame,
    *,
    run: DetectionRun,
    analysis: _Analysis,
    explaining: _Explaining,
    routing: _Routing,
    filing: _Filing,
) -> tuple[list[Melding], int, int]:
    """Store the new meldingen, each explained and routed, the filed ones closed with an event
    saying why, and the GGD's sight of the child of an open MAZL melding. Returns them (with their
    keys), how many were filed and how many gave a GGD sight."""
    meldingen: list[Melding] = []
    routes: list[list[int]] = []
    filed = 0
    for row in new_meldingen.iter_rows(named=True):
        student = row["student"]
        school_pk, school_org = routing.school_by_brin.get(row["brin"], (None, None))
        explanation = explain_melding(
            rule=row["rule"],
            start=row["start_date"],
            end=row["end_date"],
            record=explaining.records[student],
            schools=explaining.schools,
            calendar=analysis.calendar,
            period=routing.periods[student],
        )
        hours = row["hours"]
        historical = filing.filed(student=student, start=row["start_date"], end=row["end_date"])
        filed += historical
        meldingen.append(
            Melding(
                student_id=student,
                rule=row["rule"],
                start_date=row["start_date"],
                end_date=row["end_date"],
                hours=Decimal(f"{hours:.2f}") if hours is not None else None,
                school_id=school_pk,
                explanation=explanation,
                first_run=run,
                state=MeldingState.AFGESLOTEN if historical else MeldingState.OPEN,
                closing_reason=(filing.reason if historical else ""),
            )
        )
        routes.append(
            _route(
                row["rule"],
                student=student,
                brin=row["brin"],
                school_org=school_org,
                routing=routing,
            )
        )
    created = Melding.objects.bulk_create(meldingen, batch_size=BATCH)
    if created and created[0].pk is None:  # a backend that does not return keys
        keys = {(m.student_id, m.rule, m.start_date, m.end_date): m for m in created}
        for pk, *key in Melding.objects.filter(first_run=run).values_list(
            "pk", "student_id", "rule", "start_date", "end_date"
        ):
            keys[tuple(key)].pk = pk  # type: ignore[index]
    through = Melding.organisations.through
    through.objects.bulk_create(
        (
            through(melding_id=melding.pk, organisation_id=org)
            for melding, orgs in zip(created, routes, strict=True)
            for org in orgs
        ),
        batch_size=BATCH,
    )
    sight = _ggd_sight(created, routes, routing)
    MeldingEvent.objects.bulk_create(
        (
            MeldingEvent(
                melding_id=melding.pk,
                state=MeldingState.AFGESLOTEN,
                closing_reason=filing.reason,
                note=filing.note,
            )
            for melding in created
            if melding.closing_reason == filing.reason
        ),
        batch_size=BATCH,
    )
    return created, filed, sight


def _finish_run(run: DetectionRun, *, actor: Actor | None, counts: dict[str, Any]) -> None:
    """Store the run's counts and end, and the audit event that says what it did."""
    run.counts = counts
    run.finished_at = timezone.now()
    run.save(update_fields=["counts", "finished_at"])
    audit_record(
        actor=actor,
        action=AuditAction.DETECT,
        summary=(
            f"Detectie op {run.on_date.isoformat()}: {counts['meldingen_new']} nieuwe meldingen, "
            f"{counts['statuses_changed']} statussen gewijzigd"
        ),
        obj=run,
        detail={"on": run.on_date.isoformat(), "counts": counts},
    )


def _register_system_concerns(*, on: dt.date, created: list[Melding]) -> None:
    """Long absence is itself an urgent concern of the gemeente (issue 4 §1), matched like any
    other: the new meldingen and the children in absoluut verzuim for over three months are
    passed to the concerns service, which registers each once (idempotent: a run repeated after
    a failure adds nothing twice)."""
    register_system_concerns(
        on=on, candidates=system_concern_candidates(on=on, melding_ids=[m.pk for m in created])
    )


def _analyze_if_large(*, rows: int) -> None:
    """After a large first run on PostgreSQL, let the planner see the new sizes at once
    (autovacuum comes later)."""
    if connection.vendor == "postgresql" and rows >= 10_000:
        with connection.cursor() as cursor:
            cursor.execute(
                "ANALYZE attendance_studentstatus, attendance_melding, "
                "attendance_melding_organisations"
            )


def detection_run(
    *,
    on: dt.date | None = None,
    actor: Actor | None = None,
    progress: Callable[[str], None] | None = None,
) -> DetectionRun:
    """Run the rules over the database on ``on`` (default today) and store what changed: read and
    analyse, explain, diff against what is stored, then in one transaction store the statuses
    and meldingen, the run with its audit event, and the system's own concerns."""
    say = progress or (lambda _message: None)
    on = on or timezone.localdate()
    started = time.perf_counter()
    analysis = _read_and_analyse(on, say)
    found = _meldingen_found(analysis)
    new_meldingen = _meldingen_not_stored(found)
    explaining = _children_to_explain(analysis, new_meldingen, say)
    new_status = _statuses_explained(analysis, explaining)
    previous_version, upgrade = _rules_upgrade(say)
    changed, replaced = _statuses_changed(new_status, upgrade=upgrade)
    routing = _routing(analysis, explaining)
    filing = _filing(analysis, upgrade=upgrade)

    say(f"storing {changed.height:,} statuses and {new_meldingen.height:,} meldingen")
    with transaction.atomic():
        run = DetectionRun.objects.create(
            on_date=on,
            triggered_by=actor.user if actor is not None else None,
            rules_version=RULES_VERSION,
        )
        _store_statuses(changed, run=run, on=on, rewrite_all=upgrade)
        created, filed, sight = _store_meldingen(
            new_meldingen,
            run=run,
            analysis=analysis,
            explaining=explaining,
            routing=routing,
            filing=filing,
        )
        by_rule = dict(new_meldingen.group_by("rule").len().iter_rows())
        status = analysis.status
        _finish_run(
            run,
            actor=actor,
            counts={
                "students": status.height,
                "statuses_changed": changed.height,
                "statuses_replaced": replaced,
                "meldingen_found": found.height,
                "meldingen_new": len(created),
                "meldingen_new_by_rule": {rule: by_rule[rule] for rule in sorted(by_rule)},
                "meldingen_filed_before_inbeeld": filed,
                "ggd_sight_given": sight,
                "thuiszitters": analysis.thuiszitters.height,
                "vrijgesteld": status.filter(pl.col("category") == VRIJGESTELD).height,
                "rules_version": RULES_VERSION,
                "rules_upgraded_from": (previous_version or 1) if upgrade else None,
                "seconds": round(time.perf_counter() - started, 2),
            },
        )
        _register_system_concerns(on=on, created=created)
    if upgrade:  # the monitor's episodes are derived from the rules too (RULES.md §7)
        rules_upgraded.send(sender=DetectionRun, run=run, previous_version=previous_version)
    _analyze_if_large(rows=changed.height + len(created))
    say(f"done in {time.perf_counter() - started:.1f} s")
    return run
