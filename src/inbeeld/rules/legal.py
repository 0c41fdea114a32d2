"""The legal basis of every rule, status, code and choice: one table for the code and the docs.

Issue 10: each rule in ``docs/rules.md`` carries its legal basis as a BWB identifier and article,
with a link a reader can follow, and the version of the rules (``v1``, or ``v2`` for what RULES.md
§7 changed). The generator (``rules.docs``) reads the tables below; the tests check that every
meldingen rule (``absence.RULES``), status category (``status.CATEGORIES``), reason, article code,
choice (``choices.py``) and reading (``choices.READINGS``) has an entry here, so a new one cannot
be added without its basis.

Citations were checked against the text of the Leerplichtwet 1969 (BWBR0002628), the Besluit
verzuimmelding (BWBR0027085) and the Regelingen schoolvakanties as published in the public
repository statengeneraal/laws-markdown. Where no law applies (DUO's and NCJ's guidance, the
Thuiszitterspact, a choice of the project) the entry says so and has no BWB identifier.

Links use the Juriconnect form that wetten.overheid.nl hands out as a permanent link:
``https://wetten.overheid.nl/jci1.3:c:BWBR0002628&artikel=21a`` (the current text of the article).
Lid and onderdeel are given in the text, not in the link.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

V1 = "v1"
V2 = "v2"
VERSIONS = (V1, V2)

#: Leerplichtwet 1969
LPW = "BWBR0002628"
#: Besluit verzuimmelding (the data of a verzuimmelding; its annex lists the kinds of verzuim)
BESLUIT_VERZUIMMELDING = "BWBR0027085"
#: Regeling spreiding zomervakantie 2013 (the summer vacation of 2013 per region)
REGELING_SPREIDING_ZOMERVAKANTIE_2013 = "BWBR0031607"
#: Regeling vaststelling schoolvakanties 2013–2016 (Christmas 2013–2015, May 2014–2016, summers
#: 2014–2016)
REGELING_SCHOOLVAKANTIES_2013_2016 = "BWBR0032704"
#: Regeling vaststelling schoolvakanties 2016–2019
REGELING_SCHOOLVAKANTIES_2016_2019 = "BWBR0037100"

#: ``Citation.onderdeel`` for an annex to the article (the Besluit verzuimmelding's list of kinds)
ANNEX = "bijlage"

BWB_ID = re.compile(r"BWBR\d{7}")
WETTEN_OVERHEID = "https://wetten.overheid.nl/jci1.3:c:{bwb}&artikel={article}"

TITLES = {
    LPW: "Leerplichtwet 1969",
    BESLUIT_VERZUIMMELDING: "Besluit verzuimmelding",
    REGELING_SPREIDING_ZOMERVAKANTIE_2013: "Regeling spreiding zomervakantie 2013",
    REGELING_SCHOOLVAKANTIES_2013_2016: "Regeling vaststelling schoolvakanties 2013–2016",
    REGELING_SCHOOLVAKANTIES_2016_2019: "Regeling vaststelling schoolvakanties 2016–2019",
}
SHORT_TITLES = {LPW: "LPW"}


@dataclass(frozen=True)
class Citation:
    """One source: an article of a regulation in the BWB, or guidance where no law applies."""

    #: the BWB identifier (BWBR + 7 digits); None for guidance that is not law
    bwb: str | None
    #: the article (``"3"``, ``"21a"``); for guidance the name of the document or page
    article: str
    lid: str = ""
    onderdeel: str = ""
    #: for guidance only: the organisation's page (law gets its link from ``bwb`` and ``article``)
    guidance_url: str = ""

    @property
    def is_law(self) -> bool:
        return self.bwb is not None

    @property
    def url(self) -> str:
        if self.bwb is None:
            return self.guidance_url
        return WETTEN_OVERHEID.format(bwb=self.bwb, article=self.article)

    @property
    def article_text(self) -> str:
        """``art. 3 lid 1 onder a`` (``art. 2 and its bijlage`` for an annex)."""
        parts = [f"art. {self.article}"]
        if self.lid:
            parts.append(f"lid {self.lid}")
        if self.onderdeel == ANNEX:
            parts.append("and its bijlage")
        elif self.onderdeel:
            parts.append(f"onder {self.onderdeel}")
        return " ".join(parts)

    @property
    def text(self) -> str:
        """``LPW art. 3 lid 1 onder a`` or the name of the guidance."""
        if self.bwb is None:
            return self.article
        return f"{SHORT_TITLES.get(self.bwb, TITLES[self.bwb])} {self.article_text}"


@dataclass(frozen=True)
class Basis:
    """The legal basis of one rule, status, code or choice, and the version of the rules (v1/v2)."""

    version: str
    citations: tuple[Citation, ...]
    #: what the sources say, briefly; for v2 also what changed
    note: str = ""

    @property
    def law_applies(self) -> bool:
        return any(c.is_law for c in self.citations)

    def markdown(self) -> str:
        """The sources, articles of one regulation grouped behind its title and BWB identifier:
        ``Leerplichtwet 1969 (BWBR0002628): [art. 21 lid 1](…), [art. 21a lid 1](…)``."""
        groups: list[tuple[str | None, list[Citation]]] = []
        for c in self.citations:
            if groups and c.bwb is not None and groups[-1][0] == c.bwb:
                groups[-1][1].append(c)
            else:
                groups.append((c.bwb, [c]))
        parts: list[str] = []
        for bwb, cs in groups:
            if bwb is None:
                parts.extend(f"guidance (no law): [{c.text}]({c.url})" for c in cs)
            else:
                links = ", ".join(f"[{c.article_text}]({c.url})" for c in cs)
                parts.append(f"{TITLES[bwb]} ({bwb}): {links}")
        sources = "; ".join(parts)
        if not self.law_applies:
            sources = "no law applies; " + sources.replace("guidance (no law): ", "guidance: ")
        return sources


def lpw(article: str, lid: str = "", onderdeel: str = "") -> Citation:
    return Citation(LPW, article, lid, onderdeel)


def law(bwb: str, article: str, lid: str = "", onderdeel: str = "") -> Citation:
    return Citation(bwb, article, lid, onderdeel)


DUO_URL = "https://duo.nl/zakelijk/"
NCJ_URL = "https://www.ncj.nl/"
RIJKSOVERHEID_THUISZITTERS_URL = "https://www.rijksoverheid.nl/"


def duo(what: str) -> Citation:
    return Citation(None, f"DUO, {what}", guidance_url=DUO_URL)


def ncj(what: str) -> Citation:
    return Citation(None, f"NCJ, {what}", guidance_url=NCJ_URL)


THUISZITTERSPACT = Citation(
    None,
    "Thuiszitterspact (2016): no child at home longer than three months without an offer",
    guidance_url=RIJKSOVERHEID_THUISZITTERS_URL,
)
#: issue 12 §2: the pact's agreements on sick pupils (long sickness to the samenwerkingsverband,
#: leerplicht in regular contact with the jeugdarts)
PACT_LONG_SICKNESS = Citation(
    None,
    "Thuiszitterspact (2016): long sickness reported to the samenwerkingsverband; leerplicht "
    "and jeugdarts in regular contact",
    guidance_url=RIJKSOVERHEID_THUISZITTERS_URL,
)
#: the kinds of verzuim a school reports (annex to art. 2 of the Besluit verzuimmelding)
VERZUIMMELDING_ANNEX = law(BESLUIT_VERZUIMMELDING, "2", onderdeel=ANNEX)
#: the statutory vacations (art. 5: Christmas and May, art. 6: summer; the 2013 summer in art. 5
#: lid 3 of its own Regeling); the Regelingen after 2019 follow the same pattern
SCHOOL_VACATIONS = (
    law(REGELING_SPREIDING_ZOMERVAKANTIE_2013, "5", "3"),
    law(REGELING_SCHOOLVAKANTIES_2013_2016, "5"),
    law(REGELING_SCHOOLVAKANTIES_2013_2016, "6"),
    law(REGELING_SCHOOLVAKANTIES_2016_2019, "5"),
    law(REGELING_SCHOOLVAKANTIES_2016_2019, "6"),
)

# -- the meldingen of RULES.md §4 (rules.absence.RULES) -------------------------------------------

MELDING_RULES: dict[str, Basis] = {
    "16_uur": Basis(
        V2,
        (lpw("21", "1"), lpw("21a", "1"), lpw("21a", "2"), VERZUIMMELDING_ANNEX),
        '"zonder geldige reden ... gedurende een periode van vier opeenvolgende lesweken in '
        'totaal zestien uren". v2: luxe hours and 11a hours beyond the excused ones count as '
        "unexcused; the pupil's own hours_per_day caps a day.",
    ),
    "lrv": Basis(
        V2,
        (VERZUIMMELDING_ANNEX, lpw("4", "2"), duo("verzuimsoort langdurig relatief verzuim")),
        'The annex names "ongeoorloofd verzuim van 1 maand of langer"; DUO: longer than four '
        "weeks. v2: the whole-day test uses the pupil's own hours_per_day; luxe hours count.",
    ),
    "mazl_7_dagen": Basis(
        V1,
        (ncj("richtlijn / werkwijze MAZL (Medische Advisering van de Ziekgemelde Leerling)"),),
        "MAZL is a working method of the youth health care, not a statutory melding.",
    ),
    "mazl_4_in_12": Basis(
        V1,
        (ncj("richtlijn / werkwijze MAZL (Medische Advisering van de Ziekgemelde Leerling)"),),
        "MAZL is a working method of the youth health care, not a statutory melding.",
    ),
    "luxe_verzuim": Basis(
        V2,
        (lpw("11", onderdeel="f"), lpw("13a", "1"), lpw("13a", "2"), VERZUIMMELDING_ANNEX),
        "Leave for a holiday outside the school vacations only with the head's verlof (art. 13a); "
        'the annex lists "luxe verzuim" as a kind of verzuim; DUO: report regardless of hours.',
    ),
}

# -- the status categories of RULES.md §5 (rules.status.CATEGORIES) ------------------------------

STATUS_CATEGORIES: dict[str, Basis] = {
    "vrijgesteld": Basis(
        V2,
        (
            lpw("5", onderdeel="a"),
            lpw("5", onderdeel="b"),
            lpw("5", onderdeel="c"),
            lpw("5a"),
            lpw("15"),
        ),
        "v2: art. 3a/3b (vervangende leerplicht) are no exemption; art. 15 covers only "
        'kwalificatieplicht ("vrijstelling ... van de in artikel 4a opgelegde verplichtingen"); '
        'art. 5 onder a lapses on 31 July unless "nooit geschikt" (art. 6 lid 2 onder b, lid 3).',
    ),
    "absoluut_verzuim": Basis(
        V2,
        (lpw("2", "1"), lpw("4a", "1"), lpw("19"), lpw("22", "1")),
        "Not enrolled while leerplichtig or kwalificatieplichtig. v2: only when the stretch holds "
        "a school day; a gap of weekends, holidays or a summer vacation is no verzuim.",
    ),
    "langdurig_relatief_verzuim": Basis(
        V2,
        (
            VERZUIMMELDING_ANNEX,
            lpw("4", "2"),
            lpw("4c", "2"),
            duo("verzuimsoort langdurig relatief verzuim"),
        ),
        "Enrolled but absent without a valid reason for a month or longer. v2: the pupil's own "
        "hours_per_day in the whole-day test.",
    ),
}

# -- the codes of the exchange format (rules.model.REASONS, rules.model.ARTICLES) ----------------

REASON_CODES: dict[str, Basis] = {
    "ongeoorloofd": Basis(
        V1, (lpw("4", "2"), lpw("4c", "2")), "verzuim without a ground of art. 11"
    ),
    "ziek": Basis(V1, (lpw("11", onderdeel="d"), lpw("12")), '"wegens ziekte verhinderd"'),
    "geoorloofd": Basis(
        V1,
        (lpw("11"), lpw("13a"), lpw("14")),
        "any ground of art. 11 (closure, suspension, religion, leave granted under 13a or 14)",
    ),
    "luxe": Basis(
        V2,
        (lpw("11", onderdeel="f"), lpw("13a", "1"), VERZUIMMELDING_ANNEX),
        "holiday without the verlof of art. 13a: unexcused, and a luxe_verzuim melding",
    ),
    "11a": Basis(
        V2,
        (lpw("11a", "1"), lpw("11a", "2")),
        "a child not yet six: 5 hours a week on the parents' notice (lid 1) plus 5 with the "
        "head's consent (lid 2)",
    ),
}

ARTICLE_CODES: dict[str, Basis] = {
    "5a": Basis(
        V2,
        (lpw("5", onderdeel="a"), lpw("6", "2", "b"), lpw("6", "3"), lpw("7")),
        'physically or mentally unfit; renewed yearly unless "nooit geschikt"',
    ),
    "5b": Basis(V1, (lpw("5", onderdeel="b"), lpw("8")), "objection to the denomination"),
    "5c": Basis(V1, (lpw("5", onderdeel="c"), lpw("9")), "enrolled at a school abroad"),
    "5a_trekkend": Basis(V2, (lpw("5a"),), "trekkend bestaan (travelling life)"),
    "15": Basis(V2, (lpw("15"),), "other education: exempts from kwalificatieplicht only"),
    "3a": Basis(V2, (lpw("3a", "1"),), "vervangende leerplicht from 14: no exemption (v2)"),
    "3b": Basis(
        V2, (lpw("3b", "1"),), "vervangende leerplicht in the last school year: no exemption (v2)"
    ),
}

#: how each exemption code is cited in Dutch text: the code ``5a`` is art. 5 onder a, not art. 5a
ARTICLE_CITATIONS: dict[str, str] = {
    "5a": "artikel 5, onder a",
    "5b": "artikel 5, onder b",
    "5c": "artikel 5, onder c",
    "5a_trekkend": "artikel 5a",
    "15": "artikel 15",
    "3a": "artikel 3a",
    "3b": "artikel 3b",
}

# -- the parts of the rules that docs/rules.md has a section for ---------------------------------

TOPICS: dict[str, Basis] = {
    "calendar": Basis(
        V2,
        SCHOOL_VACATIONS,
        "The statutory summer, Christmas and May vacations per region; autumn and spring "
        "vacations are advised, not statutory. v2: calendars back to 2011/12, each period with its "
        "source.",
    ),
    "leerplicht start": Basis(
        V1,
        (lpw("3", "1"),),
        '"begint op de eerste schooldag van de maand volgende op die waarin de jongere de leeftijd '
        'van vijf jaar bereikt"',
    ),
    "leerplicht end": Basis(
        V2,
        (lpw("3", "1", "a"), lpw("3", "1", "b"), lpw("3", "2")),
        'onder a: "aan het einde van het schooljaar na afloop waarvan de jongere ten minste '
        'twaalf volledige schooljaren een of meer scholen heeft bezocht"; onder b: "aan het '
        'einde van het schooljaar waarin de jongere de leeftijd van zestien jaar heeft bereikt". '
        "v2: full school years counted with the calendars back to 2011/12 and the weekday "
        "fallback.",
    ),
    "kwalificatieplicht": Basis(
        V1,
        (lpw("4a", "1"), lpw("4a", "2"), lpw("4b")),
        '"vangt aan direct na het einde van de leerplicht ... en eindigt zodra de jongere de '
        'leeftijd van 18 jaar bereikt of een startkwalificatie heeft behaald" (art. 4b)',
    ),
    "what counts on a day": Basis(
        V2,
        (lpw("4", "2"), lpw("4c", "2"), lpw("11")),
        '"zolang geen les of praktijktijd wordt verzuimd". v2: the pupil\'s own hours_per_day.',
    ),
    "over three months": Basis(
        V2, (THUISZITTERSPACT,), "v2: one function for status, escalation and monitor"
    ),
    "leerplichttelling": Basis(
        V2,
        (lpw("25", "1"), lpw("25", "2")),
        "lid 1: the yearly report to the council (before 1 October); lid 2: the count to the "
        "minister. v2: absoluut verzuim only where school is missed; 3a/3b counted apart",
    ),
    "leave": Basis(
        V1,
        (lpw("13a", "1"), lpw("13a", "2"), lpw("14", "1"), lpw("14", "3")),
        '13a lid 2: holiday leave "slechts eenmaal voor ten hoogste tien dagen per schooljaar", '
        "not in the first two lesweken; 14 lid 3: the head up to ten days a school year, beyond "
        "that the leerplichtambtenaar",
    ),
    "exemption requests": Basis(
        V1,
        (lpw("5"), lpw("6", "2", "b"), lpw("7"), lpw("8", "2"), lpw("15"), lpw("3a", "1")),
        '6 lid 2 onder b: renew "elk jaar opnieuw voor 1 juli"; 7: the statement "mag niet '
        'ouder zijn dan drie maanden", not by the treating physician; 8 lid 2: objection void '
        "after a year at a school of that denomination",
    ),
    "identifiers": Basis(
        V1,
        (lpw("2", "1"),),
        "enrolment with the burgerservicenummer or onderwijsnummer; the check digits are DUO's "
        "and the BRP's formats",
    ),
    "escalation": Basis(
        V2, (lpw("22", "1"), THUISZITTERSPACT), "v2: over three months is the one function"
    ),
}

# -- choices.py: every constant, and every entry of READINGS --------------------------------------

CHOICES: dict[str, Basis] = {
    "HOURS_16_THRESHOLD": Basis(V1, (lpw("21", "1"), lpw("21a", "1")), '"in totaal zestien uren"'),
    "HOURS_DECIMALS": Basis(
        V1, (lpw("21a", "1"),), "numerical: the same answer in every implementation"
    ),
    "HOURS_16_WINDOW_LESWEKEN": Basis(
        V1, (lpw("21", "1"), lpw("21a", "1")), '"vier opeenvolgende lesweken"'
    ),
    "HOURS_16_MIN_SPACING_DAYS": Basis(
        V1, (duo("verzuim melden: at most one melding per 7 days"),), ""
    ),
    "LRV_RUN_SCHOOL_DAYS": Basis(
        V1,
        (VERZUIMMELDING_ANNEX, duo("verzuimsoort langdurig relatief verzuim")),
        '"1 maand of langer" read as 20 school days (choice, unchanged in v2)',
    ),
    "MAZL_SPELL_DAY": Basis(V1, (ncj("werkwijze MAZL"),), ""),
    "MAZL_SPELLS": Basis(V1, (ncj("werkwijze MAZL"),), ""),
    "MAZL_WINDOW_LESWEKEN": Basis(V1, (ncj("werkwijze MAZL"),), ""),
    "MAZL_4_IN_12_RESTARTS_ON_1_AUGUST": Basis(V1, (ncj("werkwijze MAZL"),), ""),
    "LONG_SICKNESS_SCHOOL_DAYS": Basis(
        V2,
        (PACT_LONG_SICKNESS, ncj("werkwijze MAZL")),
        "no law sets a term: the pact asks that long sickness reaches the samenwerkingsverband; "
        '"4 weeks or more" read as 20 school days, as lrv reads "vier weken" (choice)',
    ),
    "LEAP_DAY_BIRTHDAY_IN_COMMON_YEAR": Basis(V1, (lpw("3", "1"),), ""),
    "FULL_SCHOOL_YEARS_FOR_END": Basis(
        V1, (lpw("3", "1", "a"), lpw("3", "2")), '"ten minste twaalf volledige schooljaren"'
    ),
    "LEERPLICHT_END_AGE": Basis(V1, (lpw("3", "1", "b"),), '"de leeftijd van zestien jaar"'),
    "KWALIFICATIEPLICHT_END_AGE": Basis(V1, (lpw("4b"),), '"de leeftijd van 18 jaar"'),
    "LEERPLICHT_START_AGE": Basis(V1, (lpw("3", "1"),), '"de leeftijd van vijf jaar"'),
    "THUISZITTER_LONG_MONTHS": Basis(V2, (THUISZITTERSPACT,), "v2: one function"),
    "DEFAULT_HOURS_PER_DAY": Basis(
        V1, (lpw("4", "2"),), "the school's hours when schools.csv has none (choice)"
    ),
    "LIBERATION_DAY_EVERY_N_YEARS": Basis(
        V1, SCHOOL_VACATIONS, "public holidays are not in the Regelingen: a convention (choice)"
    ),
}

READINGS: dict[str, Basis] = {
    "leerplicht start in a month without school days": Basis(V1, (lpw("3", "1"),)),
    "open enrolments and the 12 full school years": Basis(V1, (lpw("3", "1", "a"),)),
    "overlapping enrolments": Basis(V1, (lpw("2", "1"), lpw("4a", "1"))),
    "a school's own free days": Basis(V1, SCHOOL_VACATIONS),
    "exemptions and meldingen": Basis(V1, (lpw("5"), lpw("21a", "1"))),
    "absences on days without enrolment": Basis(V1, (lpw("4", "1"),)),
    "hours compared after rounding": Basis(V1, (lpw("21a", "1"),)),
    "thuiszitter episodes": Basis(
        V2, (lpw("2", "1"), lpw("4a", "1"), lpw("25", "1"), lpw("25", "2"), VERZUIMMELDING_ANNEX)
    ),
    "episode over three months": Basis(V2, (THUISZITTERSPACT,)),
    "over three months is one test": Basis(V2, (THUISZITTERSPACT,)),
    "over_3_months for every category": Basis(V1, (THUISZITTERSPACT,)),
}

# -- RULES.md §7 (Rules v2), bullet by bullet: what changed and on which basis -------------------
# A choice or reading that implements one of these can take its entry from here, e.g.
# ``CHOICES["SOME_NEW_CONSTANT"] = V2_CHANGES["five-year-olds"]``.

V2_CHANGES: dict[str, Basis] = {
    "absoluut verzuim only where school is missed": Basis(
        V2,
        (lpw("2", "1"), lpw("4", "1"), lpw("4a", "1")),
        "the duty is to be enrolled and to attend on school days; a stretch without enrolment "
        "that holds no school day (weekend, holiday, summer vacation) misses no school",
    ),
    "3a and 3b are vervangende leerplicht": Basis(
        V2,
        (lpw("3a", "1"), lpw("3b", "1"), lpw("3c", "2")),
        "the pupil follows a programme at a school or instelling: no exemption; registered apart "
        '("het gegeven dat het een vervangende leerplicht betreft", art. 3c lid 2 onder e)',
    ),
    "which duty an exemption covers": Basis(
        V2,
        (lpw("5"), lpw("5a"), lpw("15")),
        "art. 5 and 5a exempt from the duty to enrol (leerplicht and kwalificatieplicht); art. 15 "
        'exempts "van de in artikel 4a opgelegde verplichtingen": kwalificatieplicht only',
    ),
    "5a lapses on 31 July unless permanent": Basis(
        V2,
        (lpw("6", "2", "b"), lpw("6", "3")),
        'the notice is renewed "elk jaar opnieuw voor 1 juli" unless the statement says the child '
        '"nooit geschikt zal zijn"',
    ),
    "5a_trekkend": Basis(V2, (lpw("5a"),), "trekkend bestaan: exempt like art. 5 onder b/c"),
    "the pupil's own timetable": Basis(
        V2,
        (lpw("4", "2"), lpw("4c", "1"), lpw("4c", "2")),
        'verzuim is measured against the pupil\'s own programme ("les of praktijktijd")',
    ),
    "luxe verzuim": Basis(
        V2,
        (lpw("11", onderdeel="f"), lpw("13a", "1"), VERZUIMMELDING_ANNEX, duo("luxe verzuim")),
        'holiday without verlof is unexcused; the annex lists "luxe verzuim" as a kind of '
        "verzuim; DUO: report it regardless of the hours",
    ),
    "five-year-olds": Basis(
        V2,
        (lpw("11a", "1"), lpw("11a", "2")),
        '"nog niet de leeftijd van zes jaar": 5 hours a week on notice (lid 1) plus 5 with the '
        "head's consent (lid 2)",
    ),
    "calendars back to 2011/12": Basis(
        V2,
        SCHOOL_VACATIONS,
        "the statutory vacations per region; autumn and spring advised; 2011–2013 summers differ "
        "for primary and secondary schools (Regeling spreiding zomervakantie 2013 art. 5 lid 1 "
        "and 2), the primary dates are used (choice)",
    ),
    "the 12 full school years without a calendar": Basis(
        V2,
        (lpw("3", "1", "a"), lpw("3", "2")),
        '"twaalf volledige schooljaren": without a calendar a year is full when the pupil was '
        "enrolled on every weekday from 1 September to 30 June (choice)",
    ),
    "over three months is one function": Basis(
        V2, (THUISZITTERSPACT,), "status, escalation proposals and the monitor use one test"
    ),
}

# the choices and readings that implement a v2 change take their basis from it
CHOICES["UNCOVERED_YEAR_WEEKDAY_WINDOW"] = V2_CHANGES["the 12 full school years without a calendar"]
CHOICES["SUMMER_2011_2013_SCHOOL_TYPE"] = V2_CHANGES["calendars back to 2011/12"]
READINGS["school years a calendar covers"] = V2_CHANGES[
    "the 12 full school years without a calendar"
]
READINGS["summer vacations of 2011-2013"] = V2_CHANGES["calendars back to 2011/12"]
READINGS["absoluut verzuim only where school is missed"] = V2_CHANGES[
    "absoluut verzuim only where school is missed"
]
CHOICES["FIVE_YEAR_OLD_LEAVE_HOURS_PER_LESWEEK"] = V2_CHANGES["five-year-olds"]
CHOICES["FIVE_YEAR_OLD_LEAVE_BELOW_AGE"] = V2_CHANGES["five-year-olds"]
READINGS["the child's own timetable"] = V2_CHANGES["the pupil's own timetable"]
READINGS["11a hours on a day"] = V2_CHANGES["five-year-olds"]
READINGS["luxe verzuim meldingen"] = V2_CHANGES["luxe verzuim"]
READINGS["3a and 3b exempt no one"] = V2_CHANGES["3a and 3b are vervangende leerplicht"]
READINGS["art. 15 only under kwalificatieplicht"] = V2_CHANGES["which duty an exemption covers"]
READINGS["art. 5 onder a without end date"] = V2_CHANGES["5a lapses on 31 July unless permanent"]

READINGS["16_uur counting restarts on 1 August"] = Basis(
    V1, (lpw("21", "1"), lpw("21a", "1")), "choice, unchanged in v2"
)
READINGS["a sick day breaks an LRV run"] = Basis(
    V1, (VERZUIMMELDING_ANNEX, duo("verzuimsoort langdurig relatief verzuim")), "choice"
)
READINGS["lrv is 20 school days"] = CHOICES["LRV_RUN_SCHOOL_DAYS"]

TABLES: dict[str, dict[str, Basis]] = {
    "meldingen rule": MELDING_RULES,
    "status category": STATUS_CATEGORIES,
    "reason": REASON_CODES,
    "article": ARTICLE_CODES,
    "topic": TOPICS,
    "choice": CHOICES,
    "reading": READINGS,
    "v2 change": V2_CHANGES,
}


def missing(table: str, names: list[str] | tuple[str, ...]) -> list[str]:
    """The names that have no entry in ``TABLES[table]`` (for the tests and the generator)."""
    entries = TABLES[table]
    return [n for n in names if n not in entries]


def article_citation(code: str) -> str:
    """How an exemptions.csv code is cited in Dutch: ``5a`` → ``artikel 5, onder a``."""
    return ARTICLE_CITATIONS.get(code, f"artikel {code}")
