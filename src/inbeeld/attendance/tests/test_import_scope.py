"""Issue 9, findings 1–3: an import writes only the importing organisation's own scope, and its
messages never disclose another child (docs/authorization.md, "Imports")."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inbeeld.accounts.models import Organisation, OrganisationType, Role
from inbeeld.attendance.imports import import_exchange
from inbeeld.attendance.models import ImportBatch
from inbeeld.attendance.tests.test_imports import FILES, snapshot, write
from inbeeld.people.models import Enrolment, School, Student
from inbeeld.people.selectors import student_for
from inbeeld.people.tests.factories import MembershipFactory, OrganisationFactory, actor_for

#: the child of another school and municipality (Almere, GM0034)
OTHER_BSN = "232323239"
OTHER_NAME = "Zoë"
OTHER_FILES = {
    "schools.csv": (
        "brin,name,sector,region,municipality,hours_per_day,partnership\n"
        "56EF,De Eik,po,midden,GM0034,,SWV3001\n"
    ),
    "students.csv": (
        "student_id,birth_date,municipality,bsn,onderwijsnummer,given_names,family_name,postcode\n"
        f"X1,2013-02-03,GM0034,{OTHER_BSN},,{OTHER_NAME},Visser,1315AB\n"
    ),
    "enrolments.csv": "student_id,brin,start_date,end_date\nX1,56EF,2017-08-01,\n",
}
HEADERS = {name: content.splitlines(keepends=True)[0] for name, content in FILES.items()}
SCHOOL_ROW = "12AB,De Linde,po,noord,GM0014,,SWV2001\n"
OTHER_SCHOOL_ROW = OTHER_FILES["schools.csv"].splitlines(keepends=True)[1]
OTHER_STUDENT_ROW = OTHER_FILES["students.csv"].splitlines(keepends=True)[1]
#: the other municipality's child X1 named by a row of school 12AB
X1_AT_12AB = "X1,12AB,2024-08-01,\n"
X1_HERE = {"students": "X1,2013-02-03,GM0014,,,,,\n", "enrolments": X1_AT_12AB}
#: Groningen's pupil S1 at school 12AB, as in the base files
ANNA = "S1,2012-03-04,GM0014,111222333,,Anna,Jansen,9711AB\n"
ANNA_AT_12AB = "S1,12AB,2016-08-01,\n"


def files(**rows: str) -> dict[str, str | bytes]:
    """An exchange directory of the given rows after each file's header (others empty)."""
    return {name: HEADERS[name] + rows.get(name.removesuffix(".csv"), "") for name in HEADERS}


def run(scratch: Path, organisation: Organisation, **rows: str) -> ImportBatch:
    """Import ``files(**rows)`` for ``organisation`` (written to a directory in ``scratch``)."""
    source = write(scratch / "import", files(**rows))
    return import_exchange(source=source, organisation=organisation)


def refused(scratch: Path, organisation: Organisation, **rows: str) -> ImportBatch:
    """Import ``files(**rows)`` for ``organisation``: it is refused and nothing of it is written."""
    before = snapshot()
    batch = run(scratch, organisation, **rows)
    assert batch.state == ImportBatch.State.REFUSED
    assert snapshot() == before
    return batch


def problems(batch: ImportBatch) -> list[tuple[str, int, str]]:
    return [(p["file"], p["line"], p["column"]) for p in batch.problems]


def assert_discloses_nothing(batch: ImportBatch) -> None:
    text = " ".join(p["message"] for p in batch.problems)
    for secret in (OTHER_BSN, OTHER_NAME, "Visser", "GM0034"):
        assert secret not in text, text


@pytest.fixture
def world(tmp_path):
    """Groningen (GM0014: schools 12AB, 34CD, pupils S1–S3) and Almere (GM0034: school 56EF,
    pupil X1), each imported by its own gemeente."""
    groningen = OrganisationFactory(
        type=OrganisationType.GEMEENTE, code="GM0014", name="Groningen", municipality_code="GM0014"
    )
    almere = OrganisationFactory(
        type=OrganisationType.GEMEENTE, code="GM0034", name="Almere", municipality_code="GM0034"
    )
    for organisation, content in ((groningen, FILES), (almere, OTHER_FILES)):
        batch = import_exchange(
            source=write(tmp_path / organisation.code, content), organisation=organisation
        )
        assert batch.state == ImportBatch.State.DONE, batch.problems
    return {
        "groningen": groningen,
        "almere": almere,
        "school": Organisation.objects.get(type=OrganisationType.SCHOOL, code="12AB"),
        "swv": Organisation.objects.get(type=OrganisationType.SAMENWERKINGSVERBAND, code="SWV2001"),
    }


