"""Notifications in the application and by e-mail (issue 4 §7)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    MATCH = "match", _("match op een zorg")
    TEAM = "team", _("toegevoegd aan een casusteam")
    ACTION_DUE = "action_due", _("actie verloopt of is verlopen")
    ESCALATION = "escalation", _("opschaling")
    EXEMPTION = "exemption", _("vrijstellingsaanvraag")
    LEAVE = "leave", _("verlofaanvraag")


class Notification(models.Model):
    """One message to one user; ``url`` leads to what it is about. Read once opened."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    #: the organisation the message concerns the user as (their membership there)
    organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=16, choices=NotificationKind.choices)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    #: a key that makes a repeated reminder (an action due, say) arrive once: unique per user
    dedupe_key = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "dedupe_key"],
                condition=~models.Q(dedupe_key=""),
                name="notification_dedupe_unique",
            )
        ]


class EmailPreference(models.Model):
    """Whether a user wants a kind of notification by e-mail as well (default: yes)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_preferences"
    )
    kind = models.CharField(max_length=16, choices=NotificationKind.choices)
    by_email = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="email_preference_unique")
        ]
