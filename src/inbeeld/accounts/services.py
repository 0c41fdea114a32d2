"""Writes about organisations, people, their roles and their API tokens (issue 3 §1).

Every service runs in one transaction, validates, writes and appends its audit event in that same
transaction. Validation errors raise :class:`django.core.exceptions.ValidationError` (per field
where there is one) with a Dutch message that names the problem; acting outside one's own
organisation or without the permission raises :class:`django.core.exceptions.PermissionDenied`.

``actor=None`` means the system acts (the command line, the demo set-up): no permission check,
and the audit event has no user.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from inbeeld.accounts.actor import Actor
from inbeeld.accounts.models import (
    Membership,
    Organisation,
    OrganisationType,
    PersonalToken,
    Role,
    RoleGrantRequest,
    RoleGrantState,
    User,
)
from inbeeld.accounts.permissions import Permission, permissions_of
from inbeeld.accounts.regions import parse_codes
from inbeeld.accounts.token_scopes import clean_scopes
from inbeeld.audit.models import AuditAction
from inbeeld.audit.services import audit_record
from inbeeld.rules.identifiers import is_valid_brin

#: Which roles can be held at which kind of organisation. A role's permissions come from
#: ``permissions.ROLE_PERMISSIONS``; which children it sees comes from the organisation's type.
#: roles every kind of organisation can have (figures, functioneel beheer, the privacy officer)
_AT_EVERY_ORGANISATION = frozenset(
    {Role.BELEIDSMEDEWERKER, Role.FUNCTIONEEL_BEHEERDER, Role.PRIVACY_OFFICER}
)
ROLES_BY_ORGANISATION_TYPE: dict[str, frozenset[str]] = {
    OrganisationType.GEMEENTE: frozenset({Role.LEERPLICHTAMBTENAAR}) | _AT_EVERY_ORGANISATION,
    OrganisationType.SCHOOL: frozenset({Role.SCHOOL_ZORGCOORDINATOR}) | _AT_EVERY_ORGANISATION,
    OrganisationType.SAMENWERKINGSVERBAND: frozenset({Role.SWV_CONSULTANT})
    | _AT_EVERY_ORGANISATION,
    OrganisationType.GGD: frozenset({Role.JEUGDARTS}) | _AT_EVERY_ORGANISATION,
    OrganisationType.WIJKTEAM: frozenset({Role.WIJKTEAM_MEDEWERKER}) | _AT_EVERY_ORGANISATION,
}

_CBS_CODE = re.compile(r"^GM\d{4}$")


def roles_for(organisation_type: str) -> list[str]:
    """The roles that can be granted at an organisation of this type, in the order of ``Role``."""
    allowed = ROLES_BY_ORGANISATION_TYPE.get(organisation_type, frozenset())
    return [role for role in Role.values if role in allowed]


def _require_manager_of(actor: Actor | None, organisation: Organisation) -> None:
    if actor is None:
        return
    if not actor.can(Permission.MANAGE_ORGANISATION):
        raise PermissionDenied(_("U mag de mensen van deze organisatie niet beheren."))
    if actor.organisation.pk != organisation.pk:
        raise PermissionDenied(_("U beheert alleen de organisatie waarvoor u nu werkt."))


# ---------------------------------------------------------------------------------------------
# organisations

_PHONE = re.compile(r"^\+?[0-9][0-9 ()-]{5,28}$")


@transaction.atomic
def organisation_contact_update(
    *, actor: Actor, address: str, phone: str, email: str
) -> Organisation:
    """How others reach the acting organisation (for a gemeente: its leerplicht team), shown with
    the concerns Inbeeld registers itself. Only a beheerder of that organisation sets it."""
    organisation = Organisation.objects.select_for_update().get(pk=actor.organisation.pk)
    _require_manager_of(actor, organisation)
    address, phone, email = address.strip(), phone.strip(), email.strip()
    errors: dict[str, list[str]] = {}
    for field, value in (("address", address), ("phone", phone), ("email", email)):
        if any(unicodedata.category(char) == "Cc" for char in value):
            errors[field] = [_("Gebruik geen regeleinden of stuurtekens.")]
    if "address" not in errors and len(address) > 300:
        errors["address"] = [_("Het adres is te lang (ten hoogste 300 tekens).")]
    if "phone" not in errors and phone and not _PHONE.match(phone):
        errors["phone"] = [_("Vul een telefoonnummer in, zoals 050 123 45 67.")]
    if "email" not in errors and email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = [_("Vul een e-mailadres in, zoals leerplicht@gemeente.nl.")]
    if errors:
        raise ValidationError(errors)
    before = {
        "address": organisation.contact_address,
        "phone": organisation.contact_phone,
        "email": organisation.contact_email,
    }
    organisation.contact_address, organisation.contact_phone = address, phone
    organisation.contact_email = email
    organisation.save(update_fields=["contact_address", "contact_phone", "contact_email"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=organisation,
        summary=f"Contactgegevens van {organisation.name} gewijzigd",
        detail={"before": before, "after": {"address": address, "phone": phone, "email": email}},
    )
    return organisation


@transaction.atomic
def organisation_create(
    *,
    actor: Actor | None,
    type: str,
    name: str,
    code: str,
    municipality_code: str = "",
) -> Organisation:
    """A new organisation. ``code``: the CBS code of a gemeente (GM0014), the BRIN of a school
    (12AB or with location 12AB01), free for the others. A gemeente's municipality is itself.

    Not offered in any screen: organisations come from the set-up (command line, demo, imports).
    """
    name = (name or "").strip()
    code = (code or "").strip().upper()
    municipality_code = (municipality_code or "").strip().upper()
    errors: dict[str, list[str]] = {}
    if type not in OrganisationType.values:
        errors.setdefault("type", []).append(
            _("Onbekend soort organisatie: %(type)s.") % {"type": type}
        )
    if not name:
        errors.setdefault("name", []).append(_("Vul de naam van de organisatie in."))
    if not code:
        errors.setdefault("code", []).append(_("Vul de code van de organisatie in."))
    elif type == OrganisationType.GEMEENTE and not _CBS_CODE.match(code):
        errors.setdefault("code", []).append(
            _("%(code)s is geen CBS-gemeentecode (zoals GM0014).") % {"code": code}
        )
    elif type == OrganisationType.SCHOOL and not is_valid_brin(code):
        errors.setdefault("code", []).append(
            _("%(code)s is geen geldige BRIN (zoals 12AB of 12AB01).") % {"code": code}
        )
    if type == OrganisationType.GEMEENTE and not municipality_code:
        municipality_code = code
    if municipality_code and not _CBS_CODE.match(municipality_code):
        errors.setdefault("municipality_code", []).append(
            _("%(code)s is geen CBS-gemeentecode (zoals GM0014).") % {"code": municipality_code}
        )
    if not errors.get("code") and Organisation.objects.filter(type=type, code=code).exists():
        errors.setdefault("code", []).append(
            _("Er is al een organisatie van deze soort met code %(code)s.") % {"code": code}
        )
    if errors:
        raise ValidationError(errors)
    organisation = Organisation.objects.create(
        type=type, name=name, code=code, municipality_code=municipality_code
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=organisation,
        summary=f"Organisatie {organisation.name} ({organisation.type} {organisation.code}) aangemaakt",
    )
    return organisation


@transaction.atomic
def ggd_region_set(*, actor: Actor | None, organisation: Organisation, codes: str) -> Organisation:
    """The other gemeenten of a GGD's region (issue 12 §2: MAZL meldingen of schools there reach
    its jeugdarts; ``accounts.regions``): CBS codes separated by spaces or commas, each checked.
    ``actor`` None: the set-up (command line, demo); else a beheerder of that GGD."""
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if actor is not None:
        _require_manager_of(actor, organisation)
    if organisation.type != OrganisationType.GGD:
        raise ValidationError({"type": [_("Alleen een GGD heeft een regio van gemeenten.")]})
    wanted = [c for c in parse_codes(codes) if c != organisation.municipality_code]
    wrong = [c for c in wanted if not _CBS_CODE.match(c)]
    if wrong:
        raise ValidationError(
            {
                "region_municipality_codes": [
                    _("Geen CBS-gemeentecode (zoals GM0014): %(codes)s.")
                    % {"codes": ", ".join(wrong[:10])}
                ]
            }
        )
    stored = " ".join(wanted)
    field = Organisation._meta.get_field("region_municipality_codes")
    if len(stored) > field.max_length:
        raise ValidationError(
            {"region_municipality_codes": [_("Te veel gemeenten voor één regio.")]}
        )
    before = organisation.region_municipality_codes
    organisation.region_municipality_codes = stored
    organisation.save(update_fields=["region_municipality_codes"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=organisation,
        summary=f"Regio van {organisation.name}: {stored or 'alleen de eigen gemeente'}",
        detail={"before": before, "after": stored},
    )
    return organisation


# ---------------------------------------------------------------------------------------------
# people


def password_messages(error: ValidationError) -> list[str]:
    """Django's password validators, in plain Dutch (their own texts are not all translated)."""
    messages = []
    for item in error.error_list:
        params = item.params or {}
        match item.code:
            case "password_too_short":
                messages.append(
                    _("Het wachtwoord is te kort: gebruik minstens %(min_length)d tekens.")
                    % {"min_length": params.get("min_length", 12)}
                )
            case "password_too_common":
                messages.append(_("Dit wachtwoord is te gewoon en makkelijk te raden."))
            case "password_too_similar":
                messages.append(_("Het wachtwoord lijkt te veel op de naam of het e-mailadres."))
            case "password_common_dutch_word":
                messages.append(
                    _(
                        "Dit wachtwoord is een bekend woord (%(word)s) met hooguit wat cijfers "
                        "of tekens eromheen: dat is makkelijk te raden."
                    )
                    % {"word": params.get("word", "")}
                )
            case "password_entirely_numeric":
                messages.append(_("Het wachtwoord mag niet alleen uit cijfers bestaan."))
            case _:
                messages.extend(item.messages)
    return messages


