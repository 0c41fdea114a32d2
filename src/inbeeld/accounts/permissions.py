"""Roles → permissions: the one table that says who may do what (issue 3 §1).

Code asks ``actor.can(Permission.X)``, never which role someone has. Need-to-know (which children)
is decided separately by the organisation the user acts for (``people.selectors``).
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from inbeeld.accounts.models import Role

if TYPE_CHECKING:
    from inbeeld.accounts.actor import Actor


class Permission(StrEnum):
    VIEW_STUDENT = "view_student"  # open a child's page: personal data, enrolments, absences
    SEARCH_STUDENTS = "search_students"
    VIEW_WORKLIST = "view_worklist"  # who is at home, the open meldingen
    HANDLE_MELDING = "handle_melding"  # take a melding in handling, close it with a reason
    ASSIGN_MELDING = "assign_melding"  # assign the own team's meldingen to a colleague (caseload)
    WITHDRAW_MELDING = "withdraw_melding"  # withdraw a melding the own school reported (DUO)
    VIEW_ACCESS_HISTORY = "view_access_history"  # who looked at a child's page
    IMPORT_DATA = "import_data"
    RUN_DETECTION = "run_detection"
    VIEW_FIGURES = "view_figures"  # aggregated counts, never a child
    MANAGE_ORGANISATION = "manage_organisation"  # users and roles of the own organisation
    USE_API = "use_api"
    # working together (issue 4)
    REGISTER_CONCERN = "register_concern"  # register involvement with a child (never the content)
    WORK_ON_CASES = "work_on_cases"  # see and add to the cases whose team one's organisation is in
    OPEN_CASE = "open_case"  # open a case and lead it (the coordinating organisation)
    #: decide an escalation step as the named person of the deciding organisation
    #: (doorzettingsmacht); a jeugdarts advises but does not decide
    DECIDE_ESCALATION = "decide_escalation"
    REGISTER_LEAVE_REQUEST = "register_leave_request"  # record a parents' request for leave
    DECIDE_LEAVE = "decide_leave"  # grant or refuse leave (school up to 10 days, leerplicht above)
    REGISTER_EXEMPTION_REQUEST = "register_exemption_request"  # record a request for vrijstelling
    ADVISE_EXEMPTION = "advise_exemption"  # the samenwerkingsverband's advice on a request
    DECIDE_EXEMPTION = "decide_exemption"  # leerplicht's decision, into the exemptions register
    # enforcement (issue 11): hand a proces-verbaal to the OM, refer a pupil to Halt (LPW art. 16, 22)
    ENFORCE_ATTENDANCE = "enforce_attendance"
    # monitor (issue 5)
    SET_TARGETS = "set_targets"  # the pact's targets of the own organisation
    # the privacy officer (issue 9)
    REVIEW_ACCESS = "review_access"  # who looked at a child, and unusual access per user
    EXPORT_SUBJECT_DATA = "export_subject_data"  # an AVG inzage export (art. 15) of one child


_CASEWORK = {
    Permission.VIEW_STUDENT,
    Permission.SEARCH_STUDENTS,
    Permission.VIEW_WORKLIST,
    Permission.VIEW_FIGURES,
    Permission.USE_API,
    Permission.REGISTER_CONCERN,
    Permission.WORK_ON_CASES,
}

ROLE_PERMISSIONS: dict[str, frozenset[Permission]] = {
    Role.LEERPLICHTAMBTENAAR: frozenset(
        _CASEWORK
        | {
            Permission.HANDLE_MELDING,
            Permission.ASSIGN_MELDING,
            Permission.VIEW_ACCESS_HISTORY,
            Permission.OPEN_CASE,
            Permission.DECIDE_ESCALATION,
            Permission.DECIDE_LEAVE,
            Permission.REGISTER_EXEMPTION_REQUEST,
            Permission.DECIDE_EXEMPTION,
            Permission.ENFORCE_ATTENDANCE,
        }
    ),
    Role.SCHOOL_ZORGCOORDINATOR: frozenset(
        _CASEWORK
        | {
            Permission.HANDLE_MELDING,
            Permission.WITHDRAW_MELDING,
            Permission.IMPORT_DATA,
            Permission.OPEN_CASE,
            Permission.DECIDE_ESCALATION,
            Permission.REGISTER_LEAVE_REQUEST,
            Permission.DECIDE_LEAVE,
        }
    ),
    Role.SWV_CONSULTANT: frozenset(
        _CASEWORK
        | {Permission.OPEN_CASE, Permission.DECIDE_ESCALATION, Permission.ADVISE_EXEMPTION}
    ),
    Role.JEUGDARTS: frozenset(_CASEWORK),
    Role.WIJKTEAM_MEDEWERKER: frozenset(
        (_CASEWORK - {Permission.VIEW_FIGURES}) | {Permission.DECIDE_ESCALATION}
    ),
    Role.BELEIDSMEDEWERKER: frozenset({Permission.VIEW_FIGURES, Permission.SET_TARGETS}),
    Role.FUNCTIONEEL_BEHEERDER: frozenset(
        {
            Permission.MANAGE_ORGANISATION,
            Permission.IMPORT_DATA,
            Permission.RUN_DETECTION,
            Permission.VIEW_ACCESS_HISTORY,
            Permission.VIEW_FIGURES,
            Permission.USE_API,
            Permission.SET_TARGETS,
        }
    ),
    # never a child's page or a worklist: the access history of a child in the organisation's
    # scope, the unusual access of the organisation's users, and the inzage export
    Role.PRIVACY_OFFICER: frozenset({Permission.REVIEW_ACCESS, Permission.EXPORT_SUBJECT_DATA}),
}


def permissions_of(role: str) -> frozenset[Permission]:
    return ROLE_PERMISSIONS.get(role, frozenset())


def require_permission(actor: Actor, permission: Permission) -> None:
    """For services: PermissionDenied (with a Dutch message) unless the actor holds ``permission``."""
    if not actor.can(permission):
        raise PermissionDenied(_("Uw rol geeft geen toestemming hiervoor."))
