"""The import-linter contract that keeps ``apps.get_model`` out of the apps (pyproject.toml): which
lines import ``django.apps``, and that lint-imports reports a new one."""

from __future__ import annotations

import pytest
from grimp import ImportGraph

from inbeeld.conf.import_contracts import ForbiddenExternalSubmoduleContract, _pattern


@pytest.mark.parametrize(
    "line",
    [
        "from django.apps import apps",
        "from django.apps import (",
        "from django.apps.registry import apps",
        "import django.apps",
        "import os, django.apps.registry",
        "from django import apps",
        "from django import conf, apps",
        "from django import (apps,",
    ],
)
def test_a_line_that_imports_the_app_registry_is_seen(line):
    assert _pattern("django.apps").search(line)


@pytest.mark.parametrize(
    "line",
    [
        "from django.db import models",
        "from django.appsx import y",
        "import django",
        "from django import conf",
        "from django.contrib.auth import get_user_model",
        "from django import appsx",
    ],
)
def test_other_lines_are_not(line):
    assert not _pattern("django.apps").search(line)


def _graph(*imports: tuple[str, str]) -> ImportGraph:
    graph = ImportGraph()
    for importer, line in imports:
        parts = importer.split(".")
        for end in range(1, len(parts) + 1):  # the module and its packages
            graph.add_module(".".join(parts[:end]))
        graph.add_import(importer=importer, imported="django", line_number=3, line_contents=line)
    return graph


def _check(graph: ImportGraph):
    contract = ForbiddenExternalSubmoduleContract(
        name="no app registry",
        session_options={"root_packages": ["app"]},
        contract_options={
            "source_modules": ["app"],
            "forbidden_modules": ["django.apps"],
            "ignore_modules": ["app.*.apps", "app.*.migrations"],
        },
    )
    return contract.check(graph, verbose=False)


def test_the_contract_is_broken_by_a_back_door_and_kept_by_appconfig_and_migrations():
    graph = _graph(
        ("app", "from django.db import models"),
        ("app.concerns.apps", "from django.apps import AppConfig"),
        ("app.concerns.migrations.0003_x", "from django.apps import apps"),
        ("app.concerns.services", "from django.db import transaction"),
    )
    assert _check(graph).kept
    graph.add_import(
        importer="app.concerns.services",
        imported="django",
        line_number=15,
        line_contents="from django.apps import apps",
    )
    check = _check(graph)
    assert not check.kept
    assert check.metadata["violations"] == [
        ("app.concerns.services", 15, "from django.apps import apps", "django.apps")
    ]
