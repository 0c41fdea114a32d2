"""Organisations over the API: the one the caller acts for and the ones it works with."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers

from inbeeld.accounts.models import Organisation
from inbeeld.accounts.token_scopes import ResourceFamily
from inbeeld.api.base import ApiViewSet
from inbeeld.api.schema import problems
from inbeeld.people.selectors import organisations_working_with


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
    resource_family = ResourceFamily.ORGANISATIONS
    serializer_class = OrganisationSerializer
    queryset = Organisation.objects.none()

    def list(self, request):
        organisations = organisations_working_with(actor=self.actor).order_by("type", "name", "pk")
        page = self.paginate_queryset(organisations)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)