def at_de_eik(student_id: str, municipality: str) -> dict[str, str]:
    """The rows of a new child living in ``municipality``, enrolled at Almere's school 56EF."""
    return {
        "schools": OTHER_SCHOOL_ROW,
        "students": f"{student_id},2012-06-06,{municipality},,,Sem,Bakker,\n",
        "enrolments": f"{student_id},56EF,2024-08-01,\n",
    }


def zorgcoordinator(organisation: Organisation):
    return actor_for(MembershipFactory(organisation=organisation, role=Role.SCHOOL_ZORGCOORDINATOR))


# -- finding 1: imports take over children --------------------------------------------------------


@pytest.mark.django_db
def test_a_school_cannot_take_over_a_pupil_of_another_school_by_its_student_id(tmp_path, world):
    takeover = {"students": "X1,2013-02-03,GM0014,,,Zoe,Anders,\n", "enrolments": X1_AT_12AB}
    batch = refused(tmp_path, world["school"], schools=SCHOOL_ROW, **takeover)
    assert problems(batch) == [("students.csv", 2, "student_id")]
    assert_discloses_nothing(batch)
    other = Student.objects.get(external_id="X1")
    assert other.bsn == OTHER_BSN
    assert not Enrolment.objects.filter(student=other, school__brin="12AB").exists()
    assert student_for(actor=zorgcoordinator(world["school"]), pk=other.pk) is None


@pytest.mark.django_db
def test_a_school_cannot_claim_a_child_by_its_bsn_under_a_new_student_id(tmp_path, world):
    students, enrolments = f"N1,2013-02-03,GM0014,{OTHER_BSN},,,,\n", "N1,12AB,2024-08-01,\n"
    batch = refused(
        tmp_path, world["school"], schools=SCHOOL_ROW, students=students, enrolments=enrolments
    )
    assert problems(batch) == [("students.csv", 2, "bsn")]
    assert "X1" not in batch.problems[0]["message"]


@pytest.mark.django_db
def test_a_school_cannot_enrol_its_own_pupil_at_another_school(tmp_path, world):
    schools, enrolments = SCHOOL_ROW + OTHER_SCHOOL_ROW, ANNA_AT_12AB + "S1,56EF,2024-08-01,\n"
    batch = refused(
        tmp_path, world["school"], schools=schools, students=ANNA, enrolments=enrolments
    )
    assert problems(batch) == [("schools.csv", 3, "brin"), ("enrolments.csv", 3, "brin")]


@pytest.mark.django_db
def test_a_school_creates_a_pupil_only_by_enrolling_it_at_its_own_school(tmp_path, world):
    students = "N2,2014-01-01,GM0034,,,Piet,Puk,\n"
    batch = refused(tmp_path, world["school"], schools=SCHOOL_ROW, students=students)
    assert problems(batch) == [("students.csv", 2, "student_id")]
    assert not Student.objects.filter(external_id="N2").exists()


@pytest.mark.django_db
def test_a_school_imports_its_own_pupils_and_locations(tmp_path, world):
    batch = run(
        tmp_path,
        world["school"],
        schools=SCHOOL_ROW + "12AB01,De Linde Noord,po,noord,GM0014,,SWV2001\n",
        students=ANNA.replace("Jansen", "Jansen-Bos") + "N3,2015-05-05,GM0014,,,Lot,Smit,\n",
        enrolments=ANNA_AT_12AB + "N3,12AB01,2021-08-01,\n",
    )
    assert batch.state == ImportBatch.State.DONE, batch.problems
    assert Student.objects.get(external_id="S1").family_name == "Jansen-Bos"
    actor = zorgcoordinator(world["school"])
    assert student_for(actor=actor, pk=Student.objects.get(external_id="N3").pk) is not None


