"""The role → permission table, in full: changing who may do what must change this test."""

from inbeeld.accounts.models import Role
from inbeeld.accounts.permissions import ROLE_PERMISSIONS, Permission, permissions_of


def test_the_whole_role_permission_table():
    table = {role: sorted(p.value for p in perms) for role, perms in ROLE_PERMISSIONS.items()}
    assert table == {
        "leerplichtambtenaar": [
            "handle_melding",
            "search_students",
            "use_api",
            "view_access_history",
            "view_figures",
            "view_student",
            "view_worklist",
        ],
        "school_zorgcoordinator": [
            "handle_melding",
            "import_data",
            "search_students",
            "use_api",
            "view_figures",
            "view_student",
            "view_worklist",
        ],
        "swv_consultant": [
            "search_students",
            "use_api",
            "view_figures",
            "view_student",
            "view_worklist",
        ],
        "jeugdarts": [
            "search_students",
            "use_api",
            "view_figures",
            "view_student",
            "view_worklist",
        ],
        "wijkteam_medewerker": [
            "search_students",
            "use_api",
            "view_student",
            "view_worklist",
        ],
        "beleidsmedewerker": ["view_figures"],
        "functioneel_beheerder": [
            "import_data",
            "manage_organisation",
            "run_detection",
            "use_api",
            "view_access_history",
            "view_figures",
        ],
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
