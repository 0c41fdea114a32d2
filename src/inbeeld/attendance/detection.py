"""Daily detection (issue 3 §4): the bulk rules engine over the database, findings stored.

:func:`detection_run` reads the database through ``attendance.facts``, runs ``rules.engine.analyse``
on a reference date and stores, in one transaction:

* per child its :class:`StudentStatus` (RULES.md §5): a row whose content changed is replaced, an
  unchanged row is left alone;
* every melding not stored yet (natural key: student, rule, start and end date), with a plain-Dutch
  explanation and the organisations that must act on it; stored meldingen are left alone, so a run
  on the same data changes nothing. Besides the four rules of RULES.md §4, a child whose status is
  absoluut verzuim gets one ``absoluut_verzuim`` melding per stretch (start = end = since);
* a :class:`DetectionRun` row with counts, and an audit event.

The very first run on a database also finds the history of the years before Inbeeld. Meldingen
that ended before the current school year were handled in the package used then: they are stored
closed (``voor_inbeeld``, with an event saying so), except those of a thuiszitter episode that is
still going on (an lrv run or absoluut verzuim whose ``since`` is the melding's start), which stay
open. Later runs keep every new melding open, however old: that is new information; only the
first run under new rules files those of earlier school years in the same way
(``voor_regelwijziging``): the rules of their time did not find them, and a worklist full of last
year's news helps nobody.

Routing (issue 3 §4): ``16_uur``, ``lrv`` and ``luxe_verzuim`` (RULES.md §7) → the gemeente of the
student's municipality and the school's organisation; ``absoluut_verzuim`` → the gemeente;
``mazl_*`` → the school.

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
from decimal import Decimal
from typing import Any

import polars as pl
from django.db import connection, transaction
from django.utils import timezone

from inbeeld.accounts.actor import Actor
from inbeeld.accounts.models import Organisation, OrganisationType
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
from inbeeld.attendance.signals import rules_upgraded
from inbeeld.audit.models import AuditAction
from inbeeld.audit.services import audit_record
from inbeeld.concerns.services import register_system_concerns
from inbeeld.people.models import School
from inbeeld.rules.absence import (
    RULE_16_UUR,
    RULE_LRV,
    RULE_LUXE_VERZUIM,
    RULE_MAZL_4_IN_12,
    RULE_MAZL_7_DAGEN,
    effective_enrolment,
)
from inbeeld.rules.calendar import school_year_start
from inbeeld.rules.duty import DutyPeriod, home_region
from inbeeld.rules.engine import analyse, calendar_for
from inbeeld.rules.legal import VERSIONS
from inbeeld.rules.model import EXEMPTION_ARTICLES, KWALIFICATIEPLICHT_ONLY_ARTICLES, Dataset
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
    RULE_MAZL_7_DAGEN: ("school",),
    RULE_MAZL_4_IN_12: ("school",),
}

#: StudentStatus fields compared to decide whether a child's row changed
STATUS_FIELDS = (
    "duty",
    "leerplicht_start",
    "leerplicht_end",
    "kwalificatieplicht_end",
    "category",
    "since",
    "over_3_months",
    "school_days_at_home",
    "explanation",
)
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


def detection_run(
    *,
    on: dt.date | None = None,
    actor: Actor | None = None,
    progress: Callable[[str], None] | None = None,
) -> DetectionRun:
    """Run the rules over the database on ``on`` (default today) and store what changed."""
    say = progress or (lambda _message: None)
    on = on or timezone.localdate()
    started = time.perf_counter()
    say("reading the database")
    dataset = dataset_from_database()
    calendar = calendar_for(dataset)
    say(f"analysing {dataset.students.height:,} students on {on.isoformat()}")
    analysis = analyse(dataset, on, calendar)
    status = analysis.status.with_columns(student=pl.col("student_id").cast(pl.Int64()))

    # -- meldingen: the engine's, and one per absoluut-verzuim stretch ----------------------------
    found = pl.concat(
        [
            analysis.meldingen.select(
                "student_id", "rule", "start_date", "end_date", "hours", "brin"
            ),
            status.filter(pl.col("category") == ABSOLUUT_VERZUIM).select(
                "student_id",
                pl.lit(RULE_ABSOLUUT_VERZUIM).alias("rule"),
                pl.col("since").alias("start_date"),
                pl.col("since").alias("end_date"),
                pl.lit(None, dtype=pl.Float64()).alias("hours"),
                pl.lit(None, dtype=pl.String()).alias("brin"),
            ),
        ]
    ).with_columns(student=pl.col("student_id").cast(pl.Int64()))
    stored = _frame(
        Melding.objects.order_by().values_list("student_id", "rule", "start_date", "end_date"),
        ["student", "rule", "start_date", "end_date"],
        {
            "student": pl.Int64(),
            "rule": pl.String(),
            "start_date": pl.Date(),
            "end_date": pl.Date(),
        },
    )
    new_meldingen = found.join(
        stored, on=["student", "rule", "start_date", "end_date"], how="anti"
    ).unique(
        subset=["student", "rule", "start_date", "end_date"], keep="first", maintain_order=True
    )

    # -- per affected child: the reference implementation's view --------------------------------
    thuis = status.filter(pl.col("category").is_in(THUISZITTERS))
    affected = set(thuis["student_id"].to_list()) | set(new_meldingen["student_id"].to_list())
    say(f"explaining findings of {len(affected):,} children")
    records = records_from_dataset(_subset(dataset, affected))
    schools = dataset.schools_by_brin()

    spans = []
    for row in thuis.iter_rows(named=True):
        record = records[row["student"]]
        region = home_region(record.student, record.enrolments, schools)
        if row["category"] == LANGDURIG_RELATIEF_VERZUIM:
            enrolment = effective_enrolment(record.enrolments, on)
            if enrolment is not None:
                region = schools[enrolment.brin].region
        spans.append((region, row["since"], on))
    at_home = dict(zip(thuis["student"].to_list(), school_day_counts(calendar, spans), strict=True))

    # the article of the exemption a vrijgesteld child's ``since`` comes from: the first day the row
    # exempts (RULES.md §7: vervangende leerplicht exempts no day; art. 15 from the first day of
    # kwalificatieplicht at the earliest, rules.exemptions.effective_span)
    first_day = (
        pl.when(pl.col("article").is_in(KWALIFICATIEPLICHT_ONLY_ARTICLES))
        .then(pl.max_horizontal("start_date", pl.col("leerplicht_end") + pl.duration(days=1)))
        .otherwise(pl.col("start_date"))
    )
    articles = {
        (int(sid), start): article
        for sid, article, start in dataset.exemptions.filter(
            pl.col("article").is_in(EXEMPTION_ARTICLES)
        )
        .join(status.select("student_id", "leerplicht_end"), on="student_id", how="left")
        .select("student_id", "article", first_day.alias("first_day"))
        .iter_rows()
    }
    explained = status.filter(pl.col("category").is_not_null())
    explanations = {
        row["student"]: explain_status(
            category=row["category"],
            since=row["since"],
            duty=row["duty"],
            article=articles.get((row["student"], row["since"])),
        )
        for row in explained.iter_rows(named=True)
    }
    new_status = status.select(
        "student",
        "duty",
        "leerplicht_start",
        "leerplicht_end",
        "kwalificatieplicht_end",
        "category",
        "since",
        "over_3_months",
        pl.col("student")
        .replace_strict(at_home, default=None, return_dtype=pl.Int64())
        .alias("school_days_at_home"),
        pl.col("student")
        .replace_strict(explanations, default="", return_dtype=pl.String())
        .alias("explanation"),
    ).with_columns(pl.col("category").fill_null(""))

    old_status = _frame(
        StudentStatus.objects.order_by().values_list("student_id", *STATUS_FIELDS),
        list(STATUS_SCHEMA),
        STATUS_SCHEMA,
    )
    previous_version = _previous_rules_version()
    upgrade = previous_version is not _NO_RUN and previous_version != RULES_VERSION
    if upgrade:  # RULES.md §7: every status is computed anew under the new rules and rewritten
        say(f"rules v{previous_version or 1} → v{RULES_VERSION}: rewriting every status")
        changed = new_status
    else:
        joined = new_status.join(old_status, on="student", how="left", suffix="_old")
        differs = pl.lit(False)
        for field in STATUS_FIELDS:
            differs = differs | pl.col(field).ne_missing(pl.col(f"{field}_old"))
        changed = joined.filter(differs | pl.col("duty_old").is_null()).select(new_status.columns)
    replaced = changed.join(old_status.select("student"), on="student", how="semi").height

    # -- explanations and routing of the new meldingen -------------------------------------------
    periods = {
        row["student"]: _period(row)
        for row in status.filter(pl.col("student_id").is_in(list(affected)))
        .select("student", "leerplicht_start", "leerplicht_end", "kwalificatieplicht_end")
        .iter_rows(named=True)
    }
    school_rows = School.objects.values_list("brin", "pk", "organisation_id")
    school_by_brin = {brin: (pk, org) for brin, pk, org in school_rows}
    gemeenten = dict(
        Organisation.objects.filter(type=OrganisationType.GEMEENTE).values_list("code", "pk")
    )
    municipality = dict(
        dataset.students.filter(pl.col("student_id").is_in(list(affected)))
        .select(pl.col("student_id").cast(pl.Int64()), "municipality")
        .iter_rows()
    )

    # the very first run finds the history of the years before Inbeeld: those meldingen were
    # handled in the package used then; only this school year's, and those of a thuiszitter
    # episode still going on, come into the worklists
    first_run = not DetectionRun.objects.filter(finished_at__isnull=False).exists()
    year_start = school_year_start(on)
    ongoing = {(row["student"], row["since"]) for row in thuis.iter_rows(named=True)}
    filed = 0
    # meldingen of earlier school years found by the first run (the package before Inbeeld handled
    # them) or by the first run under new rules (the old rules did not find them) are filed
    filed_reason = ClosingReason.VOOR_INBEELD if first_run else ClosingReason.VOOR_REGELWIJZIGING

    say(f"storing {changed.height:,} statuses and {new_meldingen.height:,} meldingen")
    with transaction.atomic():
        run = DetectionRun.objects.create(
            on_date=on,
            triggered_by=actor.user if actor is not None else None,
            rules_version=RULES_VERSION,
        )
        # statuses: replace the rows that changed (all of them under new rules)
        if upgrade:
            StudentStatus.objects.all().delete()
        else:
            ids = changed["student"].to_list()
            for chunk in _chunks(ids, IN_CHUNK):
                StudentStatus.objects.filter(student_id__in=chunk).delete()
        _insert_statuses(changed, run=run, on=on)
        # meldingen: only the new ones, each explained and routed
        meldingen: list[Melding] = []
        routes: list[list[int]] = []
        for row in new_meldingen.iter_rows(named=True):
            student = row["student"]
            school_pk, school_org = school_by_brin.get(row["brin"], (None, None))
            explanation = explain_melding(
                rule=row["rule"],
                start=row["start_date"],
                end=row["end_date"],
                record=records[student],
                schools=schools,
                calendar=calendar,
                period=periods[student],
            )
            hours = row["hours"]
            historical = (
                (first_run or upgrade)
                and row["end_date"] < year_start
                and (student, row["start_date"]) not in ongoing
            )
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
                    closing_reason=(filed_reason if historical else ""),
                )
            )
            organisations = []
            for target in ROUTING.get(row["rule"], ()):
                if target == "gemeente":
                    organisations.append(gemeenten.get(municipality.get(student, "")))
                elif target == "school":
                    organisations.append(school_org)
            routes.append(sorted({o for o in organisations if o is not None}))
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
        MeldingEvent.objects.bulk_create(
            (
                MeldingEvent(
                    melding_id=melding.pk,
                    state=MeldingState.AFGESLOTEN,
                    closing_reason=filed_reason,
                    note=HISTORICAL_NOTE if first_run else UPGRADE_NOTE,
                )
                for melding in created
                if melding.closing_reason == filed_reason
            ),
            batch_size=BATCH,
        )
        by_rule = dict(new_meldingen.group_by("rule").len().iter_rows())
        run.counts = {
            "students": status.height,
            "statuses_changed": changed.height,
            "statuses_replaced": replaced,
            "meldingen_found": found.height,
            "meldingen_new": len(created),
            "meldingen_new_by_rule": {rule: by_rule[rule] for rule in sorted(by_rule)},
            "meldingen_filed_before_inbeeld": filed,
            "thuiszitters": thuis.height,
            "vrijgesteld": status.filter(pl.col("category") == VRIJGESTELD).height,
            "rules_version": RULES_VERSION,
            "rules_upgraded_from": (previous_version or 1) if upgrade else None,
            "seconds": round(time.perf_counter() - started, 2),
        }
        run.finished_at = timezone.now()
        run.save(update_fields=["counts", "finished_at"])
        audit_record(
            actor=actor,
            action=AuditAction.DETECT,
            summary=(
                f"Detectie op {on.isoformat()}: {len(created)} nieuwe meldingen, "
                f"{changed.height} statussen gewijzigd"
            ),
            obj=run,
            detail={"on": on.isoformat(), "counts": run.counts},
        )
    # long absence is itself an urgent concern of the gemeente (issue 4 §1), matched like any other
    register_system_concerns(on=on, melding_ids=[m.pk for m in created])
    if upgrade:  # the monitor's episodes are derived from the rules too (RULES.md §7)
        rules_upgraded.send(sender=DetectionRun, run=run, previous_version=previous_version)
    if connection.vendor == "postgresql" and changed.height + len(created) >= 10_000:
        # a large first run: let the planner see the new sizes at once (autovacuum comes later)
        with connection.cursor() as cursor:
            cursor.execute(
                "ANALYZE attendance_studentstatus, attendance_melding, "
                "attendance_melding_organisations"
            )
    say(f"done in {time.perf_counter() - started:.1f} s")
    return run