@transaction.atomic
def user_create(
    *,
    actor: Actor | None,
    username: str,
    password: str,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    check_password_rules: bool = True,
    must_change_password: bool = False,
) -> User:
    """A new person who can log in with ``password`` (checked against the password rules).

    A user has no access until :func:`membership_grant` gives them a role at an organisation.
    ``check_password_rules=False`` is for the demo users only (their shared password is known).
    ``must_change_password``: the password was chosen by someone else (a beheerder); the user
    changes it at the next login before anything else.
    """
    if actor is not None and not actor.can(Permission.MANAGE_ORGANISATION):
        raise PermissionDenied(_("U mag geen gebruikers aanmaken."))
    username = (username or "").strip()
    first_name = (first_name or "").strip()
    last_name = (last_name or "").strip()
    email = (email or "").strip()
    errors: dict[str, list[str]] = {}
    if not username:
        errors.setdefault("username", []).append(_("Vul een gebruikersnaam in."))
    elif len(username) > 150:
        errors.setdefault("username", []).append(
            _("De gebruikersnaam is te lang (ten hoogste 150 tekens).")
        )
    else:
        try:
            UnicodeUsernameValidator()(username)
        except ValidationError:
            errors.setdefault("username", []).append(
                _(
                    "De gebruikersnaam %(username)s mag alleen letters, cijfers en de tekens "
                    "@ . + - _ bevatten."
                )
                % {"username": username}
            )
        else:
            if User.objects.filter(username__iexact=username).exists():
                errors.setdefault("username", []).append(
                    _("De gebruikersnaam %(username)s is al in gebruik.") % {"username": username}
                )
    if "email" not in errors and email:
        try:
            validate_email(email)
        except ValidationError:
            errors.setdefault("email", []).append(
                _("%(email)s is geen geldig e-mailadres.") % {"email": email}
            )
    if not password:
        errors.setdefault("password", []).append(_("Vul een eerste wachtwoord in."))
    elif check_password_rules:
        candidate = User(username=username, first_name=first_name, last_name=last_name, email=email)
        try:
            validate_password(password, user=candidate)
        except ValidationError as error:
            errors.setdefault("password", []).extend(password_messages(error))
    if errors:
        raise ValidationError(errors)
    user = User(
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=email,
        must_change_password=must_change_password,
    )
    user.set_password(password)
    user.save()
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=user,
        summary=f"Gebruiker {user.username} aangemaakt",
    )
    return user


