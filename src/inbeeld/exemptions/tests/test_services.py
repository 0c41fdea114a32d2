"""Exemption requests against the law (art. 5 onder a/b, 15, 3a), the samenwerkingsverband's advice,
leerplicht's decision into the register, scope, permissions, audit and the renewal reminder."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from inbeeld.attendance.tests.factories import ExemptionFactory, actor_for, pupil
from inbeeld.audit.models import AuditEvent
from inbeeld.exemptions import selectors, services
from inbeeld.exemptions.models import ExemptionRequest, RequestState, SwvAdvice
from inbeeld.notifications.models import Notification
from inbeeld.people.models import Exemption
from inbeeld.people.selectors import NotInScopeError
from inbeeld.rules.legal import article_citation

D = dt.date


def register(w, **kw):
    values = {
        "actor": w.leerplicht,
        "student": w.child_a,
        "article": "5a",
        "requested_on": D(2025, 5, 1),
        "start_date": D(2025, 8, 1),
        "end_date": D(2026, 7, 31),
        "statement_date": D(2025, 4, 1),
    }
    values.update(kw)
    return services.exemption_request_register(**values)


@pytest.mark.parametrize(
    ("kw", "expected"),
    [
        ({}, None),
        ({"statement_date": D(2025, 1, 31)}, "ouder dan 3 maanden"),
        ({"statement_by_treating_professional": True}, "behandelt"),
        ({"statement_date": None}, "ontbreekt"),
        (
            {"renewal": True, "requested_on": D(2025, 7, 1), "statement_date": D(2025, 6, 1)},
            "vóór 01-07-2025",
        ),
        ({"renewal": True, "requested_on": D(2025, 6, 30), "statement_date": D(2025, 6, 1)}, None),
        ({"article": "5b", "attended_denomination_school_last_year": True}, "vervalt"),
        ({"article": "5b"}, None),
        ({"article": "3a", "start_date": D(2025, 3, 1), "end_date": None}, "vanaf 14 jaar"),
        ({"article": "3a", "start_date": D(2025, 3, 2), "end_date": None}, None),
    ],
)
def test_the_law_is_checked_at_registration(world, kw, expected):
    request = register(world, **kw)
    assert request.state == RequestState.INGEDIEND
    if expected is None:
        assert request.problems == []
    else:
        assert len(request.problems) == 1, request.problems
        assert expected in request.problems[0]


def test_article_15_for_a_child_under_kwalificatieplicht(world):
    # born 5 May 2008: leerplicht ended 31 July 2024, kwalificatieplicht until 4 May 2026
    assert (
        register(world, student=world.older_a, article="15", start_date=D(2024, 9, 1)).problems
        == []
    )


@pytest.mark.parametrize(
    ("student", "start", "expected"),
    [
        # RULES.md §7: art. 15 covers only kwalificatieplicht; refused, naming the duty then and
        # when kwalificatieplicht runs
        (
            "older_a",
            D(2024, 7, 1),
            "op de ingangsdatum 01-07-2024 is dit kind leerplichtig. Dit kind is "
            "kwalificatieplichtig van 01-08-2024 tot en met 04-05-2026.",
        ),
        # a 14-year-old (born 2 March 2011): kwalificatieplicht from 1 August 2027
        (
            "child_a",
            D(2025, 8, 1),
            "op de ingangsdatum 01-08-2025 is dit kind leerplichtig. Dit kind is "
            "kwalificatieplichtig van 01-08-2027",
        ),
        # after the 18th birthday
        (
            "older_a",
            D(2026, 5, 5),
            "op de ingangsdatum 05-05-2026 is dit kind niet leerplichtig en niet "
            "kwalificatieplichtig. Dit kind is niet (meer) kwalificatieplichtig.",
        ),
    ],
)
def test_article_15_is_refused_for_a_child_not_under_kwalificatieplicht(
    world, student, start, expected
):
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as refused:
        register(world, student=getattr(world, student), article="15", start_date=start)
    messages = refused.value.message_dict["article"]
    assert len(messages) == 1
    assert "alleen voor een kwalificatieplichtige leerling" in messages[0]
    assert expected in messages[0]
    assert not ExemptionRequest.objects.exists()
    assert AuditEvent.objects.count() == events


def test_article_15_for_a_ten_year_old_is_refused(world):
    ten = pupil(world.school_a, family_name="Tien", birth_date=D(2015, 1, 10))
    with pytest.raises(ValidationError, match="kwalificatieplichtig van 01-08-2031"):
        register(world, student=ten, article="15", start_date=D(2025, 9, 1), end_date=None)
    assert not ExemptionRequest.objects.exists()


def test_article_15_is_refused_with_a_startkwalificatie(world):
    world.older_a.startkwalificatie_date = D(2024, 6, 30)
    world.older_a.save()
    with pytest.raises(ValidationError, match="niet \\(meer\\) kwalificatieplichtig"):
        register(world, student=world.older_a, article="15", start_date=D(2024, 9, 1))


@pytest.mark.parametrize("article", ["5b", "5c", "5a_trekkend", "15", "3a", "3b"])
def test_permanent_only_for_article_5_onder_a(world, article):
    with pytest.raises(ValidationError) as refused:
        register(
            world,
            student=world.older_a,
            article=article,
            start_date=D(2024, 9, 1),
            end_date=None,
            permanent=True,
        )
    assert refused.value.message_dict == {
        "permanent": [
            "Alleen een vrijstelling op grond van artikel 5, onder a kan blijvend zijn (nooit "
            f"geschikt); dit is {article_citation(article)}."
        ]
    }
    assert not ExemptionRequest.objects.exists()


def test_every_problem_at_once(world):
    with pytest.raises(ValidationError) as refused:
        register(world, article="5b", permanent=True, end_date=D(2025, 7, 1))
    assert set(refused.value.message_dict) == {"permanent", "end_date"}


def _granted(world, request):
    services.exemption_request_ask_advice(actor=world.leerplicht, request=request)
    services.exemption_request_advise(
        actor=world.swv, request=request, advice="geen_onderwijs", education_still_possible="Geen."
    )
    return services.exemption_request_decide(
        actor=world.leerplicht, request=request, grant=True, note="na advies"
    )


def test_a_permanent_5a_lands_in_the_register_permanent(world):
    request = register(world, end_date=None, permanent=True)
    assert request.permanent
    assert request.lapses_on is None
    exemption = _granted(world, request).exemption
    assert (exemption.article, exemption.end_date, exemption.permanent) == ("5a", None, True)
    assert exemption.lapses_on is None
    assert AuditEvent.objects.filter(
        object_type="people.Exemption", summary__contains="(blijvend)"
    ).exists()


def test_a_5a_without_end_date_lapses_on_31_july(world):
    request = register(world, end_date=None)
    assert request.lapses_on == D(2026, 7, 31)
    exemption = _granted(world, request).exemption
    assert (exemption.end_date, exemption.permanent, exemption.lapses_on) == (
        None,
        False,
        D(2026, 7, 31),
    )


@pytest.mark.parametrize("article", ["5a_trekkend", "3a", "3b"])
def test_the_new_and_the_vervangende_articles_register(world, article):
    request = register(
        world, student=world.older_a, article=article, start_date=D(2024, 9, 1), end_date=None
    )
    assert request.lapses_on is None
    assert request.is_vervangende_leerplicht == (article in ("3a", "3b"))
    exemption = _granted(world, request).exemption
    assert exemption.article == article
    assert exemption.is_vervangende_leerplicht == (article in ("3a", "3b"))
    summary = AuditEvent.objects.get(object_type="people.Exemption").summary
    assert summary.startswith(
        "vervangende leerplicht" if article in ("3a", "3b") else "vrijstelling"
    )


def test_advice_then_decision_lands_in_the_register(world):
    request = register(world)
    request = services.exemption_request_ask_advice(actor=world.leerplicht, request=request)
    assert (request.state, request.partnership) == (RequestState.ADVIES_GEVRAAGD, world.swv_a)
    told = Notification.objects.get(user=world.consultant_a.user)
    assert told.kind == "exemption"
    assert "5a" not in told.title
    assert "Aalders" not in told.title
    assert not Notification.objects.filter(user=world.consultant_b.user).exists()
    # no grant before the advice
    with pytest.raises(ValidationError, match="Eerst het advies"):
        services.exemption_request_decide(actor=world.leerplicht, request=request, grant=True)
    advice = services.exemption_request_advise(
        actor=world.swv,
        request=request,
        advice="met_aanpassingen",
        education_still_possible="Twee ochtenden per week op school met begeleiding.",
        on=D(2025, 5, 20),
    )
    assert advice.organisation == world.swv_a
    assert Notification.objects.filter(user=world.leerplicht_a.user, kind="exemption").exists()
    request = services.exemption_request_decide(
        actor=world.leerplicht,
        request=request,
        grant=True,
        note="na advies",
        justification="De begeleiding is er pas na de zomer.",
        on=D(2025, 6, 1),
    )
    assert request.state == RequestState.TOEGEKEND
    exemption = Exemption.objects.get(student=world.child_a)
    assert request.exemption == exemption
    assert (exemption.article, exemption.start_date, exemption.end_date) == (
        "5a",
        D(2025, 8, 1),
        D(2026, 7, 31),
    )
    actions = list(
        AuditEvent.objects.filter(student=world.child_a)
        .order_by("pk")
        .values_list("object_type", "action")
    )
    assert actions == [
        ("exemptions.ExemptionRequest", "create"),
        ("exemptions.ExemptionRequest", "update"),  # advice asked
        ("exemptions.SwvAdvice", "create"),
        ("people.Exemption", "create"),  # into the register
        ("exemptions.ExemptionRequest", "update"),  # decided
    ]


def test_a_request_the_law_forbids_is_never_granted(world):
    request = register(world, statement_by_treating_professional=True)
    services.exemption_request_ask_advice(actor=world.leerplicht, request=request)
    services.exemption_request_advise(
        actor=world.swv, request=request, advice="geen_onderwijs", education_still_possible="Geen."
    )
    with pytest.raises(ValidationError, match="behandelt"):
        services.exemption_request_decide(actor=world.leerplicht, request=request, grant=True)
    assert not Exemption.objects.exists()
    with pytest.raises(ValidationError, match="reden"):
        services.exemption_request_decide(actor=world.leerplicht, request=request, grant=False)
    request = services.exemption_request_decide(
        actor=world.leerplicht, request=request, grant=False, note="verklaring van de behandelaar"
    )
    assert request.state == RequestState.AFGEWEZEN
    with pytest.raises(ValidationError, match="al beslist"):
        services.exemption_request_decide(
            actor=world.leerplicht, request=request, grant=False, note="x"
        )


def test_permissions(world):
    # only leerplicht registers, and only for children of its municipality
    with pytest.raises(PermissionDenied):
        register(world, actor=world.school)
    with pytest.raises(PermissionDenied):
        register(world, actor=world.swv)
    with pytest.raises(NotInScopeError):  # a child it does not see: "not found" (issue 9)
        register(world, actor=world.leerplicht_b_actor)
    request = register(world)
    with pytest.raises(PermissionDenied):
        services.exemption_request_ask_advice(actor=world.leerplicht_b_actor, request=request)
    with pytest.raises(PermissionDenied):
        services.exemption_request_ask_advice(actor=world.swv, request=request)
    services.exemption_request_ask_advice(actor=world.leerplicht, request=request)
    # only the samenwerkingsverband asked advises
    for actor in (world.swv_b_actor, world.leerplicht, world.school):
        with pytest.raises(PermissionDenied):
            services.exemption_request_advise(
                actor=actor, request=request, advice="deels", education_still_possible="x"
            )
    services.exemption_request_advise(
        actor=world.swv, request=request, advice="deels", education_still_possible="x"
    )
    # only leerplicht of the child decides
    for actor in (world.swv, world.leerplicht_b_actor, actor_for(world.beleid_a)):
        with pytest.raises(PermissionDenied):
            services.exemption_request_decide(actor=actor, request=request, grant=True)
    assert SwvAdvice.objects.count() == 1


def test_no_advice_without_a_samenwerkingsverband(world):
    world.school_a.partnership = None
    world.school_a.save()
    request = register(world)
    with pytest.raises(ValidationError, match="samenwerkingsverband"):
        services.exemption_request_ask_advice(actor=world.leerplicht, request=request)


def test_impossible_dates_are_named(world):
    with pytest.raises(ValidationError, match="einddatum ligt voor de begindatum"):
        register(world, end_date=D(2025, 7, 1))
    with pytest.raises(ValidationError, match="tussen 1990 en 2100"):
        register(world, statement_date=D(1, 1, 1))
    assert not ExemptionRequest.objects.exists()


def test_selectors_keep_organisations_apart(world):
    mine = register(world)
    theirs = register(world, actor=world.leerplicht_b_actor, student=world.child_b)
    assert list(selectors.exemption_requests_visible_to(actor=world.leerplicht)) == [mine]
    assert list(selectors.exemption_requests_visible_to(actor=world.leerplicht_b_actor)) == [theirs]
    # a samenwerkingsverband sees a request only once it is asked for advice
    assert not selectors.exemption_requests_visible_to(actor=world.swv).exists()
    services.exemption_request_ask_advice(actor=world.leerplicht, request=mine)
    assert list(selectors.exemption_requests_visible_to(actor=world.swv)) == [mine]
    assert not selectors.exemption_requests_visible_to(actor=world.swv_b_actor).exists()
    assert not selectors.exemption_requests_visible_to(actor=world.school).exists()
    assert selectors.exemption_request_for(actor=world.leerplicht_b_actor, pk=mine.pk) is None


# -- renewals ----------------------------------------------------------------------------------


def test_renewal_reminders_are_sent_once_per_exemption_and_year(world):
    running = ExemptionFactory(
        student=world.child_a, article="5a", start_date=D(2024, 9, 2), end_date=D(2026, 12, 31)
    )
    ExemptionFactory(student=world.child_b, article="5a", start_date=D(2024, 9, 2))
    # three months before 1 July 2025
    assert services.remind_renewals(on=D(2025, 3, 31)) == 0
    assert services.remind_renewals(on=D(2025, 4, 1)) == 2
    told = Notification.objects.filter(user=world.leerplicht_a.user)
    assert told.count() == 1
    assert told.get().dedupe_key == f"vrijstelling-verlengen:{running.pk}:2025"
    assert "01-07-2025" in told.get().title
    assert Notification.objects.filter(user=world.leerplicht_b.user).count() == 1
    # the next days: nothing new
    assert services.remind_renewals(on=D(2025, 4, 2)) == 0
    assert services.remind_renewals(on=D(2025, 7, 15)) == 0
    # the next school year: again for the 5a that still runs; the one without end date lapsed
    # on 31 July 2025 (RULES.md §7) and has nothing to renew
    assert services.remind_renewals(on=D(2026, 4, 1)) == 1
    assert told.count() == 2
    assert Notification.objects.filter(user=world.leerplicht_b.user).count() == 1
    event = AuditEvent.objects.filter(
        object_type="people.Exemption", object_id=str(running.pk)
    ).first()
    assert event.action == "detect"
    assert event.student_id == world.child_a.pk


@pytest.mark.parametrize(
    ("permanent", "end", "on", "expected"),
    [
        # a 5a without end date: due once, before 1 July of the school year it starts in
        (False, None, D(2025, 4, 1), D(2025, 7, 1)),
        (False, None, D(2025, 7, 31), D(2025, 7, 1)),
        (False, None, D(2025, 8, 1), None),  # lapsed on 31 July
        (False, None, D(2026, 4, 1), None),
        # permanent (nooit geschikt): never
        (True, None, D(2025, 4, 1), None),
        (True, None, D(2026, 4, 1), None),
        # with an end date: before 1 July, or before the end when that comes first
        (False, D(2025, 5, 31), D(2025, 4, 1), D(2025, 5, 31)),
        (True, D(2027, 5, 31), D(2026, 4, 1), D(2026, 7, 1)),
    ],
)
def test_the_renewal_of_a_5a_follows_its_lapse(world, permanent, end, on, expected):
    ExemptionFactory(
        student=world.child_a,
        article="5a",
        start_date=D(2024, 9, 2),
        end_date=end,
        permanent=permanent,
    )
    due = selectors.renewals_due_for(actor=world.leerplicht, on=on)
    assert [deadline for _exemption, deadline in due] == ([expected] if expected else [])


def test_a_renewal_asked_ends_the_reminders_and_the_list(world):
    ExemptionFactory(student=world.child_a, article="5a", start_date=D(2024, 9, 2))
    assert len(selectors.renewals_due_for(actor=world.leerplicht, on=D(2025, 4, 15))) == 1
    assert selectors.renewals_due_for(actor=world.leerplicht_b_actor, on=D(2025, 4, 15)) == []
    assert selectors.renewals_due_for(actor=world.swv, on=D(2025, 4, 15)) == []
    register(world, renewal=True)
    assert selectors.renewals_due_for(actor=world.leerplicht, on=D(2025, 4, 15)) == []
    assert services.remind_renewals(on=D(2025, 4, 15)) == 0


def test_an_exemption_with_an_end_date_is_due_before_it_ends(world):
    ending = ExemptionFactory(
        student=world.child_a, article="5c", start_date=D(2024, 9, 2), end_date=D(2025, 1, 31)
    )
    ExemptionFactory(student=world.child_a, article="5b", start_date=D(2024, 9, 2))  # no end
    assert selectors.renewals_due_for(actor=world.leerplicht, on=D(2024, 10, 30)) == []
    assert selectors.renewals_due_for(actor=world.leerplicht, on=D(2024, 10, 31)) == [
        (ending, D(2025, 1, 31))
    ]
    assert selectors.renewals_due_for(actor=world.leerplicht, on=D(2025, 2, 1)) == []  # ended


def test_the_reminder_command(world, capsys):
    ExemptionFactory(student=world.child_a, article="5a", start_date=D(2024, 9, 2))
    call_command("exemption_reminders", "--on", "2025-04-01")
    assert "1 vrijstelling" in capsys.readouterr().out
    call_command("exemption_reminders", "--on", "2025-04-01")
    assert "0 vrijstelling" in capsys.readouterr().out
