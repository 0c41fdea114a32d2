"""A realistic synthetic Dutch municipality in exchange format v1 (RULES.md §6), fast.

Writes schools.csv, students.csv, enrolments.csv, absences.csv and exemptions.csv (no calendar.csv:
the built-in school calendar applies). Everything is vectorised with numpy and written with Polars;
Faker (``nl_NL``, seeded) only fills small pools of names, places and street-like names that are
sampled by index. The same seed and arguments give byte-identical files.

Rates (shares of all generated students, ages 3–19), taken from the national figures in
``/work/shared/domain/DOMAIN.md`` (OCW leerplichttelling, about 2.5 million pupils of compulsory
school age):

* absoluut verzuim 0.30 % (4,515–10,240 nationally = 0.2–0.4 %), of which 31 % longer than three
  months (2015/16: 1,602 of 5,101);
* langdurig relatief verzuim still running on the reference date 0.17 % (3,246–4,287 = 0.13–0.17 %),
  of which 55 % longer than three months (2015/16: 2,592 of 4,287), so thuiszitters over three
  months come to about 0.19 % (4,194–4,790 = 0.17–0.19 %); 0.25 % more had an LRV run earlier;
* vrijstelling 5a 0.25 % (5,537–7,389 = 0.22–0.30 %), usually not enrolled during it; smaller
  numbers of 5b (0.03 %), 5c (0.05 %), 15 (0.03 %), 3a and 3b (0.01 % each);
* a few % change school mid-year, 3 % truants reach the 16-hour report, about 2 % are often or long
  sick (MAZL), 1 % have an onderwijsnummer instead of a BSN, 1 % are exempt from kwalificatieplicht
  (praktijkonderwijs, VSO); about 3.5 absence rows per student.

The codes and columns of RULES.md §7 (v2) are in it too: 0.4 % have luxe verzuim (``luxe``) on the
last school days before a vacation or the first after it; a quarter of the five-year-olds have
``11a`` hours (a few more than ten in a week); 3a and 3b (vervangende leerplicht, still enrolled)
and 5a_trekkend (0.02 % each); art. 15 only for children under kwalificatieplicht; a 5 onder a
without an end date is ``permanent`` for a child never at school and otherwise renewed for the
current school year (it lapses on 31 July); 0.4 % of the pupils follow a part-time timetable
(``hours_per_day`` 2–4 on their current enrolment, e.g. a return to school).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import polars as pl
from faker import Faker

from inbeeld.rules import identifiers
from inbeeld.rules.calendar import (
    REGION_CODES,
    REGIONS,
    SchoolCalendar,
    add_months_clipped,
    day_number,
    school_year_end,
    school_year_start,
)
from inbeeld.rules.periods import latest_since_over_three_months

# --- rates (see the module docstring; DOMAIN.md) ------------------------------------------------
RATE_ABSOLUUT_VERZUIM = 0.0030
SHARE_AV_OVER_3_MONTHS = 0.31
RATE_LRV_ONGOING = 0.0017
SHARE_LRV_OVER_3_MONTHS = 0.55
RATE_LRV_PAST = 0.0025
RATE_EXEMPTION = {
    "5a": 0.0025,
    "5b": 0.0003,
    "5c": 0.0005,
    "15": 0.0003,
    "3a": 0.0002,
    "3b": 0.0002,
    "5a_trekkend": 0.0002,
}
#: RULES.md §7 (v2): luxe verzuim, share of the students (one row of 1–2 days at a vacation)
RATE_LUXE = 0.004
#: RULES.md §7 (v2): share of the five-year-olds whose parents keep them home some hours (art. 11a)
SHARE_11A = 0.25
#: RULES.md §7 (v2): share of the students on a part-time timetable (enrolments hours_per_day)
RATE_PART_TIME = 0.004
RATE_EXEMPTION_PAST = 0.0006
RATE_SCHOOL_CHANGE = 0.03
RATE_TRUANT = 0.03
RATE_MAZL_LONG = 0.010
RATE_MAZL_FREQUENT = 0.008
RATE_ONDERWIJSNUMMER = 0.01
RATE_OTHER_MUNICIPALITY = 0.05
RATE_NO_REGION = 0.08
RATE_KWALIFICATIEPLICHT_EXEMPT = 0.01
RATE_SCHOOL_HOURS_SET = 0.12
ABSENCE_ROWS_PER_STUDENT = 3.5
#: Pupils per school, by sector (po 220, vo 1,000, mbo 5,000; so/vso/praktijkonderwijs small).
PUPILS_PER_SCHOOL = {"po": 220, "so": 120, "vo": 1000, "pro": 300, "vso": 150, "mbo": 5000}
PARTNERSHIP = {
    "po": "SWV2001",
    "so": "SWV2001",
    "vo": "SWV2002",
    "vso": "SWV2002",
    "mbo": "SWV2002",
}

OPEN = 10_000_000  # day number far in the future: "no end date"
REASONS = ("ongeoorloofd", "ziek", "geoorloofd", "luxe", "11a")
UNEXCUSED, SICK, EXCUSED, LUXE, FIVE_YEAR_OLD_LEAVE = 0, 1, 2, 3, 4
ARTICLES = ("5a", "5b", "5c", "15", "3a", "3b", "5a_trekkend")
#: the articles that exempt (RULES.md §7: 3a and 3b are vervangende leerplicht)
EXEMPTING = ("5a", "5b", "5c", "15", "5a_trekkend")
# school lists (a pupil's track picks a list; praktijkonderwijs schools are sector vo)
PO, SO, VO, PRO, VSO, MBO = range(6)
LIST_SECTOR = ("po", "so", "vo", "vo", "vso", "mbo")
# secondary tracks
VMBO, HAVO, VWO, PRAKTIJK, VSO_TRACK = range(5)

NEIGHBOURS = {"GM0014": ("GM1966", "GM1969", "GM1952", "GM1730", "GM1979")}
WIJKEN = {
    "GM0014": (
        "Vinkhuizen",
        "Selwerd",
        "Paddepoel",
        "Lewenborg",
        "Beijum",
        "Hoogkerk",
        "Helpman",
        "De Wijert",
        "Oosterpark",
        "Schildersbuurt",
        "Korrewegwijk",
        "De Hoogte",
        "Oranjewijk",
        "Zeeheldenbuurt",
        "Corpus den Hoorn",
        "Haren",
        "Ten Boer",
        "Meerstad",
        "Reitdiep",
        "Hoornse Meer",
        "Rivierenbuurt",
        "Herewegbuurt",
        "De Held",
        "Gravenburg",
        "Europapark",
    )
}
POSTCODE_AREAS = {"GM0014": tuple(range(9711, 9748))}

PO_PREFIXES = (
    ("Obs", 0.35),
    ("Cbs", 0.28),
    ("Rkbs", 0.08),
    ("Basisschool", 0.12),
    ("Ikc", 0.09),
    ("Daltonschool", 0.03),
    ("Montessorischool", 0.025),
    ("Jenaplanschool", 0.025),
)
PO_NAMES = (
    "De Regenboog",
    "De Zonnewijzer",
    "Het Kompas",
    "De Wegwijzer",
    "De Vlinder",
    "Het Palet",
    "De Springplank",
    "De Fontein",
    "De Sterrenwachter",
    "Het Startpunt",
    "De Tamarisk",
    "De Wingerd",
    "De Kameleon",
    "De Klimop",
    "Het Mozaïek",
    "De Kleine Wereld",
    "De Bolster",
    "De Borgh",
    "De Driesprong",
    "De Octopus",
    "De Wilgenborg",
    "Het Kinderrijk",
    "De Ploeg",
    "De Vuurvlinder",
    "De Petteflet",
    "Het Baken",
    "De Brink",
    "De Til",
    "Het Tij",
    "De Meander",
    "De Boomgaard",
    "De Horizon",
    "De Bron",
    "De Zeester",
    "De Windroos",
    "Het Anker",
    "De Kiem",
    "Prinses Beatrix",
    "Koningin Juliana",
    "Annie M.G. Schmidt",
    "Oranje Nassau",
    "De Zevensprong",
    "Het Lichtbaken",
    "De Tweemaster",
    "De Wiekslag",
    "De Kring",
    "De Tjotter",
    "De Dobbelsteen",
    "De Triangel",
    "Het Karrewiel",
    "De Notenkraker",
    "De Toermalijn",
    "Het Talent",
    "De Ster",
)
VO_NAMES = (
    "CSG Het Noordik",
    "Praedinius Gymnasium",
    "Zernike College",
    "Willem Lodewijk Gymnasium",
    "Maartenscollege",
    "Dollard College",
    "Gomarus College",
    "Werkmancollege",
    "Harens Lyceum",
    "Kamerlingh Onnes",
    "Montessori Lyceum",
    "CSG Augustinus",
    "OSG De Borgen",
    "RSG Wolfsbos",
    "CSG Wessel Gansfort",
    "Linde College",
    "Nassau College",
    "Dr. Nassau College",
    "Het Hooghuis",
    "Esdal College",
    "Terra Lyceum",
    "Winkler Prins",
    "Stedelijk Gymnasium",
    "Het Erasmus",
    "Kandinsky College",
    "Het Lyceum",
    "De Nieuwe Veste",
    "Vincent van Gogh",
    "CSG Liudger",
    "Ubbo Emmius",
    "Gorecht College",
    "Leonardo College",
)
PRO_NAMES = (
    "Praktijkschool De Linie",
    "Praktijkschool Het Rhedens",
    "Praktijkschool Noord",
    "Praktijkschool De Atlas",
    "Praktijkschool Het Trajectum",
    "Praktijkonderwijs De Boog",
)
SO_NAMES = (
    "SO De Ambelt",
    "Mytylschool De Brug",
    "SO Het Ravelijn",
    "Tyltylschool De Twinkeling",
    "SO Prins Johan Friso",
    "SO De Kroonappel",
    "SO Het Kompas",
    "SO Tjalling Halbertsma",
    "SO De Sterrenboog",
    "SO De Windroos",
)
VSO_NAMES = (
    "VSO De Ambelt",
    "VSO Het Ravelijn",
    "VSO Prins Johan Friso",
    "VSO De Kroonappel",
    "VSO Het Kompas",
    "VSO De Sterrenboog",
    "VSO Mytylschool De Brug",
    "VSO De Windroos",
)
MBO_NAMES = (
    "Noorderpoort mbo",
    "Alfa-college",
    "Terra mbo",
    "Drenthe College",
    "Menso Alting mbo",
    "ROC Friese Poort",
    "Nordwin College",
    "Deltion College",
    "Graafschap College",
    "Firda",
)
SCHOOL_HOURS = {"po": (5.5, 6.0), "so": (5.5,), "vo": (6.5, 7.0), "vso": (5.5,), "mbo": (5.0, 7.0)}


@dataclass(frozen=True)
class DemoSummary:
    """Row counts per written file, plus the numbers of planted cases (for reports)."""

    schools: int
    students: int
    enrolments: int
    absences: int
    exemptions: int
    planted: dict[str, int] = field(default_factory=dict)

    @property
    def files(self) -> dict[str, int]:
        return {
            "schools.csv": self.schools,
            "students.csv": self.students,
            "enrolments.csv": self.enrolments,
            "absences.csv": self.absences,
            "exemptions.csv": self.exemptions,
        }


# --- date helpers (day numbers since 1970-01-01, numpy) ----------------------------------------
def _ymd_to_days(year, month, day) -> np.ndarray:
    """Day numbers of (year, month, day); months may overflow, days too (29 Feb → 1 Mar)."""
    months = (np.asarray(year, np.int64) - 1970) * 12 + (np.asarray(month, np.int64) - 1)
    first = months.astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)
    return first + np.asarray(day, np.int64) - 1


def _days_to_ymd(days: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    d = np.asarray(days, np.int64).astype("datetime64[D]")
    months = d.astype("datetime64[M]")
    m_int = months.astype(np.int64)
    dom = (d - months.astype("datetime64[D]")).astype(np.int64) + 1
    return m_int // 12 + 1970, m_int % 12 + 1, dom


def _age_on(days: np.ndarray, on: dt.date) -> np.ndarray:
    y, m, d = _days_to_ymd(days)
    return on.year - y - ((on.month * 100 + on.day) < (m * 100 + d))


def _uniform_int(rng: np.random.Generator, lo, hi) -> np.ndarray:
    """Uniform integers in [lo, hi] (arrays), hi < lo gives lo."""
    lo = np.asarray(lo, np.int64)
    width = np.maximum(np.asarray(hi, np.int64) - lo + 1, 1)
    return lo + np.floor(rng.random(lo.shape) * width).astype(np.int64)


def _pick(rng: np.random.Generator, candidates: np.ndarray, k: int) -> np.ndarray:
    k = min(int(k), candidates.size)
    if k <= 0:
        return np.empty(0, np.int64)
    return np.sort(rng.choice(candidates, size=k, replace=False))


def _count(rate: float, n: int) -> int:
    k = round(rate * n)
    return 1 if k == 0 and rate * n >= 0.25 else k


# --- identity numbers -------------------------------------------------------------------------
_BSN_WEIGHTS = np.array(identifiers.WEIGHTS[:8], dtype=np.int64)


def _digits(numbers: np.ndarray, count: int) -> np.ndarray:
    powers = 10 ** np.arange(count - 1, -1, -1, dtype=np.int64)
    return (numbers[:, None] // powers) % 10


def _unique_in_order(values: np.ndarray) -> np.ndarray:
    _, first = np.unique(values, return_index=True)
    return values[np.sort(first)]


def make_bsns(rng: np.random.Generator, k: int) -> np.ndarray:
    """``k`` unique 9-digit BSNs passing the 11-proef (9·d1 + … + 2·d8 − d9 ≡ 0 mod 11)."""
    found = np.empty(0, np.int64)
    while found.size < k:
        prefixes = rng.integers(11_000_000, 70_000_000, int((k - found.size) * 1.2) + 64)
        check = (_digits(prefixes, 8) @ _BSN_WEIGHTS) % 11
        ok = check <= 9
        found = _unique_in_order(np.concatenate([found, prefixes[ok] * 10 + check[ok]]))
    return found[:k]


def make_onderwijsnummers(rng: np.random.Generator, k: int) -> np.ndarray:
    """``k`` unique onderwijsnummers: 9 digits starting with 10, weighted sum ≡ 5 mod 11."""
    found = np.empty(0, np.int64)
    while found.size < k:
        middle = rng.integers(0, 1_000_000, int((k - found.size) * 1.2) + 64)
        total = 9 * 1 + 8 * 0 + _digits(middle, 6) @ _BSN_WEIGHTS[2:]
        check = (total - identifiers.ONDERWIJSNUMMER_REMAINDER) % 11
        ok = check <= 9
        found = _unique_in_order(np.concatenate([found, 100_000_000 + middle[ok] * 10 + check[ok]]))
    return found[:k]


# --- pools ------------------------------------------------------------------------------------
def _neighbours(municipality: str) -> tuple[str, ...]:
    if municipality in NEIGHBOURS:
        return NEIGHBOURS[municipality]
    number = int(municipality[2:])
    return tuple(f"GM{(number + 7 * k) % 10000:04d}" for k in range(1, 5))


def _postcode_pool(rng: np.random.Generator, areas: Sequence[int]) -> list[str]:
    letters = [chr(65 + i) for i in range(26)]
    pairs = [a + b for a in letters for b in letters if a + b not in ("SA", "SD", "SS")]
    pool = []
    for area in areas:
        chosen = rng.choice(len(pairs), size=40, replace=False)
        pool.extend(f"{area}{pairs[i]}" for i in np.sort(chosen))
    return pool


@dataclass
class _Pools:
    given: pl.Series
    family: pl.Series
    postcode_own: pl.Series
    postcode_other: pl.Series
    wijken: list[str]


def _pools(faker: Faker, rng: np.random.Generator, municipality: str) -> _Pools:
    singles = [faker.first_name() for _ in range(2000)]
    doubles = [f"{faker.first_name()} {faker.first_name()}" for _ in range(500)]
    family = [faker.last_name() for _ in range(3000)]
    if municipality in POSTCODE_AREAS:
        own = POSTCODE_AREAS[municipality]
    else:
        base = 1000 + (int(municipality[2:]) * 97) % 8800
        own = tuple(range(base, base + 36))
    other = tuple(range(own[-1] + 3, own[-1] + 3 + 20))
    if municipality in WIJKEN:
        wijken = list(WIJKEN[municipality])
    else:
        wijken = sorted({faker.city() for _ in range(40)})
    return _Pools(
        given=pl.Series(singles + doubles),
        family=pl.Series(family),
        postcode_own=pl.Series(_postcode_pool(rng, own)),
        postcode_other=pl.Series(_postcode_pool(rng, [a % 10000 for a in other])),
        wijken=wijken,
    )


# --- schools ----------------------------------------------------------------------------------
def _school_names(rng: np.random.Generator, list_id: int, k: int, wijken: list[str]) -> list[str]:
    if list_id == PO:
        weights = np.array([w for _, w in PO_PREFIXES])
        prefixes = rng.choice(len(PO_PREFIXES), size=k, p=weights / weights.sum())
        bases = rng.integers(0, len(PO_NAMES), k)
        raw = [f"{PO_PREFIXES[p][0]} {PO_NAMES[b]}" for p, b in zip(prefixes, bases, strict=True)]
    else:
        names = {SO: SO_NAMES, VO: VO_NAMES, PRO: PRO_NAMES, VSO: VSO_NAMES, MBO: MBO_NAMES}[
            list_id
        ]
        raw = [names[i % len(names)] for i in range(k)]
    used: set[str] = set()
    out = []
    wijk_order = rng.permutation(len(wijken))
    for i, name in enumerate(raw):
        candidate = name
        j = 0
        while candidate in used:
            wijk = wijken[wijk_order[(i + j) % len(wijken)]]
            candidate = (
                f"{name} {wijk}" if j < len(wijken) else f"{name} {wijk} {j // len(wijken) + 1}"
            )
            j += 1
        used.add(candidate)
        out.append(candidate)
    return out


@dataclass
class _Schools:
    frame: pl.DataFrame
    offset: np.ndarray  # first global index per list
    size: np.ndarray  # schools per list
    cumweight: list[np.ndarray]  # cumulative size weights per list

    def pick(self, rng: np.random.Generator, list_id: int, k: int) -> np.ndarray:
        cw = self.cumweight[list_id]
        local = np.searchsorted(cw, rng.random(k) * cw[-1], side="right")
        return self.offset[list_id] + np.minimum(local, self.size[list_id] - 1)


def _schools(
    rng: np.random.Generator,
    counts: Sequence[int],
    region: str,
    municipality: str,
    wijken: list[str],
) -> _Schools:
    total = int(sum(counts))
    codes = rng.choice(100 * 26 * 26, size=total, replace=False)
    letters = [chr(65 + i) for i in range(26)]
    brins = [f"{c // 676:02d}{letters[(c % 676) // 26]}{letters[c % 26]}" for c in codes.tolist()]
    names: list[str] = []
    sectors: list[str] = []
    hours: list[float | None] = []
    cumweight = []
    for list_id, k in enumerate(counts):
        sector = LIST_SECTOR[list_id]
        names += _school_names(rng, list_id, k, wijken)
        sectors += [sector] * k
        set_hours = rng.random(k) < RATE_SCHOOL_HOURS_SET
        options = SCHOOL_HOURS[sector]
        picks = rng.integers(0, len(options), k)
        hours += [options[p] if s else None for s, p in zip(set_hours, picks, strict=True)]
        cumweight.append(np.cumsum(rng.lognormal(0.0, 0.5, k)))
    frame = pl.DataFrame(
        {
            "brin": brins,
            "name": names,
            "sector": sectors,
            "region": [region] * total,
            "municipality": [municipality] * total,
            "hours_per_day": pl.Series(hours, dtype=pl.Float64),
            "partnership": [PARTNERSHIP[s] for s in sectors],
        }
    )
    counts_arr = np.asarray(counts, np.int64)
    offset = np.concatenate([[0], np.cumsum(counts_arr)[:-1]])
    return _Schools(frame, offset, counts_arr, cumweight)


# --- the generator ----------------------------------------------------------------------------
@dataclass(frozen=True)
class _Run:
    """What every step knows: the size, the reference date and the day numbers that follow from
    it, the random streams (one per concern, each drawn from in a fixed order) and the counts of
    planted cases (filled in as the steps plant them, in the order the summary lists them)."""

    n: int
    on: dt.date
    region: str
    municipality: str
    on_n: int
    sy_start: dt.date
    period_start: int  # absences from here
    on_m3: int  # since ≤ this: over 3 months (§7)
    sy_end_n: int
    r_people: np.random.Generator
    r_career: np.random.Generator
    r_school: np.random.Generator
    r_switch: np.random.Generator
    r_target: np.random.Generator
    r_abs: np.random.Generator
    r_ids: np.random.Generator
    r_pool: np.random.Generator
    r_v2: np.random.Generator
    planted: dict[str, int] = field(default_factory=dict)

    @classmethod
    def start(
        cls, *, students: int, seed: int, on: dt.date, region: str, municipality: str
    ) -> _Run:
        """The run for these arguments: nine random streams spawned from ``seed``."""
        streams = np.random.SeedSequence(seed).spawn(9)
        rngs = [np.random.default_rng(s) for s in streams]
        sy_start = school_year_start(on)
        return cls(
            int(students),
            on,
            region,
            municipality,
            day_number(on),
            sy_start,
            day_number(sy_start.replace(year=sy_start.year - 1)),
            day_number(latest_since_over_three_months(on)),
            day_number(school_year_end(on)),
            *rngs,
        )


@dataclass
class _Births:
    """The children's ages and birth dates, and the days that follow from them."""

    age: np.ndarray
    birth: np.ndarray
    y: np.ndarray  # birth year, month and day
    m: np.ndarray
    b4: np.ndarray  # 4th, 6th and 18th birthdays
    b6: np.ndarray
    b18: np.ndarray
    lp_end16: np.ndarray  # 31 July of the school year of the 16th birthday
    lp_start: np.ndarray  # first of the month after the 5th birthday


