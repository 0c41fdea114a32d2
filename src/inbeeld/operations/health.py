"""``/gezondheid/`` for the load balancer: database, cache, task worker, migrations.

JSON, no login, no personal data: each check says ok or not and, briefly, why. HTTP 200 when all
are ok, 503 otherwise (the load balancer takes the machine out of rotation).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.core.cache import cache
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django_tasks_db.backend import DatabaseBackend

from inbeeld.operations import heartbeat

Check = tuple[bool, str]

#: once all migrations are applied they stay so for the life of the process
_migrated = False


def database() -> Check:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        (one,) = cursor.fetchone()
    return one == 1, connection.vendor


def cache_check() -> Check:
    key, value = "inbeeld:gezondheid", uuid.uuid4().hex
    cache.set(key, value, 30)
    return cache.get(key) == value, type(cache).__name__


def worker() -> Check:
    backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
    if not isinstance(backend, DatabaseBackend):
        # tasks run where they are queued (the tests): there is no worker to wait for
        return True, type(backend).__name__
    last = heartbeat.newest()
    if last is None:
        return False, "no heartbeat yet"
    age = int((timezone.now() - last.seen_at).total_seconds())
    return heartbeat.alive(), f"last heartbeat {age} s ago"


def migrations() -> Check:
    global _migrated
    if _migrated:
        return True, "applied"
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    _migrated = not plan
    return _migrated, "applied" if _migrated else f"{len(plan)} not applied"


CHECKS: dict[str, Callable[[], Check]] = {
    "database": database,
    "cache": cache_check,
    "worker": worker,
    "migrations": migrations,
}


def _run(check: Callable[[], Check]) -> dict[str, object]:
    try:
        ok, detail = check()
    except Exception as error:  # a health check answers, whatever broke
        ok, detail = False, type(error).__name__
    return {"ok": ok, "detail": detail}


@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    checks = {name: _run(check) for name, check in CHECKS.items()}
    healthy = all(c["ok"] for c in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "fail", "checks": checks}, status=200 if healthy else 503
    )
