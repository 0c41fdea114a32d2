"""Writing a checked dataset in chunks: per chunk one query finds the stored rows, then multi-row
INSERTs and ``bulk_update`` (see the package docstring for what makes a row "the same row")."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import polars as pl
from django.utils import timezone

from inbeeld.accounts.models import Organisation, OrganisationType
from inbeeld.attendance.imports.bulk import UPDATE_BATCH_SIZE, Inserter, chunks, in_chunks
from inbeeld.attendance.imports.files import file_of
from inbeeld.attendance.imports.tables import tables_of
from inbeeld.attendance.models import AbsenceRecord, ImportBatch
from inbeeld.people.models import Enrolment, Exemption, School, SchoolFreePeriod, Student
from inbeeld.people.services import partnership_name
from inbeeld.rules.model import Dataset

ImportProgress = Callable[[str], None]


def _hours(value: float | None) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal("0.01"))


def _tally(read: int = 0) -> dict[str, int]:
    return {"read": read, "created": 0, "updated": 0, "unchanged": 0}


class Writer:
    """Writes a checked dataset; runs inside the import's transaction."""

    STUDENT_FIELDS = (
        "birth_date",
        "municipality_code",
        "region",
        "bsn",
        "onderwijsnummer",
        "given_names",
        "family_name",
        "postcode",
        "startkwalificatie_date",
        "kwalificatieplicht_exempt",
    )

    def __init__(
        self,
        dataset: Dataset,
        directory: Path,
        batch: ImportBatch,
        organisation: Organisation,
        say: ImportProgress,
    ) -> None:
        self.frames = tables_of(dataset)
        self.absence_rows_read = dataset.absences.height
        self.directory = directory
        self.batch = batch
        self.organisation = organisation
        self.say = say
        self.now = timezone.now()
        self.student_pk: dict[str, int] = {}
        self.school_pk: dict[str, int] = {}

    def write(self) -> dict[str, dict[str, int]]:
        counts: dict[str, dict[str, int]] = {}
        steps: list[tuple[str, Callable[[pl.DataFrame, str], dict[str, int]]]] = [
            ("schools", self._schools),
            ("students", self._students),
            ("enrolments", self._enrolments),
            ("absences", self._absences),
            ("exemptions", self._exemptions),
            ("calendar", self._calendar),
        ]
        for name, step in steps:
            frame = self.frames[name]
            file = file_of(self.directory, name)
            if frame is None or file is None:
                continue
            counts[file] = step(frame, file)
        return counts

    def _progress(self, file: str, done: int, total: int) -> None:
        self.say(f"{file}: {done:,} of {total:,} rows written")

    # schools and their organisations

    def _organisations(self, kind: str, wanted: dict[str, dict[str, str]]) -> dict[str, int]:
        """code → pk of the organisations of ``kind`` with these codes, creating missing ones."""
        found: dict[str, int] = {}
        codes = sorted(wanted)
        for chunk in in_chunks(codes):
            found.update(
                Organisation.objects.filter(type=kind, code__in=chunk).values_list("code", "pk")
            )
        missing = [Organisation(type=kind, code=c, **wanted[c]) for c in codes if c not in found]
        if missing:
            Organisation.objects.bulk_create(missing, batch_size=UPDATE_BATCH_SIZE)
            for chunk in in_chunks([o.code for o in missing]):
                found.update(
                    Organisation.objects.filter(type=kind, code__in=chunk).values_list("code", "pk")
                )
        self.organisations_created += len(missing)
        return found

    def _schools(self, frame: pl.DataFrame, file: str) -> dict[str, int]:
        tally = _tally(frame.height)
        self.organisations_created = 0
        rows = frame.to_dicts()
        partnerships = self._organisations(
            OrganisationType.SAMENWERKINGSVERBAND,
            {
                r["partnership"]: {"name": partnership_name(r["partnership"])}
                for r in rows
                if r["partnership"]
            },
        )
        existing: dict[str, School] = {}
        for chunk in in_chunks([r["brin"] for r in rows]):
            existing.update((s.brin, s) for s in School.objects.filter(brin__in=chunk))
        needing = {
            r["brin"]: {"name": r["name"], "municipality_code": r["municipality"]}
            for r in rows
            if r["brin"] not in existing or existing[r["brin"]].organisation_id is None
        }
        school_organisations = self._organisations(OrganisationType.SCHOOL, needing)
        fields = (
            "name",
            "sector",
            "region",
            "municipality_code",
            "hours_per_day",
            "partnership_id",
            "organisation_id",
        )
        new: list[School] = []
        changed: list[School] = []
        for r in rows:
            values = {
                "name": r["name"],
                "sector": r["sector"],
                "region": r["region"],
                "municipality_code": r["municipality"],
                "hours_per_day": _hours(r["hours_per_day"]),
                "partnership_id": partnerships[r["partnership"]] if r["partnership"] else None,
            }
            school = existing.get(r["brin"])
            if school is None:
                new.append(
                    School(
                        brin=r["brin"], organisation_id=school_organisations[r["brin"]], **values
                    )
                )
                continue
            if school.organisation_id is None:
                values["organisation_id"] = school_organisations[r["brin"]]
            if _set_changed(school, values):
                changed.append(school)
            else:
                tally["unchanged"] += 1
        School.objects.bulk_create(new, batch_size=UPDATE_BATCH_SIZE)
        School.objects.bulk_update(changed, list(fields), batch_size=UPDATE_BATCH_SIZE)
        tally["created"], tally["updated"] = len(new), len(changed)
        for chunk in in_chunks([r["brin"] for r in rows]):
            self.school_pk.update(School.objects.filter(brin__in=chunk).values_list("brin", "pk"))
        tally["organisations_created"] = self.organisations_created
        self._progress(file, frame.height, frame.height)
        return tally

    # students

    def _students(self, frame: pl.DataFrame, file: str) -> dict[str, int]:
        tally = _tally(frame.height)
        fields = self.STUDENT_FIELDS
        inserter = Inserter(Student, ("external_id", *fields))
        done = 0
        for chunk in chunks(frame):
            rows = chunk.to_dicts()
            ids = [r["student_id"] for r in rows]
            existing = {
                s.external_id: s
                for s in Student.objects.filter(external_id__in=ids).only(
                    "pk", "external_id", *fields
                )
            }
            new: list[tuple[Any, ...]] = []
            changed: list[Student] = []
            for r in rows:
                values = {
                    "birth_date": r["birth_date"],
                    "municipality_code": r["municipality"],
                    "region": r["region"] or "",
                    "bsn": r["bsn"],
                    "onderwijsnummer": r["onderwijsnummer"],
                    "given_names": r["given_names"] or "",
                    "family_name": r["family_name"] or "",
                    "postcode": r["postcode"] or "",
                    "startkwalificatie_date": r["startkwalificatie_date"],
                    "kwalificatieplicht_exempt": bool(r["kwalificatieplicht_exempt"]),
                }
                student = existing.get(r["student_id"])
                if student is None:
                    new.append((r["student_id"], *values.values()))
                elif _set_changed(student, values):
                    changed.append(student)
                else:
                    tally["unchanged"] += 1
            inserter.insert(new)
            Student.objects.bulk_update(changed, list(fields), batch_size=UPDATE_BATCH_SIZE)
            tally["created"] += len(new)
            tally["updated"] += len(changed)
            self.student_pk.update((s.external_id, s.pk) for s in existing.values())
            if new:
                self.student_pk.update(
                    Student.objects.filter(external_id__in=[n[0] for n in new]).values_list(
                        "external_id", "pk"
                    )
                )
            done += chunk.height
            self._progress(file, done, frame.height)
        return tally

    # rows that belong to a student: (student, …) identities, looked up per chunk

    def _by_student(
        self,
        frame: pl.DataFrame,
        file: str,
        *,
        existing_rows: Callable[[list[int]], Iterable[tuple[Any, ...]]],
        identity: Callable[[int, dict[str, Any]], tuple[Any, ...]],
        values: Callable[[dict[str, Any]], dict[str, Any]],
        create: Callable[[int, dict[str, Any], dict[str, Any]], tuple[Any, ...]],
        update: Callable[[int, dict[str, Any]], Any],
        model: Any,
        insert_fields: Sequence[str],
        update_fields: list[str],
        compared: int = 1,
    ) -> dict[str, int]:
        """Upsert rows whose identity starts with the student. ``existing_rows(student_pks)`` gives
        (pk, *identity, *values) of the stored rows of those students, the last ``compared``
        items being the values ``values(row)`` gives, in the same order. ``create`` gives the
        values of ``insert_fields`` of a new row."""
        tally = _tally(frame.height)
        inserter = Inserter(model, insert_fields)
        done = 0
        # sorted by student, so that a chunk's lookup touches few children
        for chunk in chunks(frame.sort("student_id", maintain_order=True)):
            rows = chunk.to_dicts()
            student_pks = sorted({self.student_pk[r["student_id"]] for r in rows})
            stored: dict[tuple[Any, ...], tuple[int, tuple[Any, ...]]] = {}
            for pk, *rest in existing_rows(student_pks):
                key_width = len(rest) - compared
                stored[tuple(rest[:key_width])] = (pk, tuple(rest[key_width:]))
            new = []
            changed = []
            for r in rows:
                student = self.student_pk[r["student_id"]]
                key = identity(student, r)
                wanted = values(r)
                found = stored.get(key)
                if found is None:
                    new.append(create(student, r, wanted))
                elif found[1] != tuple(wanted.values()):
                    changed.append(update(found[0], wanted))
                else:
                    tally["unchanged"] += 1
            inserter.insert(new)
            model.objects.bulk_update(changed, update_fields, batch_size=UPDATE_BATCH_SIZE)
            tally["created"] += len(new)
            tally["updated"] += len(changed)
            done += chunk.height
            self._progress(file, done, frame.height)
        return tally

    def _enrolments(self, frame: pl.DataFrame, file: str) -> dict[str, int]:
        return self._by_student(
            frame,
            file,
            existing_rows=lambda pks: Enrolment.objects.filter(student_id__in=pks).values_list(
                "pk", "student_id", "school_id", "start_date", "end_date", "hours_per_day"
            ),
            identity=lambda student, r: (student, self.school_pk[r["brin"]], r["start_date"]),
            values=lambda r: {
                "end_date": r["end_date"],
                "hours_per_day": _hours(r.get("hours_per_day")),
            },
            create=lambda student, r, v: (
                student,
                self.school_pk[r["brin"]],
                r["start_date"],
                v["end_date"],
                v["hours_per_day"],
            ),
            update=lambda pk, v: Enrolment(pk=pk, **v),
            model=Enrolment,
            insert_fields=("student", "school", "start_date", "end_date", "hours_per_day"),
            update_fields=["end_date", "hours_per_day"],
            compared=2,
        )

    def _absences(self, frame: pl.DataFrame, file: str) -> dict[str, int]:
        def update(pk: int, v: dict[str, Any]) -> AbsenceRecord:
            return AbsenceRecord(pk=pk, batch=self.batch, updated_at=self.now, **v)

        tally = self._by_student(
            frame,
            file,
            existing_rows=lambda pks: AbsenceRecord.objects.filter(student_id__in=pks).values_list(
                "pk", "student_id", "start_date", "reason", "end_date", "hours_per_day"
            ),
            identity=lambda student, r: (student, r["start_date"], r["reason"]),
            values=lambda r: {
                "end_date": r["end_date"],
                "hours_per_day": _hours(r["hours_per_day"]),
            },
            create=lambda student, r, v: (
                student,
                r["start_date"],
                v["end_date"],
                r["reason"],
                v["hours_per_day"],
                self.organisation.pk,
                self.batch.pk,
                self.now,
                self.now,
            ),
            update=update,
            model=AbsenceRecord,
            insert_fields=(
                "student",
                "start_date",
                "end_date",
                "reason",
                "hours_per_day",
                "organisation",
                "batch",
                "created_at",
                "updated_at",
            ),
            update_fields=["end_date", "hours_per_day", "batch", "updated_at"],
            compared=2,
        )
        # rows of the file combined with another row of the same absence (tables.merged_absences)
        tally["combined"] = self.absence_rows_read - frame.height
        tally["read"] = self.absence_rows_read
        return tally

    def _exemptions(self, frame: pl.DataFrame, file: str) -> dict[str, int]:
        return self._by_student(
            frame,
            file,
            existing_rows=lambda pks: Exemption.objects.filter(student_id__in=pks).values_list(
                "pk", "student_id", "article", "start_date", "end_date", "permanent"
            ),
            identity=lambda student, r: (student, r["article"], r["start_date"]),
            values=lambda r: {"end_date": r["end_date"], "permanent": bool(r.get("permanent"))},
            create=lambda student, r, v: (
                student,
                r["article"],
                r["start_date"],
                v["end_date"],
                v["permanent"],
            ),
            update=lambda pk, v: Exemption(pk=pk, **v),
            model=Exemption,
            insert_fields=("student", "article", "start_date", "end_date", "permanent"),
            update_fields=["end_date", "permanent"],
            compared=2,
        )

    # the vacations of whole regions

    def _calendar(self, frame: pl.DataFrame, file: str) -> dict[str, int]:
        """calendar.csv replaces the periods of every region it names (RULES.md §1)."""
        tally = _tally(frame.height)
        tally["deleted"] = 0
        regions = sorted(set(frame.get_column("region").to_list()))
        stored = {
            (p.region, p.start_date, p.end_date): p
            for p in SchoolFreePeriod.objects.filter(school__isnull=True, region__in=regions)
        }
        kept: set[int] = set()
        new, changed = [], []
        for r in frame.to_dicts():
            name = r["name"] or ""
            period = stored.get((r["region"], r["start_date"], r["end_date"]))
            if period is None:
                new.append(
                    SchoolFreePeriod(
                        region=r["region"],
                        start_date=r["start_date"],
                        end_date=r["end_date"],
                        name=name,
                    )
                )
                continue
            kept.add(period.pk)
            if period.name != name:
                period.name = name
                changed.append(period)
            else:
                tally["unchanged"] += 1
        stale = [p.pk for p in stored.values() if p.pk not in kept]
        SchoolFreePeriod.objects.filter(pk__in=stale).delete()
        SchoolFreePeriod.objects.bulk_create(new)
        SchoolFreePeriod.objects.bulk_update(changed, ["name"])
        tally["created"], tally["updated"], tally["deleted"] = len(new), len(changed), len(stale)
        self._progress(file, frame.height, frame.height)
        return tally


def _set_changed(instance: Any, values: dict[str, Any]) -> bool:
    changed = False
    for name, value in values.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed = True
    return changed