def is_child_data_role(role: str) -> bool:
    """Whether a role lets its holder see children: decided by its permissions, never its name."""
    return Permission.VIEW_STUDENT in permissions_of(role)


def _check_grantable(user: User, organisation: Organisation, role: str) -> None:
    """ValidationError unless ``role`` exists at this kind of organisation, the user is active and
    does not hold it there already."""
    if role not in Role.values:
        raise ValidationError({"role": [_("Onbekende rol: %(role)s.") % {"role": role}]})
    if role not in ROLES_BY_ORGANISATION_TYPE.get(organisation.type, frozenset()):
        raise ValidationError(
            {
                "role": [
                    _("De rol %(role)s bestaat niet bij een %(type)s.")
                    % {"role": Role(role).label, "type": organisation.get_type_display()}
                ]
            }
        )
    if not user.is_active:
        raise ValidationError(
            _("Gebruiker %(username)s is geblokkeerd en kan geen rol krijgen.")
            % {"username": user.username}
        )
    if Membership.objects.filter(
        user=user, organisation=organisation, role=role, active=True
    ).exists():
        raise ValidationError(
            {
                "role": [
                    _("%(username)s heeft de rol %(role)s al bij %(organisation)s.")
                    % {
                        "username": user.username,
                        "role": Role(role).label,
                        "organisation": organisation.name,
                    }
                ]
            }
        )


