"""Concerns and their matches (issue 4 §1): the model of Zorg voor Jeugd and the Verwijsindex.

A professional registers *that* their organisation is involved with a child and worried, in a life
domain, normal or urgent, with contact details; never *why*. When a second organisation registers
a concern about the same child, both are told at once and see each other's contact details.
A concern is active two years and deleted after five (``concerns.retention``).

A concern gives no sight of the child (issue 9): the child's data stays with the organisations
whose scope it is in, or a case team. A professional who cannot see the child names it by BSN and
birth date; the concern keeps what was entered and is linked to the child if and when the child
is in Inbeeld (``concerns.linking``), which nobody but a match ever learns.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

#: a concern is active this many years after it was registered …
ACTIVE_YEARS = 2
#: … and deleted this many years after it was registered
KEEP_YEARS = 5


def add_years(day: dt.date, years: int) -> dt.date:
    """The same day ``years`` later (29 February → 28 February in a common year)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


class Domain(models.TextChoices):
    SCHOOL = "school", _("school")
    HEALTH = "health", _("gezondheid")
    FAMILY = "family", _("gezin")
    PSYCHOLOGICAL = "psychological", _("psychisch")
    SOCIAL = "social", _("sociaal")
    OTHER = "other", _("overig")


class SystemReason(models.TextChoices):
    """Why the system registered a concern by itself: long absence is an urgent concern."""

    LRV = "lrv", _("melding langdurig relatief verzuim")
    SIXTEEN_HOURS = "16_uur", _("melding 16 uur ongeoorloofd verzuim")
    ABSOLUUT_VERZUIM = "absoluut_verzuim_3_maanden", _("absoluut verzuim langer dan 3 maanden")


@dataclass(frozen=True)
class SystemConcernCandidate:
    """A child whose absence may itself be an urgent concern of the gemeente (issue 4 §1), as plain
    data: detection (attendance, a higher layer) finds them and passes them in.

    ``key`` is the natural key of what it comes from (a melding, a stretch of absoluut verzuim):
    never a second concern for it; ``about`` is the last day of absence it covers."""

    student_id: int
    reason: str  # a SystemReason
    about: dt.date
    key: str


def active_on(on: dt.date, prefix: str = "") -> Q:
    """The condition for a concern that is active on ``on``: registered, not ended, not withdrawn."""
    return Q(
        **{
            f"{prefix}registered_on__lte": on,
            f"{prefix}active_until__gte": on,
            f"{prefix}withdrawn_on__isnull": True,
        }
    )


class Concern(models.Model):
    """One organisation's concern about one child: that they are involved, never the content."""

    #: the child, once known: empty while no child in Inbeeld has the BSN and birth date entered
    student = models.ForeignKey(
        "people.Student",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="concerns",
    )
    #: what the registering organisation entered (or, from the child's page, what it saw): its own
    #: list shows this, never registry data it may not see
    bsn = models.CharField(_("BSN"), max_length=9, blank=True)
    birth_date = models.DateField(_("geboortedatum"), null=True, blank=True)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="concerns"
    )
    #: who registered it; empty for a concern of the system (long absence)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    domain = models.CharField(_("levensdomein"), max_length=16, choices=Domain.choices)
    urgent = models.BooleanField(_("urgent"), default=False)
    contact_name = models.CharField(_("contactpersoon"), max_length=200)
    contact_phone = models.CharField(_("telefoonnummer"), max_length=30, blank=True)
    contact_email = models.EmailField(_("e-mailadres"), blank=True)
    registered_on = models.DateField()
    #: the last day it is active (registered_on + 2 years)
    active_until = models.DateField()
    #: deleted once this day has passed (registered_on + 5 years)
    delete_after = models.DateField(db_index=True)
    system = models.BooleanField(default=False)
    system_reason = models.CharField(max_length=32, choices=SystemReason.choices, blank=True)
    #: the natural key of what a system concern comes from (a melding, a status): never twice
    system_key = models.CharField(max_length=100, blank=True)
    withdrawn_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-registered_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["system_key"],
                condition=~Q(system_key=""),
                name="concern_system_key_unique",
            ),
            models.CheckConstraint(
                condition=Q(active_until__gte=models.F("registered_on")),
                name="concern_active_after_registered",
            ),
        ]
        indexes = [
            models.Index(fields=["student", "active_until"]),
            models.Index(fields=["bsn", "birth_date"], name="concern_entered_identity"),
        ]

    def __str__(self) -> str:
        return f"zorg {self.pk} ({self.get_domain_display()})"

    @property
    def child_label(self) -> str:
        """Who the concern is about, as the own organisation may know it: the child's name when it
        may see the child anyway (``student_in_sight``, set by ``concerns.selectors``), otherwise
        the BSN and birth date it entered. Never whether Inbeeld knows the child."""
        if getattr(self, "student_in_sight", False) and self.student is not None:
            return self.student.full_name or self.student.external_id
        born = date_format(self.birth_date, "j F Y") if self.birth_date else "?"
        if self.bsn:
            return _("BSN %(bsn)s, geboren %(born)s") % {"bsn": self.bsn, "born": born}
        return _("leerling geboren %(born)s") % {"born": born}

    def is_active(self, on: dt.date) -> bool:
        return self.withdrawn_on is None and self.registered_on <= on <= self.active_until


class Match(models.Model):
    """Two concerns of different organisations about the same child; created once per pair (the
    lower id first), when the later of the two is registered. Both sides are told at once."""

    student = models.ForeignKey("people.Student", on_delete=models.CASCADE, related_name="+")
    concern_a = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="matches_as_a")
    concern_b = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="matches_as_b")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["concern_a", "concern_b"], name="match_pair_unique"),
            models.CheckConstraint(
                condition=Q(concern_a__lt=models.F("concern_b")), name="match_pair_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"match {self.concern_a_id}–{self.concern_b_id}"
