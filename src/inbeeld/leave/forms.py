"""Forms of the leave screens (labels in Dutch; the law's checks live in the services)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from inbeeld.leave.models import LeaveKind
from inbeeld.ui.forms import DateInput, ServerCheckedForm


class PupilChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.full_name or obj.external_id} ({obj.birth_date:%d-%m-%Y})"


class LeaveRequestForm(ServerCheckedForm):
    student = PupilChoiceField(
        label=_("Leerling"),
        queryset=None,
        empty_label=_("kies een leerling"),
        error_messages={
            "required": _("Kies de leerling."),
            "invalid_choice": _("Kies een leerling van uw school."),
        },
        # chosen with the pupil search above the form (leave/_pupil_search.html): never a list
        # of every pupil of the school
        widget=forms.HiddenInput,
    )
    kind = forms.ChoiceField(
        label=_("Soort verlof"),
        choices=LeaveKind.choices,
        widget=forms.RadioSelect(attrs={"class": "utrecht-radio-button"}),
        error_messages={"required": _("Kies de soort verlof.")},
    )
    start_date = forms.DateField(
        label=_("Eerste dag"),
        widget=DateInput(),
        error_messages={
            "required": _("Vul de eerste dag in."),
            "invalid": _("Vul een datum in, zoals 2025-03-10."),
        },
    )
    end_date = forms.DateField(
        label=_("Laatste dag"),
        widget=DateInput(),
        error_messages={
            "required": _("Vul de laatste dag in."),
            "invalid": _("Vul een datum in, zoals 2025-03-14."),
        },
    )
    employer_statement = forms.BooleanField(
        label=_("Er is een werkgeversverklaring (vakantieverlof)"),
        required=False,
        help_text=_(
            "Vakantieverlof kan alleen als het werk van een ouder een vakantie in de schoolvakanties onmogelijk maakt."
        ),
        widget=forms.CheckboxInput(attrs={"class": "utrecht-checkbox"}),
    )
    reason = forms.CharField(
        label=_("Reden in het kort (gewichtige omstandigheden)"),
        required=False,
        max_length=300,
        help_text=_("Bijvoorbeeld: huwelijk van een familielid. Geen medische gegevens."),
        widget=forms.TextInput(attrs={"class": "utrecht-textbox"}),
    )

    def __init__(self, *args, pupils, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["student"].queryset = pupils
        # the error summary leads to the pupil search (the field itself is hidden)
        self.fields["student"].error_target = "leerling-zoek"

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("De laatste dag ligt voor de eerste dag."))
        return data
