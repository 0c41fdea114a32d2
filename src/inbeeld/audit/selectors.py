"""Reading the audit trail (only through these; nobody edits it)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

from inbeeld.audit.labels import action_label, what_label
from inbeeld.audit.models import AuditEvent

#: object types of the Verwijsindex: another organisation's rows about them are shown only to an
#: organisation with a match with it about the child (a registration gives no sight)
CONCERN_TYPES = ("concerns.Concern", "concerns.Match")


@dataclass(frozen=True)
class AccessEntry:
    """One line of a child's access history as one viewer may see it."""

    at: dt.datetime
    action: str
    action_label: str
    organisation_name: str
    #: the person, only on the viewer's own organisation's rows
    username: str
    #: the event's own summary on own rows; what it was about in general words on others
    summary: str
    object_type: str
    own: bool


def access_history_of_student(
    *,
    student_id: int,
    viewer_organisation_id: int,
    matched_organisation_ids: Collection[int] = (),
    limit: int = 200,
) -> list[AccessEntry]:
    """Who saw or changed this child's data, newest first, as the viewing organisation may know it
    (callers check the permission and the child's scope; docs/audit.md "Who sees what"):

    * its own organisation's events in full: person, kind, summary;
    * another organisation's (or the system's) events as organisation, when, kind and what in
      general words (``audit.labels.WHAT_LABELS``): never the person, never the summary;
    * another organisation's events about a concern or a match only when the viewer has a match
      with that organisation about this child (``matched_organisation_ids``); otherwise they are
      left out, so the history tells nobody that another organisation is worried.
    """
    events = (
        AuditEvent.objects.filter(student_id=student_id)
        .select_related("organisation")
        .order_by("-at", "-id")[:limit]
    )
    matched = set(matched_organisation_ids)
    entries = []
    for event in events:
        own = event.organisation_id is not None and event.organisation_id == viewer_organisation_id
        if not own and event.object_type in CONCERN_TYPES and event.organisation_id not in matched:
            continue
        entries.append(
            AccessEntry(
                at=event.at,
                action=event.action,
                action_label=action_label(event.action),
                organisation_name=event.organisation.name if event.organisation else "",
                username=event.username if own else "",
                summary=event.summary if own else what_label(event.object_type),
                object_type=event.object_type,
                own=own,
            )
        )
    return entries
