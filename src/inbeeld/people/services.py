"""Writes to the registry (issue 3 §2): schools, students, enrolments, exemptions, free days.

Every function is keyword-only, runs in one transaction, validates before it writes and appends
its audit event in the same transaction. ``actor`` may be ``None`` for the system itself (a
management command without a user); the audit event then has no user.

Who may call these (the permission) is decided by the caller (the import page and the API check
their own permission), except :func:`school_free_period_add` and :func:`school_free_period_remove`,
which check themselves who may change which calendar (issue 3 §2: a school's own free days).

Need-to-know is decided here (issue 9): when an organisation acts (``actor`` has one), a school
is written only within its scope (:func:`inbeeld.people.scope.school_write_refusal`), a child's
registry data only when the child is in the organisation's own scope, and a child is enrolled,
given an exemption or an involvement only when the actor may see it. A child out of scope is
refused with :class:`~inbeeld.people.selectors.NotInScopeError` (404, as the selectors answer).

The bulk import of the exchange format (``attendance.imports``) writes the same rows in chunks
without calling these per row, and records one audit event per import.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from inbeeld.accounts.actor import Actor
from inbeeld.accounts.models import Organisation, OrganisationType
from inbeeld.accounts.permissions import Permission
from inbeeld.audit.models import AuditAction
from inbeeld.audit.services import ActingParty, audit_record
from inbeeld.people.exemption_terms import check_permanent
from inbeeld.people.models import (
    Enrolment,
    Exemption,
    Involvement,
    School,
    SchoolFreePeriod,
    Student,
)
from inbeeld.people.scope import own_schools, registry_scope, school_write_refusal
from inbeeld.people.selectors import NotInScopeError, require_visible
from inbeeld.rules.exchange import MAX_HOURS_PER_DAY, read_calendar
from inbeeld.rules.model import ARTICLES, VERVANGENDE_LEERPLICHT_ARTICLES


def partnership_name(code: str) -> str:
    """The name given to a samenwerkingsverband that is first met as a code in an import."""
    return f"Samenwerkingsverband {code}"


def _changed(instance: Any, values: dict[str, Any]) -> list[str]:
    """Set ``values`` on ``instance``; the names of the fields whose value changed."""
    changed = []
    for name, value in values.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed.append(name)
    return changed


def _hours(value: float | Decimal | None) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal("0.01"))


def _organisation_of(actor: ActingParty | None) -> Organisation | None:
    """The organisation an actor writes for; None for the system itself (a command, the demo)."""
    return getattr(actor, "organisation", None) if actor is not None else None


def _registered_with(organisation: Organisation, student: Student) -> bool:
    scope = registry_scope(organisation=organisation, on=timezone.localdate())
    return scope is not None and Student.objects.filter(scope, pk=student.pk).exists()


def _require_registered_with(actor: ActingParty | None, student: Student) -> None:
    """A child's registry data are changed only by an organisation it is registered with."""
    organisation = _organisation_of(actor)
    if organisation is not None and not _registered_with(organisation, student):
        raise NotInScopeError(_("Niet gevonden."))


def _require_sight(actor: ActingParty | None, student: Student) -> None:
    """Acting on a child (enrolling it, an exemption) needs the child registered with the
    organisation, or sight of it (a school in a case team enrols the pupil that comes to it)."""
    organisation = _organisation_of(actor)
    if organisation is None or _registered_with(organisation, student):
        return
    if isinstance(actor, Actor):
        require_visible(actor=actor, student=student)
    else:
        raise NotInScopeError(_("Niet gevonden."))


@transaction.atomic
def partnership_get_or_create(*, actor: ActingParty | None, code: str) -> Organisation:
    """The samenwerkingsverband with this code, created (named after its code) when missing."""
    code = code.strip()
    if not code:
        raise ValidationError(_("Een samenwerkingsverband heeft een code nodig."))
    organisation, created = Organisation.objects.get_or_create(
        type=OrganisationType.SAMENWERKINGSVERBAND,
        code=code,
        defaults={"name": partnership_name(code)},
    )
    if created:
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            summary=f"samenwerkingsverband {code} aangemaakt",
            obj=organisation,
        )
    return organisation