@pytest.mark.django_db
def test_a_gemeente_cannot_take_over_a_child_of_another_municipality(tmp_path, world):
    batch = refused(tmp_path, world["groningen"], schools=SCHOOL_ROW, **X1_HERE)
    assert problems(batch) == [("students.csv", 2, "student_id")]
    assert_discloses_nothing(batch)


@pytest.mark.django_db
def test_a_gemeente_enrols_its_resident_at_a_school_elsewhere_named_as_registered(tmp_path, world):
    batch = run(tmp_path, world["groningen"], **at_de_eik("N4", "GM0014"))
    assert batch.state == ImportBatch.State.DONE, batch.problems
    assert batch.counts["schools.csv"]["unchanged"] == 1


@pytest.mark.django_db
def test_a_gemeente_cannot_enrol_a_non_resident_at_a_school_elsewhere(tmp_path, world):
    batch = refused(tmp_path, world["groningen"], **at_de_eik("N5", "GM0034"))
    assert problems(batch) == [("students.csv", 2, "student_id"), ("enrolments.csv", 2, "brin")]
    assert not Student.objects.filter(external_id="N5").exists()


# -- a re-import covers the period of its files ----------------------------------------------------

#: Anna (S1) after she left school 12AB on 31 July 2024 and moved to Almere, as a later file says
ANNA_LEFT = {
    "schools": SCHOOL_ROW,
    "students": ANNA.replace("GM0014", "GM0034"),
    "enrolments": "S1,12AB,2016-08-01,2024-07-31\n",
    "absences": "S1,2024-03-11,2024-03-11,ongeoorloofd,2\n",
}


@pytest.fixture
def anna_left(tmp_path, world):
    """The later file imported by Groningen: S1 is no longer in anyone's scope today."""
    batch = run(tmp_path, world["groningen"], **ANNA_LEFT)
    assert batch.state == ImportBatch.State.DONE, batch.problems
    anna = Student.objects.get(external_id="S1")
    assert anna.municipality_code == "GM0034"
    assert not Enrolment.objects.filter(student=anna, end_date__isnull=True).exists()
    return anna


@pytest.mark.django_db
def test_a_gemeente_reimports_the_files_of_a_pupil_who_left_and_moved_away(
    tmp_path, world, anna_left
):
    again = run(tmp_path, world["groningen"], **ANNA_LEFT)
    assert again.state == ImportBatch.State.DONE, again.problems
    assert again.counts["students.csv"]["unchanged"] == 1


@pytest.mark.django_db
def test_the_earlier_files_cannot_bring_a_former_pupil_back(tmp_path, world, anna_left):
    """The earlier files say S1 lives in Groningen and is still at 12AB: that would make her
    Groningen's today again, which no file of Groningen's can decide."""
    earlier = import_exchange(
        source=write(tmp_path / "earlier", FILES), organisation=world["groningen"]
    )
    assert earlier.state == ImportBatch.State.REFUSED
    assert problems(earlier) == [("students.csv", 2, "student_id")]
    assert_discloses_nothing(earlier)
    assert Student.objects.get(external_id="S1").municipality_code == "GM0034"


@pytest.mark.django_db
def test_a_former_school_cannot_enrol_its_former_pupil_again(tmp_path, world, anna_left):
    """Her time at 12AB in the file, and a new enrolment there from now: the new one would give
    the school sight of her again (she is no longer its pupil)."""
    rows = {
        **ANNA_LEFT,
        "enrolments": "S1,12AB,2016-08-01,2024-07-31\nS1,12AB,2026-09-01,\n",
    }
    batch = refused(tmp_path, world["school"], **rows)
    assert problems(batch) == [("students.csv", 2, "student_id")]
    assert_discloses_nothing(batch)
    assert Enrolment.objects.filter(student=anna_left).count() == 1


@pytest.mark.django_db
def test_a_school_reimports_its_former_pupil_for_her_time_there(tmp_path, world, anna_left):
    batch = run(tmp_path, world["school"], **ANNA_LEFT)
    assert batch.state == ImportBatch.State.DONE, batch.problems


