"""Leave requests (verlof, LPW art. 13a and 14; issue 4 §5).

The assessment of the law (``rules.leave.assess_leave_request``) is stored with the request when it
is registered: how many school days, who decides (the school, or the leerplichtambtenaar beyond ten
days) and why it cannot be granted, if so. Every change of its state is a
``LeaveRequestStateChange`` (``workflow`` says which moves there are), appended, never edited.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from inbeeld.audit.append_only import StateChange
from inbeeld.leave.workflow import OPEN_STATES, LeaveState
from inbeeld.rules import leave as rules_leave

__all__ = ["Decider", "LeaveKind", "LeaveRequest", "LeaveRequestStateChange", "LeaveState"]


class LeaveKind(models.TextChoices):
    HOLIDAY = rules_leave.HOLIDAY, _("vakantieverlof (art. 13a)")
    WEIGHTY = rules_leave.WEIGHTY, _("gewichtige omstandigheden (art. 14)")


class Decider(models.TextChoices):
    SCHOOL = rules_leave.SCHOOL, _("de school")
    LEERPLICHT = rules_leave.LEERPLICHT, _("de leerplichtambtenaar")


class LeaveRequest(models.Model):
    student = models.ForeignKey(
        "people.Student", on_delete=models.CASCADE, related_name="leave_requests"
    )
    school = models.ForeignKey("people.School", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=32, choices=LeaveKind.choices)
    start_date = models.DateField()
    end_date = models.DateField()
    #: short; for weighty circumstances (never medical details)
    reason = models.CharField(max_length=300, blank=True)
    #: art. 11 onder f, 13a lid 1: the employer's statement that a holiday in the school vacations
    #: is impossible
    employer_statement = models.BooleanField(default=False)
    requested_on = models.DateField()
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_by_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    # -- the assessment at registration (rules.leave.LeaveAssessment) --
    school_days = models.PositiveIntegerField(default=0)
    decider = models.CharField(max_length=32, choices=Decider.choices)
    refusals = models.JSONField(default=list, blank=True)
    #: the gemeente (leerplicht) a request of more than ten days is forwarded to
    forwarded_to = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # -- the decision --
    state = models.CharField(
        max_length=24, choices=LeaveState.choices, default=LeaveState.INGEDIEND
    )
    decision_note = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by_organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-requested_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="leave_request_end_after_start",
            ),
        ]
        indexes = [models.Index(fields=["student", "start_date"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.start_date}–{self.end_date}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def may_be_granted(self) -> bool:
        return not self.refusals

    @property
    def is_niet_ontvankelijk(self) -> bool:
        """Stored, but the law does not allow it: nothing to decide (``refusals`` say why)."""
        return self.state == LeaveState.NIET_ONTVANKELIJK


class LeaveRequestStateChange(StateChange):
    """One move of a request (``workflow.TRANSITIONS``); the first is its registration."""

    request = models.ForeignKey(
        LeaveRequest, on_delete=models.CASCADE, related_name="state_changes"
    )
    states = LeaveState


# the requests parents send online (issue 11 §8), in their own module
from inbeeld.leave.public_models import (  # noqa: E402
    OnlineLeaveRequest,
    OnlineState,
    PublicLeaveLink,
)

__all__ += ["OnlineLeaveRequest", "OnlineState", "PublicLeaveLink"]
