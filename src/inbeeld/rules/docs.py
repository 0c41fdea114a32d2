"""Generate ``docs/rules.md`` from the rules' docstrings and ``choices.py``.

    python -m inbeeld.rules.docs > docs/rules.md

The test suite checks that the committed file is what this prints, so the documentation cannot
drift from the code.
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


def _lookup(module: ModuleType, dotted: str) -> object:
    obj: object = module
    for part in dotted.split("."):
        obj = getattr(obj, part)
    if isinstance(obj, property):
        return obj.fget
    return obj


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
            rows.append(f"| `{target.id}` | `{value!r}` | {' '.join(comment)} |")
    readings = [f"| {name} | {text} |" for name, text in choices.READINGS.items()]
    return [
        "| constant | value | meaning |",
        "|---|---|---|",
        *rows,
        "",
        "Readings that are not numbers:",
        "",
        "| subject | reading |",
        "|---|---|",
        *readings,
    ]


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
    ]
    for title, module, names in SECTIONS:
        out += ["", f"## {title}", "", f"Module `{module.__name__}`.", ""]
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
