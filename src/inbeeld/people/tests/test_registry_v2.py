"""RULES.md §7 in the registry: the child's own timetable on an enrolment, ``permanent`` on an
exemption (art. 5 onder a only), the new article 5a_trekkend; validated per problem, audited,
nothing half-written (fuzzed with hypothesis)."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

import hypothesis
import pytest
from django.core.exceptions import ValidationError
from hypothesis import strategies as st

from inbeeld.accounts.models import OrganisationType, Role
from inbeeld.audit.models import AuditEvent
from inbeeld.people.exemption_terms import lapses_on, lapses_yearly
from inbeeld.people.labels import ARTICLE_LABELS, REASON_LABELS, reason_choices_text
from inbeeld.people.models import Enrolment, Exemption
from inbeeld.people.services import check_enrolment_hours, exemption_register, student_enrol
from inbeeld.people.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    SchoolFactory,
    StudentFactory,
    actor_for,
)
from inbeeld.people.tests.fuzz import fuzz
from inbeeld.rules.exchange import MAX_HOURS_PER_DAY
from inbeeld.rules.legal import article_citation
from inbeeld.rules.model import ARTICLES, REASONS

D = dt.date
START = D(2024, 8, 1)

FUZZ = fuzz(60)


@pytest.fixture
def gemeente_actor(db):
    organisation = OrganisationFactory(type=OrganisationType.GEMEENTE, code="GM0014")
    return actor_for(MembershipFactory(organisation=organisation, role=Role.FUNCTIONEEL_BEHEERDER))


# -- labels ---------------------------------------------------------------------------------------


def test_every_code_has_a_dutch_label():
    assert set(ARTICLE_LABELS) == set(ARTICLES)
    assert set(REASON_LABELS) == set(REASONS)
    assert str(REASON_LABELS["luxe"]) == "luxe verzuim"
    assert str(REASON_LABELS["11a"]) == "vijfjarige thuis, art. 11a"
    assert "trekkend bestaan" in str(ARTICLE_LABELS["5a_trekkend"])
    for code in ("3a", "3b"):
        assert "vervangende leerplicht" in str(ARTICLE_LABELS[code])
        assert "vrijstelling" not in str(ARTICLE_LABELS[code])
    assert reason_choices_text().endswith("luxe (luxe verzuim), 11a (vijfjarige thuis, art. 11a)")


# -- how long an exemption runs (RULES.md §7) -----------------------------------------------------


@pytest.mark.parametrize(
    ("article", "start", "end", "permanent", "last", "yearly"),
    [
        ("5a", D(2024, 9, 2), None, False, D(2025, 7, 31), True),
        ("5a", D(2025, 7, 31), None, False, D(2025, 7, 31), True),
        ("5a", D(2025, 8, 1), None, False, D(2026, 7, 31), True),
        ("5a", D(2024, 9, 2), None, True, None, False),
        ("5a", D(2024, 9, 2), D(2026, 1, 1), False, D(2026, 1, 1), False),
        ("5b", D(2024, 9, 2), None, False, None, False),
        ("5a_trekkend", D(2024, 9, 2), None, False, None, False),
        ("15", D(2024, 9, 2), D(2025, 1, 1), False, D(2025, 1, 1), False),
    ],
)
def test_lapses_on(article, start, end, permanent, last, yearly):
    assert lapses_on(article=article, start_date=start, end_date=end, permanent=permanent) == last
    assert lapses_yearly(article=article, end_date=end, permanent=permanent) is yearly


# -- the child's own timetable --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "stored"),
    [
        (None, None),
        ("", None),
        (2, Decimal("2.00")),
        (2.5, Decimal("2.50")),
        ("1.234", Decimal("1.23")),
        ("2,5", Decimal("2.50")),
        (MAX_HOURS_PER_DAY, Decimal("24.00")),
    ],
)
def test_hours_per_day_accepted(value, stored):
    assert check_enrolment_hours(value) == stored


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (0, "meer dan 0 en ten hoogste 24 zijn (nu 0)"),
        (-1, "meer dan 0 en ten hoogste 24 zijn (nu -1)"),
        (24.01, "meer dan 0 en ten hoogste 24 zijn (nu 24.01)"),
        ("twee", "vul een getal in"),
        (math.nan, "vul een getal in"),
        (math.inf, "vul een getal in"),
    ],
)
def test_hours_per_day_refused_naming_the_problem(value, message):
    with pytest.raises(ValidationError) as refused:
        check_enrolment_hours(value)
    assert list(refused.value.message_dict) == ["hours_per_day"]
    assert message in refused.value.message_dict["hours_per_day"][0]


@pytest.mark.parametrize(
    ("hours", "text"),
    [(None, ""), (Decimal("2.50"), "2,5"), (Decimal("20"), "20"), (Decimal("10.00"), "10")],
)
def test_hours_per_day_text(hours, text):
    assert Enrolment(hours_per_day=hours).hours_per_day_text == text


def test_enrol_with_own_timetable_then_change_it_audited(gemeente_actor):
    student, school = StudentFactory(), SchoolFactory()
    enrolment = student_enrol(
        actor=gemeente_actor, student=student, school=school, start_date=START, hours_per_day=2
    )
    assert enrolment.hours_per_day == Decimal("2.00")
    created = AuditEvent.objects.get(student=student, action="create")
    assert "(2.00 uur per dag)" in created.summary
    # leaving it out keeps it; the same again changes nothing
    student_enrol(actor=gemeente_actor, student=student, school=school, start_date=START)
    student_enrol(
        actor=gemeente_actor, student=student, school=school, start_date=START, hours_per_day=2
    )
    enrolment.refresh_from_db()
    assert enrolment.hours_per_day == Decimal("2.00")
    assert AuditEvent.objects.filter(student=student).count() == 1
    # more hours while returning to school
    student_enrol(
        actor=gemeente_actor, student=student, school=school, start_date=START, hours_per_day=3.5
    )
    update = AuditEvent.objects.filter(student=student, action="update").get()
    assert update.summary == f"inschrijving bij {school.brin} uren per dag 3.50"
    assert update.detail == {"hours_per_day": ["2.00", "3.50"]}
    # back to the school's hours
    student_enrol(
        actor=gemeente_actor,
        student=student,
        school=school,
        start_date=START,
        hours_per_day=None,
    )
    enrolment.refresh_from_db()
    assert enrolment.hours_per_day is None
    assert AuditEvent.objects.filter(student=student, action="update").count() == 2


def test_end_date_and_hours_problems_named_together(gemeente_actor):
    student, school = StudentFactory(), SchoolFactory()
    with pytest.raises(ValidationError) as refused:
        student_enrol(
            actor=gemeente_actor,
            student=student,
            school=school,
            start_date=START,
            end_date=D(2024, 7, 1),
            hours_per_day=0,
        )
    assert set(refused.value.message_dict) == {"end_date", "hours_per_day"}
    assert not Enrolment.objects.exists()
    assert not AuditEvent.objects.filter(student=student).exists()


_bad_hours = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).filter(
        lambda h: math.isnan(h) or math.isinf(h) or not 0.005 <= h <= MAX_HOURS_PER_DAY
    ),
    st.integers(max_value=0),
    st.integers(min_value=int(MAX_HOURS_PER_DAY) + 1),
    st.text(max_size=8).filter(lambda t: t.strip() != "" and not _is_number(t)),
    st.sampled_from(["0,0", "-2", "24,5", "1e9", "0,001", "True"]),
    st.decimals(allow_nan=True, allow_infinity=True).filter(
        lambda h: not h.is_finite() or not Decimal("0.005") <= h <= Decimal(24)
    ),
)


_any_end = st.one_of(st.none(), st.dates(min_value=D(2000, 1, 1), max_value=D(2030, 1, 1)))


def _is_number(text: str) -> bool:
    try:
        Decimal(text.strip().replace(",", "."))
    except ArithmeticError:
        return False
    return True


def test_fuzz_enrolment_hours_any_bad_value_is_named_and_nothing_written(gemeente_actor):
    student, school = StudentFactory(), SchoolFactory()
    existing = student_enrol(
        actor=gemeente_actor, student=student, school=school, start_date=START, hours_per_day=4
    )
    events = AuditEvent.objects.count()

    @FUZZ
    @hypothesis.given(
        hours=_bad_hours,
        end=_any_end,
        start=st.sampled_from([START, D(2025, 1, 6)]),
    )
    def run(hours, end, start):
        with pytest.raises(ValidationError) as refused:
            student_enrol(
                actor=gemeente_actor,
                student=student,
                school=school,
                start_date=start,
                end_date=end,
                hours_per_day=hours,
            )
        problems = refused.value.message_dict
        expected = {"hours_per_day"} | ({"end_date"} if end is not None and end < start else set())
        assert set(problems) == expected
        assert len(problems["hours_per_day"]) == 1
        assert "Uren per dag" in problems["hours_per_day"][0]
        assert list(Enrolment.objects.filter(student=student).values_list("pk", flat=True)) == [
            existing.pk
        ]
        assert Enrolment.objects.get(pk=existing.pk).hours_per_day == Decimal("4.00")
        assert AuditEvent.objects.count() == events

    run()


# -- permanent and the new article ----------------------------------------------------------------


def test_permanent_5a_registered_changed_and_audited(gemeente_actor):
    student = StudentFactory()
    exemption = exemption_register(
        actor=gemeente_actor, student=student, article="5a", start_date=START, permanent=True
    )
    assert exemption.permanent
    assert exemption.lapses_on is None
    assert "5a vanaf 2024-08-01 geregistreerd (blijvend)" in AuditEvent.objects.get().summary
    exemption_register(
        actor=gemeente_actor, student=student, article="5a", start_date=START, permanent=False
    )
    exemption.refresh_from_db()
    assert not exemption.permanent
    assert exemption.lapses_on == D(2025, 7, 31)
    update = AuditEvent.objects.get(action="update")
    assert update.summary == "vrijstelling 5a vanaf 2024-08-01 niet blijvend"


def test_5a_trekkend_and_vervangende_leerplicht(gemeente_actor):
    student = StudentFactory()
    trekkend = exemption_register(
        actor=gemeente_actor, student=student, article="5a_trekkend", start_date=START
    )
    assert not trekkend.is_vervangende_leerplicht
    assert trekkend.lapses_on is None
    vervangend = exemption_register(
        actor=gemeente_actor, student=student, article="3b", start_date=START
    )
    assert vervangend.is_vervangende_leerplicht
    assert AuditEvent.objects.filter(summary__startswith="vervangende leerplicht 3b").exists()


@pytest.mark.parametrize("article", sorted(set(ARTICLES) - {"5a"}))
def test_permanent_refused_on_other_articles(gemeente_actor, article):
    student = StudentFactory()
    with pytest.raises(ValidationError) as refused:
        exemption_register(
            actor=gemeente_actor,
            student=student,
            article=article,
            start_date=START,
            permanent=True,
        )
    assert refused.value.message_dict == {
        "permanent": [
            "Alleen een vrijstelling op grond van artikel 5, onder a kan blijvend zijn (nooit "
            f"geschikt); dit is {article_citation(article)}."
        ]
    }
    assert not Exemption.objects.exists()
    assert not AuditEvent.objects.exists()


def test_fuzz_exemption_register_every_problem_named_and_nothing_written(gemeente_actor):
    student = StudentFactory()
    exemption_register(actor=gemeente_actor, student=student, article="5a", start_date=START)
    events = AuditEvent.objects.count()

    @FUZZ
    @hypothesis.given(
        article=st.one_of(st.sampled_from(ARTICLES), st.text(max_size=14)),
        permanent=st.booleans(),
        end=_any_end,
    )
    def run(article, permanent, end):
        expected = set()
        if article not in ARTICLES:
            expected.add("article")
        if end is not None and end < START:
            expected.add("end_date")
        if permanent and article != "5a":
            expected.add("permanent")
        hypothesis.assume(expected)
        with pytest.raises(ValidationError) as refused:
            exemption_register(
                actor=gemeente_actor,
                student=student,
                article=article,
                start_date=START,
                end_date=end,
                permanent=permanent,
            )
        problems = refused.value.message_dict
        assert set(problems) == expected
        assert all(len(messages) == 1 for messages in problems.values())
        assert Exemption.objects.filter(student=student).count() == 1
        assert Exemption.objects.get(student=student).end_date is None
        assert AuditEvent.objects.count() == events

    run()
