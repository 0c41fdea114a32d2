"""The screens: the list, opening a case, the case page and its forms (with and without htmx),
the home page's block and the child's page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from inbeeld.attendance.tests.factories import PASSWORD
from inbeeld.audit.models import AuditAction, AuditEvent
from inbeeld.cases import services
from inbeeld.cases.models import Case
from inbeeld.notifications.models import Notification

D = dt.date
pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


def login(client, membership):
    assert client.login(username=membership.user.username, password=PASSWORD)
    return client


def test_the_list_shows_only_the_own_cases(client, world):
    case = world.open_case()
    page = login(client, world.leerplicht_a).get(reverse("cases:list")).content.decode()
    assert "Casussen" in page
    assert "Noor Aalders" in page
    assert reverse("cases:detail", args=[case.pk]) in page
    client.logout()
    page = login(client, world.leerplicht_b).get(reverse("cases:list")).content.decode()
    assert "Noor Aalders" not in page
    assert 'data-testid="no-cases"' in page


def test_the_list_needs_casework(client, world):
    assert login(client, world.beleid_a).get(reverse("cases:list")).status_code == 403


def test_a_wijkteam_outside_the_case_gets_404(client, world):
    case = world.open_case()
    response = login(client, world.wijkteam_worker).get(reverse("cases:detail", args=[case.pk]))
    assert response.status_code == 404
    response = client.post(reverse("cases:act", args=[case.pk, "notitie"]), {"text": "x"})
    assert response.status_code == 404


def test_the_case_page_is_audited_and_hides_the_ggds_own_notes(client, world):
    case = world.open_case()
    world.add_member(case)
    services.note_add(actor=world.actor(world.jeugdarts), case=case, text="medisch: astma")
    page = login(client, world.leerplicht_a).get(reverse("cases:detail", args=[case.pk]))
    body = page.content.decode()
    assert page.status_code == 200
    assert "astma" not in body
    assert "Eva Mulder" in body  # the team
    assert AuditEvent.objects.filter(
        action=AuditAction.VIEW, object_type="cases.Case", student=world.child
    ).exists()
    client.logout()
    body = login(client, world.jeugdarts).get(reverse("cases:detail", args=[case.pk])).content
    assert "astma" in body.decode()


def test_opening_a_case_from_the_childs_page(client, world):
    login(client, world.leerplicht_a)
    child_page = client.get(reverse("attendance:student", args=[world.child.pk])).content.decode()
    open_url = f"{reverse('cases:open')}?leerling={world.child.pk}"
    assert open_url in child_page
    assert "Casus openen" in child_page
    form = client.get(f"{open_url}&melding={world.melding.pk}").content.decode()
    assert "Casus openen voor Noor Aalders" in form
    # the melding is chosen by its name, never by the rule's code
    option = f'<option value="{world.melding.pk}" selected>'
    assert f"{option}langdurig relatief verzuim, tot " in form
    assert f"{option}{world.melding.rule} " not in form
    response = client.post(
        reverse("cases:open"),
        {"leerling": world.child.pk, "opened_from": "melding", "melding": world.melding.pk},
    )
    case = Case.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("cases:detail", args=[case.pk])
    assert case.source_melding == world.melding
    child_page = client.get(reverse("attendance:student", args=[world.child.pk])).content.decode()
    assert reverse("cases:detail", args=[case.pk]) in child_page
    assert open_url not in child_page
    # a second opening is refused, with a link to the case
    again = client.post(
        reverse("cases:open"), {"leerling": world.child.pk, "opened_from": "bevinding"}
    )
    assert again.status_code == 400
    assert reverse("cases:detail", args=[case.pk]) in again.content.decode()


def test_opening_is_refused_without_the_permission_or_sight(client, world):
    url = f"{reverse('cases:open')}?leerling={world.child.pk}"
    assert login(client, world.jeugdarts).get(url).status_code == 403
    client.logout()
    assert login(client, world.leerplicht_b).get(url).status_code == 404


def test_forms_post_with_and_without_htmx(client, world):
    case = world.open_case()
    login(client, world.leerplicht_a)
    url = reverse("cases:act", args=[case.pk, "actie"])
    owner = f"org:{world.gemeente_a.pk}"
    response = client.post(
        url, {"description": "Huisbezoek", "owner": owner, "due_date": "2030-01-10"}
    )
    assert response.status_code == 302
    assert case.actions.get().description == "Huisbezoek"
    response = client.post(
        url,
        {"description": "Gesprek school", "owner": owner, "due_date": "2030-01-11"},
        headers=HTMX,
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="casus"' in body
    assert "Actie toegevoegd aan het plan." in body
    # an error is shown at the form, nothing stored
    response = client.post(url, {"description": "", "owner": owner, "due_date": "2030-01-11"})
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert case.actions.count() == 2
    # mark done
    action = case.actions.first()
    client.post(
        reverse("cases:act", args=[case.pk, "actie_klaar"]), {"id": action.pk}, headers=HTMX
    )
    action.refresh_from_db()
    assert action.done_on is not None
    assert client.post(reverse("cases:act", args=[case.pk, "onbekend"]), {}).status_code == 404


def test_the_lead_adds_a_team_member_through_the_page(client, world):
    case = world.open_case()

    def add(membership, role_in_case: str, reason: str):
        return client.post(
            reverse("cases:act", args=[case.pk, "team"]),
            {
                "membership": membership.pk,
                "role_in_case": role_in_case,
                "reason": reason,
                "consent_basis": "toestemming_ouders",
            },
        )

    login(client, world.leerplicht_a)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Eva Mulder" in page  # offered as a candidate (GGD of the municipality)
    assert add(world.jeugdarts, "jeugdarts", "advies over ziekteverzuim").status_code == 302
    assert case.team.filter(user=world.jeugdarts.user).exists()
    assert Notification.objects.filter(user=world.jeugdarts.user).exists()
    # a team member who does not lead cannot add anyone
    client.logout()
    login(client, world.jeugdarts)
    assert add(world.wijkteam_worker, "x", "x").status_code in (400, 403)
    assert not case.team.filter(user=world.wijkteam_worker.user).exists()


def test_escalation_outcome_and_relapse_through_the_page(client, world):
    case = world.open_case()
    login(client, world.leerplicht_a)
    act = lambda what, data: client.post(reverse("cases:act", args=[case.pk, what]), data)  # noqa: E731
    assert (
        act(
            "opschalen",
            {
                "step": "doorbraakoverleg",
                "reason": "alles vastgelopen",
                "deciding_organisation": world.gemeente_a.pk,
                "deciding_user": world.leerplicht_a.user.pk,
                "deadline": "2099-01-01",
            },
        ).status_code
        == 302
    )
    step = case.escalations.get()
    recent_return = (timezone.localdate() - dt.timedelta(days=30)).isoformat()
    assert act("besluit", {"id": step.pk, "decision": "plek op De Linde"}).status_code == 302
    assert (
        act(
            "uitkomst",
            # a recent return: reopening after a relapse is offered within twelve months of it
            {"kind": "volledig", "returned_on": recent_return, "school": world.school_a.pk},
        ).status_code
        == 302
    )
    case.refresh_from_db()
    assert case.state == "terug_op_school"
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Heropenen na terugval" in page
    assert (
        act(
            "geschil",
            {
                "subject": "ondersteuning",
                "body": "geschillencommissie",
                "applicant": "ouders",
                "lodged_on": "2025-11-05",
            },
        ).status_code
        == 302
    )
    assert act("afsluiten", {"reason": "terug_op_school", "confirmed": "on"}).status_code == 302
    case.refresh_from_db()
    assert case.state == "afgesloten"


def test_the_home_block_lists_overdue_actions(client, world):
    case = world.open_case()
    world.add_action(case, description="Huisbezoek")
    login(client, world.leerplicht_a)
    home = client.get(reverse("attendance:home")).content.decode()
    assert reverse("cases:overdue_actions") in home
    block = client.get(reverse("cases:overdue_actions"), headers=HTMX).content.decode()
    assert "Huisbezoek" in block
    assert "verlopen sinds" in block
    assert "<html" not in block
    client.logout()
    assert (
        login(client, world.wijkteam_worker).get(reverse("cases:overdue_actions")).content.strip()
        == b""
    )
    client.logout()
    assert (
        login(client, world.beleid_a).get(reverse("cases:overdue_actions")).content.strip() == b""
    )


def test_the_nav_shows_casussen_to_caseworkers(client, world):
    page = login(client, world.leerplicht_a).get(reverse("cases:list")).content.decode()
    assert f'href="{reverse("cases:list")}" aria-current="page"' in page
