"""The role × endpoint matrix (issue 9): every URL pattern × every role × an object in scope and one
out of scope → the expected status, generated from the URL conf.

Each case logs in as one role of side A of ``matrix_world`` (or none: anonymous), sends one probe
to an object of side A ("in") or of side B ("out"), and checks

- the status (a redirect of an anonymous user goes to the login page);
- that the answer never shows side B's child (its family name or student_id, unless the request
  itself sent it: a form may repeat what was typed);
- what the probe's ``after`` asserts about the write's effect (a grant to oneself, …);
- after a write (any method but GET), that no role of side A can see side B's child: no write,
  registration or import gives sight of a child out of scope.

Out of scope in the URL answers 404 (never 403, never 200); a role without the permission 403;
anonymous 302 to the login page on a screen, 401 on the API. An id out of scope in a *body* may
answer 400 with the same message as an id that does not exist. Writes use invalid or minimal
bodies where success does not matter: the point is who gets past the permission and scope checks.
Each case runs in a savepoint that is rolled back, so writes do not change the world.

**A new URL pattern** fails ``test_every_url_pattern_has_an_entry``, which prints an entry to
paste into ``MATRIX`` below. Fill in per probe (one per method, or more for variants):
the permission that lets a role in (``page(Permission.X)`` / ``api(Permission.X)``, or a set of
role names), ``ok`` (the status for a role that may, on its own object), ``target`` (the URL's
kwargs, query and body for an object in scope, ``mine=True``, and out of scope) and ``special``
for roles that answer otherwise. Where today's code answers wrongly, keep the correct expectation
and name the finding in ``xfail``.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone

from inbeeld.accounts.permissions import Permission
from inbeeld.accounts.tests.factories import actor_for
from inbeeld.api.tests.access_matrix import (
    IN,
    Probe,
    Target,
    api,
    api_methods,
    page,
    roles_with,
    suggestion,
    url_of,
    url_patterns,
)
from inbeeld.api.tests.matrix_world import ANONYMOUS, WHO, build_world
from inbeeld.cases.views import HANDLERS
from inbeeld.people.selectors import student_for
from inbeeld.rules.leave import WEIGHTY

L, Z, S, J, W, B, F = (
    "leerplichtambtenaar",
    "school_zorgcoordinator",
    "swv_consultant",
    "jeugdarts",
    "wijkteam_medewerker",
    "beleidsmedewerker",
    "functioneel_beheerder",
)
TODAY = timezone.localdate()
#: a Monday about three months ahead (three days of leave for weighty circumstances from it, which
#: the law allows on any school day), the last Monday
LEAVE_FROM = TODAY + dt.timedelta(days=91 - TODAY.weekday())
LAST_MONDAY = TODAY - dt.timedelta(days=7 + TODAY.weekday())
NEXT_SCHOOL_YEAR = dt.date(TODAY.year + (1 if TODAY.month >= 8 else 0), 8, 1)
HTMX = {"HX-Request": "true"}

# -- targets ---------------------------------------------------------------------------------------


def obj(attr: str, kw: str = "pk", **extra):
    """The URL kwarg ``kw`` is the id of the side's object ``attr``."""
    return lambda w, who, mine: Target(kwargs={kw: getattr(w.side(mine), attr).pk, **extra})


def child(kw: str = "pk"):
    return lambda w, who, mine: Target(kwargs={kw: w.side(mine).child.pk})


def own(attr: str, kw: str = "pk"):
    """The role's own object of kind ``attr`` (a dict by role on the side; anonymous tries the
    leerplichtambtenaar's)."""
    return lambda w, who, mine: Target(
        kwargs={kw: getattr(w.side(mine), attr)[L if who == ANONYMOUS else who].pk}
    )


def query_child(param: str = "leerling", **data):
    return lambda w, who, mine: Target(query={param: w.side(mine).child.pk}, data=data or None)


def body_child(param: str = "leerling", **data):
    return lambda w, who, mine: Target(data={param: w.side(mine).child.pk, **data})