@transaction.atomic
def school_upsert(
    *,
    actor: ActingParty | None,
    brin: str,
    name: str,
    sector: str,
    region: str,
    municipality_code: str,
    hours_per_day: float | Decimal | None = None,
    partnership_code: str | None = None,
) -> School:
    """Create or update the school with this BRIN, with its organisation (type school, code =
    BRIN; created when missing) and its samenwerkingsverband (created when missing). An acting
    organisation writes only a school of its own scope (``PermissionDenied`` otherwise)."""
    organisation = _organisation_of(actor)
    if organisation is not None and school_write_refusal(
        organisation,
        brin=brin,
        municipality_code=municipality_code,
        partnership_code=partnership_code or None,
        stored=School.objects.filter(brin=brin).first(),
    ):
        raise PermissionDenied(_("U mag de gegevens van deze school niet wijzigen."))
    partnership = (
        partnership_get_or_create(actor=actor, code=partnership_code) if partnership_code else None
    )
    values = {
        "name": name,
        "sector": sector,
        "region": region,
        "municipality_code": municipality_code,
        "hours_per_day": _hours(hours_per_day),
        "partnership": partnership,
    }
    school = School.objects.select_for_update().filter(brin=brin).first()
    created = school is None
    if school is None:
        school = School(brin=brin, **values)
        changed = list(values)
    else:
        changed = _changed(school, values)
    if school.organisation_id is None:
        school.organisation, _created = Organisation.objects.get_or_create(
            type=OrganisationType.SCHOOL,
            code=brin,
            defaults={"name": name, "municipality_code": municipality_code},
        )
        changed.append("organisation")
    if not changed:
        return school
    school.full_clean()
    school.save()
    audit_record(
        actor=actor,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        summary=f"school {brin} {'aangemaakt' if created else 'gewijzigd'}",
        obj=school,
        detail={"fields": sorted(changed)},
    )
    return school


@transaction.atomic
def student_upsert(
    *,
    actor: ActingParty | None,
    external_id: str,
    birth_date: dt.date,
    municipality_code: str,
    region: str = "",
    bsn: str | None = None,
    onderwijsnummer: str | None = None,
    given_names: str = "",
    family_name: str = "",
    postcode: str = "",
    startkwalificatie_date: dt.date | None = None,
    kwalificatieplicht_exempt: bool = False,
) -> Student:
    """Create or update the child with this student number (``student_id`` of the exchange
    format). BSN and onderwijsnummer are checked (11-proef) and must not belong to another child.
    An acting organisation changes only a child registered with it (``NotInScopeError``)."""
    values = {
        "birth_date": birth_date,
        "municipality_code": municipality_code,
        "region": region or "",
        "bsn": bsn or None,
        "onderwijsnummer": onderwijsnummer or None,
        "given_names": given_names or "",
        "family_name": family_name or "",
        "postcode": (postcode or "").replace(" ", "").upper(),
        "startkwalificatie_date": startkwalificatie_date,
        "kwalificatieplicht_exempt": bool(kwalificatieplicht_exempt),
    }
    student = Student.objects.select_for_update().filter(external_id=external_id).first()
    created = student is None
    if student is None:
        student = Student(external_id=external_id, **values)
        changed = list(values)
    else:
        _require_registered_with(actor, student)
        changed = _changed(student, values)
        if not changed:
            return student
    student.full_clean()
    student.save()
    audit_record(
        actor=actor,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        summary=f"leerling {external_id} {'aangemaakt' if created else 'gewijzigd'}",
        obj=student,
        student=student,
        detail={"fields": sorted(changed)},
    )
    return student


HUNDREDTH = Decimal("0.01")
#: ``student_enrol(hours_per_day=KEEP)``: leave the enrolment's own timetable as it is
KEEP: Any = object()


def check_enrolment_hours(value: float | Decimal | None) -> Decimal | None:
    """The child's own hours of a school day (RULES.md §7), rounded to hundredths: a positive
    number of at most what the exchange reader allows (``rules.exchange.MAX_HOURS_PER_DAY``).
    ValidationError on the field ``hours_per_day`` naming the problem."""
    if value is None or value == "":
        return None
    try:
        hours = Decimal(str(value).strip().replace(",", "."))  # 2,5 as a person writes it
    except ArithmeticError:
        hours = None
    if hours is None or not hours.is_finite():
        raise ValidationError(
            {"hours_per_day": [_("Uren per dag: vul een getal in, zoals 2 of 2,5.")]}
        )
    if not 0 < hours <= Decimal(str(MAX_HOURS_PER_DAY)) or hours.quantize(HUNDREDTH) <= 0:
        raise ValidationError(
            {
                "hours_per_day": [
                    _("Uren per dag moet meer dan 0 en ten hoogste %(max)s zijn (nu %(value)s).")
                    % {"max": f"{MAX_HOURS_PER_DAY:g}", "value": value}
                ]
            }
        )
    return hours.quantize(HUNDREDTH)