def _refuse_self_grant(actor: Actor | None, user: User, role: str) -> None:
    if actor is not None and actor.user.pk == user.pk and is_child_data_role(role):
        raise PermissionDenied(
            _("U kunt uzelf geen rol geven waarmee u kinderen ziet; vraag een andere beheerder.")
        )


def _membership_activate(
    *, actor: Actor | None, user: User, organisation: Organisation, role: str, **detail: str
) -> Membership:
    """Create the membership, or make a revoked one active again, and audit it."""
    membership = (
        Membership.objects.select_for_update()
        .filter(user=user, organisation=organisation, role=role)
        .first()
    )
    if membership is None:
        membership = Membership.objects.create(user=user, organisation=organisation, role=role)
        summary = f"Rol {role} toegekend aan {user.username}"
    else:
        membership.active = True
        membership.deactivated_at = None
        membership.save(update_fields=["active", "deactivated_at"])
        summary = f"Rol {role} opnieuw toegekend aan {user.username}"
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=membership,
        summary=summary,
        detail={
            "user": user.username,
            "organisation": organisation.code,
            "role": role,
            **detail,
        },
    )
    return membership


@transaction.atomic
def membership_grant(
    *,
    actor: Actor | None,
    user: User,
    organisation: Organisation,
    role: str,
    via: str = "",
) -> Membership:
    """Give ``user`` the ``role`` at ``organisation`` at once; a role that was revoked before is
    given back (the same membership becomes active again, the audit trail keeps both events).

    A beheerder gives this way only roles that see no child: a role that does (``view_student``)
    goes through :func:`role_grant_request` and a second beheerder. The system (``actor=None``:
    the demo, the installation's command line, named in ``via``) gives any role at once."""
    _require_manager_of(actor, organisation)
    _refuse_self_grant(actor, user, role)
    _check_grantable(user, organisation, role)
    if actor is not None and is_child_data_role(role):
        raise PermissionDenied(
            _(
                "Een rol waarmee iemand kinderen ziet, vraagt u aan; een tweede functioneel "
                "beheerder keurt die goed."
            )
        )
    return _membership_activate(
        actor=actor,
        user=user,
        organisation=organisation,
        role=role,
        **({"via": via} if via else {}),
    )


@transaction.atomic
def role_grant(
    *, actor: Actor, user: User, organisation: Organisation, role: str
) -> Membership | RoleGrantRequest:
    """What the beheer screens call: a role that sees no child is given at once (a membership);
    a role that does is asked for (a pending :class:`RoleGrantRequest`)."""
    if is_child_data_role(role):
        return role_grant_request(actor=actor, user=user, organisation=organisation, role=role)
    return membership_grant(actor=actor, user=user, organisation=organisation, role=role)