def case_sub(attr: str, kw: str):
    """A case's sub-resource: the case and its ``attr`` (action, referral …) of the same side."""

    def target(w, who, mine):
        side = w.side(mine)
        return Target(kwargs={"pk": side.case.pk, kw: getattr(side, attr).pk}, data={})

    return target


def case_json(**data):
    return lambda w, who, mine: Target(kwargs={"pk": w.side(mine).case.pk}, data=data)


def _import_files(w, student_id: str, bsn: str, birth_date) -> Target:
    """schools.csv (the own school), students.csv (one pupil) and enrolments.csv enrolling that
    pupil at the own school."""
    school = w.a.school
    files = {
        "schools.csv": "brin,name,sector,region,municipality,hours_per_day,partnership\n"
        f"{school.brin},{school.name},{school.sector},{school.region},"
        f"{school.municipality_code},,{w.a.swv.code}\n",
        "students.csv": "student_id,birth_date,municipality,bsn,onderwijsnummer,given_names,"
        "family_name,postcode\n"
        f"{student_id},{birth_date},{w.a.gemeente.code},{bsn},,Kind,Ingelezen,\n",
        "enrolments.csv": f"student_id,brin,start_date,end_date\n{student_id},{school.brin},"
        "2020-08-01,\n",
    }
    return Target(data={"files": [_upload(name, text) for name, text in files.items()]})


def import_takeover(w, who, mine):
    """The own pupil's student_id, or side B's pupil's (finding 1: an import must never take over
    a child of another organisation)."""
    student = w.side(mine).child
    return _import_files(w, student.external_id, "", student.birth_date)


def import_bsn_of(w, who, mine):
    """A new pupil with the BSN of the own pupil, or of side B's pupil (finding 3: the import's
    message must not name the other child)."""
    student = w.side(mine).child
    return _import_files(w, "NIEUW-1", student.bsn, student.birth_date)


