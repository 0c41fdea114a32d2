"""Organisations, the people who work for them, and their roles (issue 3 §1)."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inbeeld.accounts.token_scopes import describe, every_scope


class OrganisationType(models.TextChoices):
    GEMEENTE = "gemeente", _("gemeente")
    SAMENWERKINGSVERBAND = "samenwerkingsverband", _("samenwerkingsverband")
    SCHOOL = "school", _("school")
    GGD = "ggd", _("GGD")
    WIJKTEAM = "wijkteam", _("wijkteam")


class Organisation(models.Model):
    """A gemeente (with its CBS code), a samenwerkingsverband, a school, a GGD or a wijkteam.

    ``code``: the CBS code of a gemeente (GM0014), the BRIN (+ location) of a school, the code of a
    samenwerkingsverband (SWV2001); free for GGD and wijkteam. ``municipality_code``: the gemeente
    an organisation works in (for a gemeente its own CBS code).
    """

    type = models.CharField(max_length=32, choices=OrganisationType.choices)
    name = models.CharField(max_length=200)
    code = models.CharField(max_length=32)
    municipality_code = models.CharField(max_length=6, blank=True)
    #: for a GGD: the CBS codes of the other gemeenten of its region, separated by spaces (its
    #: region is these and its ``municipality_code``; read in one place, ``accounts.regions``)
    region_municipality_codes = models.CharField(max_length=600, blank=True)
    #: how others reach the organisation (for a gemeente: its leerplicht team), shown where the
    #: system speaks for it (a concern Inbeeld registered itself); set in beheer
    contact_address = models.CharField(_("adres"), max_length=300, blank=True)
    contact_phone = models.CharField(_("telefoonnummer"), max_length=30, blank=True)
    contact_email = models.EmailField(_("e-mailadres"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["type", "code"], name="organisation_type_code_unique")
        ]
        ordering = ["type", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_type_display()})"


class Role(models.TextChoices):
    LEERPLICHTAMBTENAAR = "leerplichtambtenaar", _("leerplichtambtenaar")
    SCHOOL_ZORGCOORDINATOR = "school_zorgcoordinator", _("zorgcoördinator school")
    SWV_CONSULTANT = "swv_consultant", _("consulent samenwerkingsverband")
    JEUGDARTS = "jeugdarts", _("jeugdarts")
    WIJKTEAM_MEDEWERKER = "wijkteam_medewerker", _("medewerker wijkteam")
    BELEIDSMEDEWERKER = "beleidsmedewerker", _("beleidsmedewerker")
    FUNCTIONEEL_BEHEERDER = "functioneel_beheerder", _("functioneel beheerder")
    #: the functionaris gegevensbescherming (FG) or privacy officer: who looked at which child
    PRIVACY_OFFICER = "privacy_officer", _("privacyfunctionaris")


class User(AbstractUser):
    """A person who logs in. What they may do comes from their memberships, never from here."""

    #: the password was set by someone else (a beheerder): the user changes it at the next login
    #: before anything else
    must_change_password = models.BooleanField(default=False)

    class Meta:
        ordering = ["username"]


class Membership(models.Model):
    """A user working for an organisation in a role (a user may hold several)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=32, choices=Role.choices)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    #: when it was last deactivated (the full history of grants and revocations is in the audit trail)
    deactivated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="membership_unique"
            )
        ]
        ordering = ["organisation__name", "role"]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} bij {self.organisation.name}"


class RoleGrantState(models.TextChoices):
    PENDING = "pending", _("wacht op goedkeuring")
    APPROVED = "approved", _("goedgekeurd")
    REFUSED = "refused", _("geweigerd")


class RoleGrantRequest(models.Model):
    """A role that lets someone see children, asked for by one functioneel beheerder and approved
    or refused by a second one of the same organisation (separation of duties, issue 9 §13).

    The membership exists only once the request is approved (``membership``)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_requests")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="role_requests"
    )
    role = models.CharField(max_length=32, choices=Role.choices)
    state = models.CharField(
        max_length=16, choices=RoleGrantState.choices, default=RoleGrantState.PENDING
    )
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    #: who approved or refused it; empty for the system (the installation's command line)
    decided_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    membership = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"],
                condition=models.Q(state="pending"),
                name="role_grant_request_one_pending",
            )
        ]
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_role_display()} voor {self.user} bij {self.organisation.name}"


def default_token_expiry() -> dt.datetime:
    """Now plus the default term of a token (``INBEELD_API_TOKEN_DAYS``)."""
    return timezone.now() + dt.timedelta(days=settings.INBEELD_API_TOKEN_DAYS)


class PersonalToken(models.Model):
    """A personal API token (issue 3 §6). Only a hash is stored; the token is shown once.

    It stops working at ``expires_at`` and reaches only its ``scopes`` (family → "read" or
    "write", see ``token_scopes``); the service always sets both from the owner's choice."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="tokens")
    name = models.CharField(max_length=100)
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(default=default_token_expiry)
    scopes = models.JSONField(default=every_scope)

    def is_expired(self, now: dt.datetime | None = None) -> bool:
        return self.expires_at <= (now or timezone.now())

    @property
    def scope_descriptions(self) -> list[str]:
        return describe(self.scopes)

    @staticmethod
    def hash(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @staticmethod
    def generate() -> str:
        return "ib_" + secrets.token_urlsafe(32)
