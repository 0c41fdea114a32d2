"""Dutch words for the audit trail's kinds of access and for what an event was about, as the
child's access history and the privacy officer's screens show them."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from inbeeld.audit.models import AuditAction

#: the kind of access (AuditAction's own labels are English)
ACTION_LABELS = {
    AuditAction.VIEW: gettext_lazy("bekeken"),
    AuditAction.SEARCH: gettext_lazy("gezocht"),
    AuditAction.CREATE: gettext_lazy("toegevoegd"),
    AuditAction.UPDATE: gettext_lazy("gewijzigd"),
    AuditAction.IMPORT: gettext_lazy("geïmporteerd"),
    AuditAction.DETECT: gettext_lazy("detectie"),
    AuditAction.EXPORT: gettext_lazy("geëxporteerd"),
    AuditAction.REVOKE: gettext_lazy("ingetrokken"),
    AuditAction.LOGIN: gettext_lazy("ingelogd"),
    AuditAction.LOGIN_FAILED: gettext_lazy("inloggen mislukt"),
    AuditAction.LOGOUT: gettext_lazy("uitgelogd"),
    AuditAction.CHOOSE_ORGANISATION: gettext_lazy("organisatie gekozen"),
    "refused": gettext_lazy("geweigerd"),
}

#: what another organisation's event was about, shown instead of its summary
WHAT_LABELS = {
    "people.Student": gettext_lazy("gegevens van de leerling"),
    "attendance.Melding": gettext_lazy("melding"),
    "cases.Case": gettext_lazy("casus"),
    "leave.LeaveRequest": gettext_lazy("verlofaanvraag"),
    "exemptions.ExemptionRequest": gettext_lazy("vrijstellingsaanvraag"),
    "concerns.Concern": gettext_lazy("zorg"),
    "concerns.Match": gettext_lazy("match"),
}
#: when the object type says nothing more
WHAT_DEFAULT = gettext_lazy("gegevens van de leerling")


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))


def what_label(object_type: str) -> str:
    return str(WHAT_LABELS.get(object_type, WHAT_DEFAULT))
