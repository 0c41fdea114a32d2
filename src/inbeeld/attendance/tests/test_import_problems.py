"""The import page shows the same problems as ``inbeeld analyse`` (issue 10, RULES.md §7): several
bad values in several files, each one listed by file, line and column, and nothing stored."""

from __future__ import annotations

import html
import re
import zipfile
from pathlib import Path

import pytest
from django.urls import reverse

from inbeeld.accounts.models import OrganisationType, Role
from inbeeld.attendance.models import ImportBatch
from inbeeld.attendance.tests.test_imports import FILES, MODELS, _login, _upload, snapshot, write
from inbeeld.attendance.tests.web_import import report_after
from inbeeld.cli import main
from inbeeld.people.models import School
from inbeeld.people.tests.factories import OrganisationFactory
from inbeeld.rules.exchange import ExchangeError, read_exchange

#: the base files with bad values: unknown reasons on three rows of absences.csv, a bad article
#: and a bad ``permanent`` in exemptions.csv, a bad and a negative hours_per_day in enrolments.csv
BAD = {
    **FILES,
    "enrolments.csv": (
        "student_id,brin,start_date,end_date,hours_per_day\n"
        "S1,12AB,2016-08-01,,vier\n"
        "S2,34CD,2022-08-01,,3\n"
        "S3,34CD,2021-08-01,2024-07-31,-2\n"
    ),
    "absences.csv": (
        "student_id,start_date,end_date,reason,hours_per_day\n"
        "S1,2024-10-07,2024-10-07,spijbelen,4\n"
        "S1,2024-10-14,2024-10-14,luxe,\n"
        "S2,2024-11-04,2024-11-08,vakantie,\n"
        "S2,2024-11-11,2024-11-11,11a,2\n"
        "S3,2024-03-04,2024-03-04,ZIEK,\n"
    ),
    "exemptions.csv": (
        "student_id,article,start_date,end_date,permanent\n"
        "S3,5a,2024-08-01,,misschien\n"
        "S2,5d,2024-08-01,,\n"
        "S1,5a_trekkend,2024-08-01,,true\n"
    ),
}

#: what the rules' reader says about them: (file, line, column) of every bad value
EXPECTED_PLACES = {
    ("enrolments.csv", 2, "hours_per_day"),
    ("enrolments.csv", 4, "hours_per_day"),
    ("absences.csv", 2, "reason"),
    ("absences.csv", 4, "reason"),
    ("absences.csv", 6, "reason"),
    ("exemptions.csv", 2, "permanent"),
    ("exemptions.csv", 3, "article"),
}

ROW = re.compile(
    r"<tr>\s*<td>(?P<file>[^<]*)</td>\s*<td>(?P<line>[^<]*)</td>\s*<td>(?P<column>[^<]*)</td>"
    r"\s*<td>(?P<message>[^<]*)</td>\s*</tr>"
)


def rules_problems(directory: Path) -> list[tuple[str, str, str, str]]:
    """The problems ``inbeeld analyse`` reports for the directory (it reads with read_exchange)."""
    with pytest.raises(ExchangeError) as caught:
        read_exchange(directory)
    return [(p.file, str(p.line), p.column, p.message) for p in caught.value.problems]


def shown_problems(page: str) -> list[tuple[str, str, str, str]]:
    return [
        tuple(html.unescape(m.group(name)) for name in ("file", "line", "column", "message"))
        for m in ROW.finditer(page)
    ]  # type: ignore[misc]


@pytest.fixture
def gemeente():
    return OrganisationFactory(
        type=OrganisationType.GEMEENTE, code="GM0014", name="Groningen", municipality_code="GM0014"
    )


def test_the_rules_reader_finds_every_bad_value(tmp_path, capsys):
    directory = write(tmp_path / "bad", BAD)
    problems = rules_problems(directory)
    # what `inbeeld analyse` prints: exit 2, one line per problem, nothing written
    assert (
        main(["analyse", str(directory), "--on", "2024-11-08", "--out", str(tmp_path / "o")]) == 2
    )
    printed = capsys.readouterr().err
    for file, line, column, message in problems:
        assert f"{file}:{line}: column {column}: {message}" in printed
    assert not (tmp_path / "o").exists()
    assert {(f, int(line), column) for f, line, column, _ in problems} == EXPECTED_PLACES
    assert len(problems) == len(EXPECTED_PLACES)
    messages = {(f, int(line)): message for f, line, _, message in problems}
    assert "spijbelen" in messages[("absences.csv", 2)]
    assert "5d" in messages[("exemptions.csv", 3)]


@pytest.mark.django_db
@pytest.mark.parametrize("how", ["files", "zip"])
def test_the_import_page_lists_every_problem_of_the_rules_reader(client, tmp_path, gemeente, how):
    expected = rules_problems(write(tmp_path / "bad", BAD))
    before = snapshot()
    _login(client, gemeente, Role.FUNCTIONEEL_BEHEERDER)
    if how == "zip":
        archive = tmp_path / "export.zip"
        with zipfile.ZipFile(archive, "w") as z:
            for name, content in BAD.items():
                z.writestr(name, content)
        uploads = [_upload("export.zip", archive.read_bytes())]
    else:
        uploads = [_upload(name, content.encode()) for name, content in BAD.items()]

    response = client.post(reverse("imports:page"), {"files": uploads})

    page = report_after(client, response)
    batch = ImportBatch.objects.get()
    assert batch.state == ImportBatch.State.REFUSED
    assert f"De bestanden bevatten {len(expected)} fouten. Er is niets opgeslagen." in page
    assert shown_problems(page) == expected  # the same list, in the same order
    assert snapshot() == before  # nothing stored
    assert not School.objects.exists()
    assert all(not model.objects.exists() for model in MODELS[1:])  # beside the organisations


@pytest.mark.django_db
def test_a_school_sees_the_same_list(client, tmp_path):
    """A school imports only its own school: with bad values the reader's problems come first
    and are all shown (nothing of the school's scope is checked on unreadable files)."""
    school = OrganisationFactory(type=OrganisationType.SCHOOL, code="12AB", name="De Linde")
    expected = rules_problems(write(tmp_path / "bad", BAD))
    _login(client, school, Role.SCHOOL_ZORGCOORDINATOR)
    uploads = [_upload(name, content.encode()) for name, content in BAD.items()]
    response = client.post(reverse("imports:page"), {"files": uploads})
    page = report_after(client, response)
    assert shown_problems(page) == expected
    assert ImportBatch.objects.get().state == ImportBatch.State.REFUSED
    assert not School.objects.exists()


@pytest.mark.django_db
def test_more_problems_than_the_command_line_shows_are_all_on_the_page(client, tmp_path, gemeente):
    """``str(ExchangeError)`` cuts its list at 100; the page lists all 150 unknown reasons."""
    rows = "".join(
        f"S1,2024-10-{1 + n % 28:02d},2024-10-{1 + n % 28:02d},weg{n},\n" for n in range(150)
    )
    files = {
        **FILES,
        "absences.csv": "student_id,start_date,end_date,reason,hours_per_day\n" + rows,
    }
    expected = rules_problems(write(tmp_path / "many", files))
    assert len(expected) == 150
    _login(client, gemeente, Role.FUNCTIONEEL_BEHEERDER)
    uploads = [_upload(name, content.encode()) for name, content in files.items()]
    response = client.post(reverse("imports:page"), {"files": uploads})
    page = report_after(client, response)
    assert shown_problems(page) == expected
    assert "De bestanden bevatten 150 fouten." in page
