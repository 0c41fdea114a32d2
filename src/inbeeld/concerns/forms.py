"""The form to register a concern: the child (by BSN and birth date, unless chosen from its page),
the life domain, urgent or not, and how to reach the one who registers it.

The form only shows the fields and collects what was entered: ``services.concern_register``
checks every field (the same checks, in the same words, as the API) and the view puts its
messages on the fields. So no answer depends on whether the child is in Inbeeld (issue 9)."""

from __future__ import annotations

from django import forms
from django.forms.utils import ErrorDict
from django.utils.translation import gettext_lazy as _

from inbeeld.concerns.models import Domain


class ConcernForm(forms.Form):
    bsn = forms.CharField(
        label=_("BSN van de leerling"),
        required=False,
        help_text=_("Negen cijfers."),
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "off", "class": "utrecht-textbox"}
        ),
    )
    birth_date = forms.CharField(
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

    def full_clean(self) -> None:
        """Collect what was entered, unchecked (the service checks it)."""
        self._errors = ErrorDict()
        self.cleaned_data = {}
        if not self.is_bound:
            return
        for name, field in self.fields.items():
            self.cleaned_data[name] = field.widget.value_from_datadict(
                self.data, self.files, self.add_prefix(name)
            )
