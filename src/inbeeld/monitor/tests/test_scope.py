"""One scope type decides what an organisation may count: the dashboard's scope is the
telling's (``FigureScope.for_organisation``), with the pupils and the cases in the same place."""

from __future__ import annotations

import pytest
from django.db.models import Q

from inbeeld.attendance.tests.factories import actor_for
from inbeeld.monitor import selectors
from inbeeld.monitor.scope import FigureScope
from inbeeld.people.models import Enrolment, Student

pytestmark = pytest.mark.django_db


def _pupils(scope: FigureScope) -> set[int]:
    return set(Enrolment.objects.filter(scope.pupils).values_list("student_id", flat=True))


def test_the_dashboard_counts_in_the_organisations_figure_scope(world):
    scope = selectors.figure_scope(actor=actor_for(world.beleid_a))
    assert scope == FigureScope.for_organisation(world.gemeente_a)
    assert scope.organisation_id == world.gemeente_a.pk
    # the cache key names the organisation, so two organisations never share cached figures
    other = selectors.figure_scope(actor=actor_for(world.beleid_b))
    assert scope.key.startswith(f"{world.gemeente_a.pk}:")
    assert scope.key != other.key


def test_pupils_per_kind(world):
    living_in_a = set(
        Student.objects.filter(municipality_code="GM0001").values_list("pk", flat=True)
    )
    gemeente = FigureScope.for_organisation(world.gemeente_a)
    assert _pupils(gemeente) == living_in_a & _pupils(FigureScope.everything())
    school_b = FigureScope.for_organisation(world.school_b.organisation)
    assert _pupils(school_b) == set(
        Enrolment.objects.filter(school=world.school_b).values_list("student_id", flat=True)
    )
    assert len(_pupils(FigureScope.for_organisation(world.swv))) == 20  # De Linde's pupils


def test_a_limit_to_some_children_keeps_the_organisation(world):
    scope = FigureScope.for_organisation(world.gemeente_a)
    limited = scope.limited_to(Q(pk=world.thuiszitter_a.pk))
    assert limited.organisation_id == scope.organisation_id
    assert limited.key != scope.key
    assert set(Student.objects.filter(limited.students).values_list("pk", flat=True)) == {
        world.thuiszitter_a.pk
    }
