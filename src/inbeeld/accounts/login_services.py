"""Writes about how a person logs in: their password, their second factor (an authenticator app,
recovery codes, passkeys) and a beheerder's reset of it. Each runs in one transaction with its
audit event, like ``accounts.services``; the password and codes themselves are never audited.

Who needs a second factor: every user whose roles at the organisation they act for can see a
child or give sight of one (:data:`SECOND_FACTOR_PERMISSIONS`); others may enrol. In demo mode the demo users are excused
(:func:`demo_bypass_applies`); production refuses demo mode.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp import devices_for_user, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from inbeeld.accounts.actor import Actor
from inbeeld.accounts.models import Membership, User
from inbeeld.accounts.permissions import Permission
from inbeeld.accounts.services import password_messages
from inbeeld.audit.models import AuditAction
from inbeeld.audit.services import audit_record
from inbeeld.demo.guard import DEMO_USERNAMES

RECOVERY_CODE_COUNT = 10
AUTHENTICATOR_NAME = "authenticator-app"
RECOVERY_NAME = "herstelcodes"


# ---------------------------------------------------------------------------------------------
# who needs what


def demo_bypass_applies(user: User) -> bool:
    """Demo mode only: the demo users log in without a second factor (their password is public
    anyway). Production settings refuse ``INBEELD_DEMO``, so this is never true there."""
    return bool(getattr(settings, "DEMO_MODE", False)) and user.username in DEMO_USERNAMES


#: a second factor is needed by whoever holds one of these at the organisation they act for:
#: seeing a child, seeing who looked at a child, importing children's data, and managing people
#: (who could otherwise give a role that sees children)
SECOND_FACTOR_PERMISSIONS = frozenset(
    {
        Permission.VIEW_STUDENT,
        Permission.VIEW_ACCESS_HISTORY,
        Permission.IMPORT_DATA,
        Permission.MANAGE_ORGANISATION,
        Permission.REVIEW_ACCESS,
        Permission.EXPORT_SUBJECT_DATA,
    }
)


def second_factor_required(actor: Actor | None) -> bool:
    """A second factor is needed by whoever can see a child (or give sight of one) at the
    organisation they act for; permissions decide, never role names."""
    if actor is None or demo_bypass_applies(actor.user):
        return False
    return any(actor.can(permission) for permission in SECOND_FACTOR_PERMISSIONS)


def has_second_factor(user: User) -> bool:
    return user_has_device(user, confirmed=True)


# ---------------------------------------------------------------------------------------------
# password


def new_password_check(user: User, new_password: str, repeated: str) -> None:
    """The password rules (AUTH_PASSWORD_VALIDATORS) in plain Dutch, and both entries equal."""
    errors: dict[str, list[str]] = {}
    if not new_password:
        errors["new_password"] = [_("Vul een nieuw wachtwoord in.")]
    elif new_password != repeated:
        errors["repeated"] = [_("De twee nieuwe wachtwoorden zijn niet gelijk.")]
    else:
        try:
            validate_password(new_password, user=user)
        except ValidationError as error:
            errors["new_password"] = password_messages(error)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def password_change(
    *, user: User, old_password: str, new_password: str, repeated: str, ip: str | None
) -> User:
    """The user changes their own password (knowing the current one); a first password set by a
    beheerder no longer needs changing after this."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.check_password(old_password or ""):
        raise ValidationError({"old_password": [_("Uw huidige wachtwoord klopt niet.")]})
    if new_password and new_password == old_password:
        raise ValidationError({"new_password": [_("Kies een ander wachtwoord dan uw huidige.")]})
    new_password_check(user, new_password, repeated)
    return _password_set(
        user,
        new_password,
        summary=f"{user.username} heeft het wachtwoord gewijzigd",
        detail={"password_changed": True, "first_password": user.must_change_password},
        ip=ip,
    )


@transaction.atomic
def password_reset_complete(
    *, user: User, new_password: str, repeated: str, ip: str | None
) -> User:
    """A new password through a reset link from the e-mail (the link proves who it is)."""
    user = User.objects.select_for_update().get(pk=user.pk)
    new_password_check(user, new_password, repeated)
    return _password_set(
        user,
        new_password,
        summary=f"{user.username} heeft een nieuw wachtwoord ingesteld via een herstellink",
        detail={"password_reset": True},
        ip=ip,
    )


