"""The API's pages and their number of matches (api.base.ApiPagination): the number rides along
with the page's own query, and is the same as counting apart, wherever the page starts."""

from __future__ import annotations

import datetime as dt

import pytest
from rest_framework.request import Request

from inbeeld.api.base import ApiPagination
from inbeeld.attendance.tests.factories import EnrolmentFactory, pupil
from inbeeld.people.models import Student


@pytest.fixture
def school_with_pupils(sides):
    side_a, _side_b = sides
    for n in range(6):
        pupil(side_a.school, family_name=f"Jansen {n}")
    pupil(side_a.school, family_name="Visser")
    return side_a


@pytest.mark.parametrize("offset", [0, 1, 3, 6, 7, 8, 50, 2**31 + 1, 10**25])
@pytest.mark.parametrize("search", ["", "jansen", "nobody-has-this-name"])
def test_the_number_is_the_same_on_every_page(school_with_pupils, offset, search):
    side = school_with_pupils
    response = side.client().get(f"/api/v1/students?limit=3&offset={offset}&search={search}")
    assert response.status_code == 200
    body = response.json()
    everything = side.client().get(f"/api/v1/students?limit=1000&search={search}").json()
    assert body["count"] == len(everything["results"])
    assert [r["id"] for r in body["results"]] == [
        r["id"] for r in everything["results"][offset : offset + 3]
    ]
    assert (body["next"] is not None) == (offset + 3 < body["count"])


def test_a_distinct_query_is_counted_apart(school_with_pupils, rf):
    """A window would count the rows before DISTINCT (a pupil with two enrolments twice): such a
    query is counted on its own."""
    school = school_with_pupils.school
    twice = pupil(school, family_name="Twee keer")
    EnrolmentFactory(student=twice, school=school, start_date=dt.date(2019, 8, 1))
    rows = Student.objects.filter(enrolments__school=school).distinct().order_by("pk")
    paginator = ApiPagination()
    page = paginator.paginate_queryset(rows, Request(rf.get("/api/v1/students?limit=2")))
    assert len(page) == 2
    assert paginator.count == len(set(rows.values_list("pk", flat=True))) == 9