@dataclass
class _SchoolDays:
    """The region's school calendar as day numbers: the first school day on or after each 4th
    birthday, and the school days from a little before the absence period up to the reference
    date with the positions of the reference date and of the three-months bound in them."""

    po_start: np.ndarray
    days: np.ndarray
    j_on: int
    j_m3: int


@dataclass
class _Careers:
    """Each child's school career: primary (or special) school, secondary track, mbo, the
    startkwalificatie and the kwalificatieplicht exemption."""

    so_primary: np.ndarray
    track: np.ndarray
    po_end: np.ndarray
    vo_start: np.ndarray
    vo_end: np.ndarray
    has_mbo: np.ndarray
    mbo_start: np.ndarray
    mbo_end: np.ndarray
    sk: np.ndarray
    exempt: np.ndarray


@dataclass
class _Segments:
    """Enrolment rows: student, school, school list, first and last day, hours per day (0: the
    school's)."""

    stu: np.ndarray
    sch: np.ndarray
    lst: np.ndarray
    start: np.ndarray
    end: np.ndarray
    hours: np.ndarray | None = None


@dataclass
class _Exemptions:
    """Exemption rows as they are planted (student, article, first and last day, permanent)."""

    stu: list[np.ndarray] = field(default_factory=list)
    art: list[np.ndarray] = field(default_factory=list)
    start: list[np.ndarray] = field(default_factory=list)
    end: list[np.ndarray] = field(default_factory=list)
    permanent: list[np.ndarray] = field(default_factory=list)

    def add(
        self,
        who: np.ndarray,
        article: str,
        begin: np.ndarray,
        end: np.ndarray,
        permanent: np.ndarray | None = None,
    ) -> None:
        self.stu.append(who)
        self.art.append(np.full(who.size, ARTICLES.index(article), np.int8))
        self.start.append(begin)
        self.end.append(np.maximum(end, begin))
        self.permanent.append(np.zeros(who.size, bool) if permanent is None else permanent)