def _password_set(
    user: User, new_password: str, *, summary: str, detail: dict, ip: str | None
) -> User:
    """Store the checked new password (no first password to change any more), audited."""
    user.set_password(new_password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    audit_record(
        actor=None,
        user=user,
        action=AuditAction.UPDATE,
        obj=user,
        summary=summary,
        detail=detail,
        ip=ip,
    )
    return user


@transaction.atomic
def password_reset_requested(*, email: str, users_found: int, ip: str | None) -> None:
    """A reset link was asked for ``email``; recorded whether or not anyone has that address
    (the screen answers the same either way)."""
    audit_record(
        actor=None,
        action=AuditAction.UPDATE,
        summary="Wachtwoordherstel aangevraagd",
        detail={"password_reset_requested": True, "email": email[:254], "users": users_found},
        ip=ip,
    )


# ---------------------------------------------------------------------------------------------
# the authenticator app (TOTP) and recovery codes


@transaction.atomic
def totp_device_start(*, user: User) -> TOTPDevice:
    """A new, unconfirmed authenticator device with a fresh key (an unconfirmed one from an
    earlier try is replaced). It counts only once a first code confirms it."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)


def pending_totp_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()


@transaction.atomic
def totp_device_confirm(*, user: User, code: str, ip: str | None) -> tuple[TOTPDevice, list[str]]:
    """Confirm the pending authenticator with its first code: it replaces any earlier one, and the
    user gets 10 new recovery codes (returned, shown once). Returns the device and the codes."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).last()
    if device is None:
        raise ValidationError({"code": [_("Begin opnieuw: scan eerst de QR-code.")]})
    code = "".join((code or "").split())
    if not code.isdigit() or not device.verify_token(code):
        raise ValidationError(
            {"code": [_("Deze code klopt niet. Vul de zescijferige code uit de app in.")]}
        )
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _new_recovery_codes(user)
    audit_record(
        actor=None,
        user=user,
        action=AuditAction.CREATE,
        obj=device,
        summary=f"{user.username} heeft een authenticator-app ingesteld als tweede factor",
        detail={"second_factor": "totp", "recovery_codes": len(codes)},
        ip=ip,
    )
    return device, codes


def _new_recovery_codes(user: User) -> list[str]:
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def recovery_codes_renew(*, user: User, ip: str | None) -> list[str]:
    """Ten new recovery codes; the old ones stop working. Only for a user with a second factor."""
    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists() and not (
        WebAuthnCredential.objects.filter(user=user, confirmed=True).exists()
    ):
        raise ValidationError(_("Stel eerst een authenticator-app of passkey in."))
    codes = _new_recovery_codes(user)
    audit_record(
        actor=None,
        user=user,
        action=AuditAction.UPDATE,
        obj=user,
        summary=f"{user.username} heeft nieuwe herstelcodes gemaakt",
        detail={"second_factor": "recovery_codes", "recovery_codes": len(codes)},
        ip=ip,
    )
    return codes


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__name=RECOVERY_NAME).count()


@transaction.atomic
def passkey_registered_record(*, user: User, device: WebAuthnCredential, ip: str | None) -> None:
    """A passkey was registered (by django-otp-webauthn's ceremony, which wrote the device)."""
    audit_record(
        actor=None,
        user=user,
        action=AuditAction.CREATE,
        obj=device,
        summary=f"{user.username} heeft een passkey ingesteld als tweede factor",
        detail={"second_factor": "passkey"},
        ip=ip,
    )


# ---------------------------------------------------------------------------------------------
# the second step of the login


def second_factor_match(*, user: User, code: str, ip: str | None):
    """The device (authenticator or recovery code) that accepts ``code``, or None; both are
    audited. A recovery code works once. django-otp slows down guessing per device."""
    code = "".join((code or "").split())
    device = None
    if code:
        for candidate in devices_for_user(user, confirmed=True):
            if isinstance(candidate, (TOTPDevice, StaticDevice)) and candidate.verify_token(code):
                device = candidate
                break
    second_factor_verified_record(user=user, device=device, ip=ip)
    return device


@transaction.atomic
def second_factor_verified_record(*, user: User, device, ip: str | None) -> None:
    """The second step of a login, passed (with which kind of device) or failed."""
    kind = type(device).__name__ if device is not None else ""
    audit_record(
        actor=None,
        user=user,
        action=AuditAction.LOGIN if device is not None else AuditAction.LOGIN_FAILED,
        summary=(
            f"{user.username} heeft de tweede stap van het inloggen gehaald"
            if device is not None
            else f"Verkeerde code bij de tweede stap van het inloggen als {user.username!r}"
        ),
        detail={"step": "second_factor", "device": kind},
        ip=ip,
    )


# ---------------------------------------------------------------------------------------------
# a beheerder's reset


@transaction.atomic
def second_factor_reset(*, actor: Actor, user: User) -> int:
    """The functioneel beheerder removes every second factor of a person of their own
    organisation (a lost phone): the person enrols again at the next login. Returns how many
    devices were removed."""
    if not actor.can(Permission.MANAGE_ORGANISATION):
        raise PermissionDenied(_("U mag de mensen van deze organisatie niet beheren."))
    if not Membership.objects.filter(
        user=user, organisation=actor.organisation, active=True
    ).exists():
        raise PermissionDenied(_("Deze persoon werkt niet voor uw organisatie."))
    removed = 0
    for model in (TOTPDevice, StaticDevice, WebAuthnCredential):
        removed += model.objects.filter(user=user).delete()[1].get(model._meta.label, 0)
    audit_record(
        actor=actor,
        action=AuditAction.REVOKE,
        obj=user,
        summary=f"Tweede factor van {user.username} hersteld (opnieuw instellen)",
        detail={"second_factor_reset": True, "devices_removed": removed},
    )
    return removed
