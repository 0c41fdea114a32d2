"""Every read that shows a child writes an audit row naming that child (issue 9, finding 7).

On the demo municipality (detection, cases, concerns, leave and exemption requests), every demo
user opens every page and API endpoint of the URL conf with GET: every child a response shows (by
name in a page, by id in the API) must have an audit row written by that request naming it.

The URL patterns come from the URL conf: a new pattern with a path parameter and no entry in
``PATH_VALUES`` fails this test, so a new screen or endpoint cannot forget its children.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone

from inbeeld.accounts.models import Membership, PersonalToken, RoleGrantRequest, User
from inbeeld.attendance.detection import detection_run
from inbeeld.attendance.models import ImportBatch, Melding
from inbeeld.audit.models import AuditEvent
from inbeeld.barriers.demo import barriers_demo
from inbeeld.barriers.models import Barrier
from inbeeld.cases.demo import cases_demo
from inbeeld.cases.models import Case
from inbeeld.concerns.demo import concerns_demo
from inbeeld.concerns.models import Concern
from inbeeld.correspondence.models import Letter
from inbeeld.demo.guard import DEMO_USERNAMES
from inbeeld.demo.tests.world import generate_demo_files, load_demo
from inbeeld.exemptions.demo import exemptions_demo
from inbeeld.exemptions.models import ExemptionRequest
from inbeeld.leave.demo import leave_demo
from inbeeld.leave.models import LeaveRequest
from inbeeld.leave.public_models import OnlineLeaveRequest, PublicLeaveLink
from inbeeld.notifications.models import Notification
from inbeeld.operations.models import BackgroundJob
from inbeeld.people.models import Enrolment, SchoolFreePeriod, Student
from inbeeld.prevention.demo import school_teams_demo
from inbeeld.prevention.models import Discussion, ListEntry, Proposal, SchoolTeam, TeamMember

ON = timezone.localdate()
pytestmark = pytest.mark.django_db


def _ids(queryset, n: int = 4) -> list[int]:
    return list(queryset.order_by("pk").values_list("pk", flat=True)[:n])


def _students() -> list[int]:
    """Children the stories are about (in someone's scope), and a few others."""
    about = set(Case.objects.values_list("student_id", flat=True))
    about |= set(Concern.objects.values_list("student_id", flat=True)[:5])
    about |= set(Melding.objects.values_list("student_id", flat=True)[:3])
    return sorted(about)[:8] + _ids(Student.objects, 2)


def _pk(source: Callable[[], list[int]]) -> Callable[[], list[dict]]:
    return lambda: [{"pk": pk} for pk in source()]


def _school_year() -> int:
    return ON.year if ON.month >= 8 else ON.year - 1


#: For each URL pattern with path parameters (by name, or by route when unnamed): the values to
#: open it with. Patterns answering GET with 405 (writes) are opened too: whatever they show is
#: checked the same way.
PATH_VALUES: dict[str, Callable[[], list[dict]]] = {
    "attendance:melding_transition": _pk(lambda: _ids(Melding.objects, 6)),
    "attendance:melding_assign": _pk(lambda: _ids(Melding.objects, 6)),
    "attendance:student": _pk(_students),
    "imports:report": _pk(lambda: _ids(ImportBatch.objects)),
    # a background job's page shows its step, a summary (counts, file names) and its error
    "operations:job": _pk(lambda: _ids(BackgroundJob.objects) or [1]),
    "operations:job_status": _pk(lambda: _ids(BackgroundJob.objects) or [1]),
    "operations:job_retry": _pk(lambda: _ids(BackgroundJob.objects) or [1]),
    "people:free_day_remove": _pk(lambda: _ids(SchoolFreePeriod.objects, 1) or [1]),
    # enrolments at schools whose zorgcoördinator (a demo user) may open the page
    "people:enrolment_hours": _pk(
        lambda: _ids(
            Enrolment.objects.filter(
                school__organisation__memberships__role="school_zorgcoordinator"
            ).distinct(),
            6,
        )
    ),
    "accounts:token_revoke": _pk(lambda: _ids(PersonalToken.objects, 1) or [1]),
    "beheer:role_grant": lambda: [{"user_id": pk} for pk in _ids(User.objects, 2)],
    "beheer:membership_revoke": _pk(lambda: _ids(Membership.objects, 1)),
    "beheer:role_request_approve": _pk(lambda: _ids(RoleGrantRequest.objects, 1) or [1]),
    "beheer:role_request_refuse": _pk(lambda: _ids(RoleGrantRequest.objects, 1) or [1]),
    "beheer:second_factor_reset": lambda: [{"user_id": pk} for pk in _ids(User.objects, 2)],
    "accounts:password_reset_confirm": lambda: [{"uidb64": "MQ", "token": "set-password"}],
    "concerns:withdraw": _pk(lambda: _ids(Concern.objects.filter(system=False))),
    "concerns:letter": _pk(lambda: _ids(Concern.objects.filter(system=False))),
    "cases:detail": _pk(lambda: _ids(Case.objects, 6)),
    "barriers:section": _pk(lambda: _ids(Case.objects, 6)),
    "barriers:add": _pk(lambda: _ids(Case.objects, 2)),
    "barriers:change": _pk(lambda: _ids(Barrier.objects, 2) or [1]),
    "api:barrier-detail": _pk(lambda: _ids(Barrier.objects, 6) or [1]),
    "api:barrier-changes": _pk(lambda: _ids(Barrier.objects, 2) or [1]),
    # school teams (issue 12 §1): the demo school's team, its list and proposals
    "prevention:team": _pk(lambda: _ids(SchoolTeam.objects, 2)),
    "prevention:team_act": lambda: [
        {"pk": pk, "what": "kind"} for pk in _ids(SchoolTeam.objects, 1) or [1]
    ],
    "prevention:member_end": _pk(lambda: _ids(TeamMember.objects, 1) or [1]),
    "prevention:proposal": lambda: [
        {"pk": pk, "what": "afwijzen"} for pk in _ids(Proposal.objects, 1) or [1]
    ],
    "prevention:entry": _pk(lambda: _ids(ListEntry.objects, 4)),
    "prevention:entry_act": lambda: [
        {"pk": pk, "what": "bespreking"} for pk in _ids(ListEntry.objects, 1) or [1]
    ],
    "prevention:step": _pk(lambda: _ids(Discussion.objects, 1) or [1]),
    "prevention:case_history": _pk(lambda: _ids(Case.objects, 6)),
    "api:school-team-detail": _pk(lambda: _ids(SchoolTeam.objects, 2) or [1]),
    "api:school-team-entry-detail": _pk(lambda: _ids(ListEntry.objects, 4) or [1]),
    "cases:act": lambda: [{"pk": pk, "what": "notitie"} for pk in _ids(Case.objects, 2)],
    "leave:detail": _pk(lambda: _ids(LeaveRequest.objects, 6)),
    "leave:decide": _pk(lambda: _ids(LeaveRequest.objects, 1)),
    # parents online: the public form and receipt (no child), what came in (``_online_demo``)
    "leave:public_form": lambda: [
        {"token": t} for t in PublicLeaveLink.objects.values_list("token", flat=True)
    ],
    "leave:public_receipt": lambda: [
        {"token": t} for t in PublicLeaveLink.objects.values_list("token", flat=True)
    ],
    "leave:online_detail": _pk(lambda: _ids(OnlineLeaveRequest.objects)),
    "leave:online_link_pupil": _pk(lambda: _ids(OnlineLeaveRequest.objects, 1)),
    "leave:online_refuse": _pk(lambda: _ids(OnlineLeaveRequest.objects, 1)),
    "leave:online_statement": _pk(lambda: _ids(OnlineLeaveRequest.objects, 1)),
    "correspondence:decision_to_parent": _pk(
        lambda: _ids(LeaveRequest.objects.filter(online_request__isnull=False), 1) or [1]
    ),
    "exemptions:detail": _pk(lambda: _ids(ExemptionRequest.objects, 6)),
    "exemptions:ask_advice": _pk(lambda: _ids(ExemptionRequest.objects, 1)),
    "exemptions:advise": _pk(lambda: _ids(ExemptionRequest.objects, 1)),
    "exemptions:decide": _pk(lambda: _ids(ExemptionRequest.objects, 1)),
    "monitor:telling": lambda: [{"year": _school_year()}],
    "monitor:telling_export": lambda: [{"year": _school_year(), "fmt": "csv"}],  # POST: 405
    "monitor:export_download": _pk(lambda: _ids(BackgroundJob.objects) or [1]),
    "notifications:open": _pk(lambda: _ids(Notification.objects, 2)),
    "api:student-detail": _pk(_students),
    "api:leave-request-detail": _pk(lambda: _ids(LeaveRequest.objects, 6)),
    "api:exemption-request-detail": _pk(lambda: _ids(ExemptionRequest.objects, 6)),
    "api:exemption-request-decision": _pk(lambda: _ids(ExemptionRequest.objects, 1)),
    "api:case-detail": _pk(lambda: _ids(Case.objects, 6)),
    "api:notification-read": _pk(lambda: _ids(Notification.objects, 1) or [1]),
    "api/v1/figures/leerplichttellingen/<int:school_year>": lambda: [
        {"school_year": _school_year()}
    ],
    "correspondence:log": _pk(_students),
    "correspondence:letter_new": lambda: [{"pk": pk, "kind": "uitnodiging"} for pk in _students()],
    "correspondence:letter_pdf": _pk(lambda: _ids(Letter.objects, 1) or [1]),
    "api:letter-pdf": _pk(lambda: _ids(Letter.objects, 1) or [1]),
    "privacy:user": lambda: [{"pk": pk} for pk in _ids(User.objects, 3)],
    "privacy:child": _pk(_students),
    "privacy:inzage": lambda: [{"pk": pk, "fmt": "json"} for pk in _students()[:3]],
    "api/v1/<path:rest>": list,  # the API's own 404 for every unknown path
}
#: the case API's sub-resources (api:case-<action>; writes, whose GET answers 405, and the notes):
#: every one not in PATH_VALUES with the cases' ids
CASE_SUBRESOURCE_PREFIX = "api:case-"

#: Pages opened with a query too: forms and lists that show a child named in the query.
QUERIES: list[tuple[str, Callable[[], list[str]]]] = [
    ("cases:open", lambda: [f"leerling={pk}" for pk in _students()]),
    ("concerns:register", lambda: [f"leerling={pk}" for pk in _students()]),
    ("leave:new", lambda: [f"leerling={pk}" for pk in _students()[:2]]),
    ("exemptions:new", lambda: [f"leerling={pk}" for pk in _students()[:2]]),
    (
        "leave:pupil_search",
        lambda: ["zoek=" + s.family_name for s in Student.objects.filter(pk__in=_students()[:3])],
    ),
    (
        "leave:new",
        lambda: ["zoek=" + s.family_name for s in Student.objects.filter(pk__in=_students()[:2])],
    ),
    (
        "attendance:search",
        lambda: ["q=" + s.family_name for s in Student.objects.filter(pk__in=_students()[:3])],
    ),
    ("api:student-list", lambda: ["limit=1000"]),
    (
        "privacy:children",
        lambda: ["q=" + s.family_name for s in Student.objects.filter(pk__in=_students()[:3])],
    ),
    ("attendance:home", lambda: ["pagina=2", "mpagina=2"]),
]


def url_patterns(resolver=None, prefix: str = "", namespace: str = "") -> Iterator[tuple]:
    """(name or None, route, path parameters) of every pattern of the URL conf."""
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_patterns(pattern, prefix + str(pattern.pattern), ns)
        else:
            name = namespace + pattern.name if pattern.name else None
            yield name, prefix + str(pattern.pattern), list(pattern.pattern.regex.groupindex)


def urls_to_open() -> list[str]:
    urls: list[str] = []
    unknown: list[str] = []
    for name, route, params in url_patterns():
        if not params:
            if name is not None:
                urls.append(reverse(name))
            continue
        if (name or route) in PATH_VALUES:
            values = PATH_VALUES[name or route]()
        elif name is not None and name.startswith(CASE_SUBRESOURCE_PREFIX):
            values = [{p: pk if p == "pk" else 1 for p in params} for pk in _ids(Case.objects, 2)]
        else:
            unknown.append(name or route)
            continue
        for kwargs in values:
            if name is not None:
                urls.append(reverse(name, kwargs=kwargs))
            else:
                path = route
                for param, value in kwargs.items():
                    path = re.sub(rf"<(\w+:)?{param}>", str(value), path)
                urls.append("/" + path)
    assert not unknown, (
        "URL patterns with path parameters that this test does not open (add them to "
        f"PATH_VALUES, with ids of objects that show children): {unknown}"
    )
    for name, queries in QUERIES:
        urls.extend(f"{reverse(name)}?{query}" for query in queries())
    return urls


class ChildFinder:
    """Which children a response shows: by full name in a page (HTML-escaped, whole words), by
    ``student`` (and a student's own ``id``) in the API's JSON."""

    def __init__(self) -> None:
        staff = {u.get_full_name() for u in User.objects.all()}
        self.by_name: dict[str, set[int]] = {}
        for pk, given, family in Student.objects.values_list("pk", "given_names", "family_name"):
            name = f"{given} {family}".strip()
            if name and name not in staff:
                self.by_name.setdefault(html.escape(name), set()).add(pk)
        names = sorted(self.by_name, key=len, reverse=True)
        self.pattern = re.compile(
            r"(?<![\w-])(" + "|".join(re.escape(n) for n in names) + r")(?![\w-])"
        )

    def in_page(self, text: str) -> list[set[int]]:
        """Per name found: the children of that name (one of them is shown)."""
        return [self.by_name[m] for m in set(self.pattern.findall(text))]

    def in_json(self, data: Any, students_endpoint: bool) -> list[set[int]]:
        found: list[set[int]] = []

        def walk(value: Any, top: bool) -> None:
            if isinstance(value, dict):
                for key, item in value.items():
                    names_child = key == "student" or (key == "id" and top and students_endpoint)
                    if names_child and isinstance(item, int):
                        found.append({item})
                    else:
                        walk(item, top=key == "results")
            elif isinstance(value, list):
                for item in value:
                    walk(item, top)

        walk(data, top=True)
        return found


def _online_demo() -> None:
    """A public link for each school with a zorgcoördinator, and what parents sent through it:
    one request not linked yet (typed as a pupil's name and date of birth: the candidate the page
    names) and one linked to a leave request of the school."""
    schools = {
        leave.school
        for leave in LeaveRequest.objects.filter(
            school__organisation__memberships__role="school_zorgcoordinator"
        ).select_related("school", "student")
    }
    for n, school in enumerate(sorted(schools, key=lambda s: s.pk)):
        PublicLeaveLink.objects.create(school=school, token=f"demo-{school.brin}-{'x' * 40}")
        leave = LeaveRequest.objects.filter(school=school).order_by("pk").first()
        pupil = (
            Enrolment.objects.filter(school=school, end_date__isnull=True)
            .exclude(student=leave.student)
            .order_by("pk")
            .first()
            .student
        )
        for i, (child, linked) in enumerate(((pupil, None), (leave.student, leave))):
            OnlineLeaveRequest.objects.create(
                school=school,
                reference=f"VL-DEMO{n}{i}",
                child_given_names=child.given_names,
                child_family_name=child.family_name,
                child_birth_date=child.birth_date,
                parent_name="Een Ouder",
                parent_email="ouder@example.org",
                kind=leave.kind,
                start_date=leave.start_date,
                end_date=leave.end_date,
                state="gekoppeld" if linked else "ongekoppeld",
                leave_request=linked,
            )


def _build_demo(files) -> None:
    load_demo(files)
    run = detection_run(on=ON)
    cases_demo(on=run.on_date)
    barriers_demo(on=run.on_date)
    concerns_demo(on=run.on_date, avoid=set(Case.objects.values_list("student_id", flat=True)))
    used = set(Case.objects.values_list("student_id", flat=True))
    leave_demo(on=ON, avoid=used)
    used |= set(LeaveRequest.objects.values_list("student_id", flat=True))
    exemptions_demo(on=ON, avoid=used)
    _online_demo()
    school_teams_demo(on=ON, sweep=False)


@pytest.fixture(scope="module")
def demo_files(tmp_path_factory):
    return generate_demo_files(tmp_path_factory, students=600, seed=9, on=ON)


def test_every_child_a_page_or_endpoint_shows_is_audited(demo_files):
    _build_demo(demo_files)
    finder = ChildFinder()
    urls = urls_to_open()
    missing: list[str] = []
    shown_at_all = 0
    for username in DEMO_USERNAMES:
        client = Client()
        client.force_login(User.objects.get(username=username))
        for url in urls:
            before = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
            response = client.get(url, HTTP_HX_REQUEST="false")
            if response.status_code != 200 or getattr(response, "streaming", False):
                continue
            content_type = response.get("Content-Type", "")
            if "json" in content_type:
                is_students = "/api/v1/students" in url or "/api/v1/findings" in url
                shown = finder.in_json(json.loads(response.content), is_students)
            elif "html" in content_type:
                shown = finder.in_page(response.content.decode())
            else:
                continue
            if not shown:
                continue
            shown_at_all += 1
            audited = set(
                AuditEvent.objects.filter(pk__gt=before, student__isnull=False).values_list(
                    "student_id", flat=True
                )
            )
            for children in shown:
                if not children & audited:
                    missing.append(f"{username} GET {url}: child {sorted(children)} not audited")
    assert not missing, "\n".join(missing[:40])
    assert shown_at_all > 20  # the walk saw children on many pages (not a test that cannot fail)
