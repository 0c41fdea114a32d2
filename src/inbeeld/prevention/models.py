"""School teams (issue 12 §1): a standing team per school (or per location of it) with members from
the school, GGD, leerplicht, samenwerkingsverband and wijkteam, its meetings, and its list of
children at risk of dropping out; per child on the list the discussions (with the agreed steps,
the child's and parents' view, consent to share and the causes) and, when needed, the case it moved
into. Care signals propose children for the list (``Proposal``); a member accepts or dismisses.

History is appended: a member leaves (``left_on``), a child leaves the list (``ended_on``), a
proposal is decided once; nothing is deleted. Being a member organisation gives sight of the
children on the list while they are on it (``people.Involvement`` of source ``school_team``, one per
member organisation and list entry).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from inbeeld.cases.causes import DESCRIPTION_LIMIT, Cause
from inbeeld.cases.models import Note


def _optional_fk(to: str = settings.AUTH_USER_MODEL, on_delete=models.PROTECT) -> models.ForeignKey:
    return models.ForeignKey(to, null=True, blank=True, on_delete=on_delete, related_name="+")


class SchoolTeam(models.Model):
    """The standing team of a school (or one of its locations: ``location``)."""

    school = models.ForeignKey(
        "people.School", on_delete=models.PROTECT, related_name="school_teams"
    )
    name = models.CharField(max_length=200)
    #: a location (vestiging) of the school, when the team serves only that one
    location = models.CharField(max_length=100, blank=True)
    created_on = models.DateField()
    created_by = _optional_fk()
    created_by_organisation = _optional_fk("accounts.Organisation")
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["school__name", "location", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "location"],
                condition=models.Q(ended_on__isnull=True),
                name="school_team_one_active_per_location",
            )
        ]

    def __str__(self) -> str:
        return self.name


class TeamMember(models.Model):
    """An organisation in the team (optionally with a named person), from when until when."""

    team = models.ForeignKey(SchoolTeam, on_delete=models.CASCADE, related_name="members")
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    user = _optional_fk()
    role_in_team = models.CharField(max_length=100, blank=True)
    joined_on = models.DateField()
    added_by = _optional_fk()
    left_on = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["joined_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "organisation"],
                condition=models.Q(left_on__isnull=True),
                name="school_team_member_active_unique",
            )
        ]

    @property
    def is_active(self) -> bool:
        return self.left_on is None


class TeamMeeting(models.Model):
    """A meeting on the team's calendar."""

    team = models.ForeignKey(SchoolTeam, on_delete=models.CASCADE, related_name="meetings")
    held_on = models.DateField()
    subject = models.CharField(max_length=300, blank=True)
    planned_by = _optional_fk()
    planned_by_organisation = _optional_fk("accounts.Organisation")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["held_on", "id"]


class ListEntry(models.Model):
    """A child on the team's list of children at risk, from ``added_on`` until ``ended_on``."""

    team = models.ForeignKey(SchoolTeam, on_delete=models.CASCADE, related_name="entries")
    student = models.ForeignKey(
        "people.Student", on_delete=models.PROTECT, related_name="school_team_entries"
    )
    reason = models.CharField(max_length=300)
    added_on = models.DateField()
    added_by = _optional_fk()
    added_by_organisation = _optional_fk("accounts.Organisation")
    #: the care signal's proposal it was accepted from, if any
    proposal = models.OneToOneField(
        "Proposal", null=True, blank=True, on_delete=models.SET_NULL, related_name="entry"
    )
    ended_on = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=300, blank=True)
    ended_by = _optional_fk()
    #: the case the child moved into from the list (the history goes along)
    case = models.ForeignKey(
        "cases.Case",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="school_team_entries",
    )

    class Meta:
        ordering = ["added_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "student"],
                condition=models.Q(ended_on__isnull=True),
                name="school_team_entry_active_unique",
            )
        ]

    @property
    def is_active(self) -> bool:
        return self.ended_on is None


class ConsentToShare(models.TextChoices):
    GIVEN = "gegeven", _("ja, toestemming gegeven")
    REFUSED = "geweigerd", _("nee, geweigerd")
    NOT_ASKED = "niet_gevraagd", _("nog niet gevraagd")


class Discussion(models.Model):
    """The child discussed in the team: when (at which meeting), the minutes, the child's and the
    parents' view, consent to share, the next review; with its agreed steps and causes. The minutes
    and views are read under the rule of case notes (``visibility``: the whole team, or only the
    writer's organisation)."""

    entry = models.ForeignKey(ListEntry, on_delete=models.CASCADE, related_name="discussions")
    meeting = models.ForeignKey(
        TeamMeeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="discussions"
    )
    discussed_on = models.DateField()
    minutes = models.TextField(blank=True)
    child_view = models.TextField(blank=True)
    parents_view = models.TextField(blank=True)
    consent = models.CharField(
        max_length=16, choices=ConsentToShare.choices, default=ConsentToShare.NOT_ASKED
    )
    next_review = models.DateField(null=True, blank=True)
    visibility = models.CharField(max_length=20, choices=Note.Visibility.choices)
    author = _optional_fk()
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["discussed_on", "id"]


class AgreedStep(models.Model):
    """A step agreed in a discussion: what, who (organisation, optionally a person), by when."""

    discussion = models.ForeignKey(Discussion, on_delete=models.CASCADE, related_name="steps")
    description = models.CharField(max_length=300)
    owner_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    owner_user = _optional_fk()
    due_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_date", "id"]


class DiscussionCause(models.Model):
    """A cause (``cases.causes.Cause``) recorded in a discussion; more than one per discussion."""

    discussion = models.ForeignKey(Discussion, on_delete=models.CASCADE, related_name="causes")
    cause = models.CharField(max_length=32, choices=Cause.choices)
    description = models.CharField(max_length=DESCRIPTION_LIMIT, blank=True)

    class Meta:
        ordering = ["id"]


class Proposal(models.Model):
    """A child proposed for the team's list by a care signal: open until a member accepts (the
    child goes on the list) or dismisses it (kept; the same signal does not propose the child to
    this team again for a while, ``services.QUIET_DAYS``)."""

    class State(models.TextChoices):
        OPEN = "open", _("voorgesteld")
        ACCEPTED = "geaccepteerd", _("op de lijst gezet")
        DISMISSED = "afgewezen", _("afgewezen")

    team = models.ForeignKey(SchoolTeam, on_delete=models.CASCADE, related_name="proposals")
    student = models.ForeignKey("people.Student", on_delete=models.CASCADE, related_name="+")
    signal = models.CharField(max_length=40)
    signal_name = models.CharField(max_length=200)
    sentence = models.CharField(max_length=500)
    proposed_on = models.DateField()
    state = models.CharField(max_length=16, choices=State.choices, default=State.OPEN)
    decided_on = models.DateField(null=True, blank=True)
    decided_by = _optional_fk()
    decided_by_organisation = _optional_fk("accounts.Organisation")
    reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["proposed_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "student", "signal"],
                condition=models.Q(state="open"),
                name="school_team_proposal_open_unique",
            )
        ]


class Sight(models.Model):
    """A member organisation's sight of a child on the list: one per (list entry, member), whose
    id is the ``source_id`` of the ``people.Involvement`` (source ``school_team``) that gives it.
    Ended (the involvement's ``until``) when the child leaves the list or the member the team."""

    entry = models.ForeignKey(ListEntry, on_delete=models.CASCADE, related_name="sights")
    member = models.ForeignKey(TeamMember, on_delete=models.CASCADE, related_name="sights")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["entry", "member"], name="school_team_sight_unique")
        ]