@pytest.mark.django_db
@pytest.mark.parametrize(
    "importer",
    [
        pytest.param("school", id="her-former-school"),
        pytest.param("groningen", id="her-former-gemeente"),
        pytest.param("swv", id="the-former-samenwerkingsverband"),
    ],
)
def test_a_former_pupil_is_refused_for_a_time_after_she_left(tmp_path, world, anna_left, importer):
    after = {**ANNA_LEFT, "enrolments": ANNA_AT_12AB.replace("2016-08-01", "2025-08-01")}
    after["absences"] = "S1,2025-09-01,2025-09-01,ongeoorloofd,2\n"
    batch = refused(tmp_path, world[importer], **after)
    assert problems(batch) == [("students.csv", 2, "student_id")]
    assert_discloses_nothing(batch)


@pytest.mark.django_db
def test_another_school_is_refused_a_former_pupil_for_her_time_at_12ab(tmp_path, world, anna_left):
    """The period is the pupil's at the importer's own schools, not anyone's."""
    other = Organisation.objects.get(type=OrganisationType.SCHOOL, code="34CD")
    rows = {**ANNA_LEFT, "schools": "34CD,Het Lyceum,vo,noord,GM0014,,SWV2002\n"}
    rows["enrolments"] = "S1,34CD,2016-08-01,2024-07-31\n"
    batch = refused(tmp_path, other, **rows)
    assert problems(batch) == [("students.csv", 2, "student_id")]


# -- finding 2: imports move schools --------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("importer", "schools", "problem", "school_stays"),
    [
        pytest.param(
            "groningen",
            OTHER_SCHOOL_ROW.replace("GM0034", "GM0014"),
            ("schools.csv", 2, "brin"),
            {"brin": "56EF", "municipality_code": "GM0034"},
            id="a-gemeente-cannot-move-another-gemeentes-school-into-its-municipality",
        ),
        pytest.param(
            "groningen",
            SCHOOL_ROW.replace("GM0014", "GM0034"),
            ("schools.csv", 2, "municipality"),
            {"brin": "12AB", "municipality_code": "GM0014"},
            id="a-gemeente-cannot-move-its-own-school-away",
        ),
        pytest.param(
            "swv",
            SCHOOL_ROW + OTHER_SCHOOL_ROW.replace("SWV3001", "SWV2001"),
            ("schools.csv", 3, "brin"),
            {"brin": "56EF", "partnership__code": "SWV3001"},
            id="a-samenwerkingsverband-cannot-claim-a-school",
        ),
        pytest.param(
            "swv",
            SCHOOL_ROW.replace("SWV2001", "SWV3001"),
            ("schools.csv", 2, "partnership"),
            {"brin": "12AB", "partnership__code": "SWV2001"},
            id="a-samenwerkingsverband-cannot-give-its-school-away",
        ),
    ],
)
def test_an_import_cannot_move_a_school(tmp_path, world, importer, schools, problem, school_stays):
    assert problems(refused(tmp_path, world[importer], schools=schools)) == [problem]
    assert School.objects.filter(**school_stays).exists()


@pytest.mark.django_db
def test_a_samenwerkingsverband_imports_its_member_schools(tmp_path, world):
    schools = SCHOOL_ROW.replace("De Linde", "De Linde (nieuw)")
    batch = run(tmp_path, world["swv"], schools=schools, students=ANNA, enrolments=ANNA_AT_12AB)
    assert batch.state == ImportBatch.State.DONE, batch.problems
    assert School.objects.get(brin="12AB").name == "De Linde (nieuw)"


# -- finding 3: messages disclose other children --------------------------------------------------


@pytest.mark.django_db
def test_a_bsn_held_by_another_child_is_refused_without_saying_whose(tmp_path, world):
    batch = run(
        tmp_path,
        world["groningen"],
        schools=SCHOOL_ROW,
        students=f"S9,2012-03-04,GM0014,{OTHER_BSN},,,,\nS8,2012-03-04,GM0014,123456782,,,,\n",
        enrolments="S9,12AB,2016-08-01,\nS8,12AB,2016-08-01,\n",
    )
    assert problems(batch) == [("students.csv", 2, "bsn"), ("students.csv", 3, "bsn")]
    for problem in batch.problems:  # neither the other municipality's child nor its own S3
        assert "X1" not in problem["message"]
        assert "S3" not in problem["message"]
    assert_discloses_nothing(batch)


