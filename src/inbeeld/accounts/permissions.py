"""Roles → permissions: the one table that says who may do what (issue 3 §1).

Code asks ``actor.can(Permission.X)``, never which role someone has. Need-to-know (which children)
is decided separately by the organisation the user acts for (``people.selectors``).
"""

from __future__ import annotations

from enum import StrEnum

from inbeeld.accounts.models import Role


class Permission(StrEnum):
    VIEW_STUDENT = "view_student"  # open a child's page: personal data, enrolments, absences
    SEARCH_STUDENTS = "search_students"
    VIEW_WORKLIST = "view_worklist"  # who is at home, the open meldingen
    HANDLE_MELDING = "handle_melding"  # take a melding in handling, close it with a reason
    VIEW_ACCESS_HISTORY = "view_access_history"  # who looked at a child's page
    IMPORT_DATA = "import_data"
    RUN_DETECTION = "run_detection"
    VIEW_FIGURES = "view_figures"  # aggregated counts, never a child
    MANAGE_ORGANISATION = "manage_organisation"  # users and roles of the own organisation
    USE_API = "use_api"


_CASEWORK = {
    Permission.VIEW_STUDENT,
    Permission.SEARCH_STUDENTS,
    Permission.VIEW_WORKLIST,
    Permission.VIEW_FIGURES,
    Permission.USE_API,
}

ROLE_PERMISSIONS: dict[str, frozenset[Permission]] = {
    Role.LEERPLICHTAMBTENAAR: frozenset(
        _CASEWORK | {Permission.HANDLE_MELDING, Permission.VIEW_ACCESS_HISTORY}
    ),
    Role.SCHOOL_ZORGCOORDINATOR: frozenset(
        _CASEWORK | {Permission.HANDLE_MELDING, Permission.IMPORT_DATA}
    ),
    Role.SWV_CONSULTANT: frozenset(_CASEWORK),
    Role.JEUGDARTS: frozenset(_CASEWORK),
    Role.WIJKTEAM_MEDEWERKER: frozenset(_CASEWORK - {Permission.VIEW_FIGURES}),
    Role.BELEIDSMEDEWERKER: frozenset({Permission.VIEW_FIGURES}),
    Role.FUNCTIONEEL_BEHEERDER: frozenset(
        {
            Permission.MANAGE_ORGANISATION,
            Permission.IMPORT_DATA,
            Permission.RUN_DETECTION,
            Permission.VIEW_ACCESS_HISTORY,
            Permission.VIEW_FIGURES,
            Permission.USE_API,
        }
    ),
}


def permissions_of(role: str) -> frozenset[Permission]:
    return ROLE_PERMISSIONS.get(role, frozenset())
