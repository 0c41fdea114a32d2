"""Forms of the exemption screens (labels in Dutch; the law's checks live in the services)."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from inbeeld.exemptions.models import AdviceKind
from inbeeld.ui.forms import DateInput, ServerCheckedForm

#: (code, label): the code 5a is artikel 5, onder a of the Leerplichtwet (artikel 5a is trekkend
#: bestaan); the labels cite the law as rules.legal.ARTICLE_CITATIONS does
ARTICLES = [
    ("5a", _("artikel 5, onder a – lichamelijk of psychisch niet in staat om naar school te gaan")),
    ("5b", _("artikel 5, onder b – bezwaar tegen de richting van alle scholen in de buurt")),
    ("5c", _("artikel 5, onder c – ingeschreven bij een school in het buitenland")),
    ("15", _("artikel 15 – ander onderwijs (alleen kwalificatieplicht)")),
    ("3a", _("artikel 3a – vervangende leerplicht (vanaf 14 jaar)")),
    ("3b", _("artikel 3b – vervangende leerplicht (laatste schooljaar)")),
]


def _date(label, required=True, help_text=""):
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=DateInput(),
        error_messages={
            "required": _("Vul deze datum in."),
            "invalid": _("Vul een datum in, zoals 2025-08-01."),
        },
    )


def _check(label, help_text=""):
    return forms.BooleanField(
        label=label,
        required=False,
        help_text=help_text,
        widget=forms.CheckboxInput(attrs={"class": "utrecht-checkbox"}),
    )


class ExemptionRequestForm(ServerCheckedForm):
    student = forms.CharField(
        label=_("Leerlingnummer of BSN van het kind"),
        max_length=64,
        error_messages={"required": _("Vul het leerlingnummer of BSN van het kind in.")},
        widget=forms.TextInput(attrs={"class": "utrecht-textbox", "autocomplete": "off"}),
    )
    article = forms.ChoiceField(
        label=_("Vrijstelling op grond van artikel"),
        choices=ARTICLES,
        widget=forms.RadioSelect(attrs={"class": "utrecht-radio-button"}),
        error_messages={"required": _("Kies het artikel van de vrijstelling.")},
    )
    requested_on = _date(_("Datum van de aanvraag"))
    start_date = _date(_("Ingangsdatum"))
    end_date = _date(_("Einddatum"), required=False)
    statement_date = _date(
        _("Datum van de verklaring (5a)"),
        required=False,
        help_text=_("Van een arts, psycholoog of orthopedagoog; ten hoogste drie maanden oud."),
    )
    statement_by_treating_professional = _check(
        _("De verklaring komt van iemand die het kind behandelt (5a)")
    )
    renewal = _check(_("Het is een verlenging van een lopende vrijstelling (5a)"))
    attended_denomination_school_last_year = _check(
        _("Het kind ging vorig jaar naar een school van deze richting (5b)")
    )

    def __init__(self, *args, children, **kwargs):
        super().__init__(*args, **kwargs)
        self.children = children

    def clean_student(self):
        value = self.cleaned_data["student"].strip()
        found = self.children.filter(Q(external_id=value) | Q(bsn=value)).first()
        if found is None:
            raise forms.ValidationError(
                _("Geen kind met dit leerlingnummer of BSN in uw gemeente."), code="unknown"
            )
        return found

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("De einddatum ligt voor de ingangsdatum."))
        return data


class AdviceForm(ServerCheckedForm):
    advice = forms.ChoiceField(
        label=_("Advies"),
        choices=AdviceKind.choices,
        widget=forms.RadioSelect(attrs={"class": "utrecht-radio-button"}),
        error_messages={"required": _("Kies het advies.")},
    )
    education_still_possible = forms.CharField(
        label=_("Welk onderwijs is nog mogelijk?"),
        max_length=4000,
        error_messages={"required": _("Beschrijf welk onderwijs nog mogelijk is.")},
        widget=forms.Textarea(attrs={"class": "utrecht-textarea", "rows": 4}),
    )
