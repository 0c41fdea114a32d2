"""The forms of the case page's section "Belemmeringen"; the services do the real checks."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from inbeeld.barriers.workflow import BarrierKind, BarrierState

TEXT = {"class": "utrecht-textbox"}
SELECT = {"class": "utrecht-select"}
DATE = {"class": "utrecht-textbox", "type": "date"}


class BarrierForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Wat houdt het kind thuis?"),
        choices=BarrierKind.choices,
        widget=forms.Select(SELECT),
    )
    description = forms.CharField(
        label=_("Omschrijving"),
        required=False,
        max_length=300,
        help_text=_("Verplicht bij ‘anders’."),
        widget=forms.TextInput(TEXT),
    )
    provider = forms.CharField(
        label=_("Bij wie (aanbieder, gemeente)"),
        required=False,
        max_length=200,
        widget=forms.TextInput(TEXT),
    )
    started_on = forms.DateField(
        label=_("Sinds (aanvraag of begin van de wachttijd)"), widget=forms.DateInput(DATE)
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "belemmering-%s")
        super().__init__(*args, **kwargs)


class BarrierChangeForm(forms.Form):
    to = forms.ChoiceField(label=_("Nieuwe status"), choices=BarrierState.choices)
    on = forms.DateField(label=_("Datum"), widget=forms.DateInput(DATE))
    note = forms.CharField(label=_("Toelichting"), required=False, max_length=300)
