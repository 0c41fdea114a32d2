"""What the tests of the requests' histories share (leave, vrijstelling; ``people.request_workflow``)."""

from __future__ import annotations

import pytest

from inbeeld.audit.models import AppendOnlyError


def assert_append_only(history, request, *, field: str) -> None:
    """The row of ``history`` (a StateChange model) of ``request``, its registration, can be
    neither changed (its ``field``) nor deleted, one by one or in bulk, and stays as it was."""
    change = history.objects.get(request=request)
    before = getattr(change, field)
    setattr(change, field, "anders")
    with pytest.raises(AppendOnlyError):
        change.save()
    with pytest.raises(AppendOnlyError):
        change.delete()
    with pytest.raises(AppendOnlyError):
        history.objects.filter(request=request).update(**{field: "anders"})
    with pytest.raises(AppendOnlyError):
        history.objects.filter(request=request).delete()
    assert getattr(history.objects.get(pk=change.pk), field) == before != "anders"
