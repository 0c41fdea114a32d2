"""Importing the exchange format (issue 3 §3): all or nothing, idempotent, corrections replace,
large files in chunks; the command and the import page."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from inbeeld.accounts.models import Organisation, OrganisationType, Role
from inbeeld.attendance.imports import import_exchange
from inbeeld.attendance.models import AbsenceRecord, ImportBatch
from inbeeld.attendance.tests.web_import import report_after
from inbeeld.audit.models import AuditAction, AuditEvent
from inbeeld.operations.models import BackgroundJob
from inbeeld.people.models import Enrolment, Exemption, School, SchoolFreePeriod, Student
from inbeeld.people.tests.factories import (
    PASSWORD,
    MembershipFactory,
    OrganisationFactory,
    actor_for,
)

BSN_1 = "111222333"
BSN_2 = "123456782"
ONDERWIJSNUMMER = "100000004"

FILES = {
    "schools.csv": (
        "brin,name,sector,region,municipality,hours_per_day,partnership\n"
        "12AB,De Linde,po,noord,GM0014,,SWV2001\n"
        "34CD,Het Lyceum,vo,noord,GM0014,,SWV2002\n"
    ),
    "students.csv": (
        "student_id,birth_date,municipality,bsn,onderwijsnummer,given_names,family_name,postcode\n"
        f"S1,2012-03-04,GM0014,{BSN_1},,Anna,Jansen,9711 ab\n"
        f"S2,2010-05-06,GM0014,,{ONDERWIJSNUMMER},Bram,de Vries,\n"
        f"S3,2009-01-02,GM0014,{BSN_2},,Cem,Yilmaz,\n"
    ),
    "enrolments.csv": (
        "student_id,brin,start_date,end_date\n"
        "S1,12AB,2016-08-01,\n"
        "S2,34CD,2022-08-01,\n"
        "S3,34CD,2021-08-01,2024-07-31\n"
    ),
    "absences.csv": (
        "student_id,start_date,end_date,reason,hours_per_day\n"
        "S1,2024-10-07,2024-10-07,ongeoorloofd,4\n"
        "S2,2024-11-04,2024-11-08,ziek,\n"
    ),
    "exemptions.csv": "student_id,article,start_date,end_date\nS3,5a,2024-08-01,\n",
}

MODELS = (Organisation, School, Student, Enrolment, Exemption, AbsenceRecord, SchoolFreePeriod)


def write(directory: Path, files: dict[str, str | bytes]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        data = content if isinstance(content, bytes) else content.encode()
        (directory / name).write_bytes(data)
    return directory


def snapshot() -> dict[str, object]:
    """Every row of every table an import writes (to prove that nothing was half-stored)."""
    return {
        model.__name__: sorted(tuple(str(v) for v in row) for row in model.objects.values_list())
        for model in MODELS
    }


@pytest.fixture
def gemeente():
    return OrganisationFactory(
        type=OrganisationType.GEMEENTE, code="GM0014", name="Groningen", municipality_code="GM0014"
    )


@pytest.fixture
def imported(tmp_path, gemeente):
    """The base files imported once (so a refused import could spoil existing data)."""
    batch = import_exchange(source=write(tmp_path / "base", FILES), organisation=gemeente)
    assert batch.state == ImportBatch.State.DONE, batch.problems
    return batch


# -- a good import ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_import_stores_everything_with_organisations(imported, gemeente):
    assert imported.counts["students.csv"] == {
        "read": 3,
        "created": 3,
        "updated": 0,
        "unchanged": 0,
    }
    assert imported.counts["absences.csv"]["created"] == 2
    school = School.objects.get(brin="12AB")
    assert school.organisation.type == OrganisationType.SCHOOL
    assert school.organisation.code == "12AB"
    assert school.partnership.type == OrganisationType.SAMENWERKINGSVERBAND
    assert school.partnership.code == "SWV2001"
    assert school.hours_per_day == Decimal("5.00")  # the po default of RULES.md §3
    anna = Student.objects.get(external_id="S1")
    assert (anna.bsn, anna.postcode, anna.given_names) == (BSN_1, "9711AB", "Anna")
    assert Student.objects.get(external_id="S2").onderwijsnummer == ONDERWIJSNUMMER
    absence = AbsenceRecord.objects.get(student=anna)
    assert (absence.hours_per_day, absence.organisation, absence.batch) == (
        Decimal("4.00"),
        gemeente,
        imported,
    )
    assert Enrolment.objects.count() == 3
    assert Exemption.objects.get().article == "5a"
    event = AuditEvent.objects.get(action=AuditAction.IMPORT)
    assert event.organisation == gemeente
    assert event.object_id == str(imported.pk)


@pytest.mark.django_db
def test_importing_the_same_directory_again_adds_nothing(tmp_path, imported, gemeente):
    before = snapshot()
    again = import_exchange(source=tmp_path / "base", organisation=gemeente)
    assert again.state == ImportBatch.State.DONE
    for file, figures in again.counts.items():
        assert figures["created"] == figures["updated"] == 0, file
        assert figures["unchanged"] == figures["read"], file
    assert snapshot() == before


@pytest.mark.django_db
def test_a_corrected_absence_row_replaces_the_earlier_one(tmp_path, imported, gemeente):
    files = dict(FILES)
    files["absences.csv"] = (
        "student_id,start_date,end_date,reason,hours_per_day\n"
        "S1,2024-10-07,2024-10-08,ongeoorloofd,2\n"  # same identity: a correction
        "S2,2024-11-04,2024-11-08,ziek,\n"
        "S2,2024-11-04,2024-11-04,geoorloofd,1\n"  # another reason: a new absence
    )
    batch = import_exchange(source=write(tmp_path / "fix", files), organisation=gemeente)
    assert batch.counts["absences.csv"] == {
        "read": 3,
        "created": 1,
        "updated": 1,
        "unchanged": 1,
        "combined": 0,
    }
    corrected = AbsenceRecord.objects.get(student__external_id="S1")
    assert (corrected.end_date, corrected.hours_per_day) == (dt.date(2024, 10, 8), Decimal("2"))
    assert corrected.batch == batch
    assert AbsenceRecord.objects.count() == 3


@pytest.mark.django_db
def test_a_changed_enrolment_end_date_updates_it(tmp_path, imported, gemeente):
    files = dict(FILES)
    files["enrolments.csv"] = FILES["enrolments.csv"].replace(
        "S1,12AB,2016-08-01,\n", "S1,12AB,2016-08-01,2025-01-31\n"
    )
    batch = import_exchange(source=write(tmp_path / "end", files), organisation=gemeente)
    assert batch.counts["enrolments.csv"]["updated"] == 1
    assert Enrolment.objects.get(student__external_id="S1").end_date == dt.date(2025, 1, 31)
    assert Enrolment.objects.count() == 3


@pytest.mark.django_db
def test_rows_of_one_absence_are_combined_as_the_rules_add_them_up(tmp_path, gemeente):
    files = dict(FILES)
    files["absences.csv"] = (
        "student_id,start_date,end_date,reason,hours_per_day\n"
        "S1,2024-10-07,2024-10-07,ongeoorloofd,3\n"
        "S1,2024-10-07,2024-10-07,ongeoorloofd,2\n"
        "S2,2024-11-04,2024-11-04,ziek,3\n"
        "S2,2024-11-04,2024-11-06,ziek,\n"
    )
    batch = import_exchange(source=write(tmp_path / "sum", files), organisation=gemeente)
    assert batch.state == ImportBatch.State.DONE, batch.problems
    assert batch.counts["absences.csv"]["combined"] == 2
    first = AbsenceRecord.objects.get(student__external_id="S1")
    assert first.hours_per_day == Decimal("5")
    second = AbsenceRecord.objects.get(student__external_id="S2")
    assert (second.end_date, second.hours_per_day) == (dt.date(2024, 11, 6), None)


@pytest.mark.django_db
def test_large_files_are_written_in_chunks_with_progress(tmp_path, gemeente, monkeypatch):
    from inbeeld.attendance.imports import bulk

    monkeypatch.setattr(bulk, "CHUNK_SIZE", 2)
    messages: list[str] = []
    batch = import_exchange(
        source=write(tmp_path / "chunks", FILES), organisation=gemeente, progress=messages.append
    )
    assert batch.state == ImportBatch.State.DONE
    assert "students.csv: 2 of 3 rows written" in messages
    assert "students.csv: 3 of 3 rows written" in messages
    assert Student.objects.count() == 3


@pytest.mark.django_db
def test_calendar_replaces_the_periods_of_the_regions_it_names(tmp_path, gemeente):
    SchoolFreePeriod.objects.create(
        region="noord", start_date=dt.date(2025, 1, 1), end_date=dt.date(2025, 1, 2)
    )
    SchoolFreePeriod.objects.create(
        region="zuid", start_date=dt.date(2025, 1, 1), end_date=dt.date(2025, 1, 2)
    )
    files = dict(FILES)
    files["calendar.csv"] = (
        "region,start_date,end_date,name\nnoord,2025-02-15,2025-02-23,voorjaar\n"
    )
    batch = import_exchange(source=write(tmp_path / "cal", files), organisation=gemeente)
    assert batch.counts["calendar.csv"]["created"] == 1
    assert batch.counts["calendar.csv"]["deleted"] == 1
    regions = sorted(SchoolFreePeriod.objects.values_list("region", "start_date"))
    assert regions == [("noord", dt.date(2025, 2, 15)), ("zuid", dt.date(2025, 1, 1))]


# -- bad files: refused with every problem, nothing half-stored -----------------------------------


def _replace(file: str, old: str | None, new: str | None) -> dict[str, str | bytes]:
    """The base files with ``old`` replaced by ``new`` in ``file`` (and a correction of an absence
    row besides), or, when ``old`` is None, without ``file``."""
    files: dict[str, str | bytes] = dict(FILES)
    if old is None:
        del files[file]
        return files
    assert old in FILES[file]
    files[file] = FILES[file].replace(old, new or "")
    # a correction in the same import must not be stored either
    files["absences.csv"] = files["absences.csv"].replace(
        "S2,2024-11-04,2024-11-08,ziek,", "S2,2024-11-04,2024-11-09,ziek,"
    )
    return files


#: what: (the file changed, the text replaced, its replacement, the line and column of the problem)
BAD = {
    "malformed date": (
        "absences.csv",
        "S1,2024-10-07,2024-10-07",
        "S1,2024-10-07,07-10-2024",
        2,
        "end_date",
    ),
    "malformed brin": ("schools.csv", "12AB,De Linde", "12A,De Linde", 2, "brin"),
    "bsn failing the 11-proef": ("students.csv", BSN_1, "111222334", 2, "bsn"),
    "malformed bsn": ("students.csv", BSN_1, "11122", 2, "bsn"),
    "malformed onderwijsnummer": (
        "students.csv",
        ONDERWIJSNUMMER,
        "200000004",
        3,
        "onderwijsnummer",
    ),
    "unknown student": ("absences.csv", "S1,2024-10-07", "S9,2024-10-07", 2, "student_id"),
    "unknown school": ("enrolments.csv", "S1,12AB", "S1,99ZZ", 2, "brin"),
    "unknown reason": ("absences.csv", "ongeoorloofd", "spijbelen", 2, "reason"),
    "unknown article": ("exemptions.csv", "S3,5a", "S3,7", 2, "article"),
    "end before start": (
        "enrolments.csv",
        "2021-08-01,2024-07-31",
        "2021-08-01,2020-07-31",
        4,
        "end_date",
    ),
    "truncated file": ("absences.csv", "S2,2024-11-04,2024-11-08,ziek,\n", "S2,2024-11-0", 3, ""),
    "duplicate student row": (
        "students.csv",
        "Cem,Yilmaz,\n",
        "Cem,Yilmaz,\nS1,2012-03-04,GM0014,,,Anna,Jansen,\n",
        5,
        "student_id",
    ),
    "duplicate enrolment row": (
        "enrolments.csv",
        "S1,12AB,2016-08-01,\n",
        "S1,12AB,2016-08-01,\nS1,12AB,2016-08-01,\n",
        3,
        "student_id",
    ),
    "duplicate exemption row": (
        "exemptions.csv",
        "S3,5a,2024-08-01,\n",
        "S3,5a,2024-08-01,\nS3,5a,2024-08-01,2025-01-01\n",
        3,
        "student_id",
    ),
    "bsn twice in the file": (
        "students.csv",
        f"S3,2009-01-02,GM0014,{BSN_2}",
        f"S3,2009-01-02,GM0014,{BSN_1}",
        4,
        "bsn",
    ),
    "absence rows that cannot be combined": (
        "absences.csv",
        "S1,2024-10-07,2024-10-07,ongeoorloofd,4\n",
        "S1,2024-10-07,2024-10-07,ongeoorloofd,4\nS1,2024-10-07,2024-10-09,ongeoorloofd,2\n",
        3,
        "end_date",
    ),
    "name too long for the database": (
        "students.csv",
        "Anna,Jansen",
        "Anna," + "J" * 201,
        2,
        "family_name",
    ),
    "missing required file": ("enrolments.csv", None, None, 0, ""),
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", list(BAD), ids=list(BAD))
def test_bad_files_are_refused_and_nothing_is_half_stored(tmp_path, imported, gemeente, case):
    file, old, new, line, column = BAD[case]
    files, expected = _replace(file, old, new), (file, line, column)
    before = snapshot()
    batch = import_exchange(source=write(tmp_path / "bad", files), organisation=gemeente)
    assert batch.state == ImportBatch.State.REFUSED
    assert snapshot() == before
    where = [(p["file"], p["line"], p["column"]) for p in batch.problems]
    assert expected in where, batch.problems
    assert all(p["message"] for p in batch.problems)
    assert batch.counts == {"problems": len(batch.problems)}
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.REFUSED
    assert batch.problems


@pytest.mark.django_db
def test_a_latin1_file_is_refused_naming_the_line(tmp_path, imported, gemeente):
    files: dict[str, str | bytes] = dict(FILES)
    files["students.csv"] = FILES["students.csv"].replace("Jansen", "Müller").encode("latin-1")
    before = snapshot()
    batch = import_exchange(source=write(tmp_path / "latin", files), organisation=gemeente)
    assert batch.state == ImportBatch.State.REFUSED
    assert snapshot() == before
    (problem,) = batch.problems
    assert (problem["file"], problem["line"]) == ("students.csv", 2)
    assert "UTF-8" in problem["message"]


@pytest.mark.django_db
def test_every_problem_of_every_file_is_reported_at_once(tmp_path, gemeente):
    files = _replace("absences.csv", "ongeoorloofd", "spijbelen")
    files["schools.csv"] = FILES["schools.csv"].replace("12AB,De Linde", "12A,De Linde")
    batch = import_exchange(source=write(tmp_path / "many", files), organisation=gemeente)
    assert {p["file"] for p in batch.problems} >= {"schools.csv", "absences.csv"}
    assert len(batch.all_problems) == len(batch.problems)
    assert not Student.objects.exists()


@pytest.mark.django_db
def test_a_bsn_of_another_child_in_the_database_is_refused(tmp_path, imported, gemeente):
    files = _replace("students.csv", f"S3,2009-01-02,GM0014,{BSN_2}", "S3,2009-01-02,GM0014,")
    files["students.csv"] += f"S4,2011-01-01,GM0014,{BSN_2},,Dirk,Dekker,\n"
    before = snapshot()
    batch = import_exchange(source=write(tmp_path / "taken", files), organisation=gemeente)
    assert batch.state == ImportBatch.State.REFUSED
    assert ("students.csv", 5, "bsn") in [
        (p["file"], p["line"], p["column"]) for p in batch.problems
    ]
    assert snapshot() == before


# -- who may import what -----------------------------------------------------------------------


@pytest.mark.django_db
def test_a_school_imports_only_its_own_school(tmp_path, imported):
    school = School.objects.get(brin="12AB")
    before = snapshot()
    batch = import_exchange(source=tmp_path / "base", organisation=school.organisation)
    assert batch.state == ImportBatch.State.REFUSED
    # the other school, and its pupils (issue 9: an import writes only its own scope)
    assert [(p["file"], p["line"], p["column"]) for p in batch.problems] == [
        ("schools.csv", 3, "brin"),
        ("students.csv", 3, "student_id"),
        ("students.csv", 4, "student_id"),
    ]
    assert snapshot() == before
    own = dict(FILES)
    own["schools.csv"] = (
        FILES["schools.csv"].splitlines(keepends=True)[0]
        + (FILES["schools.csv"].splitlines(keepends=True)[1])
    )
    own["students.csv"] = "".join(FILES["students.csv"].splitlines(keepends=True)[:2])
    own["enrolments.csv"] = "".join(FILES["enrolments.csv"].splitlines(keepends=True)[:2])
    own["absences.csv"] = "".join(FILES["absences.csv"].splitlines(keepends=True)[:2])
    own["exemptions.csv"] = "student_id,article,start_date,end_date\n"
    batch = import_exchange(source=write(tmp_path / "own", own), organisation=school.organisation)
    assert batch.state == ImportBatch.State.DONE, batch.problems


@pytest.mark.django_db
def test_a_ggd_imports_nothing(tmp_path):
    ggd = OrganisationFactory(type=OrganisationType.GGD, code="GGD1", name="GGD")
    batch = import_exchange(source=write(tmp_path / "x", FILES), organisation=ggd)
    assert batch.state == ImportBatch.State.REFUSED
    assert not Student.objects.exists()


# -- zip files ------------------------------------------------------------------------------------


def make_zip(path: Path, members: dict[str, str | bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return path


@pytest.mark.django_db
def test_a_zip_with_the_files_in_a_folder_imports(tmp_path, gemeente):
    source = make_zip(tmp_path / "export.zip", {f"export/{n}": c for n, c in FILES.items()})
    batch = import_exchange(source=source, organisation=gemeente)
    assert batch.state == ImportBatch.State.DONE, batch.problems
    assert batch.source_name == "export.zip"
    assert Student.objects.count() == 3


@pytest.mark.django_db
@pytest.mark.parametrize(
    "member",
    ["../evil.csv", "/etc/evil.csv", "export/../../evil.csv", "C:/evil.csv", "run.sh"],
)
def test_a_zip_with_an_unsafe_or_foreign_member_is_refused(tmp_path, gemeente, member):
    members: dict[str, str | bytes] = dict(FILES)
    members[member] = "student_id\nX\n"
    source = make_zip(tmp_path / "evil.zip", members)
    batch = import_exchange(source=source, organisation=gemeente)
    assert batch.state == ImportBatch.State.REFUSED
    assert batch.problems[0]["file"] == member
    assert not (tmp_path / "evil.csv").exists()
    assert not Student.objects.exists()


@pytest.mark.django_db
def test_a_zip_with_a_link_is_refused(tmp_path, gemeente):
    source = tmp_path / "link.zip"
    with zipfile.ZipFile(source, "w") as archive:
        for name, content in FILES.items():
            archive.writestr(name, content)
        info = zipfile.ZipInfo("calendar.csv")
        info.external_attr = 0o120777 << 16
        archive.writestr(info, "/etc/passwd")
    batch = import_exchange(source=source, organisation=gemeente)
    assert batch.state == ImportBatch.State.REFUSED
    assert "link" in batch.problems[0]["message"]


@pytest.mark.django_db
def test_a_file_that_is_not_a_zip_is_refused(tmp_path, gemeente):
    source = tmp_path / "export.zip"
    source.write_bytes(b"not a zip")
    batch = import_exchange(source=source, organisation=gemeente)
    assert batch.state == ImportBatch.State.REFUSED


# -- the command ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_command_imports_and_prints_a_summary(tmp_path, gemeente):
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "import",
        str(write(tmp_path / "cmd", FILES)),
        "--organisation",
        "GM0014",
        stdout=out,
        stderr=err,
    )
    assert "students.csv" in out.getvalue()
    assert "rows written" in err.getvalue()
    assert Student.objects.count() == 3


@pytest.mark.django_db
def test_command_exits_2_printing_every_problem_when_refused(tmp_path, gemeente):
    files = _replace("absences.csv", "ongeoorloofd", "spijbelen")
    err = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command(
            "import",
            str(write(tmp_path / "bad", files)),
            "--organisation",
            "GM0014",
            stdout=io.StringIO(),
            stderr=err,
        )
    assert caught.value.returncode == 2
    assert "absences.csv:2: column reason: unknown reason spijbelen" in err.getvalue()
    assert not Student.objects.exists()


@pytest.mark.django_db
def test_command_exits_2_for_an_unknown_organisation(tmp_path):
    with pytest.raises(CommandError) as caught:
        call_command("import", str(write(tmp_path / "x", FILES)), "--organisation", "GM9999")
    assert caught.value.returncode == 2
    assert "GM9999" in str(caught.value)
    assert not ImportBatch.objects.exists()


@pytest.mark.django_db
def test_command_exits_2_for_an_ambiguous_code_unless_typed(tmp_path, gemeente):
    OrganisationFactory(type=OrganisationType.GGD, code="GM0014", name="GGD")
    with pytest.raises(CommandError) as caught:
        call_command("import", str(write(tmp_path / "x", FILES)), "--organisation", "GM0014")
    assert caught.value.returncode == 2
    call_command(
        "import",
        str(tmp_path / "x"),
        "--organisation",
        "gemeente:GM0014",
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    assert Student.objects.count() == 3


# -- the import page ------------------------------------------------------------------------------


def _login(client, organisation, role):
    membership = MembershipFactory(organisation=organisation, role=role)
    assert client.login(username=membership.user.username, password=PASSWORD)
    return membership


def _upload(name: str, content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


@pytest.mark.django_db
def test_import_page_needs_the_import_permission(client, gemeente):
    _login(client, gemeente, Role.LEERPLICHTAMBTENAAR)
    assert client.get(reverse("imports:page")).status_code == 403


@pytest.mark.django_db
def test_import_page_uploads_a_zip_and_shows_the_report(client, tmp_path, gemeente):
    _login(client, gemeente, Role.FUNCTIONEEL_BEHEERDER)
    page = client.get(reverse("imports:page"))
    assert page.status_code == 200
    assert "multiple" in page.content.decode()
    data = make_zip(tmp_path / "export.zip", FILES).read_bytes()
    response = client.post(reverse("imports:page"), {"files": _upload("export.zip", data)})
    report = report_after(client, response)
    batch = ImportBatch.objects.get()
    assert BackgroundJob.objects.get().result["batch"] == batch.pk
    assert "<caption>" in report
    assert "students.csv" in report
    assert Student.objects.count() == 3


@pytest.mark.django_db
def test_import_page_accepts_several_csv_files_and_shows_problems(client, gemeente):
    _login(client, gemeente, Role.FUNCTIONEEL_BEHEERDER)
    files = _replace("absences.csv", "ongeoorloofd", "spijbelen")
    uploads = [_upload(name, content.encode()) for name, content in files.items()]
    response = client.post(reverse("imports:page"), {"files": uploads})
    report = report_after(client, response)
    assert "geweigerd" in report
    assert "unknown reason spijbelen" in report
    assert not Student.objects.exists()


@pytest.mark.django_db
def test_import_page_refuses_a_foreign_file_name(client, gemeente):
    _login(client, gemeente, Role.FUNCTIONEEL_BEHEERDER)
    response = client.post(reverse("imports:page"), {"files": [_upload("leerlingen.csv", b"x")]})
    assert response.status_code == 400
    assert "leerlingen.csv" in response.content.decode()
    assert not ImportBatch.objects.exists()


@pytest.mark.django_db
def test_import_page_says_when_the_upload_is_too_large(client, gemeente, settings):
    settings.INBEELD_IMPORT_MAX_UPLOAD_BYTES = 100
    _login(client, gemeente, Role.FUNCTIONEEL_BEHEERDER)
    response = client.post(
        reverse("imports:page"), {"files": [_upload("students.csv", b"x" * 500)]}
    )
    assert response.status_code == 400
    assert "maximum" in response.content.decode()
    assert not ImportBatch.objects.exists()


@pytest.mark.django_db
def test_each_organisation_sees_only_its_own_imports(client, tmp_path, gemeente):
    other = OrganisationFactory(type=OrganisationType.GEMEENTE, code="GM0034", name="Elders")
    mine = import_exchange(source=write(tmp_path / "a", FILES), organisation=gemeente)
    theirs = import_exchange(source=write(tmp_path / "b", FILES), organisation=other)
    _login(client, gemeente, Role.FUNCTIONEEL_BEHEERDER)
    page = client.get(reverse("imports:page")).content.decode()
    assert reverse("imports:report", args=[mine.pk]) in page
    assert reverse("imports:report", args=[theirs.pk]) not in page
    assert client.get(reverse("imports:report", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("imports:report", args=[mine.pk])).status_code == 200


@pytest.mark.django_db
def test_actor_import_records_the_user(tmp_path, gemeente):
    membership = MembershipFactory(organisation=gemeente, role=Role.FUNCTIONEEL_BEHEERDER)
    batch = import_exchange(source=write(tmp_path / "u", FILES), actor=actor_for(membership))
    assert batch.user == membership.user
    assert AuditEvent.objects.get(action=AuditAction.IMPORT).user == membership.user
