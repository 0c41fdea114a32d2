"""API lists record one view per child on the page (issue 9 finding 7): before, a list wrote one
row without a child, so the read appeared in no child's access history. A 404 for an id is a
refused attempt, recorded without a child."""

from __future__ import annotations

import pytest

from inbeeld.api.base import ApiViewSet
from inbeeld.audit.models import AuditEvent
from inbeeld.audit.services import REFUSED

LISTS = [
    "/api/v1/students?limit=1000",
    "/api/v1/enrolments",
    "/api/v1/absences",
    "/api/v1/exemptions",
    "/api/v1/findings",
]


@pytest.mark.parametrize("url", LISTS)
def test_a_list_names_every_child_on_the_page(sides, url):
    side_a, _side_b = sides
    response = side_a.client().get(url)
    assert response.status_code == 200
    assert response.json()["results"]
    views = AuditEvent.objects.filter(action="view", student__isnull=False)
    assert set(views.values_list("student_id", flat=True)) == {side_a.student.pk}
    assert views.get().summary.startswith("API GET /api/v1/")
    # the search itself (what was asked) is still recorded once
    assert AuditEvent.objects.filter(action="search").count() == 1


def test_the_list_shows_in_the_childs_access_history(sides):
    side_a, _ = sides
    side_a.client().get("/api/v1/students?limit=1000")
    assert AuditEvent.objects.filter(student=side_a.student, user=side_a.user).exists()


def test_every_list_endpoint_says_where_its_rows_name_a_child():
    """``list_response`` refuses a view set without ``student_field``: none may forget it."""
    for cls in _subclasses(ApiViewSet):
        if "list_response" in _source_of_list(cls):
            assert cls.student_field, f"{cls.__name__} lists without student_field"


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _source_of_list(cls) -> str:
    import inspect

    method = cls.__dict__.get("list")
    return inspect.getsource(method) if method else ""


def test_an_unknown_or_out_of_scope_id_is_a_refused_attempt(sides):
    side_a, side_b = sides
    response = side_a.client().get(f"/api/v1/students/{side_b.student.pk}")
    assert response.status_code == 404
    refused = AuditEvent.objects.get(action=REFUSED)
    assert refused.student_id is None
    assert refused.object_id == str(side_b.student.pk)
    assert refused.user_id == side_a.user.pk
    # the same answer as for an id nobody has
    missing = side_a.client().get("/api/v1/students/999999")
    assert missing.status_code == 404
    assert missing.json()["detail"] == response.json()["detail"]
