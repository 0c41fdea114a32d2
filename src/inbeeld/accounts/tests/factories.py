"""Factories for organisations, people and their roles, ``actor_for`` to act as one, and
``token_client`` to call the API as one; ``messages_of`` reads a refusal."""

from __future__ import annotations

import factory
from rest_framework.test import APIClient

from inbeeld.accounts.actor import Actor
from inbeeld.accounts.models import (
    Membership,
    Organisation,
    OrganisationType,
    PersonalToken,
    Role,
    User,
)

PASSWORD = "geheim-wachtwoord-42"
#: a personal token's scopes: read students, nothing else
READ_STUDENTS = {"students": "read"}


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("type", "code")

    type = OrganisationType.GEMEENTE
    name = factory.Sequence(lambda n: f"Gemeente {n}")
    #: four digits, as a CBS code has (the column holds six characters): a long test run wraps
    code = factory.Sequence(lambda n: f"GM{9000 + n % 1000:04d}")
    municipality_code = factory.LazyAttribute(
        lambda o: o.code if o.type == OrganisationType.GEMEENTE else "GM0014"
    )


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"gebruiker{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Persoon {n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password(PASSWORD)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.LEERPLICHTAMBTENAAR


def actor_for(membership: Membership, ip: str | None = "192.0.2.1") -> Actor:
    """The actor of this membership's user at its organisation, with all their active roles there."""
    memberships = list(
        Membership.objects.filter(
            user=membership.user, organisation=membership.organisation, active=True
        ).select_related("user", "organisation")
    ) or [membership]
    return Actor.for_membership(memberships, ip=ip)


def token_client(membership: Membership) -> APIClient:
    """An API client that authenticates with a new personal token of this membership."""
    key = PersonalToken.generate()
    PersonalToken.objects.create(
        membership=membership, name="test", key_hash=PersonalToken.hash(key), prefix=key[:8]
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


def messages_of(excinfo) -> str:
    """The messages of a refusal caught by ``pytest.raises(ValidationError)``, as one text."""
    return " ".join(excinfo.value.messages)
