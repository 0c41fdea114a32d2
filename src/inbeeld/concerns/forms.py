"""The form to register a concern: the child (by BSN and birth date, unless chosen from its page),
the life domain, urgent or not, and how to reach the one who registers it."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from inbeeld.concerns.models import Domain


class ConcernForm(forms.Form):
    bsn = forms.CharField(
        label=_("BSN van de leerling"),
        max_length=9,
        min_length=9,
        required=False,
        help_text=_("Negen cijfers."),
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "off", "class": "utrecht-textbox"}
        ),
    )
    birth_date = forms.DateField(
        label=_("Geboortedatum van de leerling"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "class": "utrecht-textbox"}),
    )
    domain = forms.ChoiceField(
        label=_("Levensdomein"),
        choices=Domain.choices,
        help_text=_("Waar de zorg over gaat, in grote lijnen. Schrijf nooit de inhoud op."),
        widget=forms.Select(attrs={"class": "utrecht-select"}),
    )
    urgent = forms.BooleanField(
        label=_("Urgent"),
        required=False,
        help_text=_("Vink aan als snel contact tussen de betrokkenen nodig is."),
        widget=forms.CheckboxInput(attrs={"class": "utrecht-checkbox"}),
    )
    contact_name = forms.CharField(
        label=_("Contactpersoon"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name", "class": "utrecht-textbox"}),
    )
    contact_phone = forms.CharField(
        label=_("Telefoonnummer"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "class": "utrecht-textbox"}),
    )
    contact_email = forms.EmailField(
        label=_("E-mailadres"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "class": "utrecht-textbox"}),
    )

    def __init__(self, *args, with_student: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.with_student = with_student
        if with_student:
            del self.fields["bsn"]
            del self.fields["birth_date"]
        else:
            self.fields["bsn"].required = True
            self.fields["birth_date"].required = True

    def clean_bsn(self) -> str:
        value = (self.cleaned_data.get("bsn") or "").strip()
        if value and not value.isdigit():
            raise forms.ValidationError(_("Een BSN bestaat uit negen cijfers."))
        return value

    def clean(self):
        cleaned = super().clean()
        unreachable = not cleaned.get("contact_phone") and not cleaned.get("contact_email")
        if unreachable and "contact_email" not in self.errors:
            self.add_error(
                "contact_phone",
                _("Vul een telefoonnummer of een e-mailadres in (of allebei)."),
            )
        return cleaned
