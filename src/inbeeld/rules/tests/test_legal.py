"""The legal table (rules.legal) and what docs/rules.md shows of it (issue 10).

Every link must be a well-formed wetten.overheid.nl link (BWB identifier BWBR + 7 digits, an
article); every rule, status category, code, choice and reading must have an entry, and a name
without one must fail here with its name (the generator itself prints it as missing, so that
``make docs`` works while a stream is unmerged).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from inbeeld.rules import absence, choices, docs, legal, model, status

RULES_MD = Path(__file__).resolve().parents[4] / "docs" / "rules.md"
LINK = re.compile(r"https://wetten\.overheid\.nl/jci1\.3:c:(BWBR\d{7})&artikel=(\d+[a-z]*)")


#: the names each table of rules/legal.py must cover, as the code defines them
NAMED = [
    ("meldingen rule", absence.RULES),
    ("status category", status.CATEGORIES),
    ("reason", model.REASONS),
    ("article", model.ARTICLES),
    ("choice", tuple(docs.choice_names())),
    ("reading", tuple(choices.READINGS)),
]


def _all_entries():
    for table, entries in legal.TABLES.items():
        for name, basis in entries.items():
            yield table, name, basis


@pytest.mark.parametrize(
    ("table", "name", "basis"),
    list(_all_entries()),
    ids=[f"{t}:{n}" for t, n, _ in _all_entries()],
)
def test_every_entry_has_a_version_and_well_formed_sources(table, name, basis):
    assert basis.version in legal.VERSIONS, f"{table} {name!r}: version {basis.version!r}"
    assert basis.citations, f"{table} {name!r} has no source"
    for c in basis.citations:
        if c.is_law:
            assert legal.BWB_ID.fullmatch(c.bwb), f"{table} {name!r}: BWB id {c.bwb!r}"
            assert c.bwb in legal.TITLES, f"{table} {name!r}: no title for {c.bwb}"
            assert re.fullmatch(r"\d+[a-z]*", c.article), f"{table} {name!r}: article {c.article!r}"
            assert c.lid == "" or c.lid.isdigit(), f"{table} {name!r}: lid {c.lid!r}"
            assert c.onderdeel in ("", legal.ANNEX) or re.fullmatch(r"[a-z]", c.onderdeel)
            match = LINK.fullmatch(c.url)
            assert match, f"{table} {name!r}: link {c.url!r}"
            assert match.groups() == (c.bwb, c.article)
            assert not c.guidance_url
        else:
            assert c.url.startswith("https://"), f"{table} {name!r}: guidance without a link"
            assert c.article, f"{table} {name!r}: guidance without a name"
    if not basis.law_applies:
        assert basis.markdown().startswith("no law applies; guidance: ")


@pytest.mark.parametrize(("table", "names"), NAMED)
def test_every_name_has_a_legal_basis(table, names):
    missing = legal.missing(table, names)
    assert not missing, (
        f"no legal basis for the {table}(s) {', '.join(map(repr, missing))}: add an entry "
        f"(BWB id, article, version) to the {table} table in src/inbeeld/rules/legal.py and run "
        "`make docs`"
    )


@pytest.mark.parametrize(("table", "names"), NAMED)
def test_no_entry_without_its_name(table, names):
    stale = sorted(set(legal.TABLES[table]) - set(names))
    assert not stale, f"rules/legal.py has a {table} entry for {stale}, which no longer exists"


def test_every_section_of_the_docs_has_its_topics():
    titles = [title for title, _, _ in docs.SECTIONS]
    unknown = [t for t in titles if t not in docs.SECTION_TOPICS]
    assert not unknown, f"add these sections to rules.docs.SECTION_TOPICS: {unknown}"
    topics = [topic for t in titles for topic in docs.SECTION_TOPICS[t]]
    assert legal.missing("topic", topics) == []
    assert set(legal.TOPICS) == set(topics), "every topic of rules/legal.py is shown once"


def test_a_name_without_an_entry_is_printed_as_missing_and_fails_by_name(monkeypatch):
    monkeypatch.setattr(
        choices, "READINGS", {**choices.READINGS, "a reading added later": "RULES.md §7."}
    )
    monkeypatch.delitem(legal.CHOICES, "HOURS_16_THRESHOLD")
    text = docs.render()  # does not raise
    assert "| a reading added later | RULES.md §7. | " + docs.MISSING in text
    assert "| `HOURS_16_THRESHOLD` | `16.0` |" in text
    row = next(line for line in text.splitlines() if line.startswith("| `HOURS_16_THRESHOLD`"))
    assert row.endswith(f"| {docs.MISSING} | {docs.MISSING} |")
    assert legal.missing("reading", tuple(choices.READINGS)) == ["a reading added later"]
    assert legal.missing("choice", docs.choice_names()) == ["HOURS_16_THRESHOLD"]


def _row(text: str, name: str) -> str:
    rows = [line for line in text.splitlines() if line.startswith(f"| `{name}` |")]
    assert len(rows) == 1, f"docs/rules.md has {len(rows)} rows for {name!r}"
    return rows[0]


@pytest.mark.parametrize(
    ("table", "name"),
    [("meldingen rule", r) for r in absence.RULES]
    + [("status category", c) for c in status.CATEGORIES]
    + [("reason", r) for r in model.REASONS]
    + [("article", a) for a in model.ARTICLES],
)
def test_docs_rules_md_lists_each_rule_and_category_with_its_basis_and_version(table, name):
    text = RULES_MD.read_text(encoding="utf-8")
    assert docs.MISSING not in text
    row = _row(text, name)
    basis = legal.TABLES[table][name]
    assert row.startswith(f"| `{name}` | {basis.version} | ")
    for c in basis.citations:
        assert f"({c.url})" in row, f"{name}: {c.text} not linked"
        if c.is_law:
            assert f"({c.bwb})" in row
            assert c.article_text in row
    if not basis.law_applies:
        assert "no law applies" in row


# -- the citations the review found swapped, against the text of the law -------------------------

CITED = [
    # art. 3 lid 1 onder a: "twaalf volledige schooljaren"; onder b: "de leeftijd van zestien jaar"
    ("choice", "FULL_SCHOOL_YEARS_FOR_END", ("3", "1", "a")),
    ("choice", "LEERPLICHT_END_AGE", ("3", "1", "b")),
    ("choice", "KWALIFICATIEPLICHT_END_AGE", ("4b", "", "")),
    ("topic", "leerplicht end", ("3", "1", "a")),
    ("topic", "leerplicht end", ("3", "1", "b")),
    # art. 13a lid 2: once, at most ten days, not the first two lesweken; art. 14 lid 3: ten days
    ("topic", "leave", ("13a", "2", "")),
    ("topic", "leave", ("14", "3", "")),
    # art. 6 lid 2 onder b: renewal before 1 July; art. 7: statement at most three months old
    ("topic", "exemption requests", ("6", "2", "b")),
    ("topic", "exemption requests", ("7", "", "")),
    # the code 5a is art. 5 onder a; art. 5a is trekkend bestaan
    ("article", "5a", ("5", "", "a")),
    ("article", "5a_trekkend", ("5a", "", "")),
    ("article", "15", ("15", "", "")),
    ("reason", "11a", ("11a", "1", "")),
    ("meldingen rule", "16_uur", ("21a", "1", "")),
]


@pytest.mark.parametrize(("table", "name", "cited"), CITED)
def test_citations_follow_the_text_of_the_law(table, name, cited):
    found = {(c.article, c.lid, c.onderdeel) for c in legal.TABLES[table][name].citations}
    assert cited in found


def test_leerplicht_end_citations_are_not_swapped():
    def articles(name):
        return {(c.article, c.lid, c.onderdeel) for c in legal.CHOICES[name].citations}

    assert ("3", "1", "b") not in articles("FULL_SCHOOL_YEARS_FOR_END")
    assert ("3", "1", "a") not in articles("LEERPLICHT_END_AGE")


CHOICE_CITATION = re.compile(r"art\. (\d+[a-z]?) lid (\d+)(?: onder)? ([a-z])\b")


def test_the_comments_of_choices_cite_what_the_legal_table_cites():
    """A comment in choices.py that names an onderdeel (``art. 3 lid 1 onder a``) cites one of the
    sources of that choice in rules/legal.py, so the two cannot drift apart again."""
    source = Path(choices.__file__).read_text(encoding="utf-8")
    lines = source.splitlines()
    checked = 0
    for name in docs.choice_names():
        line_no = next(i for i, line in enumerate(lines) if line.startswith(f"{name} "))
        comment = []
        i = line_no - 1
        while i >= 0 and lines[i].startswith("#:"):
            comment.insert(0, lines[i])
            i -= 1
        cited = {(c.article, c.lid, c.onderdeel) for c in legal.CHOICES[name].citations}
        for match in CHOICE_CITATION.finditer(" ".join(comment)):
            assert match.groups() in cited, f"{name}: comment cites {match.group(0)!r}"
            checked += 1
    assert checked >= 2


@pytest.mark.parametrize(
    ("code", "text"),
    [
        ("5a", "artikel 5, onder a"),
        ("5b", "artikel 5, onder b"),
        ("5c", "artikel 5, onder c"),
        ("5a_trekkend", "artikel 5a"),
        ("15", "artikel 15"),
        ("3a", "artikel 3a"),
        ("3b", "artikel 3b"),
        ("99", "artikel 99"),
    ],
)
def test_article_citation_in_dutch(code, text):
    assert legal.article_citation(code) == text


def test_every_article_code_has_its_dutch_citation():
    assert set(legal.ARTICLE_CITATIONS) == set(model.ARTICLES)


@pytest.mark.parametrize(
    ("citation", "text", "url"),
    [
        (
            legal.lpw("3", "1", "a"),
            "LPW art. 3 lid 1 onder a",
            "https://wetten.overheid.nl/jci1.3:c:BWBR0002628&artikel=3",
        ),
        (
            legal.lpw("21a"),
            "LPW art. 21a",
            "https://wetten.overheid.nl/jci1.3:c:BWBR0002628&artikel=21a",
        ),
        (
            legal.VERZUIMMELDING_ANNEX,
            "Besluit verzuimmelding art. 2 and its bijlage",
            "https://wetten.overheid.nl/jci1.3:c:BWBR0027085&artikel=2",
        ),
    ],
)
def test_citation_text_and_link(citation, text, url):
    assert citation.text == text
    assert citation.url == url


def test_markdown_groups_articles_of_one_regulation():
    basis = legal.Basis(legal.V1, (legal.lpw("21", "1"), legal.lpw("21a", "1"), legal.duo("x")))
    assert basis.markdown() == (
        "Leerplichtwet 1969 (BWBR0002628): "
        "[art. 21 lid 1](https://wetten.overheid.nl/jci1.3:c:BWBR0002628&artikel=21), "
        "[art. 21a lid 1](https://wetten.overheid.nl/jci1.3:c:BWBR0002628&artikel=21a); "
        "guidance (no law): [DUO, x](https://duo.nl/zakelijk/)"
    )
    only_guidance = legal.Basis(legal.V1, (legal.ncj("MAZL"),))
    assert only_guidance.markdown() == "no law applies; guidance: [NCJ, MAZL](https://www.ncj.nl/)"


def test_every_change_of_rules_v2_is_v2_and_in_the_docs():
    text = RULES_MD.read_text(encoding="utf-8")
    assert len(legal.V2_CHANGES) == 11  # the bullets of RULES.md §7 that change behaviour
    for name, basis in legal.V2_CHANGES.items():
        assert basis.version == legal.V2, name
        assert f"| {name} | v2 | {basis.markdown()} |" in text, name


def test_the_duty_code_cites_the_leerplicht_end_as_the_law_does():
    from inbeeld.rules import duty
    from inbeeld.rules.engine import duty as engine_duty

    assert "LPW art. 3 lid 1 onder b" in duty.leerplicht_end_by_age.__doc__
    assert "LPW art. 3 lid 1 onder a" in duty.full_school_years.__doc__
    assert "(art. 3 lid 1 onder a)" in engine_duty._twelfth_full_year_end.__doc__
    source = Path(engine_duty.__file__).read_text(encoding="utf-8")
    for path_source in (Path(duty.__file__).read_text(encoding="utf-8"), source):
        assert not re.search(r"art\. 3 lid 1 [ab]\b", path_source), "write 'onder a' / 'onder b'"
