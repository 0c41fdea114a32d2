"""Issue 9 (findings 4 and 5): a concern no longer gives sight of the child.

Until now registering a concern wrote an ``Involvement`` (source ``concern``) that opened the
child's page and ``/api/v1/students/<id>`` to the registering organisation for two years, for any
child in the country it could name by BSN and birth date. Following the Verwijsindex model, a
concern now records only *that* an organisation is involved; sight of a child comes from the
organisation's own scope or a case team. This migration

* ends every concern involvement still running (its last day: the day before the migration runs;
  the rows stay, as history of who could see what until then), and
* fills in the BSN and birth date of each existing concern from its child: what the organisation
  entered or saw when it registered it, and what its own list of concerns now shows.

Case-team involvements are left as they are. ``people.selectors.student_scope`` counts only those.
"""

import datetime as dt

from django.db import migrations
from django.db.models import OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

REASON = "issue 9: een zorg geeft geen zicht meer op het kind (Verwijsindex)"


def end_concern_involvements(apps, schema_editor):
    Involvement = apps.get_model("people", "Involvement")
    Concern = apps.get_model("concerns", "Concern")
    Student = apps.get_model("people", "Student")
    last_day = timezone.localdate() - dt.timedelta(days=1)
    # one that had not begun yet gets an end before its start: it never counts
    ended = (
        Involvement.objects.filter(source="concern")
        .filter(Q(until__isnull=True) | Q(until__gt=last_day))
        .update(until=last_day)
    )
    child = Student.objects.filter(pk=OuterRef("student_id"))
    Concern.objects.filter(bsn="", student__isnull=False).update(
        bsn=Coalesce(Subquery(child.values("bsn")[:1]), Value("")),
        birth_date=Subquery(child.values("birth_date")[:1]),
    )
    if ended:
        print(f"\n  {ended} zorg-betrokkenheden beëindigd ({REASON})")


class Migration(migrations.Migration):
    dependencies = [
        ("concerns", "0002_entered_identity_and_pending"),
        ("people", "0002_involvement"),
    ]

    operations = [
        migrations.RunPython(end_concern_involvements, migrations.RunPython.noop, elidable=False),
    ]