@transaction.atomic
def student_enrol(
    *,
    actor: ActingParty | None,
    student: Student,
    school: School,
    start_date: dt.date,
    end_date: dt.date | None = None,
    hours_per_day: float | Decimal | None = KEEP,
) -> Enrolment:
    """Enrol a child at a school from ``start_date``. The same (student, school, start date)
    again is the same enrolment: a changed end date or timetable updates it. ``hours_per_day``
    is the child's own timetable (RULES.md §7: a part-time return to school), None for the
    school's hours; left out (``KEEP``), an existing enrolment keeps its own. An acting
    organisation enrols only at its own schools (``PermissionDenied``) a child it may see
    (``NotInScopeError``): a school in a case team enrols the pupil that comes to it."""
    organisation = _organisation_of(actor)
    if organisation is not None:
        _require_sight(actor, student)
        if not own_schools(organisation).filter(pk=school.pk).exists():
            raise PermissionDenied(_("U mag niet inschrijven bij deze school."))
    errors: dict[str, list[str]] = {}
    if end_date is not None and end_date < start_date:
        errors["end_date"] = [_("De einddatum ligt voor de begindatum.")]
    hours = None
    if hours_per_day is not KEEP:
        try:
            hours = check_enrolment_hours(hours_per_day)
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    enrolment = (
        Enrolment.objects.select_for_update()
        .filter(student=student, school=school, start_date=start_date)
        .first()
    )
    if enrolment is not None:
        values: dict[str, Any] = {"end_date": end_date}
        if hours_per_day is not KEEP:
            values["hours_per_day"] = hours
        before = {name: getattr(enrolment, name) for name in values}
        changed = _changed(enrolment, values)
        if not changed:
            return enrolment
        enrolment.save(update_fields=changed)
        parts = []
        if "end_date" in changed:
            parts.append(f"einddatum {end_date or 'geen'}")
        if "hours_per_day" in changed:
            parts.append(f"uren per dag {hours if hours is not None else 'die van de school'}")
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            summary=f"inschrijving bij {school.brin} {', '.join(parts)}",
            obj=enrolment,
            student=student,
            detail={
                name: [str(before[name] or ""), str(getattr(enrolment, name) or "")]
                for name in changed
            },
        )
        return enrolment
    enrolment = Enrolment.objects.create(
        student=student,
        school=school,
        start_date=start_date,
        end_date=end_date,
        hours_per_day=hours,
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        summary=f"ingeschreven bij {school.brin} vanaf {start_date}"
        + (f" ({hours} uur per dag)" if hours is not None else ""),
        obj=enrolment,
        student=student,
        detail={"hours_per_day": str(hours)} if hours is not None else None,
    )
    return enrolment


