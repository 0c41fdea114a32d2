"""History rows that are appended, never edited (issue 13): the state histories of requests.

A model on :class:`AppendOnlyModel` refuses ``save`` of a row that is already there and
``delete``; its manager's querysets refuse ``update`` and ``delete``. Removing the row it belongs
to (the database's cascade, e.g. when a child's data is removed) still takes its history along:
Django's collector works through the plain base manager.
"""

from __future__ import annotations

from typing import Any

from django.db import models

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