@transaction.atomic
def role_grant_request(
    *, actor: Actor, user: User, organisation: Organisation, role: str
) -> RoleGrantRequest:
    """Ask for a role that lets ``user`` see children; a second functioneel beheerder of the same
    organisation (neither the asker nor ``user``) approves or refuses it
    (:func:`role_grant_decide`). Nobody asks it for themselves."""
    if actor is None:
        raise PermissionDenied(_("Alleen een functioneel beheerder vraagt een rol aan."))
    _require_manager_of(actor, organisation)
    _refuse_self_grant(actor, user, role)
    _check_grantable(user, organisation, role)
    if not is_child_data_role(role):
        raise ValidationError(
            {
                "role": [
                    _("De rol %(role)s geeft u zonder goedkeuring; die ziet geen kinderen.")
                    % {"role": Role(role).label}
                ]
            }
        )
    pending = RoleGrantRequest.objects.select_for_update().filter(
        user=user, organisation=organisation, role=role, state=RoleGrantState.PENDING
    )
    if pending.exists():
        raise ValidationError(
            {
                "role": [
                    _("De rol %(role)s voor %(username)s wacht al op goedkeuring.")
                    % {"role": Role(role).label, "username": user.username}
                ]
            }
        )
    grant_request = RoleGrantRequest.objects.create(
        user=user, organisation=organisation, role=role, requested_by=actor.user
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=grant_request,
        summary=f"Rol {role} voor {user.username} aangevraagd (wacht op een tweede beheerder)",
        detail={"user": user.username, "organisation": organisation.code, "role": role},
    )
    return grant_request


