"""Generate ``docs/rules.md`` from the rules' docstrings, ``choices.py`` and ``legal.py``.

    python -m inbeeld.rules.docs > docs/rules.md

The test suite checks that the committed file is what this prints, so the documentation cannot
drift from the code. The legal basis (BWB identifier, article, link) and the version (v1/v2) of
every rule, status, code, choice and reading come from ``rules.legal``; a name without an entry
there is printed as missing (and fails ``rules/tests/test_legal.py``, which names it).
"""

from __future__ import annotations

import ast
import inspect
from importlib import resources
from types import ModuleType

from inbeeld.rules import (
    absence,
    calendar,
    choices,
    duty,
    episodes,
    escalation,
    exemption_review,
    identifiers,
    leave,
    legal,
    model,
    periods,
    reference,
    status,
)

SECTIONS: list[tuple[str, ModuleType, list[str]]] = [
    (
        "Calendar (RULES.md §1)",
        calendar,
        [
            "public_holidays",
            "school_year_start",
            "school_calendar_key",
            "SchoolCalendar.is_school_day",
            "SchoolCalendar.is_lesweek",
            "SchoolCalendar.lesweek_window_start",
            "combine_school_free_periods",
            "add_months_clipped",
        ],
    ),
    (
        "Duty: leerplicht and kwalificatieplicht (RULES.md §2)",
        duty,
        [
            "birthday",
            "home_region",
            "leerplicht_start",
            "leerplicht_end_by_age",
            "full_school_years",
            "leerplicht_end",
            "kwalificatieplicht_end",
            "DutyPeriod.on",
        ],
    ),
    (
        "What counts on a day (RULES.md §3)",
        absence,
        ["effective_enrolment", "school_days", "SchoolDayFacts.whole_day_unexcused"],
    ),
    ("Meldingen (RULES.md §4)", absence, ["meldingen_for"]),
    (
        "Status on a reference date (RULES.md §5)",
        status,
        ["status_on", "absoluut_verzuim_since"],
    ),
    (
        "Over three months (RULES.md §5, §7)",
        periods,
        ["over_three_months", "latest_since_over_three_months", "first_day_over_three_months"],
    ),
    (
        "Thuiszitter episodes (RULES.md §5 over a school year; LPW art. 25)",
        episodes,
        ["absoluut_verzuim_stretches", "episodes_of_student"],
    ),
    (
        "Identifiers (RULES.md §6)",
        identifiers,
        ["is_valid_bsn", "is_valid_onderwijsnummer", "is_valid_brin"],
    ),
    ("Leave requests (LPW art. 13a, 14)", leave, ["assess_leave_request"]),
    (
        "Exemption requests (LPW art. 5, 15, 3a)",
        exemption_review,
        ["check_exemption_request"],
    ),
    ("Escalation (issue 4 §3)", escalation, ["escalation_reasons", "escalation_proposal"]),
    ("One child at a time", reference, ["analyse_student"]),
]

#: the entries of ``legal.TOPICS`` that give each section's legal basis (none: the section's rules
#: and categories are in the overview table)
SECTION_TOPICS: dict[str, tuple[str, ...]] = {
    "Calendar (RULES.md §1)": ("calendar",),
    "Duty: leerplicht and kwalificatieplicht (RULES.md §2)": (
        "leerplicht start",
        "leerplicht end",
        "kwalificatieplicht",
    ),
    "What counts on a day (RULES.md §3)": ("what counts on a day",),
    "Meldingen (RULES.md §4)": (),
    "Status on a reference date (RULES.md §5)": (),
    "Over three months (RULES.md §5, §7)": ("over three months",),
    "Thuiszitter episodes (RULES.md §5 over a school year; LPW art. 25)": ("leerplichttelling",),
    "Identifiers (RULES.md §6)": ("identifiers",),
    "Leave requests (LPW art. 13a, 14)": ("leave",),
    "Exemption requests (LPW art. 5, 15, 3a)": ("exemption requests",),
    "Escalation (issue 4 §3)": ("escalation",),
    "One child at a time": (),
}

MISSING = "**missing in `rules/legal.py`**"


def _lookup(module: ModuleType, dotted: str) -> object:
    obj: object = module
    for part in dotted.split("."):
        obj = getattr(obj, part)
    if isinstance(obj, property):
        return obj.fget
    return obj


def _basis(table: str, name: str) -> tuple[str, str]:
    """(version, linked sources) of one entry, or the missing marker (never an error)."""
    basis = legal.TABLES[table].get(name)
    if basis is None:
        return MISSING, MISSING
    return basis.version, basis.markdown()


def _legal_table(table: str, names: tuple[str, ...] | list[str], heading: str) -> list[str]:
    rows = []
    for name in names:
        basis = legal.TABLES[table].get(name)
        version, sources = _basis(table, name)
        note = basis.note if basis is not None else ""
        rows.append(f"| `{name}` | {version} | {sources} | {note} |")
    return [f"| {heading} | version | legal basis | what it says |", "|---|---|---|---|", *rows]