@pytest.mark.django_db
def test_the_command_applies_the_same_checks(tmp_path, world):
    err = io.StringIO()
    directory = write(tmp_path / "cmd", files(schools=SCHOOL_ROW, **X1_HERE))
    with pytest.raises(CommandError) as caught:
        call_command(
            "import", str(directory), "--organisation", "12AB", stdout=io.StringIO(), stderr=err
        )
    assert caught.value.returncode == 2
    assert "students.csv:2: column student_id:" in err.getvalue()
    for secret in (OTHER_BSN, OTHER_NAME, "GM0034"):
        assert secret not in err.getvalue()
    assert Student.objects.get(external_id="X1").bsn == OTHER_BSN


# -- mixed good, bad and out-of-scope rows: one message per problem, nothing half-written ----------

#: row kinds for students.csv + enrolments.csv of school 12AB, and the problem each gives
GOOD, FOREIGN_ID, FOREIGN_BSN, BAD_DATE, FOREIGN_SCHOOL = (
    "good",
    "foreign id",
    "foreign bsn",
    "bad date",
    "foreign school",
)


def _row(kind: str, n: int) -> tuple[str, str, tuple[str, str] | None]:
    """(students.csv row, enrolments.csv row(s), (file, column) of its problem)."""
    new = f"F{n}"
    match kind:
        case "good":
            return f"{new},2014-01-01,GM0014,,,,,\n", f"{new},12AB,2020-08-01,\n", None
        case "foreign id":
            return X1_HERE["students"], X1_HERE["enrolments"], ("students", "student_id")
        case "foreign bsn":
            return (
                f"{new},2014-01-01,GM0014,{OTHER_BSN},,,,\n",
                f"{new},12AB,2020-08-01,\n",
                ("students", "bsn"),
            )
        case "bad date":
            return (
                f"{new},01-01-2014,GM0014,,,,,\n",
                f"{new},12AB,2020-08-01,\n",
                ("students", "birth_date"),
            )
    return (
        f"{new},2014-01-01,GM0014,,,,,\n",
        f"{new},12AB,2020-08-01,\n{new},56EF,2021-08-01,\n",
        ("enrolments", "brin"),
    )


@pytest.mark.django_db
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    kinds=st.lists(
        st.sampled_from([GOOD, FOREIGN_ID, FOREIGN_BSN, BAD_DATE, FOREIGN_SCHOOL]),
        min_size=1,
        max_size=6,
    ).filter(lambda kinds: kinds.count(FOREIGN_ID) <= 1 and kinds.count(FOREIGN_BSN) <= 1)
)
def test_mixed_rows_give_one_message_per_problem_and_nothing_half_written(world, kinds):
    students, enrolments, expected = "", "", []
    for n, kind in enumerate(kinds):
        student, enrolment, problem = _row(kind, n)
        students += student
        if problem is not None and problem[0] == "students":
            expected.append(("students.csv", n + 2, problem[1]))
        if problem is not None and problem[0] == "enrolments":
            line = 2 + enrolments.count("\n") + 1  # the second of its two rows
            expected.append(("enrolments.csv", line, problem[1]))
        enrolments += enrolment
    schools = SCHOOL_ROW + (OTHER_SCHOOL_ROW if FOREIGN_SCHOOL in kinds else "")
    if FOREIGN_SCHOOL in kinds:  # a school of another organisation is refused where it is named
        expected.append(("schools.csv", 3, "brin"))
    if BAD_DATE in kinds:  # files that cannot be read are refused before the database is asked
        expected = [e for e in expected if e[2] == "birth_date"]
    before = snapshot()
    with tempfile.TemporaryDirectory() as scratch:
        batch = run(
            Path(scratch),
            world["school"],
            schools=schools,
            students=students,
            enrolments=enrolments,
        )
    if not expected:
        assert batch.state == ImportBatch.State.DONE, batch.problems
        return
    assert batch.state == ImportBatch.State.REFUSED
    assert snapshot() == before
    assert sorted(problems(batch)) == sorted(expected)
    assert all(p["message"] for p in batch.problems)
    assert_discloses_nothing(batch)