@transaction.atomic
def role_grant_decide(
    *, actor: Actor | None, grant_request: RoleGrantRequest, approve: bool, via: str = ""
) -> Membership | None:
    """Approve (the membership is given; returned) or refuse (None) a pending role request.

    Only a functioneel beheerder of the same organisation who is neither the asker nor the person
    it is for decides; the system (``actor=None``, the installation's command line) may too."""
    grant_request = (
        RoleGrantRequest.objects.select_for_update()
        .select_related("user", "organisation", "requested_by")
        .get(pk=grant_request.pk)
    )
    _require_manager_of(actor, grant_request.organisation)
    if actor is not None and actor.user.pk in (
        grant_request.requested_by_id,
        grant_request.user_id,
    ):
        raise PermissionDenied(
            _(
                "Een andere functioneel beheerder beslist hierover: niet wie het aanvroeg, "
                "en niet wie de rol krijgt."
            )
        )
    if grant_request.state != RoleGrantState.PENDING:
        raise ValidationError(
            _("Over deze aanvraag is al beslist (%(state)s).")
            % {"state": grant_request.get_state_display()}
        )
    user, organisation, role = grant_request.user, grant_request.organisation, grant_request.role
    membership = None
    if approve:
        _check_grantable(user, organisation, role)
        membership = _membership_activate(
            actor=actor,
            user=user,
            organisation=organisation,
            role=role,
            requested_by=grant_request.requested_by.username,
            **({"via": via} if via else {}),
        )
    grant_request.state = RoleGrantState.APPROVED if approve else RoleGrantState.REFUSED
    grant_request.decided_by = actor.user if actor is not None else None
    grant_request.decided_at = timezone.now()
    grant_request.membership = membership
    grant_request.save(update_fields=["state", "decided_by", "decided_at", "membership"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=grant_request,
        summary=(
            f"Aanvraag rol {role} voor {user.username} "
            + ("goedgekeurd" if approve else "geweigerd")
        ),
        detail={
            "user": user.username,
            "organisation": organisation.code,
            "role": role,
            "requested_by": grant_request.requested_by.username,
            "decision": grant_request.state,
            **({"via": via} if via else {}),
        },
    )
    return membership


@transaction.atomic
def membership_revoke(*, actor: Actor | None, membership: Membership) -> Membership:
    """Deactivate a membership. Nothing is deleted: the membership stays (inactive) and the audit
    trail keeps who revoked it when. Its API tokens are revoked with it. The last functioneel
    beheerder of an organisation cannot be revoked (nobody could manage it any more)."""
    membership = (
        Membership.objects.select_for_update()
        .select_related("user", "organisation")
        .get(pk=membership.pk)
    )
    _require_manager_of(actor, membership.organisation)
    if not membership.active:
        raise ValidationError(
            _("De rol %(role)s van %(username)s is al ingetrokken.")
            % {"role": membership.get_role_display(), "username": membership.user.username}
        )
    if membership.role == Role.FUNCTIONEEL_BEHEERDER:
        others = Membership.objects.filter(
            organisation=membership.organisation,
            role=Role.FUNCTIONEEL_BEHEERDER,
            active=True,
            user__is_active=True,
        ).exclude(pk=membership.pk)
        if not others.exists():
            raise ValidationError(
                _(
                    "%(username)s is de laatste functioneel beheerder van %(organisation)s; "
                    "ken eerst iemand anders die rol toe."
                )
                % {
                    "username": membership.user.username,
                    "organisation": membership.organisation.name,
                }
            )
    now = timezone.now()
    membership.active = False
    membership.deactivated_at = now
    membership.save(update_fields=["active", "deactivated_at"])
    revoked_tokens = PersonalToken.objects.filter(
        membership=membership, revoked_at__isnull=True
    ).update(revoked_at=now)
    audit_record(
        actor=actor,
        action=AuditAction.REVOKE,
        obj=membership,
        summary=f"Rol {membership.role} van {membership.user.username} ingetrokken",
        detail={
            "user": membership.user.username,
            "organisation": membership.organisation.code,
            "role": membership.role,
            "tokens_revoked": revoked_tokens,
        },
    )
    return membership


@transaction.atomic
def person_add(
    *,
    actor: Actor,
    username: str,
    password: str,
    role: str,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
) -> Membership | RoleGrantRequest:
    """A new person with a first role at the actor's own organisation: both, or neither. A role
    that sees children is asked for (:func:`role_grant`): the person waits for its approval."""
    _require_manager_of(actor, actor.organisation)
    user = user_create(
        actor=actor,
        username=username,
        password=password,
        first_name=first_name,
        last_name=last_name,
        email=email,
        must_change_password=True,  # the beheerder chose it: the person changes it first
    )
    return role_grant(actor=actor, user=user, organisation=actor.organisation, role=role)


# ---------------------------------------------------------------------------------------------
# personal API tokens


def _api_membership(actor: Actor, membership: Membership | None) -> Membership:
    """The actor's own active membership, at the organisation they act for, whose role gives API
    use. The token lives and dies with that membership."""
    own = Membership.objects.filter(
        user=actor.user, organisation=actor.organisation, active=True
    ).order_by("id")
    if membership is not None:
        own = own.filter(pk=membership.pk)
    for candidate in own:
        if Permission.USE_API in permissions_of(candidate.role):
            return candidate
    raise PermissionDenied(_("U mag voor deze rol geen API-tokens aanmaken."))


def _token_days(days: int | str | None) -> int:
    """The chosen term in whole days: at least 1, at most ``INBEELD_API_TOKEN_MAX_DAYS``."""
    longest = settings.INBEELD_API_TOKEN_MAX_DAYS
    if days is None or days == "":
        return settings.INBEELD_API_TOKEN_DAYS
    try:
        days = int(days)
    except (TypeError, ValueError):
        days = 0
    if not 1 <= days <= longest:
        raise ValidationError(
            {
                "days": [
                    _("Kies een geldigheid van ten minste 1 en ten hoogste %(days)d dagen.")
                    % {"days": longest}
                ]
            }
        )
    return days


@transaction.atomic
def personal_token_create(
    *,
    actor: Actor,
    name: str,
    scopes: dict[str, str],
    days: int | None = None,
    membership: Membership | None = None,
) -> tuple[PersonalToken, str]:
    """A personal API token for the actor's own membership. Returns the token and its plain key:
    the key is shown once and never stored (only its SHA-256 hash).

    ``scopes``: per resource family "read" or "write" (``token_scopes``); ``days``: how long it
    works (default ``INBEELD_API_TOKEN_DAYS``, at most ``INBEELD_API_TOKEN_MAX_DAYS``)."""
    if not actor.can(Permission.USE_API):
        raise PermissionDenied(_("U mag de API niet gebruiken."))
    name = (name or "").strip()
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = [_("Geef het token een naam, bijvoorbeeld het systeem.")]
    elif len(name) > 100:
        errors["name"] = [_("De naam is te lang (ten hoogste 100 tekens).")]
    for check in (lambda: clean_scopes(scopes), lambda: _token_days(days)):
        try:
            check()
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    scopes, days = clean_scopes(scopes), _token_days(days)
    owner = _api_membership(actor, membership)
    key = PersonalToken.generate()
    token = PersonalToken.objects.create(
        membership=owner,
        name=name,
        key_hash=PersonalToken.hash(key),
        prefix=key[:8],
        scopes=scopes,
        expires_at=timezone.now() + dt.timedelta(days=days),
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=token,
        summary=f"API-token {name!r} aangemaakt",
        detail={
            "prefix": token.prefix,
            "role": owner.role,
            "scopes": scopes,
            "expires_at": token.expires_at.isoformat(),
        },
    )
    return token, key


@transaction.atomic
def personal_token_revoke(*, actor: Actor, token: PersonalToken) -> PersonalToken:
    """Revoke one of the actor's own tokens; from then on the API refuses it."""
    token = PersonalToken.objects.select_for_update().select_related("membership").get(pk=token.pk)
    if (
        token.membership.user_id != actor.user.pk
        or token.membership.organisation_id != actor.organisation.pk
    ):
        raise PermissionDenied(_("Dit is niet uw token."))
    if token.revoked_at is not None:
        raise ValidationError(_("Het token %(name)s is al ingetrokken.") % {"name": token.name})
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(
        actor=actor,
        action=AuditAction.REVOKE,
        obj=token,
        summary=f"API-token {token.name!r} ingetrokken",
        detail={"prefix": token.prefix},
    )
    return token


@transaction.atomic
def personal_token_refused_record(
    *, token: PersonalToken, reason: str, ip: str | None, **detail: str
) -> None:
    """A request the API refused for what its token carries: ``reason`` "expired", or "scope"
    (with the ``scope`` it lacked, the method and path). Recorded for the token's owner."""
    membership = token.membership
    audit_record(
        actor=None,
        user=membership.user,
        organisation=membership.organisation,
        action=AuditAction.REFUSED,
        obj=token,
        summary=f"API-token {token.name!r} geweigerd ({reason})",
        detail={"prefix": token.prefix, "reason": reason, **detail},
        ip=ip,
    )


# ---------------------------------------------------------------------------------------------
# logging in and out, choosing the organisation


def _only_organisation(user: User) -> Organisation | None:
    organisations = {m.organisation_id: m.organisation for m in memberships_active(user)}
    return next(iter(organisations.values())) if len(organisations) == 1 else None


def memberships_active(user: User) -> list[Membership]:
    return list(Membership.objects.filter(user=user, active=True).select_related("organisation"))


@transaction.atomic
def login_record(*, user: User, ip: str | None) -> None:
    """A successful login: the organisation is recorded when the user works for only one."""
    audit_record(
        actor=None,
        user=user,
        organisation=_only_organisation(user),
        action=AuditAction.LOGIN,
        summary=f"{user.username} ingelogd",
        ip=ip,
    )


@transaction.atomic
def login_failed_record(*, username: str, ip: str | None, locked_out: bool = False) -> None:
    """A failed login, with the name that was tried (linked to the user if that name exists).
    ``locked_out``: refused because of too many failures (django-axes), a row of its own."""
    username = (username or "").strip()[:150]
    user = User.objects.filter(username=username).first() if username else None
    audit_record(
        actor=None,
        user=user,
        username=username,
        action=AuditAction.LOGIN_FAILED,
        summary=(
            f"Inloggen als {username!r} geblokkeerd na te veel mislukte pogingen"
            if locked_out
            else f"Mislukte inlogpoging als {username!r}"
        ),
        detail={"locked_out": True} if locked_out else None,
        ip=ip,
    )


@transaction.atomic
def logout_record(*, actor: Actor | None, user: User, ip: str | None, idle: bool = False) -> None:
    """Logging out; ``idle``: the session ended after the idle timeout, not by the user."""
    audit_record(
        actor=actor,
        user=user,
        action=AuditAction.LOGOUT,
        summary=f"{user.username} uitgelogd" + (" na inactiviteit" if idle else ""),
        detail={"idle_timeout": True} if idle else None,
        ip=ip,
    )


@transaction.atomic
def acting_organisation_choose(
    *, user: User, organisation_id: int | str | None, ip: str | None
) -> Organisation:
    """The organisation a user acts for from now on; only one they have an active role at."""
    organisation = next(
        (
            m.organisation
            for m in memberships_active(user)
            if str(m.organisation_id) == str(organisation_id)
        ),
        None,
    )
    if organisation is None:
        raise ValidationError({"organisation": [_("Kies een organisatie waarvoor u werkt.")]})
    audit_record(
        actor=None,
        user=user,
        organisation=organisation,
        action=AuditAction.CHOOSE_ORGANISATION,
        obj=organisation,
        summary=f"{user.username} werkt nu voor {organisation.name}",
        ip=ip,
    )
    return organisation
