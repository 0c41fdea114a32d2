"""The role → permission table, in full: changing who may do what must change this test."""

from inbeeld.accounts.models import Role
from inbeeld.accounts.permissions import ROLE_PERMISSIONS, Permission, permissions_of


def test_the_whole_role_permission_table():
    table = {role: sorted(p.value for p in perms) for role, perms in ROLE_PERMISSIONS.items()}
    assert table == {
        "leerplichtambtenaar": [
            "assign_melding",
            "decide_escalation",
            "decide_exemption",
            "decide_leave",
            "enforce_attendance",
            "handle_melding",
            "open_case",
            "register_concern",
            "register_exemption_request",
            "search_students",
            "use_api",
            "view_access_history",
            "view_figures",
            "view_student",
            "view_worklist",
            "work_on_cases",
        ],
        "school_zorgcoordinator": [
            "decide_escalation",
            "decide_leave",
            "handle_melding",
            "import_data",
            "open_case",
            "register_concern",
            "register_leave_request",
            "search_students",
            "use_api",
            "view_figures",
            "view_student",
            "view_worklist",
            "withdraw_melding",
            "work_on_cases",
        ],
        "swv_consultant": [
            "advise_exemption",
            "decide_escalation",
            "open_case",
            "register_concern",
            "search_students",
            "use_api",
            "view_figures",
            "view_student",
            "view_worklist",
            "work_on_cases",
        ],
        "jeugdarts": [
            "register_concern",
            "search_students",
            "use_api",
            "view_figures",
            "view_student",
            "view_worklist",
            "work_on_cases",
        ],
        "wijkteam_medewerker": [
            "decide_escalation",
            "register_concern",
            "search_students",
            "use_api",
            "view_student",
            "view_worklist",
            "work_on_cases",
        ],
        "beleidsmedewerker": ["set_targets", "view_figures"],
        "functioneel_beheerder": [
            "import_data",
            "manage_organisation",
            "run_detection",
            "set_targets",
            "use_api",
            "view_access_history",
            "view_figures",
        ],
        "privacy_officer": ["export_subject_data", "review_access"],
    }


def test_every_role_is_in_the_table_and_every_permission_is_used():
    assert set(ROLE_PERMISSIONS) == set(Role.values)
    used = set().union(*ROLE_PERMISSIONS.values())
    assert used == set(Permission)


def test_no_role_means_no_permission():
    assert permissions_of("onbekend") == frozenset()


def test_a_beleidsmedewerker_never_sees_a_child():
    assert Permission.VIEW_STUDENT not in permissions_of(Role.BELEIDSMEDEWERKER)
    assert Permission.SEARCH_STUDENTS not in permissions_of(Role.BELEIDSMEDEWERKER)
