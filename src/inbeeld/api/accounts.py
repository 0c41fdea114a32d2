"""Organisations over the API: the one the caller acts for and the ones it works with."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers

from inbeeld.accounts.actor import Actor
from inbeeld.accounts.models import Organisation, OrganisationType
from inbeeld.api.base import ApiViewSet
from inbeeld.api.schema import problems
from inbeeld.people.selectors import schools_visible_to


def organisations_working_with(*, actor: Actor) -> QuerySet[Organisation]:
    """The acting organisation and those it works with.

    Through the schools it sees (its own school, the schools in its municipality, the member
    schools of its samenwerkingsverband): those schools, their samenwerkingsverbanden and their
    gemeenten; a gemeente also works with the GGD and wijkteams in it, and they with the gemeente.
    (A read of the registry: belongs in people.selectors once the API moves into the apps.)
    """
    organisation = actor.organisation
    schools = schools_visible_to(actor=actor)
    related = (
        Q(pk=organisation.pk)
        | Q(school__in=schools)
        | Q(member_schools__in=schools)
        | Q(type=OrganisationType.GEMEENTE, code__in=schools.values("municipality_code"))
    )
    if organisation.type == OrganisationType.GEMEENTE:
        related |= Q(
            type__in=[OrganisationType.GGD, OrganisationType.WIJKTEAM],
            municipality_code=organisation.code,
        )
    elif organisation.municipality_code:
        related |= Q(type=OrganisationType.GEMEENTE, code=organisation.municipality_code)
    ids = Organisation.objects.filter(related).values("pk")
    return Organisation.objects.filter(pk__in=ids)


class OrganisationSerializer(serializers.ModelSerializer):
    acting = serializers.SerializerMethodField(help_text="The organisation the caller acts for.")

    class Meta:
        model = Organisation
        fields = ["id", "type", "name", "code", "municipality_code", "acting"]
        read_only_fields = fields

    def get_acting(self, organisation: Organisation) -> bool:
        return organisation.pk == self.context["request"].actor.organisation.pk


@extend_schema_view(
    list=extend_schema(
        operation_id="organisations_list",
        summary="The acting organisation and the organisations it works with",
        responses={200: OrganisationSerializer(many=True), **problems(401, 403)},
    ),
)
@extend_schema(tags=["organisations"])
class OrganisationViewSet(ApiViewSet):
    serializer_class = OrganisationSerializer
    queryset = Organisation.objects.none()

    def list(self, request):
        organisations = organisations_working_with(actor=self.actor).order_by("type", "name", "pk")
        page = self.paginate_queryset(organisations)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)
