"""Leave requests parents send online (issue 11 §8): a school's public link and what came in
through it.

A school may switch on a public link (:class:`PublicLeaveLink`): an unguessable token in the URL,
which the school can renew (the old link stops working) or switch off. A parent without an account
fills in the form behind it; what they sent is an :class:`OnlineLeaveRequest`, kept apart from the
school's registered ``LeaveRequest`` until the school links it to one of its pupils (which registers
the leave request with the law's assessment, decided in the usual flow) or refuses it. The public
form never says whether a child exists: nothing is matched while the parent waits.

The employer's statement is a file in Django's storage (``MEDIA_ROOT``, outside the web root, never
served by URL): only the school of the request downloads it, through Inbeeld.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inbeeld.leave.models import LeaveKind


class PublicLeaveLink(models.Model):
    """The public link of one school's leave form; ``token`` is in its URL."""

    school = models.OneToOneField(
        "people.School", on_delete=models.CASCADE, related_name="public_leave_link"
    )
    token = models.CharField(max_length=64, unique=True)
    enabled = models.BooleanField(default=True)
    changed_at = models.DateTimeField(default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"openbare verloflink van {self.school}"


class OnlineState(models.TextChoices):
    ONGEKOPPELD = "ongekoppeld", _("nog niet gekoppeld aan een leerling")
    GEKOPPELD = "gekoppeld", _("gekoppeld en vastgelegd")
    GEWEIGERD = "geweigerd", _("niet in behandeling genomen")


def statement_path(instance: OnlineLeaveRequest, filename: str) -> str:
    """A name of Inbeeld's own (never the parent's file name): the reference and the type."""
    return f"verlof/verklaringen/{instance.reference}{filename[filename.rfind('.') :]}"


class OnlineLeaveRequest(models.Model):
    """What a parent sent through a school's public link, as they typed it."""

    school = models.ForeignKey("people.School", on_delete=models.PROTECT, related_name="+")
    #: the number on the parent's receipt (``VL-`` and ten letters and digits)
    reference = models.CharField(max_length=16, unique=True)
    child_given_names = models.CharField(max_length=200)
    child_family_name = models.CharField(max_length=200)
    child_birth_date = models.DateField()
    parent_name = models.CharField(max_length=200)
    parent_email = models.EmailField(max_length=254)
    kind = models.CharField(max_length=32, choices=LeaveKind.choices)
    start_date = models.DateField()
    end_date = models.DateField()
    reason = models.CharField(max_length=300, blank=True)
    statement = models.FileField(upload_to=statement_path, max_length=200, blank=True)
    statement_content_type = models.CharField(max_length=32, blank=True)
    statement_sha256 = models.CharField(max_length=64, blank=True)
    submitted_at = models.DateTimeField(default=timezone.now)
    state = models.CharField(
        max_length=16, choices=OnlineState.choices, default=OnlineState.ONGEKOPPELD
    )
    #: the leave request the school registered from it (state ``gekoppeld``)
    leave_request = models.OneToOneField(
        "leave.LeaveRequest",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="online_request",
    )
    #: why the school did not take it on (state ``geweigerd``)
    refusal_note = models.TextField(blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    handled_on = models.DateField(null=True, blank=True)
    #: the decision letter (``correspondence.Letter`` id) last e-mailed to the parent, and when
    letter_sent = models.PositiveBigIntegerField(null=True, blank=True)
    letter_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="online_leave_end_after_start",
            ),
        ]
        indexes = [models.Index(fields=["school", "state"])]

    def __str__(self) -> str:
        return f"online verlofaanvraag {self.reference}"
