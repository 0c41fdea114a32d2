"""Separation of duties (issue 9 §13): nobody gives themselves a role that sees children, and such a
role is given only when a second functioneel beheerder of the same organisation approves."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse

from inbeeld.accounts import services
from inbeeld.accounts.models import Membership, RoleGrantRequest, RoleGrantState
from inbeeld.accounts.permissions import ROLE_PERMISSIONS, Permission
from inbeeld.accounts.tests.factories import (
    PASSWORD,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    actor_for,
    messages_of,
)
from inbeeld.audit.models import AuditEvent

LPA = "leerplichtambtenaar"
BELEID = "beleidsmedewerker"

pytestmark = pytest.mark.django_db


@pytest.fixture
def gemeente():
    """A gemeente with three functioneel beheerders (first, second, third) and one outside it."""
    organisation = OrganisationFactory(name="Gemeente A", code="GM0001")
    beheerders = [
        actor_for(MembershipFactory(organisation=organisation, role="functioneel_beheerder"))
        for _ in range(3)
    ]
    other = OrganisationFactory(name="Gemeente B", code="GM0002")
    outsider = actor_for(MembershipFactory(organisation=other, role="functioneel_beheerder"))
    return organisation, beheerders, outsider


def test_a_beheerder_cannot_give_itself_a_child_data_role(gemeente):
    organisation, (first, *_), _ = gemeente
    for grant in (services.role_grant, services.role_grant_request, services.membership_grant):
        with pytest.raises(PermissionDenied):
            grant(actor=first, user=first.user, organisation=organisation, role=LPA)
    assert not Membership.objects.filter(user=first.user, role=LPA).exists()
    assert not RoleGrantRequest.objects.exists()


def test_a_role_without_child_data_is_given_at_once_even_to_oneself(gemeente):
    organisation, (first, *_), _ = gemeente
    membership = services.role_grant(
        actor=first, user=first.user, organisation=organisation, role=BELEID
    )
    assert isinstance(membership, Membership)
    assert membership.active


def test_a_child_data_role_waits_for_a_second_beheerder(gemeente):
    organisation, (first, second, _), _ = gemeente
    user = UserFactory()
    request = services.role_grant(actor=first, user=user, organisation=organisation, role=LPA)
    assert isinstance(request, RoleGrantRequest)
    assert request.state == RoleGrantState.PENDING
    assert not Membership.objects.filter(user=user).exists()
    asked = AuditEvent.objects.get(object_type="accounts.RoleGrantRequest", action="create")
    assert asked.user == first.user
    assert asked.detail == {"user": user.username, "organisation": "GM0001", "role": LPA}

    membership = services.role_grant_decide(actor=second, grant_request=request, approve=True)
    assert membership.active
    assert (membership.user, membership.role) == (user, LPA)
    request.refresh_from_db()
    assert (request.state, request.decided_by, request.membership) == (
        RoleGrantState.APPROVED,
        second.user,
        membership,
    )
    granted = AuditEvent.objects.get(object_type="accounts.Membership", object_id=membership.pk)
    assert granted.user == second.user
    assert granted.detail["requested_by"] == first.user.username
    decided = AuditEvent.objects.get(object_type="accounts.RoleGrantRequest", action="update")
    assert decided.user == second.user
    assert decided.detail["decision"] == "approved"


def test_neither_the_requester_nor_the_grantee_decides(gemeente):
    organisation, (first, second, third), _ = gemeente
    request = services.role_grant_request(
        actor=first, user=second.user, organisation=organisation, role=LPA
    )
    for who in (first, second):
        for approve in (True, False):
            with pytest.raises(PermissionDenied):
                services.role_grant_decide(actor=who, grant_request=request, approve=approve)
    request.refresh_from_db()
    assert request.state == RoleGrantState.PENDING
    services.role_grant_decide(actor=third, grant_request=request, approve=True)
    assert Membership.objects.get(user=second.user, role=LPA).active


def test_a_beheerder_of_another_organisation_or_another_role_does_not_decide(gemeente):
    organisation, (first, *_), outsider = gemeente
    request = services.role_grant_request(
        actor=first, user=UserFactory(), organisation=organisation, role=LPA
    )
    colleague = actor_for(MembershipFactory(organisation=organisation, role=LPA))
    for who in (outsider, colleague):
        with pytest.raises(PermissionDenied):
            services.role_grant_decide(actor=who, grant_request=request, approve=True)
    assert RoleGrantRequest.objects.get().state == RoleGrantState.PENDING


def test_a_refusal_gives_nothing_and_a_decision_is_final(gemeente):
    organisation, (first, second, third), _ = gemeente
    user = UserFactory()
    request = services.role_grant_request(
        actor=first, user=user, organisation=organisation, role=LPA
    )
    assert services.role_grant_decide(actor=second, grant_request=request, approve=False) is None
    request.refresh_from_db()
    assert (request.state, request.decided_by) == (RoleGrantState.REFUSED, second.user)
    assert not Membership.objects.filter(user=user).exists()
    with pytest.raises(ValidationError) as excinfo:
        services.role_grant_decide(actor=third, grant_request=request, approve=True)
    assert "is al beslist" in messages_of(excinfo)
    # asked again after a refusal: a new request
    again = services.role_grant_request(actor=first, user=user, organisation=organisation, role=LPA)
    assert again.pk != request.pk


def test_one_request_at_a_time_and_not_for_a_role_one_has(gemeente):
    organisation, (first, second, _), _ = gemeente
    user = UserFactory()
    services.role_grant_request(actor=first, user=user, organisation=organisation, role=LPA)
    with pytest.raises(ValidationError) as excinfo:
        services.role_grant_request(actor=second, user=user, organisation=organisation, role=LPA)
    assert "wacht al op goedkeuring" in messages_of(excinfo)
    with pytest.raises(ValidationError) as excinfo:
        services.role_grant_request(actor=first, user=user, organisation=organisation, role=BELEID)
    assert "zonder goedkeuring" in messages_of(excinfo)
    holder = MembershipFactory(organisation=organisation, role=LPA).user
    with pytest.raises(ValidationError) as excinfo:
        services.role_grant_request(actor=first, user=holder, organisation=organisation, role=LPA)
    assert "heeft de rol leerplichtambtenaar al" in messages_of(excinfo)


def test_child_data_is_decided_by_permission_not_by_role_name(gemeente, monkeypatch):
    organisation, (first, *_), _ = gemeente
    monkeypatch.setitem(
        ROLE_PERMISSIONS, BELEID, ROLE_PERMISSIONS[BELEID] | {Permission.VIEW_STUDENT}
    )
    result = services.role_grant(
        actor=first, user=UserFactory(), organisation=organisation, role=BELEID
    )
    assert isinstance(result, RoleGrantRequest)
    with pytest.raises(PermissionDenied):
        services.role_grant(actor=first, user=first.user, organisation=organisation, role=BELEID)


def test_person_add_with_a_child_data_role_waits_for_approval(gemeente):
    _, (first, *_), _ = gemeente
    result = services.person_add(actor=first, username="nieuw", password=PASSWORD, role=LPA)
    assert isinstance(result, RoleGrantRequest)
    assert result.user.username == "nieuw"
    assert not Membership.objects.filter(user__username="nieuw").exists()


def test_the_system_grants_at_once_and_is_audited_without_a_user(gemeente):
    organisation, _, _ = gemeente
    user = UserFactory()
    membership = services.membership_grant(
        actor=None, user=user, organisation=organisation, role=LPA
    )
    assert membership.active
    event = AuditEvent.objects.get(object_type="accounts.Membership", object_id=membership.pk)
    assert event.user is None


def test_the_command_line_grants_as_system_and_settles_a_pending_request(gemeente):
    organisation, (first, *_), _ = gemeente
    user = UserFactory(username="enige")
    request = services.role_grant_request(
        actor=first, user=user, organisation=organisation, role=LPA
    )
    call_command("grant_role", "enige", "GM0001", LPA)
    membership = Membership.objects.get(user=user, role=LPA)
    assert membership.active
    request.refresh_from_db()
    assert (request.state, request.decided_by) == (RoleGrantState.APPROVED, None)
    event = AuditEvent.objects.get(object_type="accounts.Membership", object_id=membership.pk)
    assert event.user is None
    assert event.detail["via"] == "command line"
    other = UserFactory(username="tweede")
    call_command("grant_role", "tweede", "GM0001", LPA)
    assert Membership.objects.get(user=other, role=LPA).active


# -- the beheer screens ----------------------------------------------------------------------------


def test_the_screens_ask_show_and_let_a_second_beheerder_approve(client, gemeente):
    organisation, (first, second, _), _ = gemeente
    alice = MembershipFactory(organisation=organisation, role=BELEID).user
    client.force_login(first.user)
    response = client.post(reverse("beheer:role_grant", args=[alice.pk]), {"role": LPA})
    assert response.status_code == 302
    assert not Membership.objects.filter(user=alice, role=LPA).exists()
    page = client.get(reverse("beheer:index")).content.decode()
    assert "Een andere functioneel beheerder moet die goedkeuren" in page
    table = page.split('data-testid="pending-roles"')[1].split("</table>")[0]
    assert alice.username in table
    assert "Wacht op een andere functioneel beheerder" in table  # the asker cannot decide
    request = RoleGrantRequest.objects.get()
    approve = reverse("beheer:role_request_approve", args=[request.pk])
    assert approve not in table
    assert client.post(approve).status_code == 403

    client.force_login(second.user)
    table = client.get(reverse("beheer:index")).content.decode().split("pending-roles")[1]
    assert approve in table.split("</table>")[0]
    assert client.get(approve).status_code == 405
    assert client.post(approve).status_code == 302
    assert Membership.objects.get(user=alice, role=LPA).active
    page = client.get(reverse("beheer:index")).content.decode()
    assert "is goedgekeurd en toegekend" in page
    assert client.post(approve).status_code == 302  # decided already: said, nothing changes
    assert (
        "Over deze aanvraag is al beslist" in client.get(reverse("beheer:index")).content.decode()
    )


def test_a_refusal_on_the_screen(client, gemeente):
    organisation, (first, second, _), _ = gemeente
    request = services.role_grant_request(
        actor=first, user=UserFactory(), organisation=organisation, role=LPA
    )
    client.force_login(second.user)
    assert client.post(reverse("beheer:role_request_refuse", args=[request.pk])).status_code == 302
    request.refresh_from_db()
    assert request.state == RoleGrantState.REFUSED


def test_another_organisations_request_is_404_and_a_non_beheerder_403(client, gemeente):
    organisation, (first, *_), outsider = gemeente
    request = services.role_grant_request(
        actor=first, user=UserFactory(), organisation=organisation, role=LPA
    )
    client.force_login(outsider.user)
    for name in ("beheer:role_request_approve", "beheer:role_request_refuse"):
        assert client.post(reverse(name, args=[request.pk])).status_code == 404
    client.force_login(MembershipFactory(organisation=organisation, role=LPA).user)
    assert client.post(reverse("beheer:role_request_approve", args=[request.pk])).status_code == 403
    assert RoleGrantRequest.objects.get().state == RoleGrantState.PENDING


def test_the_screen_does_not_offer_oneself_a_child_data_role(client, gemeente):
    _, (first, *_), _ = gemeente
    client.force_login(first.user)
    url = reverse("beheer:role_grant", args=[first.user.pk])
    page = client.get(url).content.decode()
    assert 'value="beleidsmedewerker"' in page
    assert 'value="leerplichtambtenaar"' not in page
    assert client.post(url, {"role": LPA}).status_code == 400  # not a choice here
    assert not Membership.objects.filter(user=first.user, role=LPA).exists()