@transaction.atomic
def exemption_register(
    *,
    actor: ActingParty | None,
    student: Student,
    article: str,
    start_date: dt.date,
    end_date: dt.date | None = None,
    permanent: bool = False,
) -> Exemption:
    """Register a vrijstelling (LPW art. 5 onder a/b/c, 5a, 15) or a vervangende leerplicht
    (art. 3a/3b, RULES.md §7: kept, never an exemption). The same (student, article, start date)
    again is the same row: a changed end date or ``permanent`` updates it. ``permanent`` ("nooit
    geschikt") only for art. 5 onder a (ValidationError otherwise); a 5a without end date that
    is not permanent lapses on 31 July (``exemption_terms.lapses_on``). An acting organisation
    registers it only for a child it may see (``NotInScopeError``)."""
    if _organisation_of(actor) is not None:
        _require_sight(actor, student)
    errors: dict[str, list[str]] = {}
    if article not in ARTICLES:
        errors["article"] = [_("Onbekend artikel: %(article)s.") % {"article": article}]
    if end_date is not None and end_date < start_date:
        errors["end_date"] = [_("De einddatum ligt voor de begindatum.")]
    try:
        check_permanent(article=article, permanent=bool(permanent))
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    permanent = bool(permanent)
    exemption = (
        Exemption.objects.select_for_update()
        .filter(student=student, article=article, start_date=start_date)
        .first()
    )
    created = exemption is None
    changed: list[str] = []
    if exemption is None:
        exemption = Exemption(
            student=student,
            article=article,
            start_date=start_date,
            end_date=end_date,
            permanent=permanent,
        )
    else:
        changed = _changed(exemption, {"end_date": end_date, "permanent": permanent})
        if not changed:
            return exemption
    exemption.full_clean(validate_unique=False)
    exemption.save()
    what = (
        "vervangende leerplicht" if article in VERVANGENDE_LEERPLICHT_ARTICLES else "vrijstelling"
    )
    if created:
        summary = f"{what} {article} vanaf {start_date} geregistreerd" + (
            " (blijvend)" if permanent else ""
        )
    else:
        parts = []
        if "end_date" in changed:
            parts.append(f"einddatum {end_date or 'geen'}")
        if "permanent" in changed:
            parts.append("blijvend" if permanent else "niet blijvend")
        summary = f"{what} {article} vanaf {start_date} {', '.join(parts)}"
    audit_record(
        actor=actor,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        summary=summary,
        obj=exemption,
        student=student,
        detail={"permanent": permanent} if permanent or "permanent" in changed else None,
    )
    return exemption


# -- involvement (written by the concerns and cases services, inside their own transaction) ------


def involvement_record(
    *,
    student: Student,
    organisation: Organisation,
    source: str,
    source_id: int,
    since: dt.date,
    until: dt.date | None = None,
    user: Any = None,
    actor: Actor | None = None,
) -> Involvement:
    """Record that an organisation is involved with a child (a concern, a place in a case team).

    Called by the service that registers the concern or adds the team member, in its transaction
    and under its audit event. The same source again returns the existing row. ``actor``: who
    gives the sight (the lead adding a team member); nobody gives sight of a child they may not
    see themselves (``NotInScopeError``).
    """
    if actor is not None:
        require_visible(actor=actor, student=student)
    involvement, _created = Involvement.objects.get_or_create(
        source=source,
        source_id=source_id,
        defaults={
            "student": student,
            "organisation": organisation,
            "user": user if getattr(user, "pk", None) else None,
            "since": since,
            "until": until,
        },
    )
    return involvement


def involvement_end(*, source: str, source_id: int, on: dt.date, immediately: bool = False) -> int:
    """End an involvement on ``on`` (its last day); returns how many rows were ended.
    ``immediately``: the sight ends at once, its last day the day before ``on`` (a child taken off a
    school team's list, issue 12 §1), even for one that began on ``on``."""
    last = on - dt.timedelta(days=1) if immediately else on
    rows = Involvement.objects.filter(source=source, source_id=source_id)
    if not immediately:
        rows = rows.filter(since__lte=on)
    return rows.exclude(until__lte=last).update(until=last)


def involvement_close(*, source: str, source_id: int, on: dt.date) -> int:
    """End an involvement so that it gives no sight from ``on`` on (its last day the day before,
    also when it began on ``on``); returns how many rows were ended."""
    last = on - dt.timedelta(days=1)
    return (
        Involvement.objects.filter(source=source, source_id=source_id)
        .filter(Q(until__isnull=True) | Q(until__gt=last))
        .update(until=last)
    )


# -- school calendars -----------------------------------------------------------------------------


def may_manage_free_days(*, actor: Actor | None, school: School) -> bool:
    """A school's own free days are kept by the people of that school (its BRIN and locations)
    who may maintain its data (zorgcoördinator, functioneel beheerder: ``Permission.IMPORT_DATA``)."""
    if actor is None:
        return True
    return (
        actor.organisation is not None
        and actor.organisation.type == OrganisationType.SCHOOL
        and actor.can(Permission.IMPORT_DATA)
        and own_schools(actor.organisation).filter(pk=school.pk).exists()
    )


def may_manage_region_periods(*, actor: Actor | None) -> bool:
    """A region's school-free periods (calendar.csv) are kept by a gemeente's data maintainers."""
    if actor is None:
        return True
    return (
        actor.organisation is not None
        and actor.organisation.type == OrganisationType.GEMEENTE
        and actor.can(Permission.IMPORT_DATA)
    )


