"""The forms of the contact log and of a letter (a letter's fields come from its module)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inbeeld.correspondence.letters.base import CHOICE, DATE, ID, LONG_TEXT, TIME, LetterSpec
from inbeeld.correspondence.models import ContactKind, ContactWith


class ContactEntryForm(forms.Form):
    kind = forms.ChoiceField(label=_("Soort contact"), choices=ContactKind.choices)
    contact_with = forms.ChoiceField(label=_("Met wie"), choices=ContactWith.choices)
    contact_name = forms.CharField(
        label=_("Naam of functie (bij 'anders' verplicht)"), required=False, max_length=200
    )
    on = forms.DateField(
        label=_("Datum"), widget=forms.DateInput(attrs={"type": "date"}), initial=timezone.localdate
    )
    summary = forms.CharField(
        label=_("Samenvatting"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        help_text=_(
            "Geen medische gegevens: alleen wat uw organisatie voor haar taak nodig heeft."
        ),
    )
    corrects = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)


def letter_form(
    spec: LetterSpec, options: dict[str, list[tuple[int, str]]], data=None, initial=None
) -> forms.Form:
    """A form with the letter's fields; the service checks them (and the facts) again."""
    form = forms.Form(data=data, initial=initial)
    for field in spec.fields:
        common = {"label": field.label, "required": field.required, "help_text": field.help_text}
        if field.kind == ID:
            choices = [("", "---------"), *options.get(field.name, [])]
            form.fields[field.name] = forms.ChoiceField(choices=choices, **common)
        elif field.kind == CHOICE:
            form.fields[field.name] = forms.ChoiceField(
                choices=[("", "---------"), *field.choices], **common
            )
        elif field.kind == DATE:
            form.fields[field.name] = forms.CharField(
                widget=forms.DateInput(attrs={"type": "date"}), **common
            )
        elif field.kind == TIME:
            form.fields[field.name] = forms.CharField(
                widget=forms.TimeInput(attrs={"type": "time"}), **common
            )
        elif field.kind == LONG_TEXT:
            form.fields[field.name] = forms.CharField(
                widget=forms.Textarea(attrs={"rows": 3}), max_length=field.max_length, **common
            )
        else:
            form.fields[field.name] = forms.CharField(max_length=field.max_length, **common)
    return form
