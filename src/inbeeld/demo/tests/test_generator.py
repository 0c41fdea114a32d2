"""The demo generator: deterministic, valid exchange format v1 (RULES.md §6), sensible content."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import polars as pl
import pytest

from inbeeld.demo import DemoSummary, generate_demo_data
from inbeeld.demo.generator import make_bsns, make_onderwijsnummers
from inbeeld.rules.calendar import SchoolCalendar
from inbeeld.rules.duty import age_on
from inbeeld.rules.identifiers import is_valid_bsn, is_valid_onderwijsnummer
from inbeeld.rules.model import EXEMPTION_ARTICLES

ON = dt.date(2025, 3, 14)
N = 3_000
FILES = ("schools.csv", "students.csv", "enrolments.csv", "absences.csv", "exemptions.csv")
HEADERS = {
    "schools.csv": "brin,name,sector,region,municipality,hours_per_day,partnership",
    "students.csv": (
        "student_id,birth_date,municipality,region,startkwalificatie_date,"
        "kwalificatieplicht_exempt,bsn,onderwijsnummer,given_names,family_name,postcode"
    ),
    "enrolments.csv": "student_id,brin,start_date,end_date,hours_per_day",
    "absences.csv": "student_id,start_date,end_date,reason,hours_per_day",
    "exemptions.csv": "student_id,article,start_date,end_date,permanent",
}


def _digests(directory: Path) -> dict[str, str]:
    return {name: hashlib.sha256((directory / name).read_bytes()).hexdigest() for name in FILES}


def _read(directory: Path, name: str) -> pl.DataFrame:
    frame = pl.read_csv(directory / name, infer_schema_length=0)
    dates = [c for c in frame.columns if c.endswith("_date")]
    return frame.with_columns(pl.col(c).str.to_date("%Y-%m-%d") for c in dates)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, DemoSummary]:
    out = tmp_path_factory.mktemp("demo") / "a"
    messages: list[str] = []
    summary = generate_demo_data(out, students=N, seed=42, on=ON, progress=messages.append)
    assert messages
    return out, summary


def test_same_seed_same_bytes_other_seed_other_bytes(
    demo: tuple[Path, DemoSummary], tmp_path: Path
) -> None:
    out, summary = demo
    again = generate_demo_data(tmp_path / "b", students=N, seed=42, on=ON)
    assert _digests(out) == _digests(tmp_path / "b")
    assert again == summary
    other = generate_demo_data(tmp_path / "c", students=N, seed=43, on=ON)
    differ = [n for n in FILES if _digests(out)[n] != _digests(tmp_path / "c")[n]]
    assert set(differ) >= {"students.csv", "enrolments.csv", "absences.csv"}
    assert other.students == N


def test_headers_and_counts(demo: tuple[Path, DemoSummary]) -> None:
    out, summary = demo
    assert sorted(p.name for p in out.iterdir()) == sorted(FILES)  # no calendar.csv
    for name, header in HEADERS.items():
        with (out / name).open(encoding="utf-8") as fh:
            assert fh.readline().rstrip("\n") == header
    for name, count in summary.files.items():
        assert _read(out, name).height == count
    assert summary.students == N
    assert 3.0 <= summary.absences / N <= 4.0  # about 3.5 absence rows per student


def test_identifiers(demo: tuple[Path, DemoSummary]) -> None:
    students = _read(demo[0], "students.csv")
    assert students["student_id"].str.contains(r"^L[0-9]{7}$").all()
    assert students["student_id"].is_unique().all()
    bsn = students["bsn"].drop_nulls()
    onr = students["onderwijsnummer"].drop_nulls()
    assert bsn.len() + onr.len() == N  # exactly one of the two
    assert 0 < onr.len() < 0.03 * N
    assert all(is_valid_bsn(b) for b in bsn)
    assert all(is_valid_onderwijsnummer(o) for o in onr)
    assert bsn.is_unique().all()
    assert onr.is_unique().all()
    assert students["postcode"].str.contains(r"^[1-9][0-9]{3}[A-Z]{2}$").all()
    assert students["given_names"].null_count() == 0
    assert students["family_name"].null_count() == 0
    assert students["family_name"].str.contains(r"^(van|de|van der|van den|van de) ").any()
    assert students["municipality"].str.contains(r"^GM[0-9]{4}$").all()
    assert (students["municipality"] == "GM0014").mean() > 0.9
    schools = _read(demo[0], "schools.csv")
    assert schools["brin"].str.contains(r"^[0-9]{2}[A-Z]{2}$").all()
    assert schools["brin"].is_unique().all()
    assert set(schools["sector"]) == {"po", "so", "vo", "vso", "mbo"}
    assert set(schools["partnership"]) == {"SWV2001", "SWV2002"}


def test_vectorised_identifiers_pass_their_checks() -> None:
    import numpy as np

    rng = np.random.default_rng(0)
    bsns = make_bsns(rng, 5_000)
    assert len(set(bsns.tolist())) == 5_000
    assert all(is_valid_bsn(f"{b:09d}") for b in bsns)
    numbers = make_onderwijsnummers(rng, 2_000)
    assert all(is_valid_onderwijsnummer(str(x)) for x in numbers)


def test_references_and_dates(demo: tuple[Path, DemoSummary]) -> None:
    out = demo[0]
    students = _read(out, "students.csv")
    ids = set(students["student_id"])
    brins = set(_read(out, "schools.csv")["brin"])
    for name in ("enrolments.csv", "absences.csv", "exemptions.csv"):
        frame = _read(out, name)
        assert set(frame["student_id"]) <= ids, name
        ends = frame.filter(pl.col("end_date").is_not_null())
        assert (ends["end_date"] >= ends["start_date"]).all(), name
        assert frame["start_date"].null_count() == 0, name
    enrolments = _read(out, "enrolments.csv")
    assert set(enrolments["brin"]) <= brins
    assert (enrolments["start_date"] <= ON).all()
    absences = _read(out, "absences.csv")
    assert set(absences["reason"]) == {"ziek", "geoorloofd", "ongeoorloofd", "luxe", "11a"}
    assert (absences["start_date"].dt.weekday() <= 5).all()  # Monday=1 .. Friday=5
    assert (absences["end_date"] <= ON).all()
    assert (absences["start_date"] >= dt.date(2023, 8, 1)).all()
    hours = absences["hours_per_day"].drop_nulls().cast(pl.Int64)
    assert hours.min() >= 1
    assert hours.max() <= 4
    exemptions = _read(out, "exemptions.csv")
    assert set(exemptions["article"]) <= {"5a", "5b", "5c", "15", "3a", "3b", "5a_trekkend"}
    assert "5a" in set(exemptions["article"])


def test_ages_and_careers(demo: tuple[Path, DemoSummary]) -> None:
    out = demo[0]
    students = _read(out, "students.csv")
    births = students["birth_date"].to_list()
    ages = [age_on(b, ON) for b in births]
    assert min(ages) == 3
    assert max(ages) == 19
    first_enrolment = (
        _read(out, "enrolments.csv").group_by("student_id").agg(pl.col("start_date").min())
    )
    joined = students.join(first_enrolment, on="student_id")
    age_at_start = joined.select(
        (pl.col("start_date") - pl.col("birth_date")).dt.total_days() / 365.25
    ).to_series()
    assert age_at_start.min() >= 4.0  # from the 4th birthday on
    three = {s for s, a in zip(students["student_id"], ages, strict=True) if a == 3}
    assert not three & set(first_enrolment["student_id"])
    assert students["startkwalificatie_date"].drop_nulls().len() > 0
    assert students["kwalificatieplicht_exempt"].is_in(["true", "false"]).all()


def test_read_exchange_accepts_the_output(demo: tuple[Path, DemoSummary]) -> None:
    exchange = pytest.importorskip("inbeeld.rules.exchange")
    dataset = exchange.read_exchange(demo[0])
    assert dataset.students.height == N
    assert dataset.absences.height == demo[1].absences


def test_rates_seen_by_the_rules(demo: tuple[Path, DemoSummary], tmp_path: Path) -> None:
    """Planted thuiszitters and exemptions come out of the analysis as planted."""
    analyse = pytest.importorskip("inbeeld.rules.analyse")
    summary = analyse.run_analysis(demo[0], ON, tmp_path / "out")
    planted = demo[1].planted
    # RULES.md §7: 3a and 3b are vervangende leerplicht, no exemption
    exempt_now = sum(planted[f"vrijstelling_{a}"] for a in EXEMPTION_ARTICLES)
    assert summary.categories.get("vrijgesteld", 0) == exempt_now
    assert summary.categories.get("langdurig_relatief_verzuim", 0) == planted["lrv_ongoing"]
    av = summary.categories.get("absoluut_verzuim", 0)
    assert planted["absoluut_verzuim"] <= av <= planted["absoluut_verzuim"] + 3
    assert summary.meldingen_total.get("16_uur", 0) > 0
    assert summary.meldingen_total.get("lrv", 0) > 0
    # one luxe_verzuim melding per luxe row (RULES.md §7: at once, regardless of the hours)
    assert summary.meldingen_total.get("luxe_verzuim", 0) == planted["luxe"] > 0


def test_the_v2_codes_and_columns_are_in_it(demo: tuple[Path, DemoSummary]) -> None:
    """RULES.md §7: luxe rows at a vacation, 11a rows of five-year-olds, 3a/3b, 5a_trekkend, a
    permanent 5 onder a, art. 15 only for children past their leerplicht, part-time enrolments."""
    out, summary = demo
    planted = summary.planted
    calendar = SchoolCalendar()
    absences = _read(out, "absences.csv")
    students = _read(out, "students.csv").select("student_id", "birth_date")
    luxe = absences.filter(pl.col("reason") == "luxe")
    assert luxe.height == planted["luxe"] > 0
    for first, last in luxe.select("start_date", "end_date").iter_rows():
        assert (last - first).days <= 3  # one or two school days (a weekend between)
        before, after = first - dt.timedelta(days=1), last + dt.timedelta(days=1)
        # next to a vacation: a weekday that is no school day within a week on either side
        near = [before - dt.timedelta(days=k) for k in range(7)]
        near += [after + dt.timedelta(days=k) for k in range(7)]
        assert any(d.weekday() < 5 and not calendar.is_school_day("noord", d) for d in near), (
            first,
            last,
        )
    leave = absences.filter(pl.col("reason") == "11a").join(students, on="student_id")
    assert leave.select("student_id").n_unique() == planted["leave_11a"] > 0
    for born, day in leave.select("birth_date", "end_date").iter_rows():
        six = born.replace(year=born.year + 6) if (born.month, born.day) != (2, 29) else None
        assert six is None or day < six  # five (or four) on the day
    assert planted["leave_11a_over_10_hours"] >= 1
    exemptions = _read(out, "exemptions.csv")
    articles = set(exemptions["article"])
    assert {"3a", "3b", "5a_trekkend", "15", "5a"} <= articles
    assert planted["vrijstelling_3a"] >= 1
    assert planted["vrijstelling_3b"] >= 1
    permanent = exemptions.filter(pl.col("permanent") == "true")
    assert set(permanent["article"]) == {"5a"}
    assert permanent.height == planted["vrijstelling_5a_permanent"] >= 1
    # art. 15 only from the kwalificatieplicht on: after 31 July of the year of the 16th birthday
    fifteen = exemptions.filter(pl.col("article") == "15").join(students, on="student_id")
    for born, start in fifteen.select("birth_date", "start_date").iter_rows():
        assert start > dt.date(born.year + 16 + (born.month >= 8), 7, 31)
    enrolments = _read(out, "enrolments.csv")
    part_time = enrolments.filter(pl.col("hours_per_day").is_not_null())
    assert part_time.height == planted["part_time"] > 0
    assert set(part_time["hours_per_day"].cast(pl.Int64)) <= {2, 3, 4}
    assert part_time["end_date"].is_null().all()


@pytest.mark.parametrize("on", [dt.date(2024, 9, 2), dt.date(2028, 2, 29), dt.date(2023, 7, 30)])
def test_other_dates_and_tiny_sizes(tmp_path: Path, on: dt.date) -> None:
    for n in (1, 40):
        summary = generate_demo_data(tmp_path / f"{n}", students=n, seed=1, on=on, region="zuid")
        assert summary.students == n


def test_bad_arguments(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        generate_demo_data(tmp_path, students=10, seed=1, on=ON, region="oost")
    with pytest.raises(ValueError):
        generate_demo_data(tmp_path, students=10, seed=1, on=ON, municipality="0014")
    with pytest.raises(ValueError):
        generate_demo_data(tmp_path, students=0, seed=1, on=ON)
