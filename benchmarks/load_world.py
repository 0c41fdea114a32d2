"""The world of the mixed load (`benchmarks/load_bench.py`, issue 14): cases that the demo
leerplichtambtenaar leads, for up to ``INBEELD_BENCH_CASES`` (default 200) of the gemeente's
thuiszitters, opened through the cases service as a team would; and a personal API token of the
demo leerplichtambtenaar (read everything it may, write the contact log). Run inside
``inbeeld shell``; prints one line of JSON: the case ids, the child ids and the token's key."""

from __future__ import annotations

import json
import os

from django.utils import timezone

from inbeeld.accounts.actor import Actor
from inbeeld.accounts.models import User
from inbeeld.accounts.services import personal_token_create
from inbeeld.attendance.models import StudentStatus
from inbeeld.cases import services
from inbeeld.cases.models import Case, OpenedFrom
from inbeeld.people.selectors import students_visible_to
from inbeeld.rules.status import ABSOLUUT_VERZUIM, LANGDURIG_RELATIEF_VERZUIM

TARGET = int(os.environ.get("INBEELD_BENCH_CASES", "200"))
USERNAME = os.environ.get("INBEELD_BENCH_USER", "demo-leerplicht")

user = User.objects.get(username=USERNAME)
actor = Actor.for_membership(list(user.memberships.filter(active=True)))
today = timezone.localdate()
with_case = Case.objects.values("student_id")
children = list(
    StudentStatus.objects.filter(
        category__in=[ABSOLUUT_VERZUIM, LANGDURIG_RELATIEF_VERZUIM],
        student__in=students_visible_to(actor=actor),
    )
    .exclude(student__in=with_case)
    .order_by("student_id")
    .values_list("student", flat=True)[: max(0, TARGET - Case.objects.count())]
)
for student in students_visible_to(actor=actor).filter(pk__in=children):
    services.case_open(actor=actor, student=student, opened_from=OpenedFrom.FINDING, on=today)
cases = list(Case.objects.order_by("pk").values_list("pk", "student_id"))
_token, key = personal_token_create(
    actor=actor,
    name="benchmark",
    scopes={
        "students": "read",
        "findings": "read",
        "cases": "read",
        "figures": "read",
        "correspondence": "write",
    },
    days=1,
)
print(
    json.dumps({"cases": [c for c, _s in cases], "children": [s for _c, s in cases], "token": key})
)
