"""An import-linter contract type for what the built-in ``forbidden`` contract cannot see: a
submodule of an external package, such as ``django.apps`` (pyproject.toml, ``[tool.importlinter]``).

The import graph holds an external package as one module (``django``), so ``forbidden`` can forbid
``django`` but not ``django.apps``. This contract reads the lines that import the external package
instead: a line naming a forbidden submodule (``from django.apps import apps``, ``import
django.apps``, ``from django import apps``) in a source module breaks it, unless the importer is
one of ``ignore_modules``.

Used by ``lint-imports`` only (it needs import-linter, a development dependency).
"""

from __future__ import annotations

import re

from grimp import ImportGraph
from importlinter import Contract, ContractCheck, fields, output
from importlinter.domain.helpers import module_expressions_to_modules


def _pattern(forbidden: str) -> re.Pattern[str]:
    """A line of Python that imports the module ``forbidden`` (or something in it)."""
    parent, _, name = forbidden.rpartition(".")
    dotted = re.escape(forbidden)
    return re.compile(
        rf"^\s*(from\s+{dotted}(\.|\s)"
        rf"|import\s+(.*[\s,])?{dotted}(\.|\s|,|$)"
        rf"|from\s+{re.escape(parent)}\s+import\s+(.*[\s,(])?{re.escape(name)}(\s|,|\)|$))"
    )


class ForbiddenExternalSubmoduleContract(Contract):
    """No module in ``source_modules`` (as packages) imports one of ``forbidden_modules``
    (submodules of external packages), except the modules of ``ignore_modules``."""

    type_name = "forbidden_external_submodule"

    source_modules = fields.ListField(subfield=fields.ModuleExpressionField())
    forbidden_modules = fields.ListField(subfield=fields.StringField())
    ignore_modules = fields.ListField(subfield=fields.ModuleExpressionField(), required=False)

    def check(self, graph: ImportGraph, verbose: bool) -> ContractCheck:
        sources = module_expressions_to_modules(
            graph,
            self.source_modules,  # type: ignore[arg-type]
            as_packages=True,
            raise_if_unmatched=True,
        )
        ignored = module_expressions_to_modules(
            graph,
            self.ignore_modules or [],  # type: ignore[arg-type]
            as_packages=True,
        )
        importers = sorted(m.name for m in sources - ignored)
        violations = []
        for forbidden in self.forbidden_modules:  # type: ignore[attr-defined]
            root = forbidden.split(".")[0]
            pattern = _pattern(forbidden)
            output.verbose_print(verbose, f"Searching for imports of {forbidden}...")
            for importer in importers:
                if not graph.direct_import_exists(importer=importer, imported=root):
                    continue
                for detail in graph.get_import_details(importer=importer, imported=root):
                    if pattern.search(detail["line_contents"]):
                        violations.append(
                            (importer, detail["line_number"], detail["line_contents"], forbidden)
                        )
        return ContractCheck(kept=not violations, metadata={"violations": violations})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for importer, line_number, line, forbidden in check.metadata["violations"]:
            output.print_error(f"{importer} imports {forbidden}:", bold=True)
            output.indent_cursor()
            output.print_error(f"l.{line_number}: {line}", bold=False)
            output.new_line()
