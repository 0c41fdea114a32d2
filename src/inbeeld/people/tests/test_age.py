"""The database's age (``people.age.age_on``) is ``rules.duty.age_on``, leap days included."""

import datetime as dt

import pytest
from django.db.models import DateField, Value
from hypothesis import given, settings
from hypothesis import strategies as st

from inbeeld.people.age import age_on as age_in_database
from inbeeld.people.models import Student
from inbeeld.people.tests.factories import StudentFactory
from inbeeld.rules.duty import age_on

LEAP_DAYS = st.sampled_from(
    [dt.date(2008, 2, 29), dt.date(2012, 2, 29), dt.date(2000, 2, 29), dt.date(2016, 2, 28)]
)
BIRTH_DATES = st.one_of(LEAP_DAYS, st.dates(dt.date(1995, 1, 1), dt.date(2024, 12, 31)))
DAYS = st.one_of(
    st.sampled_from(
        [
            dt.date(2025, 2, 28),
            dt.date(2025, 3, 1),
            dt.date(2024, 2, 29),
            dt.date(2100, 2, 28),
            dt.date(2100, 3, 1),
        ]
    ),
    st.dates(dt.date(2000, 1, 1), dt.date(2101, 12, 31)),
)


@pytest.mark.django_db
@settings(max_examples=150, deadline=None)
@given(born=st.lists(BIRTH_DATES, min_size=1, max_size=8), day=DAYS)
def test_the_database_computes_the_age_of_the_rules(born, day):
    students = [StudentFactory(birth_date=b) for b in born]
    ages = dict(
        Student.objects.filter(pk__in=[s.pk for s in students])
        .annotate(day=Value(day, output_field=DateField()))
        .annotate(age=age_in_database("birth_date", "day"))
        .values_list("pk", "age")
    )
    assert ages == {s.pk: age_on(s.birth_date, day) for s in students}
