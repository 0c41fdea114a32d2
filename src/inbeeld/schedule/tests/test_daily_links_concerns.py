"""Issue 9: a concern about a child not yet in Inbeeld is linked by the next daily run."""

from __future__ import annotations

import datetime as dt

from inbeeld.concerns.tests.conftest import ON, register, world  # noqa: F401 (a fixture)
from inbeeld.concerns.tests.test_verwijsindex import UNKNOWN_BSN
from inbeeld.people.tests.factories import StudentFactory
from inbeeld.schedule import daily


def test_the_daily_run_links_pending_concerns(world):  # noqa: F811 (the fixture)
    pending = register(world, "jeugdarts", bsn=UNKNOWN_BSN, birth_date=dt.date(2013, 2, 3), on=ON)
    child = StudentFactory(bsn=UNKNOWN_BSN, birth_date=dt.date(2013, 2, 3))
    report = daily.run_day(on=ON)
    assert report.done["koppelen"] == "1 zorgen gekoppeld aan een leerling"
    pending.refresh_from_db()
    assert pending.student == child
