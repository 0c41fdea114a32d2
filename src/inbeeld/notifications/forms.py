"""Which kinds of notification a user also wants by e-mail: a checkbox per kind."""

from __future__ import annotations

from django import forms

from inbeeld.notifications.models import NotificationKind


class EmailPreferencesForm(forms.Form):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for kind, label in NotificationKind.choices:
            self.fields[kind] = forms.BooleanField(
                label=label,
                required=False,
                widget=forms.CheckboxInput(attrs={"class": "utrecht-checkbox"}),
            )
