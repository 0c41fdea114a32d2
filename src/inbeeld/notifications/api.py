"""Notifications over the API (issue 4 §7, §8): the caller's own, newest first, and marking one
read. Always the person's own (whichever organisation the token acts for); never anyone else's."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from inbeeld.accounts.token_scopes import ResourceFamily
from inbeeld.api.base import ApiViewSet
from inbeeld.api.schema import problems
from inbeeld.notifications import selectors, services
from inbeeld.notifications.models import Notification


class NotificationSerializer(serializers.ModelSerializer):
    organisation_name = serializers.CharField(
        source="organisation.name", read_only=True, allow_null=True, default=None
    )
    read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = [
            "id",
            "kind",
            "title",
            "body",
            "url",
            "organisation",
            "organisation_name",
            "created_at",
            "read_at",
            "read",
        ]
        read_only_fields = fields

    def get_read(self, notification: Notification) -> bool:
        return notification.read_at is not None


@extend_schema_view(
    list=extend_schema(
        operation_id="notifications_list",
        summary="Your own notifications, newest first",
        responses={200: NotificationSerializer(many=True), **problems(401, 403)},
    ),
)
@extend_schema(tags=["notifications"])
class NotificationViewSet(ApiViewSet):
    resource_family = ResourceFamily.NOTIFICATIONS
    serializer_class = NotificationSerializer
    queryset = Notification.objects.none()

    def list(self, request):
        notifications = selectors.notifications_of(user=request.user).order_by("-created_at", "-pk")
        page = self.paginate_queryset(notifications)
        return self.get_paginated_response(NotificationSerializer(page, many=True).data)

    @extend_schema(
        operation_id="notifications_read",
        summary="Mark one of your notifications read",
        request=None,
        responses={
            200: OpenApiResponse(NotificationSerializer, description="The notification, read."),
            **problems(401, 403, 404),
        },
    )
    @action(detail=True, methods=["post"], url_path="read")
    def read(self, request, pk=None):
        notification = selectors.notification_of(user=request.user, pk=self.object_id())
        if notification is None:
            raise exceptions.NotFound()
        services.mark_read(user=request.user, notification=notification)
        notification.refresh_from_db()
        return Response(NotificationSerializer(notification).data)
