"""Barriers (issue 11 §6): what keeps a child of a case out of school, as data with states and
dates. A barrier belongs to a case (and so to its child); every change of state is a
``BarrierChange`` row, appended, never edited."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from inbeeld.barriers.workflow import END_STATES, BarrierKind, BarrierState


class Barrier(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="barriers")
    kind = models.CharField(max_length=20, choices=BarrierKind.choices)
    #: what it is (required with "anders")
    description = models.CharField(max_length=300, blank=True)
    #: who holds the waiting list, or grants the transport (the gemeente, a provider)
    provider = models.CharField(max_length=200, blank=True)
    state = models.CharField(max_length=12, choices=BarrierState.choices)
    #: when it arose (the request, the start of the wait)
    started_on = models.DateField()
    #: the date of its latest change of state
    state_since = models.DateField()
    #: when it ended (geregeld, opgelost, vervallen); empty while open
    ended_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["started_on", "id"]
        indexes = [models.Index(fields=["kind", "state"], name="barrier_kind_state")]

    def __str__(self) -> str:
        return f"belemmering {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.state not in END_STATES

    @property
    def student_id(self) -> int:
        """The child (the case's), for the read audit."""
        return self.case.student_id


class BarrierChange(models.Model):
    """One change of state: from, to, on which date, why, by whom."""

    barrier = models.ForeignKey(Barrier, on_delete=models.CASCADE, related_name="changes")
    from_state = models.CharField(max_length=12, blank=True)
    to_state = models.CharField(max_length=12)
    on = models.DateField()
    step = models.CharField(max_length=100)
    note = models.CharField(max_length=300, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["on", "id"]
