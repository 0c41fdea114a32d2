"""Forms of the exemption screens (labels in Dutch; the law's checks live in the services)."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from inbeeld.exemptions.models import AdviceKind
from inbeeld.people.labels import ARTICLE_LABELS
from inbeeld.people.models import Article
from inbeeld.ui.forms import DateInput, DecisionForm, ServerCheckedForm

#: the articles a request can name, vrijstellingen first; 3a/3b are vervangende leerplicht
#: (RULES.md §7), labelled as such (``people.labels``)
ARTICLES = [
    (code, ARTICLE_LABELS[code]) for code in ("5a", "5b", "5c", "5a_trekkend", "15", "3a", "3b")
]
assert {code for code, _label in ARTICLES} == set(Article.values)


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
        label=_("Vrijstelling of vervangende leerplicht op grond van"),
        choices=ARTICLES,
        widget=forms.RadioSelect(attrs={"class": "utrecht-radio-button"}),
        error_messages={"required": _("Kies het artikel van de vrijstelling.")},
    )
    requested_on = _date(_("Datum van de aanvraag"))
    start_date = _date(_("Ingangsdatum"))
    end_date = _date(
        _("Einddatum"),
        required=False,
        help_text=_(
            "Leeg bij artikel 5, onder a: de vrijstelling vervalt op 31 juli van het schooljaar "
            "waarin ze ingaat, tenzij ze blijvend is."
        ),
    )
    statement_date = _date(
        _("Datum van de verklaring (5a)"),
        required=False,
        help_text=_("Van een arts, psycholoog of orthopedagoog; ten hoogste drie maanden oud."),
    )
    statement_by_treating_professional = _check(
        _("De verklaring komt van iemand die het kind behandelt (5a)")
    )
    renewal = _check(_("Het is een verlenging van een lopende vrijstelling (5a)"))
    permanent = _check(
        _("Blijvend: het kind zal nooit geschikt zijn om naar school te gaan (alleen 5 onder a)"),
        help_text=_(
            "Dan vervalt de vrijstelling niet op 31 juli en hoeft ze niet elk jaar te worden "
            "verlengd."
        ),
    )
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


class ExemptionDecisionForm(DecisionForm):
    """Grant or refuse a request for vrijstelling; with the justification of a grant against the
    samenwerkingsverband's advice, offered only when the advice is against it. Whether it is
    required is the service's rule (``services.exemption_request_decide``), whose refusal lands
    at this field."""

    justification = forms.CharField(
        label=_("Motivering: waarom toekennen tegen het advies in?"),
        required=False,
        max_length=2000,
        help_text=_(
            "Verplicht als u de vrijstelling toekent: het samenwerkingsverband adviseerde dat er "
            "nog onderwijs mogelijk is. De motivering komt in het besluit en in de beschikking."
        ),
        widget=forms.Textarea(attrs={"class": "utrecht-textarea", "rows": 3}),
    )

    def __init__(self, *args, against_advice: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not against_advice:
            del self.fields["justification"]