def _upload(name: str, text: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def concern_by_bsn(api_body: bool):
    """Register a concern by BSN and birth date: side A's child, or side B's (findings 4, 5)."""

    def target(w, who, mine):
        student = w.side(mine).child
        data = {
            "bsn": student.bsn,
            "birth_date": str(student.birth_date),
            "domain": "school",
            "contact_name": "Matrix",
            "contact_phone": "050 123 45 67",
        }
        if not api_body:
            data["urgent"] = ""
        return Target(data=data)

    return target


def year(w, who, mine):
    return Target(kwargs={"year": w.school_year if mine else 1990})


def download(fmt: str):
    return lambda w, who, mine: Target(kwargs={"year": w.school_year if mine else 1990, "fmt": fmt})


# -- the expected statuses -------------------------------------------------------------------------

WORKLIST = roles_with(Permission.VIEW_WORKLIST)
#: view_figures, and an area to count: the GGD has none (its dashboard says so, the rest is 403)
FIGURE_SCOPE = roles_with(Permission.VIEW_FIGURES) - {J}

#: who sees what of side A in the world (besides the permission)
SEES_MELDING = {L, Z}  # a 16-uur melding goes to leerplicht and the school
SEES_LEAVE = {L, Z}
SEES_EXEMPTION_REQUEST = {L, S}

F4 = "finding 4: a concern registration by BSN gives sight of the child"
F1 = "finding 1: an import takes over another organisation's pupil"
F3 = "finding 3: an import's message names another organisation's pupil"
F13 = "finding 13: a functioneel beheerder gives itself a role that sees children"


def holds_no_child_role(w, who):
    """After a grant to oneself: still no permission that shows a child (finding 13)."""
    member = w.a.members[who]
    actor = actor_for(member)
    assert not actor.can(Permission.VIEW_STUDENT), f"{who} gave itself a child-data role"


def act_probes() -> list[Probe]:
    """Every form of the case page posts to ``zaken/<pk>/<what>/``: one probe per ``what``, with an
    empty form (400: the form's errors), except closing, which needs no field (the lead only)."""
    return [
        Probe(
            "POST",
            page(Permission.WORK_ON_CASES, ok=400)
            if what != "afsluiten"
            else page(Permission.WORK_ON_CASES, ok=403, special={f"{L}:in": 302}),
            lambda w, who, mine, what=what: Target(
                kwargs={"pk": w.side(mine).case.pk, "what": what}, data={}
            ),
            label=what,
        )
        for what in HANDLERS
    ]


def case_write(
    kw_attr: tuple[str, str] | None = None, ok: int = 400, lead_only: bool = False
) -> list[Probe]:
    """A write on a case of the API with an empty body: ``ok`` for the team (for the lead only
    when ``lead_only``: the rest of the team 403), 404 on another side's case."""
    target = case_sub(*kw_attr) if kw_attr else case_json()
    expect = (
        api(Permission.WORK_ON_CASES, ok=403, special={f"{L}:in": ok})
        if lead_only
        else api(Permission.WORK_ON_CASES, ok=ok)
    )
    return [Probe("POST", expect, target, json=True)]


MATRIX: dict[str, list[Probe]] = {
    # -- home: worklists (htmx fragments by HX-Target) --
    "": [
        Probe("GET", page(special={B: 302, F: 302})),
        Probe(
            "GET",
            page(special={B: 302, F: 302}),
            label="thuiszitters",
            headers={**HTMX, "HX-Target": "thuiszitters"},
        ),
        Probe(
            "GET",
            page(special={B: 302, F: 302}),
            label="meldingen",
            headers={**HTMX, "HX-Target": "meldingen"},
        ),
    ],
    "meldingen/<int:pk>/behandelen/": [
        Probe(
            "GET",
            page(SEES_MELDING, denied=404),  # not on one's worklist: not found
            obj("melding"),
        ),
        Probe(
            "GET",
            page(SEES_MELDING, denied=404),  # not on one's worklist: not found
            obj("melding"),
            label="htmx",
            headers=HTMX,
        ),
        Probe(
            "POST",
            page(Permission.HANDLE_MELDING, ok=302),
            lambda w, who, mine: Target(
                kwargs={"pk": w.side(mine).melding.pk}, data={"naar": "in_behandeling"}
            ),
        ),
    ],
    "leerling/<int:pk>/": [
        Probe("GET", page(Permission.VIEW_STUDENT, special={B: 404, F: 404}), child()),
    ],
    "zoeken/": [
        Probe(
            "GET",
            page(Permission.SEARCH_STUDENTS, out=200),
            lambda w, who, mine: Target(query={"q": w.side(mine).child.given_names}),
        ),
        Probe(
            "GET",
            page(Permission.SEARCH_STUDENTS, out=200),
            lambda w, who, mine: Target(query={"q": w.side(mine).child.given_names}),
            label="htmx",
            headers={**HTMX, "HX-Target": "zoekresultaten"},
        ),
    ],
    "detectie/": [
        Probe("GET", page(Permission.RUN_DETECTION)),
        Probe("POST", page(Permission.RUN_DETECTION, ok=302)),
    ],
    # -- imports --
    "import/": [
        Probe("GET", page(Permission.IMPORT_DATA)),
        Probe("POST", page(Permission.IMPORT_DATA, ok=400), label="empty"),
        Probe(
            "POST",
            page(
                Permission.IMPORT_DATA,
                ok=302,
                out=(200, 302, 400),
                xfail={f"{Z}:out": F1, f"{F}:out": F1},
            ),
            import_takeover,
            label="students+enrolments",
        ),
        Probe(
            "POST",
            page(Permission.IMPORT_DATA, anonymous=200, xfail={f"{Z}:out": F3, f"{F}:out": F3}),
            import_bsn_of,
            label="bsn-of-another",
            follow=True,
        ),
    ],
    "import/<int:pk>/": [
        Probe("GET", page(Permission.IMPORT_DATA), obj("import_batch")),
    ],
    # -- the school's own free days --
    "registratie/vrije-dagen/": [
        Probe("GET", page({Z, F})),
        Probe("POST", page({Z, F}, ok=400)),
    ],
    "registratie/vrije-dagen/inlezen/": [
        Probe("POST", page({Z, F}, ok=400)),
    ],
    "registratie/vrije-dagen/<int:pk>/verwijderen/": [
        Probe("POST", page({Z, F}, ok=302), obj("free_day")),
    ],
    # -- accounts --
    "accounts/login/": [
        Probe("GET", page(ok=302, anonymous=200)),
        Probe("POST", page(ok=302, anonymous=200)),
    ],
    "accounts/logout/": [
        Probe("POST", page(ok=302)),
    ],
    "accounts/organisatie/": [
        Probe("GET", page()),
        Probe(
            "POST",
            page(ok=302, out=400),
            lambda w, who, mine: (
                Target(
                    data={
                        "organisation": w.a.members[who].organisation_id
                        if mine
                        else w.b.gemeente.pk
                    }
                )
                if who != ANONYMOUS
                else Target(data={})
            ),
        ),
    ],
    "accounts/tokens/": [
        Probe("GET", page(Permission.USE_API)),
        Probe("POST", page(Permission.USE_API, ok=200)),
    ],
    "accounts/tokens/<int:pk>/intrekken/": [
        Probe("POST", page(Permission.USE_API, ok=302), own("tokens")),
    ],
    # -- beheer: people of the own organisation --
    "beheer/": [Probe("GET", page(Permission.MANAGE_ORGANISATION))],
    "beheer/personen/nieuw/": [
        Probe("GET", page(Permission.MANAGE_ORGANISATION)),
        Probe("POST", page(Permission.MANAGE_ORGANISATION, ok=200)),
    ],
    "beheer/personen/<int:user_id>/rol/": [
        Probe(
            "GET",
            page(Permission.MANAGE_ORGANISATION),
            lambda w, who, mine: Target(kwargs={"user_id": w.side(mine).members[Z].user_id}),
        ),
        Probe(
            "POST",
            page(Permission.MANAGE_ORGANISATION, ok=302),
            lambda w, who, mine: Target(
                kwargs={"user_id": w.side(mine).members[Z].user_id}, data={"role": F}
            ),
        ),
        # a grant to oneself of a role that sees children: refused, or waiting for a second beheerder
        Probe(
            "POST",
            page(Permission.MANAGE_ORGANISATION, ok=(200, 302, 400, 403), xfail={f"{F}:-": F13}),
            lambda w, who, mine: Target(
                kwargs={"user_id": w.a.members[F if who == ANONYMOUS else who].user_id},
                data={"role": Z},
            ),
            label="self",
            scoped=False,
            after=holds_no_child_role,
        ),
    ],
    "beheer/rollen/<int:pk>/intrekken/": [
        Probe(
            "GET",
            page(Permission.MANAGE_ORGANISATION),
            lambda w, who, mine: Target(kwargs={"pk": w.side(mine).members[Z].pk}),
        ),
        Probe(
            "POST",
            page(Permission.MANAGE_ORGANISATION, ok=302),
            lambda w, who, mine: Target(kwargs={"pk": w.side(mine).members[Z].pk}, data={}),
        ),
    ],
    # -- concerns --
    "zorgen/": [Probe("GET", page(Permission.REGISTER_CONCERN))],
    "zorgen/melden/": [
        Probe("GET", page(Permission.REGISTER_CONCERN)),
        Probe(
            "GET",
            page(Permission.REGISTER_CONCERN, special={f"{J}:in": 200, f"{W}:in": 200}),
            query_child(),
            label="leerling",
        ),
        Probe(
            "POST",
            page(Permission.REGISTER_CONCERN, ok=302),
            lambda w, who, mine: Target(
                query={"leerling": w.side(mine).child.pk},
                data={"domain": "school", "contact_name": "M", "contact_phone": "050"},
            ),
            label="leerling",
        ),
        Probe(
            "POST",
            page(
                Permission.REGISTER_CONCERN,
                ok=302,
                out=(200, 302),
                xfail={f"{r}:out": F4 for r in roles_with(Permission.REGISTER_CONCERN)},
            ),
            concern_by_bsn(api_body=False),
            label="bsn",
        ),
    ],
    "zorgen/<int:pk>/intrekken/": [
        Probe(
            "GET",
            page(Permission.REGISTER_CONCERN, special={f"{r}:in": 404 for r in {L, Z, S, W}}),
            obj("concern"),
        ),
        Probe(
            "POST",
            page(
                Permission.REGISTER_CONCERN, ok=302, special={f"{r}:in": 404 for r in {L, Z, S, W}}
            ),
            obj("concern"),
        ),
    ],
    "zorgen/<int:pk>/brief/": [
        Probe(
            "GET",
            page(Permission.REGISTER_CONCERN, special={f"{r}:in": 404 for r in {L, Z, S, W}}),
            obj("concern"),
        ),
    ],
    # -- cases --
    "zaken/": [Probe("GET", page(Permission.WORK_ON_CASES))],
    "zaken/openen/": [
        Probe("GET", page(Permission.OPEN_CASE), query_child()),
        Probe("POST", page(Permission.OPEN_CASE, ok=400), body_child()),
    ],
    # the header's count: an empty answer without the permission
    "zaken/achterstallige-acties/": [
        Probe("GET", page(Permission.WORK_ON_CASES, special={B: 200, F: 200}))
    ],
    "zaken/<int:pk>/": [Probe("GET", page(Permission.WORK_ON_CASES), obj("case"))],
    "zaken/<int:pk>/<slug:what>/": act_probes(),
    # -- leave --
    "verlof/": [Probe("GET", page(SEES_LEAVE))],
    "verlof/nieuw/": [
        Probe("GET", page(Permission.REGISTER_LEAVE_REQUEST)),
        Probe(
            "POST",
            page(Permission.REGISTER_LEAVE_REQUEST, ok=302, out=(200, 400)),
            body_child(
                "student",
                kind=WEIGHTY,
                reason="huwelijk van een familielid",
                start_date=str(LEAVE_FROM),
                end_date=str(LEAVE_FROM + dt.timedelta(days=2)),
            ),
        ),
    ],
    "verlof/beoordeling/": [
        Probe(
            "GET",
            page(Permission.REGISTER_LEAVE_REQUEST, out=200),
            query_child("student"),
            headers=HTMX,
        ),
    ],
    "verlof/<int:pk>/": [Probe("GET", page(SEES_LEAVE), obj("leave"))],
    "verlof/<int:pk>/beslissen/": [
        Probe("POST", page(Permission.DECIDE_LEAVE, ok=200), obj("leave")),
    ],
    # -- exemptions --
    "vrijstellingen/": [Probe("GET", page(SEES_EXEMPTION_REQUEST))],
    "vrijstellingen/nieuw/": [
        Probe("GET", page(Permission.REGISTER_EXEMPTION_REQUEST)),
        Probe(
            "POST",
            page(Permission.REGISTER_EXEMPTION_REQUEST, ok=302, out=(200, 400)),
            lambda w, who, mine: Target(
                data={
                    "student": w.side(mine).child.external_id,
                    "article": "5a",
                    "start_date": str(NEXT_SCHOOL_YEAR),
                    "requested_on": str(TODAY),
                }
            ),
        ),
    ],
    "vrijstellingen/controle/": [
        Probe(
            "GET",
            page(Permission.REGISTER_EXEMPTION_REQUEST, out=200),
            lambda w, who, mine: Target(
                query={"student": w.side(mine).child.external_id, "article": "5a"}
            ),
            headers=HTMX,
        ),
    ],
    "vrijstellingen/te-verlengen/": [
        Probe("GET", page({L})),
    ],
    "vrijstellingen/<int:pk>/": [
        Probe("GET", page(SEES_EXEMPTION_REQUEST), obj("exemption_request"))
    ],
    "vrijstellingen/<int:pk>/advies-vragen/": [
        Probe(
            "POST",
            page(SEES_EXEMPTION_REQUEST, ok=302, special={f"{S}:in": 403}),
            obj("exemption_request"),
        ),
    ],
    "vrijstellingen/<int:pk>/advies/": [
        Probe("POST", page(Permission.ADVISE_EXEMPTION, ok=200), obj("exemption_request")),
    ],
    "vrijstellingen/<int:pk>/beslissen/": [
        Probe("POST", page(Permission.DECIDE_EXEMPTION, ok=200), obj("exemption_request")),
    ],
    # -- monitor: figures, never a child --
    "monitor/": [
        Probe("GET", page(Permission.VIEW_FIGURES)),
        Probe(
            "GET",
            page(Permission.VIEW_FIGURES),
            label="uitsplitsing",
            headers={**HTMX, "HX-Target": "uitsplitsing"},
        ),
    ],
    "monitor/doelen/": [
        Probe("GET", page(Permission.SET_TARGETS)),
        Probe("POST", page(Permission.SET_TARGETS, ok=400)),
    ],
    "monitor/leerplichttelling/<int:year>/": [Probe("GET", page(FIGURE_SCOPE), year)],
    "monitor/leerplichttelling/<int:year>/download.<str:fmt>": [
        Probe("GET", page(FIGURE_SCOPE), download(fmt), label=fmt) for fmt in ("csv", "xlsx", "pdf")
    ],
    # -- notifications: one's own --
    "berichten/": [Probe("GET", page())],
    "berichten/<int:pk>/": [Probe("GET", page(ok=302), own("notifications"))],
    "berichten/alles-gelezen/": [Probe("POST", page(ok=302))],
    "berichten/instellingen/": [
        Probe("GET", page()),
        Probe("POST", page(ok=302)),
    ],
    # -- the API (session) --
    "api/v1/openapi.json": [Probe("GET", api(anonymous=200))],  # no personal data in it
    "api/v1/students": [
        Probe(
            "GET",
            api(Permission.VIEW_STUDENT),
            lambda w, who, mine: Target(query={"limit": 1000}),
            scoped=False,
        ),
    ],
    "api/v1/students/<pk>": [Probe("GET", api(Permission.VIEW_STUDENT), child())],
    "api/v1/enrolments": [Probe("GET", api(Permission.VIEW_STUDENT))],
    "api/v1/absences": [
        Probe("GET", api(Permission.VIEW_STUDENT)),
        Probe(
            "POST",
            api({Z}, ok=201, out=(400, 404)),
            lambda w, who, mine: Target(
                data=[
                    {
                        "client_id": "m1",
                        "student_id": w.side(mine).child.external_id,
                        "start_date": str(LAST_MONDAY),
                        "end_date": str(LAST_MONDAY),
                        "reason": "ongeoorloofd",
                    }
                ]
            ),
            json=True,
        ),
    ],
    "api/v1/exemptions": [Probe("GET", api(Permission.VIEW_STUDENT))],
    "api/v1/leave-requests": [
        Probe("GET", api(SEES_LEAVE)),
        Probe(
            "POST",
            api(Permission.REGISTER_LEAVE_REQUEST, ok=201, out=(400, 404)),
            body_child(
                "student",
                kind=WEIGHTY,
                reason="huwelijk van een familielid",
                start_date=str(LEAVE_FROM),
                end_date=str(LEAVE_FROM + dt.timedelta(days=2)),
            ),
            json=True,
        ),
    ],
    "api/v1/leave-requests/<pk>": [Probe("GET", api(SEES_LEAVE), obj("leave"))],
    "api/v1/exemption-requests": [
        Probe("GET", api(SEES_EXEMPTION_REQUEST)),
        Probe(
            "POST",
            api(Permission.REGISTER_EXEMPTION_REQUEST, ok=201, out=(400, 404)),
            body_child("student", article="5a", start_date=str(NEXT_SCHOOL_YEAR)),
            json=True,
        ),
    ],
    "api/v1/exemption-requests/<pk>": [
        Probe("GET", api(SEES_EXEMPTION_REQUEST), obj("exemption_request")),
    ],
    "api/v1/findings": [Probe("GET", api(Permission.VIEW_STUDENT))],
    "api/v1/organisations": [Probe("GET", api())],
    "api/v1/cases": [
        Probe("GET", api(Permission.WORK_ON_CASES)),
        Probe(
            "POST",
            # side A's child has an open case already (409); for side B's the same answer as for
            # an id that does not exist
            api(Permission.OPEN_CASE, ok=409, out=(400, 404)),
            body_child("student", opened_from="anders"),
            json=True,
        ),
    ],
    "api/v1/cases/<pk>": [Probe("GET", api(Permission.WORK_ON_CASES), obj("case"))],
    "api/v1/cases/<pk>/actions": case_write(),
    "api/v1/cases/<pk>/actions/<action_id>/done": case_write(("action", "action_id"), ok=200),
    "api/v1/cases/<pk>/disputes": case_write(),
    "api/v1/cases/<pk>/disputes/<dispute_id>/ruling": case_write(("dispute", "dispute_id")),
    "api/v1/cases/<pk>/escalations": case_write(lead_only=True),
    "api/v1/cases/<pk>/escalations/<escalation_id>/decision": case_write(
        ("escalation", "escalation_id")
    ),
    "api/v1/cases/<pk>/interventions": case_write(),
    "api/v1/cases/<pk>/meetings": case_write(),
    "api/v1/cases/<pk>/notes": [
        Probe("GET", api(Permission.WORK_ON_CASES), obj("case")),
        *case_write(),
    ],
    "api/v1/cases/<pk>/outcomes": case_write(lead_only=True),
    "api/v1/cases/<pk>/referrals": case_write(),
    "api/v1/cases/<pk>/referrals/<referral_id>/start": case_write(
        ("referral", "referral_id"), ok=200
    ),
    "api/v1/cases/<pk>/team-members": case_write(lead_only=True),
    "api/v1/cases/<pk>/team-members/<member_id>/end": case_write(
        ("team_member", "member_id"), ok=200, lead_only=True
    ),
    "api/v1/cases/<pk>/transitions": case_write(lead_only=True),
    "api/v1/notifications": [Probe("GET", api())],
    "api/v1/notifications/<pk>/read": [
        Probe("POST", api(ok=200), own("notifications"), json=True),
    ],
    "api/v1/concerns": [
        Probe("GET", api(Permission.REGISTER_CONCERN)),
        Probe(
            "POST",
            api(Permission.REGISTER_CONCERN, ok=201, out=(400, 404)),
            body_child("student", domain="school", contact_name="M", contact_phone="050"),
            json=True,
            label="student",
        ),
        Probe(
            "POST",
            api(
                Permission.REGISTER_CONCERN,
                ok=201,
                out=(201, 202),
                xfail={f"{r}:out": F4 for r in roles_with(Permission.REGISTER_CONCERN)},
            ),
            concern_by_bsn(api_body=True),
            json=True,
            label="bsn",
        ),
    ],
    "api/v1/matches": [Probe("GET", api(Permission.REGISTER_CONCERN))],
    "api/v1/figures/now": [Probe("GET", api(FIGURE_SCOPE))],
    "api/v1/figures/trends": [Probe("GET", api(FIGURE_SCOPE))],
    "api/v1/figures/leerplichttellingen/<int:school_year>": [
        Probe(
            "GET",
            api(FIGURE_SCOPE),
            lambda w, who, mine: Target(kwargs={"school_year": w.school_year if mine else 1990}),
        ),
    ],
    "api/v1/": [Probe("GET", api(ok=404, anonymous=404))],
    "api/v1/<path:rest>": [
        Probe(
            "GET",
            api(ok=404, anonymous=404),
            lambda w, who, mine: Target(kwargs={"rest": "students/"}),
        ),
    ],
    # -- the language switch --
    "i18n/setlang/": [
        Probe(
            "POST",
            page(ok=302, anonymous=302, to_login=False),
            lambda w, who, mine: Target(data={"language": "en", "next": "/"}),
            scoped=False,
        ),
    ],
}


# -- the cases -------------------------------------------------------------------------------------


def _cases():
    for route, probes in MATRIX.items():
        for probe in probes:
            for who in WHO:
                for scope in probe.scopes():
                    reason = probe.expect.xfail_reason(who, scope)
                    marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
                    yield pytest.param(
                        route,
                        probe,
                        who,
                        scope,
                        marks=marks,
                        id=f"{route} {probe.name} {who} {scope}",
                    )


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once for the module in a transaction rolled back at its end; each case runs in a
    savepoint of its own (the ``db`` fixture) inside it."""
    with django_db_blocker.unblock(), transaction.atomic():
        built = build_world()
        yield built
        transaction.set_rollback(True)


def _request(client: Client, route: str, probe: Probe, target: Target):
    url = url_of(route, target.kwargs)
    headers = dict(probe.headers)
    method = probe.method.lower()
    if probe.method == "GET":
        return client.get(url, target.query, headers=headers, follow=probe.follow)
    if target.query:
        from urllib.parse import urlencode

        url += "?" + urlencode(target.query)
    if probe.json:
        body = json.dumps(target.data if target.data is not None else {})
        return getattr(client, method)(url, body, content_type="application/json", headers=headers)
    return getattr(client, method)(url, target.data or {}, headers=headers, follow=probe.follow)


def _sent(target: Target) -> str:
    """Everything the request carries, as text (uploaded files' contents too)."""
    files = (target.data or {}).get("files", []) if isinstance(target.data, dict) else []
    contents = [upload.open().read().decode() for upload in files]
    return " ".join([repr(target.kwargs), repr(target.query), repr(target.data), *contents])


@pytest.mark.parametrize(("route", "probe", "who", "scope"), list(_cases()))
def test_matrix(world, db, route, probe, who, scope):
    client = Client()
    if who != ANONYMOUS:
        client.force_login(world.user(who))
    target = Target() if probe.target is None else probe.target(world, who, scope == IN)
    response = _request(client, route, probe, target)
    expected = probe.expect.status(who, scope)
    allowed = expected if isinstance(expected, tuple) else (expected,)
    assert response.status_code in allowed, (
        f"{probe.name} {route} as {who} ({scope}): {response.status_code}, expected {expected}"
    )
    if who == ANONYMOUS and response.status_code == 302 and probe.expect.to_login:  # not followed
        assert response["Location"].startswith("/accounts/login/"), response["Location"]
    if probe.after is not None and who in probe.expect.may:
        probe.after(world, who)
    body = b"".join(response) if response.streaming else response.content
    sent = _sent(target)
    for marker in (world.b.child.family_name, world.b.child.external_id):
        if marker not in sent:  # a form may repeat what was typed
            assert marker.encode() not in body, f"the answer shows side B's child ({marker})"
    # a write (of anyone, an import of a beheerder too) gives no one of side A sight of B's child
    if probe.method != "GET":
        for member in world.a.members.values():
            seen = student_for(actor=actor_for(member), pk=world.b.child.pk)
            assert seen is None, (
                f"after {probe.method} {route} as {who}, {member.role} sees B's child"
            )


def test_every_url_pattern_has_an_entry():
    patterns = url_patterns()
    missing = [route for route in patterns if route not in MATRIX]
    stale = [route for route in MATRIX if route not in patterns]
    assert not missing, (
        "URL patterns without an entry in MATRIX (paste and correct):\n"
        + "\n".join(suggestion(route, patterns[route]) for route in missing)
    )
    assert not stale, f"entries in MATRIX without a URL pattern: {stale}"


def test_every_api_method_is_probed():
    patterns = url_patterns()
    unprobed = {
        route: sorted(api_methods(pattern) - {p.method for p in MATRIX.get(route, [])})
        for route, pattern in patterns.items()
    }
    assert not {r: m for r, m in unprobed.items() if m}, unprobed