@dataclass
class _Absences:
    """Absence rows as they are planted, over school-day positions: each child's window of school
    days in view (``i_lo`` … ``i_hi``, ``nsd`` days) while enrolled."""

    school_days: np.ndarray
    i_lo: np.ndarray
    i_hi: np.ndarray
    nsd: np.ndarray
    stu: list[np.ndarray] = field(default_factory=list)
    start: list[np.ndarray] = field(default_factory=list)
    end: list[np.ndarray] = field(default_factory=list)
    reason: list[np.ndarray] = field(default_factory=list)
    hours: list[np.ndarray] = field(default_factory=list)

    def add(self, stu, first, last, reason, hours) -> None:
        """Rows from school day ``first`` to ``last`` (positions), hours -1: whole days."""
        size = stu.size
        self.stu.append(stu)
        self.start.append(self.school_days[first])
        self.end.append(self.school_days[last])
        self.reason.append(np.broadcast_to(np.asarray(reason, np.int8), size))
        self.hours.append(np.broadcast_to(np.asarray(hours, np.int8), size))

    def spells(
        self, ra: np.random.Generator, stu: np.ndarray, length: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """A spell of ``length`` school days (at most the window) somewhere in each window."""
        nsd, i_lo = self.nsd, self.i_lo
        length = np.minimum(length, nsd[stu])
        first = i_lo[stu] + np.floor(ra.random(stu.size) * (nsd[stu] - length + 1)).astype(np.int64)
        return first, first + length - 1


def generate_demo_data(
    outdir: Path,
    *,
    students: int,
    seed: int,
    on: dt.date,
    region: str = "noord",
    municipality: str = "GM0014",
    progress: Callable[[str], None] | None = None,
) -> DemoSummary:
    """Write a synthetic municipality of ``students`` children (ages 3–19 on ``on``) to ``outdir``."""
    if students < 1:
        raise ValueError("students must be at least 1")
    if region not in REGIONS:
        raise ValueError(f"unknown region {region!r}; expected one of {REGIONS}")
    if not re.fullmatch(r"GM\d{4}", municipality):
        raise ValueError(f"municipality must look like GM0014, not {municipality!r}")

    def say(message: str) -> None:
        if progress is not None:
            progress(message)

    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    run = _Run.start(students=students, seed=seed, on=on, region=region, municipality=municipality)
    faker = Faker("nl_NL")
    faker.seed_instance(seed)

    say("pools")
    pools = _pools(faker, run.r_pool, municipality)
    say(f"students ({run.n:,})")
    births = _births(run)
    say("careers")
    days = _school_days(run, births)
    careers = _careers(run, births, days)
    say("schools")
    schools = _schools(
        run.r_school, _school_counts(births, careers), region, municipality, pools.wijken
    )
    say("enrolments")
    segments = _school_changes(run, _enrolment_segments(run, careers, days, schools), schools)
    cur_start, first_start = _current_and_first_start(run.n, segments)

    say("exemptions and absoluut verzuim")
    cur_index = np.searchsorted(days.days, cur_start, side="left")
    duty_now = _under_duty_now(run, births, careers)
    chosen, rest = _choose_planted(run, births, days, duty_now, cur_start, cur_index)
    cut_at = np.full(run.n, OPEN, np.int64)  # enrolments end on this day (AV, exemptions)
    lower = np.maximum(births.lp_start + 30, first_start + 20)
    exemptions = _Exemptions()
    _absoluut_verzuim(run, chosen["av"], lower, cut_at)
    _vrijstelling_5a(run, births, chosen["5a"], lower, cut_at, exemptions)
    _vrijstelling_5b(births, chosen["5b"], cut_at, exemptions)
    _left_school_exemptions(run, births, chosen, lower, cut_at, exemptions)
    _vervangende_leerplicht(run, chosen, lower, exemptions)
    past = _past_exemptions(run, rest, lower, exemptions)
    for article in ARTICLES:
        run.planted[f"vrijstelling_{article}"] = int(chosen[article].size)
    run.planted["vrijstelling_past"] = int(past.size)
    segments = _end_enrolments(segments, cut_at)
    _part_time(run, segments, chosen["lrv"])

    say("absences")
    absences = _ongoing_lrv(run, births, segments, days, chosen["lrv"], cur_index)
    _past_lrv(run, absences, duty_now, chosen["lrv"])
    _truants(run, births, absences)
    _mazl(run, absences)
    _ordinary_absence(run, absences)
    _luxe_verzuim(run, births, absences, chosen["lrv"])
    _leave_11a(run, births, absences)

    say("writing")
    schools.frame.write_csv(outdir / "schools.csv")
    _write_students(run, outdir / "students.csv", births, careers, segments, pools)
    n_enrol = _write_enrolments(outdir / "enrolments.csv", segments, schools)
    n_exempt = _write_exemptions(outdir / "exemptions.csv", exemptions)
    n_abs = _write_absences(outdir / "absences.csv", absences)
    say("done")
    return DemoSummary(
        schools=schools.frame.height,
        students=run.n,
        enrolments=n_enrol,
        absences=n_abs,
        exemptions=n_exempt,
        planted=run.planted,
    )


# --- students and careers ---------------------------------------------------------------------
def _births(run: _Run) -> _Births:
    """Ages 3–19 on the reference date and birth dates to match (a few born on the 1st of a
    month or on 29 February)."""
    n, on, rp = run.n, run.on, run.r_people
    age = rp.integers(3, 20, n)
    lo_tab = np.array([day_number(add_months_clipped(on, -12 * (a + 1))) + 1 for a in range(21)])
    hi_tab = np.array([day_number(add_months_clipped(on, -12 * a)) for a in range(21)])
    birth = rp.integers(lo_tab[age], hi_tab[age] + 1)
    y, m, d = _days_to_ymd(birth)
    candidate = np.where(rp.random(n) < 0.02, birth - (d - 1), birth)  # born on the 1st
    leap = (y % 4 == 0) & ((y % 100 != 0) | (y % 400 == 0))
    candidate = np.where((rp.random(n) < 0.002) & leap, _ymd_to_days(y, 2, 29), candidate)
    birth = np.where(_age_on(candidate, on) == age, candidate, birth)
    birth = np.where(_age_on(birth, on) == age, birth, hi_tab[age] - 180)
    y, m, d = _days_to_ymd(birth)
    return _Births(
        age=age,
        birth=birth,
        y=y,
        m=m,
        b4=_ymd_to_days(y + 4, m, d),  # 29 Feb rolls to 1 Mar in common years
        b6=_ymd_to_days(y + 6, m, d),
        b18=_ymd_to_days(y + 18, m, d),
        # 31 July of the school year of the 16th birthday: leerplicht ends then at the latest
        lp_end16=_ymd_to_days(y + 16 + (m >= 8), 7, 31),
        lp_start=_ymd_to_days(y + 5, m + 1, 1),  # first of the month after the 5th birthday
    )


def _school_days(run: _Run, births: _Births) -> _SchoolDays:
    """The built-in school calendar of the region, from a week before the earliest 4th birthday
    to 400 days after the reference date."""
    calendar = SchoolCalendar()
    arrays = calendar.arrays(
        dt.date.fromordinal(dt.date(1970, 1, 1).toordinal() + int(births.b4.min()) - 7),
        run.on + dt.timedelta(days=400),
    )
    row = REGION_CODES.index(run.region)
    school_days = np.flatnonzero(arrays.school[row]) + arrays.offset
    school_days = school_days[(school_days >= run.period_start - 40) & (school_days <= run.on_n)]
    return _SchoolDays(
        po_start=arrays.next_school_day[row][births.b4 - arrays.offset],
        days=school_days,
        j_on=int(np.searchsorted(school_days, run.on_n, side="right")) - 1,
        j_m3=int(np.searchsorted(school_days, run.on_m3, side="right")) - 1,
    )


def _careers(run: _Run, births: _Births, days: _SchoolDays) -> _Careers:
    """Tracks (po or so; vmbo, havo, vwo, praktijkonderwijs or vso; mbo), when each stage ends,
    the startkwalificatie, and the older pupils of special tracks exempt from kwalificatieplicht."""
    n, on_n, rc = run.n, run.on_n, run.r_career
    age, y, m, b18 = births.age, births.y, births.m, births.b18
    so_primary = rc.random(n) < 0.02
    cum_po = np.cumsum([0.475, 0.25, 0.22, 0.035, 0.02])
    cum_so = np.cumsum([0.15, 0.0, 0.0, 0.25, 0.60])
    cum = np.where(so_primary[:, None], cum_so, cum_po)
    track = np.minimum((rc.random(n)[:, None] >= cum).sum(axis=1), VSO_TRACK)
    shift = rc.random(n)
    leave_year = y + 12 + (m >= 10) + (shift < 0.06) - (shift > 0.99)
    po_end = _ymd_to_days(leave_year, 7, 31)
    vo_start = po_end + 1
    repeat = (rc.random(n) < 0.15).astype(np.int64)
    to_mbo = ((track == HAVO) | (track == VWO)) & (rc.random(n) < 0.12)
    years = np.select([track == VMBO, track == HAVO, track == VWO], [4, 5, 6], 0) + repeat
    years = np.where(to_mbo, 3 + (track == VWO), years)
    b18_y, b18_m, _ = _days_to_ymd(b18)
    year18 = b18_y + (b18_m >= 8)  # 31 July closing the school year of the 18th birthday
    extra = rc.choice(3, n, p=[0.6, 0.3, 0.1]) * (track == VSO_TRACK)
    vo_end = np.where(
        track <= VWO, _ymd_to_days(leave_year + years, 7, 31), _ymd_to_days(year18 + extra, 7, 31)
    )
    graduate_vo = ((track == HAVO) | (track == VWO)) & ~to_mbo
    sk_vo = _ymd_to_days(leave_year + years, 6, 10) + rc.integers(0, 36, n)
    has_mbo = (track == VMBO) | to_mbo
    level = np.where(to_mbo, 4, rc.choice([2, 3, 4], n, p=[0.3, 0.3, 0.4]))
    mbo_years = np.select([level == 2, level == 3], [2, 3], 3 + (rc.random(n) < 0.5))
    mbo_years = mbo_years + (rc.random(n) < 0.12)
    vo_end_year = _days_to_ymd(vo_end)[0]
    mbo_start = vo_end + 1
    mbo_end = _ymd_to_days(vo_end_year + mbo_years, 7, 31)
    sk_mbo = _ymd_to_days(vo_end_year + mbo_years, 6, 1) + rc.integers(0, 45, n)
    drop_lo = np.maximum(b18, mbo_start + 60)
    drop_hi = mbo_end - 30
    dropout = has_mbo & (rc.random(n) < 0.06) & (drop_lo < drop_hi)
    mbo_end = np.where(dropout, _uniform_int(rc, drop_lo, drop_hi), mbo_end)
    sk = np.where(graduate_vo, sk_vo, np.where(has_mbo & ~dropout, sk_mbo, OPEN))
    sk = np.where(sk <= on_n, sk, OPEN)  # not obtained yet
    special = (track == PRAKTIJK) | (track == VSO_TRACK)
    older = special & (age >= 15)
    p_exempt = min(1.0, RATE_KWALIFICATIEPLICHT_EXEMPT * n / max(1, int(older.sum())))
    exempt = older & (rc.random(n) < p_exempt)
    run.planted["kwalificatieplicht_exempt"] = int(exempt.sum())
    return _Careers(
        so_primary=so_primary,
        track=track,
        po_end=po_end,
        vo_start=vo_start,
        vo_end=vo_end,
        has_mbo=has_mbo,
        mbo_start=mbo_start,
        mbo_end=mbo_end,
        sk=sk,
        exempt=exempt,
    )


def _school_counts(births: _Births, careers: _Careers) -> list[int]:
    """Schools per list (po, so, vo, praktijkonderwijs, vso, mbo) for the pupils of each."""
    age, track = births.age, careers.track
    in_po = (age >= 4) & (age <= 12)
    return [
        max(2, round(int((in_po & ~careers.so_primary).sum()) / PUPILS_PER_SCHOOL["po"])),
        max(1, round(int((in_po & careers.so_primary).sum()) / PUPILS_PER_SCHOOL["so"])),
        max(
            2,
            round(
                int(((age >= 12) & (age <= 17) & (track <= VWO)).sum()) / PUPILS_PER_SCHOOL["vo"]
            ),
        ),
        max(1, round(int(((age >= 12) & (track == PRAKTIJK)).sum()) / PUPILS_PER_SCHOOL["pro"])),
        max(1, round(int(((age >= 12) & (track == VSO_TRACK)).sum()) / PUPILS_PER_SCHOOL["vso"])),
        max(1, round(int((careers.has_mbo & (age >= 16)).sum()) / PUPILS_PER_SCHOOL["mbo"])),
    ]


# --- enrolments -------------------------------------------------------------------------------
def _enrolment_segments(
    run: _Run, careers: _Careers, days: _SchoolDays, schools: _Schools
) -> _Segments:
    """One enrolment per stage begun by the reference date (primary, secondary, mbo), each at a
    school of the stage's list; a stage not ended by then is open."""
    n, on_n, r_school = run.n, run.on_n, run.r_school
    so_primary, track, has_mbo = careers.so_primary, careers.track, careers.has_mbo
    po_start, vo_start, mbo_start = days.po_start, careers.vo_start, careers.mbo_start
    idx = np.arange(n, dtype=np.int64)
    stage1 = po_start <= on_n
    school1 = np.where(so_primary, schools.pick(r_school, SO, n), schools.pick(r_school, PO, n))
    list2 = np.select([track <= VWO, track == PRAKTIJK], [VO, PRO], VSO)
    school2 = np.select(
        [list2 == VO, list2 == PRO],
        [schools.pick(r_school, VO, n), schools.pick(r_school, PRO, n)],
        schools.pick(r_school, VSO, n),
    )
    stage2 = vo_start <= on_n
    stage3 = has_mbo & (mbo_start <= on_n)
    school3 = schools.pick(r_school, MBO, n)
    list1 = np.where(so_primary, SO, PO)
    s_end = np.concatenate(
        [careers.po_end[stage1], careers.vo_end[stage2], careers.mbo_end[stage3]]
    )
    return _Segments(
        stu=np.concatenate([idx[stage1], idx[stage2], idx[stage3]]),
        sch=np.concatenate([school1[stage1], school2[stage2], school3[stage3]]),
        lst=np.concatenate([list1[stage1], list2[stage2], np.full(int(stage3.sum()), MBO)]),
        start=np.concatenate([po_start[stage1], vo_start[stage2], mbo_start[stage3]]),
        end=np.where(s_end > on_n, OPEN, s_end),
    )


def _school_changes(run: _Run, seg: _Segments, schools: _Schools) -> _Segments:
    """Mid-year school changes: end one enrolment, start the next the day after (some with a gap
    of weeks, a few overlapping by some days) at another school of the same list."""
    n, on_n, rs = run.n, run.on_n, run.r_switch
    s_end = seg.end
    span = np.minimum(s_end, on_n) - seg.start
    can = np.flatnonzero((span >= 120) & (schools.size[seg.lst] >= 2))
    sel = _pick(rs, can, _count(RATE_SCHOOL_CHANGE, n))
    cut = seg.start[sel] + 30 + np.floor(rs.random(sel.size) * (span[sel] - 60)).astype(np.int64)
    kind = rs.random(sel.size)
    gap = np.where(kind > 0.96, -rs.integers(1, 6, sel.size), 0)
    gap = np.where((kind > 0.84) & (kind <= 0.96), rs.integers(14, 57, sel.size), gap)
    new_start = cut + 1 + gap
    new_end = s_end[sel]
    lst = seg.lst[sel]
    pos = seg.sch[sel] - schools.offset[lst]
    other = np.floor(rs.random(sel.size) * (schools.size[lst] - 1)).astype(np.int64)
    new_school = schools.offset[lst] + other + (other >= pos)
    s_end[sel] = cut
    keep = (new_start <= on_n) & ((new_end == OPEN) | (new_start <= new_end))
    run.planted["school_changes"] = int(sel.size)
    return _Segments(
        stu=np.concatenate([seg.stu, seg.stu[sel][keep]]),
        sch=np.concatenate([seg.sch, new_school[keep]]),
        lst=np.concatenate([seg.lst, lst[keep]]),
        start=np.concatenate([seg.start, new_start[keep]]),
        end=np.concatenate([s_end, new_end[keep]]),
    )


def _current_and_first_start(n: int, seg: _Segments) -> tuple[np.ndarray, np.ndarray]:
    """Per student: the first day of the open (current) enrolment, and of the first enrolment
    (OPEN where there is none)."""
    cur_start = np.full(n, OPEN, np.int64)
    is_open = seg.end == OPEN
    cur_start[seg.stu[is_open]] = seg.start[is_open]
    first_start = np.full(n, OPEN, np.int64)
    np.minimum.at(first_start, seg.stu, seg.start)
    return cur_start, first_start


def _end_enrolments(seg: _Segments, cut_at: np.ndarray) -> _Segments:
    """Apply the ends of enrolment the planted cases set (``cut_at`` per student): enrolments
    that begin later go, the others end by then."""
    limit = cut_at[seg.stu]
    keep = seg.start <= limit
    return _Segments(
        stu=seg.stu[keep],
        sch=seg.sch[keep],
        lst=seg.lst[keep],
        start=seg.start[keep],
        end=np.minimum(seg.end[keep], limit[keep]),
    )


def _part_time(run: _Run, seg: _Segments, lrv: np.ndarray) -> None:
    """Part-time timetables (RULES.md §7, enrolments hours_per_day): a few current enrolments,
    not of a child with a running LRV."""
    rv = run.r_v2
    seg.hours = np.zeros(seg.stu.size, np.int8)
    current = np.flatnonzero((seg.end == OPEN) & ~np.isin(seg.stu, lrv))
    part = _pick(rv, current, _count(RATE_PART_TIME, run.n))
    seg.hours[part] = rv.integers(2, 5, part.size)
    run.planted["part_time"] = int(part.size)


# --- planted cases: absoluut verzuim, LRV, exemptions -----------------------------------------
def _under_duty_now(run: _Run, births: _Births, careers: _Careers) -> np.ndarray:
    """Leerplichtig or kwalificatieplichtig on the reference date (6–17, under 18, without a
    startkwalificatie or an exemption from kwalificatieplicht)."""
    return (
        (births.age >= 6)
        & (births.age <= 17)
        & (births.b18 > run.on_n)
        & (careers.sk == OPEN)
        & ~careers.exempt
    )


def _choose_planted(
    run: _Run,
    births: _Births,
    days: _SchoolDays,
    duty_now: np.ndarray,
    cur_start: np.ndarray,
    cur_index: np.ndarray,
) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Who gets which planted case, from the children under leerplicht now who have been at their
    school for a while (each child at most one): 3a and 3b from the older ones, a running LRV,
    art. 15 (only past leerplicht), absoluut verzuim, 5a, 5b, 5c and 5a_trekkend; and the rest in
    random order."""
    n, on_n, rt = run.n, run.on_n, run.r_target
    age = births.age
    eligible = np.flatnonzero(duty_now & (cur_start <= on_n - 40))
    order = rt.permutation(eligible)
    take = {a: _count(RATE_EXEMPTION[a], n) for a in ARTICLES}
    older_first = order[age[order] >= 14]
    chosen = {
        "3a": older_first[: take["3a"]],
        "3b": older_first[take["3a"] : take["3a"] + take["3b"]],
    }
    rest = order[~np.isin(order, np.concatenate([chosen["3a"], chosen["3b"]]))]
    lrv_ok = rest[cur_index[rest] <= days.j_on - 25]
    chosen["lrv"] = lrv_ok[: _count(RATE_LRV_ONGOING, n)]
    rest = rest[~np.isin(rest, chosen["lrv"])]
    # art. 15 covers only kwalificatieplicht (RULES.md §7): children past their leerplicht
    chosen["15"] = rest[births.lp_end16[rest] + 1 <= on_n - 30][: take["15"]]
    rest = rest[~np.isin(rest, chosen["15"])]
    start = 0
    for key, k in (
        ("av", _count(RATE_ABSOLUUT_VERZUIM, n)),
        *((a, take[a]) for a in ("5a", "5b", "5c", "5a_trekkend")),
    ):
        chosen[key] = rest[start : start + k]
        start += k
    rest = rest[start:]
    for key in chosen:
        chosen[key] = np.sort(chosen[key])
    return chosen, rest


def _absoluut_verzuim(run: _Run, av: np.ndarray, lower: np.ndarray, cut_at: np.ndarray) -> None:
    """Absoluut verzuim: the enrolment ends, no new one; 31 % since more than three months."""
    on_n, on_m3, rt = run.on_n, run.on_m3, run.r_target
    over = np.arange(av.size) < round(SHARE_AV_OVER_3_MONTHS * av.size)
    last_day = np.where(
        over,
        on_m3 - 1 - np.floor(rt.random(av.size) * 300).astype(np.int64),
        _uniform_int(rt, np.full(av.size, on_m3 + 1), np.full(av.size, on_n - 3)),
    )
    last_day = np.minimum(np.maximum(last_day, lower[av]), on_n - 2)
    cut_at[av] = last_day
    run.planted["absoluut_verzuim"] = int(av.size)
    run.planted["absoluut_verzuim_over_3_months"] = int((last_day + 1 <= on_m3).sum())


def _vrijstelling_5a(
    run: _Run,
    births: _Births,
    who: np.ndarray,
    lower: np.ndarray,
    cut_at: np.ndarray,
    exemptions: _Exemptions,
) -> None:
    """5a: 30 % never at school after the 5th birthday, 60 % left school, 10 % stay enrolled.

    RULES.md §7: without an end date a 5 onder a lapses on 31 July of its school year, unless
    permanent ("nooit geschikt": here the children never at school); the others were renewed for
    this school year: the earlier row ends the day before it."""
    on_n, rt = run.on_n, run.r_target
    mode = rt.random(who.size)
    begin = _uniform_int(rt, np.minimum(lower[who], on_n - 10), np.full(who.size, on_n - 10))
    begin = np.where(mode < 0.3, births.lp_start[who], begin)
    cut_at[who] = np.where(mode < 0.9, begin - 1, OPEN)
    end = np.where(rt.random(who.size) < 0.65, OPEN, births.b18[who] - 1)
    permanent = (mode < 0.3) & (end == OPEN)
    sy_start_n = day_number(run.sy_start)
    renewed = (end == OPEN) & ~permanent & (begin < sy_start_n)
    exemptions.add(who[renewed], "5a", begin[renewed], np.full(int(renewed.sum()), sy_start_n - 1))
    begin = np.where(renewed, sy_start_n, begin)
    exemptions.add(who, "5a", begin, end, permanent)
    run.planted["vrijstelling_5a_permanent"] = int(permanent.sum())


def _vrijstelling_5b(
    births: _Births, who: np.ndarray, cut_at: np.ndarray, exemptions: _Exemptions
) -> None:
    """5b (religious objection): never enrolled since leerplicht started."""
    cut_at[who] = births.lp_start[who] - 1
    exemptions.add(who, "5b", births.lp_start[who], np.full(who.size, OPEN))


def _left_school_exemptions(
    run: _Run,
    births: _Births,
    chosen: dict[str, np.ndarray],
    lower: np.ndarray,
    cut_at: np.ndarray,
    exemptions: _Exemptions,
) -> None:
    """5c (school abroad), 5a_trekkend (trekkend bestaan) and 15 (other education,
    kwalificatieplicht only): left school, exemption until the summer / open."""
    on_n, rt = run.on_n, run.r_target
    for article, back, until in (
        ("5c", 400, run.sy_end_n),
        ("5a_trekkend", 300, run.sy_end_n),
        ("15", 600, OPEN),
    ):
        who = chosen[article]
        lo = np.minimum(np.maximum(lower[who], on_n - back), on_n - 10)
        if article == "15":  # from the day kwalificatieplicht starts at the earliest
            lo = np.maximum(lo, np.minimum(births.lp_end16[who] + 1, on_n - 10))
        begin = _uniform_int(rt, lo, np.full(who.size, on_n - 10))
        cut_at[who] = begin - 1
        exemptions.add(who, article, begin, np.full(who.size, until))


def _vervangende_leerplicht(
    run: _Run, chosen: dict[str, np.ndarray], lower: np.ndarray, exemptions: _Exemptions
) -> None:
    """3a / 3b (vervangende leerplicht): still enrolled, until the end of the school year."""
    on_n = run.on_n
    for article in ("3a", "3b"):
        who = chosen[article]
        lo = np.minimum(np.maximum(lower[who], on_n - 300), on_n - 5)
        exemptions.add(
            who,
            article,
            _uniform_int(run.r_target, lo, np.full(who.size, on_n - 5)),
            np.full(who.size, run.sy_end_n),
        )


def _past_exemptions(
    run: _Run, rest: np.ndarray, lower: np.ndarray, exemptions: _Exemptions
) -> np.ndarray:
    """Earlier 5a exemptions that have ended (the child stayed enrolled); returns who."""
    on_n, rt = run.on_n, run.r_target
    who = np.sort(rest[: _count(RATE_EXEMPTION_PAST, run.n)])
    lo = np.minimum(np.maximum(lower[who], run.period_start - 365), on_n - 150)
    begin = _uniform_int(rt, lo, np.full(who.size, on_n - 150))
    exemptions.add(who, "5a", begin, begin + rt.integers(20, 121, who.size))
    return who


# --- absences ---------------------------------------------------------------------------------
def _ongoing_lrv(
    run: _Run,
    births: _Births,
    seg: _Segments,
    days: _SchoolDays,
    lrv: np.ndarray,
    cur_index: np.ndarray,
) -> _Absences:
    """The LRV still running on the reference date (55 % since more than three months), with some
    unexcused hours in the weeks before; the windows of school days in view end where it began.
    Returns the absences with these first rows."""
    n, on_n, on_m3, ra = run.n, run.on_n, run.on_m3, run.r_abs
    school_days, j_on, j_m3 = days.days, days.j_on, days.j_m3
    live = seg.end >= run.period_start
    w_lo = np.full(n, OPEN, np.int64)
    np.minimum.at(w_lo, seg.stu[live], np.maximum(seg.start[live], run.period_start))
    w_hi = np.full(n, -1, np.int64)
    np.maximum.at(w_hi, seg.stu[live], np.minimum(seg.end[live], on_n))

    over = np.arange(lrv.size) < round(SHARE_LRV_OVER_3_MONTHS * lrv.size)
    lo_over = np.maximum(cur_index[lrv], j_m3 - 110)
    first_idx = np.where(
        over & (lo_over <= j_m3),
        _uniform_int(ra, lo_over, np.full(lrv.size, j_m3)),
        _uniform_int(ra, np.maximum(cur_index[lrv], j_m3 + 1), np.full(lrv.size, j_on - 19)),
    )
    first_idx = np.minimum(np.maximum(first_idx, cur_index[lrv]), j_on - 19)
    lrv_start = school_days[first_idx]
    w_hi[lrv] = np.minimum(w_hi[lrv], lrv_start - 1)
    planted = run.planted
    planted["lrv_ongoing"] = int(lrv.size)
    planted["lrv_ongoing_over_3_months"] = int((lrv_start <= on_m3).sum())
    planted["thuiszitters_over_3_months"] = (
        planted["lrv_ongoing_over_3_months"] + planted["absoluut_verzuim_over_3_months"]
    )

    i_lo = np.searchsorted(school_days, w_lo, side="left")
    i_hi = np.searchsorted(school_days, w_hi, side="right") - 1
    absences = _Absences(school_days, i_lo, i_hi, np.maximum(i_hi - i_lo + 1, 0))
    # the LRV runs, with some unexcused hours in the weeks before
    absences.add(lrv, first_idx, first_idx, UNEXCUSED, -1)
    absences.end[-1] = np.full(lrv.size, on_n)  # still running: up to the reference date
    for _ in range(2):
        pre = first_idx - ra.integers(1, 11, lrv.size)
        ok = pre >= i_lo[lrv]
        absences.add(lrv[ok], pre[ok], pre[ok], UNEXCUSED, ra.integers(2, 5, int(ok.sum())))
    return absences


def _past_lrv(run: _Run, absences: _Absences, duty_now: np.ndarray, lrv: np.ndarray) -> None:
    """Earlier LRV runs of 20–45 school days, ended before the reference date."""
    ra = run.r_abs
    length = ra.integers(20, 46, run.n)
    cands = np.flatnonzero(duty_now & (absences.nsd >= 80))
    cands = cands[~np.isin(cands, lrv)]
    who = _pick(ra, cands, _count(RATE_LRV_PAST, run.n))
    ln = length[who]
    first = _uniform_int(ra, absences.i_lo[who], absences.i_hi[who] - ln - 5)
    absences.add(who, first, first + ln - 1, UNEXCUSED, -1)
    run.planted["lrv_past"] = int(who.size)


def _truants(run: _Run, births: _Births, absences: _Absences) -> None:
    """Truants: bursts of unexcused hours within three weeks, enough for the 16-hour report."""
    ra = run.r_abs
    cands = np.flatnonzero((births.age >= 9) & (absences.nsd >= 30))
    truants = _pick(ra, cands, _count(RATE_TRUANT, run.n))
    run.planted["truants"] = int(truants.size)
    for who in (truants, truants[ra.random(truants.size) < 0.25]):
        base = _uniform_int(ra, absences.i_lo[who], absences.i_hi[who] - 15)
        offsets = np.argsort(ra.random((who.size, 15)), axis=1)[:, :6]
        for c in range(6):
            day = base + offsets[:, c]
            if c < 3:
                absences.add(who, day, day, UNEXCUSED, -1)
            else:
                absences.add(who, day, day, UNEXCUSED, ra.integers(2, 5, who.size))


def _mazl(run: _Run, absences: _Absences) -> None:
    """MAZL: long sick (7–30 school days) and often sick (4 short spells within ~12 weeks)."""
    ra, nsd = run.r_abs, absences.nsd
    cands = np.flatnonzero(nsd >= 40)
    who = _pick(ra, cands, _count(RATE_MAZL_LONG, run.n))
    first, last = absences.spells(ra, who, ra.integers(7, 31, who.size))
    absences.add(who, first, last, SICK, -1)
    run.planted["mazl_long_sick"] = int(who.size)
    cands = np.flatnonzero(nsd >= 60)
    who = _pick(ra, cands, _count(RATE_MAZL_FREQUENT, run.n))
    base = _uniform_int(ra, absences.i_lo[who], absences.i_hi[who] - 55)
    offsets = np.sort(np.argsort(ra.random((who.size, 14)), axis=1)[:, :4], axis=1) * 4
    for c in range(4):
        day = base + offsets[:, c]
        absences.add(who, day, day + ra.integers(0, 2, who.size), SICK, -1)
    run.planted["mazl_often_sick"] = int(who.size)


def _ordinary_absence(run: _Run, absences: _Absences) -> None:
    """Ordinary absence, Poisson per student in proportion to the school days in view, up to
    about ABSENCE_ROWS_PER_STUDENT rows a student with the planted ones: sick, part of a day,
    leave, unexcused."""
    ra, nsd = run.r_abs, absences.nsd
    specials = sum(a.size for a in absences.stu)
    budget = max(0.0, ABSENCE_ROWS_PER_STUDENT * run.n - specials)
    has = np.flatnonzero(nsd >= 5)
    share = nsd[has] / max(1, int(nsd[has].sum()))

    def draw(weight: float) -> np.ndarray:
        return np.repeat(has, ra.poisson(budget * weight * share))

    who = draw(0.58)  # sick, whole days, 1–4 school days
    first, last = absences.spells(
        ra, who, ra.choice([1, 2, 3, 4], who.size, p=[0.45, 0.30, 0.15, 0.10])
    )
    absences.add(who, first, last, SICK, -1)
    who = draw(0.17)  # part of a day: sick or leave (doctor), 1–4 hours
    first, last = absences.spells(ra, who, np.ones(who.size, np.int64))
    absences.add(
        who,
        first,
        last,
        np.where(ra.random(who.size) < 0.6, SICK, EXCUSED).astype(np.int8),
        ra.integers(1, 5, who.size),
    )
    who = draw(0.15)  # leave: family event, weighty circumstances
    first, last = absences.spells(
        ra, who, ra.choice([1, 2, 3, 4, 5], who.size, p=[0.6, 0.25, 0.07, 0.05, 0.03])
    )
    absences.add(who, first, last, EXCUSED, -1)
    who = draw(0.10)  # unexcused: an hour or three, sometimes whole days
    whole = ra.random(who.size) < 0.15
    first, last = absences.spells(ra, who, np.where(whole, ra.integers(1, 4, who.size), 1))
    absences.add(
        who,
        first,
        last,
        UNEXCUSED,
        np.where(whole, -1, ra.integers(1, 4, who.size)).astype(np.int8),
    )


def _luxe_verzuim(run: _Run, births: _Births, absences: _Absences, lrv: np.ndarray) -> None:
    """Luxe verzuim (RULES.md §7): 1–2 whole days just before a vacation or just after it."""
    rv, school_days = run.r_v2, absences.school_days
    gaps = np.diff(school_days)
    edges = np.flatnonzero(gaps >= 7)  # the last school day before a vacation
    leerplichtig = (births.age >= 6) & (births.age <= 16)
    cands = np.flatnonzero(leerplichtig & (absences.nsd >= 20))
    cands = cands[~np.isin(cands, lrv)]
    who = _pick(rv, cands, _count(RATE_LUXE, run.n))
    duty_from = np.maximum(
        absences.i_lo[who], np.searchsorted(school_days, births.lp_start[who], side="left")
    )
    lo_k = np.searchsorted(edges, duty_from + 2, side="left")
    hi_k = np.searchsorted(edges, absences.i_hi[who] - 2, side="right") - 1
    ok = lo_k <= hi_k
    who, lo_k, hi_k = who[ok], lo_k[ok], hi_k[ok]
    edge = edges[_uniform_int(rv, lo_k, hi_k)]
    length = rv.choice([1, 2], who.size, p=[0.6, 0.4])
    before = rv.random(who.size) < 0.7
    first = np.where(before, edge - length + 1, edge + 1)
    absences.add(who, first, first + length - 1, LUXE, -1)
    run.planted["luxe"] = int(who.size)


def _leave_11a(run: _Run, births: _Births, absences: _Absences) -> None:
    """Art. 11a (RULES.md §7): five-year-olds kept home some hours; a few more than ten hours in a
    week (those beyond ten count as unexcused)."""
    rv, school_days = run.r_v2, absences.school_days
    cands = np.flatnonzero((births.age == 5) & (absences.nsd >= 10))
    who = _pick(rv, cands, round(SHARE_11A * cands.size))
    lo = np.maximum(
        absences.i_lo[who], np.searchsorted(school_days, births.lp_start[who], side="left")
    )
    hi = np.minimum(
        absences.i_hi[who], np.searchsorted(school_days, births.b6[who], side="left") - 1
    )
    ok = lo + 3 <= hi
    who, lo, hi = who[ok], lo[ok], hi[ok]
    day = _uniform_int(rv, lo, hi - 3)
    absences.add(who, day, day, FIVE_YEAR_OLD_LEAVE, rv.integers(2, 5, who.size))
    # the extra 3 × 4 hours in the same week: the day is a Monday or Tuesday, three school days on
    monday_or_tuesday = (school_days[day] + 3) % 7 <= 1  # day 0 (1 January 1970) was a Thursday
    same_week = school_days[np.minimum(day + 3, school_days.size - 1)] - school_days[day] == 3
    more = (rv.random(who.size) < 0.25) & monday_or_tuesday & same_week
    absences.add(who[more], day[more] + 1, day[more] + 3, FIVE_YEAR_OLD_LEAVE, 4)
    run.planted["leave_11a"] = int(who.size)
    run.planted["leave_11a_over_10_hours"] = int(more.sum())


# --- writing ----------------------------------------------------------------------------------
def _student_id(col: str) -> pl.Expr:
    return pl.format("L{}", (pl.col(col) + 1).cast(pl.String).str.zfill(7))


def _date(col: str) -> pl.Expr:
    return pl.when(pl.col(col) < OPEN).then(pl.col(col)).cast(pl.Int32).cast(pl.Date)


def _write_students(
    run: _Run, path: Path, births: _Births, careers: _Careers, seg: _Segments, pools: _Pools
) -> None:
    """students.csv: identity numbers (1 % an onderwijsnummer), names, municipality and postcode
    (a few from a neighbouring municipality), region, startkwalificatie, kwalificatieplicht
    exemption."""
    n, r_ids, municipality = run.n, run.r_ids, run.municipality
    idx = np.arange(n, dtype=np.int64)
    bsn_holder = r_ids.random(n) >= RATE_ONDERWIJSNUMMER
    bsn = np.zeros(n, np.int64)
    bsn[bsn_holder] = make_bsns(r_ids, int(bsn_holder.sum()))
    onr = np.zeros(n, np.int64)
    onr[~bsn_holder] = make_onderwijsnummers(r_ids, int((~bsn_holder).sum()))
    run.planted["onderwijsnummer"] = int((~bsn_holder).sum())
    # a child of a neighbouring municipality is in the gemeente's files only as a pupil of one of
    # its schools: the gemeente imports no other children (docs/authorization.md, "Imports")
    elsewhere = (r_ids.random(n) < RATE_OTHER_MUNICIPALITY) & np.isin(idx, seg.stu)
    neighbours = _neighbours(municipality)
    mun_code = np.where(elsewhere, 1 + r_ids.integers(0, len(neighbours), n), 0)
    postcode_idx = np.where(
        elsewhere,
        r_ids.integers(0, len(pools.postcode_other), n),
        r_ids.integers(0, len(pools.postcode_own), n),
    )
    own_pc = pools.postcode_own.gather(np.minimum(postcode_idx, len(pools.postcode_own) - 1))
    other_pc = pools.postcode_other.gather(np.minimum(postcode_idx, len(pools.postcode_other) - 1))
    with_region = r_ids.random(n) >= RATE_NO_REGION
    given = pools.given.gather(r_ids.integers(0, len(pools.given), n))
    family = pools.family.gather(r_ids.integers(0, len(pools.family), n))
    pl.DataFrame(
        {
            "i": idx,
            "birth": births.birth,
            "mun": mun_code,
            "with_region": with_region,
            "sk": careers.sk,
            "kwalificatieplicht_exempt": careers.exempt,
            "bsn": bsn,
            "onr": onr,
            "given_names": given,
            "family_name": family,
            "elsewhere": elsewhere,
            "own_pc": own_pc,
            "other_pc": other_pc,
        }
    ).select(
        _student_id("i").alias("student_id"),
        _date("birth").alias("birth_date"),
        pl.col("mun")
        .replace_strict(
            list(range(len(neighbours) + 1)), [municipality, *neighbours], return_dtype=pl.String
        )
        .alias("municipality"),
        pl.when("with_region").then(pl.lit(run.region)).alias("region"),
        _date("sk").alias("startkwalificatie_date"),
        "kwalificatieplicht_exempt",
        pl.when(pl.col("bsn") > 0).then(pl.col("bsn").cast(pl.String).str.zfill(9)).alias("bsn"),
        pl.when(pl.col("onr") > 0).then(pl.col("onr").cast(pl.String)).alias("onderwijsnummer"),
        "given_names",
        "family_name",
        pl.when("elsewhere").then("other_pc").otherwise("own_pc").alias("postcode"),
    ).write_csv(path)


def _write_enrolments(path: Path, seg: _Segments, schools: _Schools) -> int:
    """enrolments.csv; returns the number of rows."""
    brin = schools.frame.get_column("brin")
    enrol_df = (
        pl.DataFrame(
            {
                "i": seg.stu,
                "school": seg.sch,
                "start": seg.start,
                "end": seg.end,
                "hours": seg.hours,
            }
        )
        .sort(["i", "start", "end", "school"])
        .select(
            _student_id("i").alias("student_id"),
            pl.col("school").replace_strict(list(range(brin.len())), brin).alias("brin"),
            _date("start").alias("start_date"),
            _date("end").alias("end_date"),
            pl.when(pl.col("hours") > 0).then(pl.col("hours")).alias("hours_per_day"),
        )
    )
    enrol_df.write_csv(path)
    return enrol_df.height


def _write_exemptions(path: Path, exemptions: _Exemptions) -> int:
    """exemptions.csv; returns the number of rows."""
    exempt_df = (
        pl.DataFrame(
            {
                "i": np.concatenate(exemptions.stu),
                "article": np.concatenate(exemptions.art),
                "start": np.concatenate(exemptions.start),
                "end": np.concatenate(exemptions.end),
                "permanent": np.concatenate(exemptions.permanent),
            }
        )
        .sort(["i", "start", "article"])
        .select(
            _student_id("i").alias("student_id"),
            pl.col("article").replace_strict(list(range(len(ARTICLES))), ARTICLES).alias("article"),
            _date("start").alias("start_date"),
            _date("end").alias("end_date"),
            "permanent",
        )
    )
    exempt_df.write_csv(path)
    return exempt_df.height


def _write_absences(path: Path, absences: _Absences) -> int:
    """absences.csv; returns the number of rows."""
    absence_df = (
        pl.DataFrame(
            {
                "i": np.concatenate(absences.stu).astype(np.int32),
                "start": np.concatenate(absences.start).astype(np.int32),
                "end": np.concatenate(absences.end).astype(np.int32),
                "reason": np.concatenate(absences.reason),
                "hours": np.concatenate(absences.hours),
            }
        )
        .sort(["i", "start", "end", "reason", "hours"])
        .select(
            _student_id("i").alias("student_id"),
            pl.col("start").cast(pl.Date).alias("start_date"),
            pl.col("end").cast(pl.Date).alias("end_date"),
            pl.col("reason").replace_strict(list(range(len(REASONS))), REASONS).alias("reason"),
            pl.when(pl.col("hours") > 0).then(pl.col("hours")).alias("hours_per_day"),
        )
    )
    absence_df.write_csv(path)
    return absence_df.height
