"""What a personal API token may reach: per resource family of the API, read or read and write.

Every API view names its family (``resource_family``); a token's scopes say, per family, whether
it may only read (GET) or also write (POST and the like). Scopes only ever narrow: a token can do
no more than the roles of its membership allow (the API checks both).
"""

from __future__ import annotations

from enum import StrEnum

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class ResourceFamily(StrEnum):
    """The API's resource families, one per group of endpoints (``inbeeld.api.urls``)."""

    STUDENTS = "students"  # /students, /enrolments
    ABSENCES = "absences"  # /absences
    FINDINGS = "findings"  # /findings: status and meldingen
    EXEMPTIONS = "exemptions"  # /exemptions: the register of vrijstellingen
    CONCERNS = "concerns"  # /concerns, /matches
    CASES = "cases"  # /cases and everything under it
    LEAVE = "leave"  # /leave-requests
    EXEMPTION_REQUESTS = "exemption_requests"  # /exemption-requests
    FIGURES = "figures"  # /figures/...
    NOTIFICATIONS = "notifications"  # /notifications
    ORGANISATIONS = "organisations"  # /organisations
    CORRESPONDENCE = "correspondence"  # /contact-entries, /letters


class Access(StrEnum):
    READ = "read"
    WRITE = "write"  # read and write


FAMILY_LABELS = {
    ResourceFamily.STUDENTS: gettext_lazy("Leerlingen en inschrijvingen"),
    ResourceFamily.ABSENCES: gettext_lazy("Verzuim"),
    ResourceFamily.FINDINGS: gettext_lazy("Signaleringen en meldingen"),
    ResourceFamily.EXEMPTIONS: gettext_lazy("Vrijstellingen (register)"),
    ResourceFamily.CONCERNS: gettext_lazy("Zorgsignalen en matches"),
    ResourceFamily.CASES: gettext_lazy("Casussen"),
    ResourceFamily.LEAVE: gettext_lazy("Verlofaanvragen"),
    ResourceFamily.EXEMPTION_REQUESTS: gettext_lazy("Aanvragen van vrijstelling"),
    ResourceFamily.FIGURES: gettext_lazy("Cijfers"),
    ResourceFamily.NOTIFICATIONS: gettext_lazy("Berichten"),
    ResourceFamily.ORGANISATIONS: gettext_lazy("Organisaties"),
    ResourceFamily.CORRESPONDENCE: gettext_lazy("Contactlog en brieven"),
}

_FAMILY_VALUES = frozenset(family.value for family in ResourceFamily)
_ACCESS_VALUES = frozenset(access.value for access in Access)

#: Families whose endpoints only read: their tokens can hold "read" at most.
READ_ONLY_FAMILIES = frozenset(
    {
        ResourceFamily.STUDENTS,
        ResourceFamily.FINDINGS,
        ResourceFamily.EXEMPTIONS,
        ResourceFamily.FIGURES,
        ResourceFamily.ORGANISATIONS,
    }
)


ACCESS_LABELS = {
    Access.READ: gettext_lazy("lezen"),
    Access.WRITE: gettext_lazy("lezen en schrijven"),
}


def describe(scopes: dict[str, str]) -> list[str]:
    """The scopes in words, in the order of the families: "Casussen: lezen en schrijven"."""
    return [
        f"{FAMILY_LABELS[family]}: {ACCESS_LABELS[Access(scopes[family])]}"
        for family in ResourceFamily
        if scopes.get(family) in _ACCESS_VALUES
    ]


def accesses_for(family: ResourceFamily) -> tuple[Access, ...]:
    return (Access.READ,) if family in READ_ONLY_FAMILIES else (Access.READ, Access.WRITE)


def every_scope() -> dict[str, str]:
    """The widest scopes: everything the families offer. Only the migration of the tokens made
    before scopes existed, and tokens made straight on the model (test fixtures), get these; the
    token page and :func:`accounts.services.personal_token_create` always take a choice."""
    return {family.value: accesses_for(family)[-1].value for family in ResourceFamily}


def scope_name(family: str, access: str) -> str:
    """``students:read``, ``cases:write``: how a scope is named in the API's answers and the docs."""
    return f"{family}:{access}"


def allows(scopes: dict[str, str], family: str, access: str) -> bool:
    """Whether ``scopes`` cover ``access`` to ``family`` (write includes read)."""
    held = scopes.get(family)
    return held == Access.WRITE or (held == Access.READ and access == Access.READ)


def clean_scopes(raw: dict[str, str]) -> dict[str, str]:
    """Validated scopes: known families, an access each family offers, at least one.

    Families with an empty access are left out. Raises ValidationError on field ``scopes`` with
    a message naming the family or access that is wrong.
    """
    errors: list[str] = []
    scopes: dict[str, str] = {}
    for family, access in (raw or {}).items():
        if not access:
            continue
        if family not in _FAMILY_VALUES:
            errors.append(_("Onbekende soort gegevens: %(family)s.") % {"family": family})
            continue
        if access not in accesses_for(ResourceFamily(family)):
            errors.append(
                _("%(family)s kan niet met toegang %(access)s.")
                % {"family": FAMILY_LABELS[ResourceFamily(family)], "access": access}
            )
            continue
        scopes[family] = access
    if not errors and not scopes:
        errors.append(_("Kies voor ten minste één soort gegevens wat het token mag."))
    if errors:
        raise ValidationError({"scopes": errors})
    return dict(sorted(scopes.items()))