def _legal_overview() -> list[str]:
    def rows(entries: dict[str, legal.Basis]) -> list[str]:
        return [f"| {n} | {b.version} | {b.markdown()} | {b.note} |" for n, b in entries.items()]

    return [
        "## Legal basis and version of each rule",
        "",
        "Each rule names the regulation by its BWB identifier (Leerplichtwet 1969 = BWBR0002628) "
        "and article, linked to its current text on wetten.overheid.nl; lid and onderdeel are in "
        "the text. Where no law applies the row says so and names the guidance (DUO, NCJ, the "
        "Thuiszitterspact). **v2** marks what RULES.md §7 (Rules v2) changed; **v1** is unchanged. "
        "The table lives in `src/inbeeld/rules/legal.py`.",
        "",
        "Meldingen (RULES.md §4):",
        "",
        *_legal_table("meldingen rule", absence.RULES, "rule"),
        "",
        "Status categories (RULES.md §5):",
        "",
        *_legal_table("status category", status.CATEGORIES, "category"),
        "",
        "Reasons of absences.csv (RULES.md §3, §7):",
        "",
        *_legal_table("reason", model.REASONS, "reason"),
        "",
        "Articles of exemptions.csv (RULES.md §6, §7):",
        "",
        *_legal_table("article", model.ARTICLES, "code"),
        "",
        "Parts of the rules:",
        "",
        "| part | version | legal basis | what it says |",
        "|---|---|---|---|",
        *rows(legal.TOPICS),
        "",
        "What Rules v2 (RULES.md §7) changed, and on which basis:",
        "",
        "| change | version | legal basis | what it says |",
        "|---|---|---|---|",
        *rows(legal.V2_CHANGES),
    ]


def _choices_table() -> list[str]:
    source = resources.files("inbeeld.rules").joinpath("choices.py").read_text("utf-8")
    tree = ast.parse(source)
    lines = source.splitlines()
    rows = []
    for node in tree.body:
        if isinstance(node, ast.Assign | ast.AnnAssign):
            target = node.targets[0] if isinstance(node, ast.Assign) else node.target
            if not isinstance(target, ast.Name):
                continue
            comment: list[str] = []
            i = node.lineno - 2
            while i >= 0 and lines[i].lstrip().startswith("#:"):
                comment.insert(0, lines[i].lstrip()[2:].strip())
                i -= 1
            if target.id == "READINGS":
                continue
            value = getattr(choices, target.id)
            version, sources = _basis("choice", target.id)
            rows.append(
                f"| `{target.id}` | `{value!r}` | {' '.join(comment)} | {version} | {sources} |"
            )
    readings = []
    for name, text in choices.READINGS.items():
        version, sources = _basis("reading", name)
        readings.append(f"| {name} | {text} | {version} | {sources} |")
    return [
        "| constant | value | meaning | version | legal basis |",
        "|---|---|---|---|---|",
        *rows,
        "",
        "Readings that are not numbers:",
        "",
        "| subject | reading | version | legal basis |",
        "|---|---|---|---|",
        *readings,
    ]


def choice_names() -> list[str]:
    """The names of the constants of ``choices.py`` (READINGS aside), in file order."""
    source = resources.files("inbeeld.rules").joinpath("choices.py").read_text("utf-8")
    names = []
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign | ast.AnnAssign):
            target = node.targets[0] if isinstance(node, ast.Assign) else node.target
            if isinstance(target, ast.Name) and target.id != "READINGS":
                names.append(target.id)
    return names


def render() -> str:
    out = [
        "# The rules as code",
        "",
        "Generated from the docstrings of `src/inbeeld/rules/` by `make docs`; do not edit by hand.",
        "RULES.md (`../shared/domain/RULES.md`) is the contract; this page shows where each part of it",
        "lives in the code and which law it cites. Two implementations compute the same answers: the",
        "simple one below (one child, one day at a time) and the bulk engine in",
        "`src/inbeeld/rules/engine/`, checked against each other row for row in the tests.",
        "",
        "## Choices where the law leaves room",
        "",
        "Every interpretation is a named constant in `src/inbeeld/rules/choices.py`:",
        "",
        *_choices_table(),
        "",
        *_legal_overview(),
    ]
    for title, module, names in SECTIONS:
        out += ["", f"## {title}", "", f"Module `{module.__name__}`.", ""]
        for topic in SECTION_TOPICS.get(title, ()):
            version, sources = _basis("topic", topic)
            out += [f"Legal basis of {topic} ({version}): {sources}.", ""]
        module_doc = inspect.getdoc(module)
        if module_doc:
            out += [module_doc, ""]
        for name in names:
            obj = _lookup(module, name)
            doc = inspect.getdoc(obj) or ""
            out += [f"### `{name}`", "", doc, ""]
    return "\n".join(out).rstrip() + "\n"


if __name__ == "__main__":
    print(render(), end="")