@transaction.atomic
def school_free_period_add(
    *,
    actor: Actor | None,
    start_date: dt.date,
    end_date: dt.date,
    name: str = "",
    school: School | None = None,
    region: str = "",
) -> SchoolFreePeriod:
    """Add a school-free period: a school's own free days (``school``) or a period of a whole
    region (``region``), exactly one of the two. The same period again (same school or region,
    start and end) is not added twice; a new name renames it."""
    if (school is None) == (not region):
        raise ValidationError(_("Geef een school of een regio, niet allebei."))
    if school is not None and not may_manage_free_days(actor=actor, school=school):
        raise PermissionDenied(_("U mag de vrije dagen van deze school niet wijzigen."))
    if region and not may_manage_region_periods(actor=actor):
        raise PermissionDenied(_("U mag de vakanties van een regio niet wijzigen."))
    if end_date < start_date:
        raise ValidationError({"end_date": _("De einddatum ligt voor de begindatum.")})
    name = (name or "").strip()
    existing = (
        SchoolFreePeriod.objects.select_for_update()
        .filter(school=school, region=region or "", start_date=start_date, end_date=end_date)
        .first()
    )
    if existing is not None:
        if existing.name != name:
            existing.name = name
            existing.full_clean()
            existing.save(update_fields=["name"])
            audit_record(
                actor=actor,
                action=AuditAction.UPDATE,
                summary=f"vrije periode {start_date}–{end_date} hernoemd",
                obj=existing,
            )
        return existing
    period = SchoolFreePeriod(
        school=school, region=region or "", start_date=start_date, end_date=end_date, name=name
    )
    period.full_clean()
    period.save()
    where = f"school {school.brin}" if school is not None else f"regio {region}"
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        summary=f"vrije periode {start_date}–{end_date} toegevoegd voor {where}",
        obj=period,
    )
    return period


@transaction.atomic
def school_free_period_remove(*, actor: Actor | None, period: SchoolFreePeriod) -> None:
    """Remove a school's own free days (or a region's period), with the same rights as adding."""
    if period.school is not None and not may_manage_free_days(actor=actor, school=period.school):
        raise PermissionDenied(_("U mag de vrije dagen van deze school niet wijzigen."))
    if period.school is None and not may_manage_region_periods(actor=actor):
        raise PermissionDenied(_("U mag de vakanties van een regio niet wijzigen."))
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        summary=f"vrije periode {period.start_date}–{period.end_date} verwijderd",
        obj=period,
        detail={"removed": True, "name": period.name},
    )
    period.delete()


@transaction.atomic
def school_calendar_import(*, actor: Actor | None, school: School, path: Path) -> dict[str, int]:
    """Import a calendar.csv of a school's own free days (all or nothing). Periods already there
    are not added twice; a period with a new name is renamed; nothing is removed.

    Returns counts (read, created, updated, unchanged); raises ``ExchangeError`` with every
    problem (file, line, column, message) and stores nothing when the file has any.
    """
    if not may_manage_free_days(actor=actor, school=school):
        raise PermissionDenied(_("U mag de vrije dagen van deze school niet wijzigen."))
    # RULES.md §6 calendar.csv; the region column may be left out (it is the school's own)
    rows = read_calendar(
        path,
        region=school.region,
        max_name_length=SchoolFreePeriod._meta.get_field("name").max_length,
    ).to_dicts()
    counts = {"read": len(rows), "created": 0, "updated": 0, "unchanged": 0}
    for row in rows:
        before = (
            SchoolFreePeriod.objects.filter(
                school=school, start_date=row["start_date"], end_date=row["end_date"]
            )
            .values_list("name", flat=True)
            .first()
        )
        school_free_period_add(
            actor=actor,
            school=school,
            start_date=row["start_date"],
            end_date=row["end_date"],
            name=row["name"] or "",
        )
        if before is None:
            counts["created"] += 1
        elif before != (row["name"] or "").strip():
            counts["updated"] += 1
        else:
            counts["unchanged"] += 1
    audit_record(
        actor=actor,
        action=AuditAction.IMPORT,
        summary=f"vrije dagen van school {school.brin} ingelezen: {counts['created']} nieuw",
        obj=school,
        detail={"counts": counts},
    )
    return counts
