"""What the screens' forms share: the date input, the server-checked form, a decision to grant or
refuse, a service's refusal shown on the form, and the page of a refused form (400). Django only: no app of inbeeld below ``ui``."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _


class DateInput(forms.DateInput):
    """The browser's date picker, as an NL Design System text box, in ISO format."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs={"class": "utrecht-textbox", **(attrs or {})}, format="%Y-%m-%d")


class ServerCheckedForm(forms.Form):
    #: no ``required`` in the HTML: the NL Design System styles an empty required radio group or
    #: textarea as invalid (``:invalid``) before anything was sent; the server checks (novalidate)
    use_required_attribute = False


#: the values of :class:`DecisionForm`'s ``decision``
GRANT, REFUSE = "toekennen", "afwijzen"


class DecisionForm(ServerCheckedForm):
    """Grant or refuse a request; refusing needs the reason."""

    decision = forms.ChoiceField(
        label=_("Besluit"),
        choices=[(GRANT, _("Toekennen")), (REFUSE, _("Afwijzen"))],
        widget=forms.RadioSelect(attrs={"class": "utrecht-radio-button"}),
        error_messages={"required": _("Kies toekennen of afwijzen.")},
    )
    note = forms.CharField(
        label=_("Toelichting"),
        required=False,
        max_length=2000,
        help_text=_("Verplicht bij afwijzen: de reden."),
        widget=forms.Textarea(attrs={"class": "utrecht-textarea", "rows": 3}),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "afwijzen" and not (data.get("note") or "").strip():
            self.add_error("note", _("Geef de reden van de afwijzing."))
        return data

    def offer(self, *, grant: bool, refuse: bool) -> DecisionForm:
        """Show only the decisions the request's workflow allows now (the service checks what is
        sent: a decision that is no longer allowed comes back with its reason)."""
        field = self.fields["decision"]
        field.choices = [
            (value, label)
            for value, label in field.choices
            if (value == GRANT and grant) or (value == REFUSE and refuse)
        ]
        return self


def errors_to_form(form: forms.Form, error: ValidationError) -> None:
    """A service's ValidationError on the form: at its field when the form has it, else on top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def form_page(
    request: HttpRequest, template: str, context: dict, *, refused: object
) -> HttpResponse:
    """A page with a form: 400 Bad Request when what was sent was refused (``refused``: the
    form's errors, or the view's own), else 200."""
    return render(request, template, context, status=400 if refused else 200)
