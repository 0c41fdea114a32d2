from __future__ import annotations

from unittest import mock

import pytest

from inbeeld.accounts.models import Role
from inbeeld.accounts.tests.factories import MembershipFactory, actor_for


@pytest.fixture
def beheer(db):
    """A functioneel beheerder: may import and run detection."""
    return actor_for(MembershipFactory(role=Role.FUNCTIONEEL_BEHEERDER))


@pytest.fixture
def database_backend(settings):
    """Tasks queued in the database, as in production; the test runs the worker's loop."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def work_off_the_queue() -> None:
    """What ``inbeeld worker`` does, until the queue is empty (its processing function). Inside
    the test's transaction: the worker's closing of old connections is left out (it would close
    the test's connection on PostgreSQL)."""
    from django_tasks_db.management.commands import db_worker

    with mock.patch.object(db_worker, "close_old_connections", return_value=None):
        _worker().run()


def _worker():
    from django_tasks_db.management.commands.db_worker import Worker

    return Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
