"""History rows that are appended, never edited (issue 13): the state histories of requests.

A model on :class:`AppendOnlyModel` refuses ``save`` of a row that is already there and
``delete``; its manager's querysets refuse ``update`` and ``delete``. Removing the row it belongs
to (the database's cascade, e.g. when a child's data is removed) still takes its history along:
Django's collector works through the plain base manager.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from inbeeld.audit.models import AppendOnlyError


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError(f"{self.model._meta.label}: history is appended, never changed")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError(f"{self.model._meta.label}: history is appended, never deleted")


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError(f"{self._meta.label}: history is appended, never changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnlyError(f"{self._meta.label}: history is appended, never deleted")


class StateChange(AppendOnlyModel):
    """One move in the life of something with a workflow (a leave request, a request for
    vrijstelling): a subclass adds the ``request`` it belongs to and names its ``states``."""

    #: the TextChoices of the request's states (for their labels)
    states: type[models.TextChoices]

    #: empty for the registration
    from_state = models.CharField(max_length=24, blank=True)
    to_state = models.CharField(max_length=24)
    #: what the step is called (the app's ``workflow.TRANSITIONS``)
    step = models.CharField(max_length=100)
    #: the day it counts from (the request's, the advice's or the decision's date)
    on = models.DateField()
    #: when it was recorded
    at = models.DateTimeField(default=timezone.now, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    #: the decision's explanation (the reason of a refusal)
    note = models.TextField(blank=True)
    #: why the decision departs from an advice (a vrijstelling granted against the
    #: samenwerkingsverband's advice); empty when it does not
    justification = models.TextField(blank=True)

    class Meta:
        abstract = True
        ordering = ["request", "at", "id"]

    def __str__(self) -> str:
        return f"{self.request_id}: {self.from_state or '-'} -> {self.to_state}"

    def get_to_state_display(self) -> str:
        return str(self.states(self.to_state).label)

    @classmethod
    def record_by(cls, actor: Any, *, request: models.Model, **change: Any) -> StateChange:
        """:meth:`record` for the acting user (``actor.stored_user``) and organisation."""
        return cls.record(
            request=request, user=actor.stored_user, organisation=actor.organisation, **change
        )

    @classmethod
    def record(
        cls,
        *,
        request: models.Model,
        from_state: str,
        step: str,
        on: Any,
        user: Any,
        organisation: Any,
        note: str = "",
        justification: str = "",
    ) -> StateChange:
        """Append the move of ``request`` (already in its new state) to its history."""
        return cls.objects.create(
            request=request,
            from_state=from_state,
            to_state=request.state,
            step=step[:100],
            on=on,
            user=user,
            organisation=organisation,
            note=note,
            justification=justification,
        )
