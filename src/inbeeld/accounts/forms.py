"""Forms of the beheer pages and the token page. They only collect input: the services validate
and write; ``inbeeld.ui.forms.errors_to_form`` puts their messages on the right fields."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from inbeeld.accounts.models import Role
from inbeeld.accounts.token_scopes import (
    ACCESS_LABELS,
    FAMILY_LABELS,
    ResourceFamily,
    accesses_for,
)

_WIDGET_CLASSES = {
    forms.Select: "utrecht-select utrecht-select--html-select",
    forms.TextInput: "utrecht-textbox utrecht-textbox--html-input",
    forms.EmailInput: "utrecht-textbox utrecht-textbox--html-input",
    forms.PasswordInput: "utrecht-textbox utrecht-textbox--html-input",
    forms.NumberInput: "utrecht-textbox utrecht-textbox--html-input",
}


class StyledForm(forms.Form):
    """NL Design System (Utrecht) classes on the widgets."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = _WIDGET_CLASSES.get(type(field.widget))
            if css:
                field.widget.attrs["class"] = css


def role_choices(roles: list[str]) -> list[tuple[str, str]]:
    return [(role, Role(role).label) for role in roles]


class RoleGrantForm(StyledForm):
    """One of the roles offered (``roles``)."""

    role = forms.ChoiceField(
        label=_("Rol"),
        error_messages={
            "required": _("Kies een rol."),
            "invalid_choice": _("Kies een rol uit de lijst; %(value)s kan hier niet."),
        },
    )

    def __init__(self, *args, roles: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = role_choices(roles)


class PersonAddForm(RoleGrantForm):
    """A new person with a first password and a first role (the role last, as before)."""

    field_order = ["username", "first_name", "last_name", "email", "password", "role"]
    username = forms.CharField(
        label=_("Gebruikersnaam"),
        max_length=150,
        error_messages={"required": _("Vul een gebruikersnaam in.")},
    )
    first_name = forms.CharField(label=_("Voornaam"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Achternaam"), max_length=150, required=False)
    email = forms.EmailField(
        label=_("E-mailadres"),
        required=False,
        error_messages={"invalid": _("Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl.")},
    )
    password = forms.CharField(
        label=_("Eerste wachtwoord"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Minstens 10 tekens, niet te gewoon en niet lijkend op de naam."),
        error_messages={"required": _("Vul een eerste wachtwoord in.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs["autocomplete"] = "off"


class PersonalTokenForm(StyledForm):
    """A name, a term in days and, per resource family, nothing, read, or read and write."""

    name = forms.CharField(
        label=_("Naam van het token"),
        max_length=100,
        help_text=_("Waarvoor gebruikt u het, bijvoorbeeld het leerlingadministratiesysteem?"),
        error_messages={
            "required": _("Geef het token een naam, bijvoorbeeld het systeem dat het gebruikt."),
            "max_length": _("De naam is te lang (ten hoogste 100 tekens)."),
        },
    )
    days = forms.IntegerField(
        label=_("Geldig (dagen)"),
        error_messages={
            "required": _("Vul in hoeveel dagen het token geldig is."),
            "invalid": _("Vul een aantal dagen in, zoals 90."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        longest = settings.INBEELD_API_TOKEN_MAX_DAYS
        days = self.fields["days"]
        days.initial = settings.INBEELD_API_TOKEN_DAYS
        days.widget.attrs.update({"min": 1, "max": longest, "inputmode": "numeric"})
        days.help_text = _("Ten hoogste %(days)d dagen; daarna werkt het token niet meer.") % {
            "days": longest
        }
        message = _("Kies een geldigheid van ten minste 1 en ten hoogste %(days)d dagen.") % {
            "days": longest
        }
        days.validators += [MinValueValidator(1, message), MaxValueValidator(longest, message)]
        for family in ResourceFamily:
            choices = [("", _("niets"))] + [
                (access.value, ACCESS_LABELS[access]) for access in accesses_for(family)
            ]
            self.fields[_scope_field(family)] = forms.ChoiceField(
                label=FAMILY_LABELS[family],
                choices=choices,
                required=False,
                initial="",
                widget=forms.RadioSelect(attrs={"class": "utrecht-radio-button"}),
                error_messages={"invalid_choice": _("Kies uit de lijst; %(value)s kan hier niet.")},
            )

    def scope_fields(self) -> list[forms.BoundField]:
        return [self[_scope_field(family)] for family in ResourceFamily]

    def scopes(self) -> dict[str, str]:
        return {
            family.value: self.cleaned_data.get(_scope_field(family)) or ""
            for family in ResourceFamily
        }


def _scope_field(family: ResourceFamily) -> str:
    return f"scope_{family.value}"


class PasswordChangeForm(StyledForm):
    old_password = forms.CharField(
        label=_("Huidig wachtwoord"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Vul uw huidige wachtwoord in.")},
    )
    new_password = forms.CharField(
        label=_("Nieuw wachtwoord"),
        strip=False,
        help_text=_(
            "Minstens 12 tekens; geen bekend woord, plaats, maand, club of naam met alleen "
            "cijfers of tekens eromheen. Een zin van een paar woorden werkt goed."
        ),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": _("Vul een nieuw wachtwoord in.")},
    )
    repeated = forms.CharField(
        label=_("Nieuw wachtwoord nog een keer"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": _("Vul het nieuwe wachtwoord nog een keer in.")},
    )


class NewPasswordForm(PasswordChangeForm):
    """A new password through a reset link: no current password asked."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["old_password"]


class CodeForm(StyledForm):
    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        help_text=_("De zes cijfers uit uw authenticator-app, of een van uw herstelcodes."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "spellcheck": "false"}
        ),
        error_messages={"required": _("Vul de code in.")},
    )


class PasswordResetRequestForm(StyledForm):
    email = forms.EmailField(
        label=_("E-mailadres"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": _("Vul uw e-mailadres in."),
            "invalid": _("Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl."),
        },
    )


class OrganisationContactForm(StyledForm):
    address = forms.CharField(
        label=_("Adres"),
        required=False,
        max_length=300,
        help_text=_("Bezoek- of postadres, bijvoorbeeld: Stationsweg 1, 9700 AA Groningen."),
    )
    phone = forms.CharField(label=_("Telefoonnummer"), required=False, max_length=30)
    email = forms.CharField(
        label=_("E-mailadres"), required=False, max_length=254, widget=forms.EmailInput
    )
