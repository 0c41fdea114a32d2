"""The forms of the school-team screens; the services do the real checks (scope, membership)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from inbeeld.cases.causes import DESCRIPTION_LIMIT, Cause
from inbeeld.cases.models import Note
from inbeeld.prevention.models import ConsentToShare
from inbeeld.ui.forms import DateInput, ServerCheckedForm

TEXT = {"class": "utrecht-textbox"}
AREA = {"class": "utrecht-textarea", "rows": 3}
SELECT = {"class": "utrecht-select"}


class _Form(ServerCheckedForm):
    #: the part of the URL the form posts to
    what = ""

    def __init__(self, *args, prefix_id: str = "", **kwargs):
        kwargs.setdefault("auto_id", f"{prefix_id or self.what}-%s")
        super().__init__(*args, **kwargs)


class TeamForm(_Form):
    what = "team"
    school = forms.TypedChoiceField(label=_("School"), coerce=int, widget=forms.Select(SELECT))
    name = forms.CharField(
        label=_("Naam van het team"), max_length=200, required=False, widget=forms.TextInput(TEXT)
    )
    location = forms.CharField(
        label=_("Locatie (vestiging)"),
        max_length=100,
        required=False,
        help_text=_("Alleen als het team één locatie van de school bedient."),
        widget=forms.TextInput(TEXT),
    )

    def __init__(self, *args, schools=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].choices = [(s.pk, str(s)) for s in schools]


class MemberForm(_Form):
    what = "lid"
    organisation = forms.TypedChoiceField(
        label=_("Organisatie"), coerce=int, widget=forms.Select(SELECT)
    )
    username = forms.CharField(
        label=_("Persoon (gebruikersnaam)"),
        max_length=150,
        required=False,
        widget=forms.TextInput(TEXT),
    )
    role_in_team = forms.CharField(
        label=_("Rol in het team"),
        max_length=100,
        required=False,
        widget=forms.TextInput(TEXT),
    )

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [
            (o.pk, f"{o.name} ({o.get_type_display()})") for o in organisations
        ]


class MeetingForm(_Form):
    what = "overleg"
    held_on = forms.DateField(label=_("Datum van het overleg"), widget=DateInput())
    subject = forms.CharField(
        label=_("Onderwerp"), max_length=300, required=False, widget=forms.TextInput(TEXT)
    )


class EntryForm(_Form):
    what = "kind"
    student_number = forms.CharField(
        label=_("Leerlingnummer"),
        max_length=64,
        help_text=_("Het leerlingnummer van een leerling van deze school."),
        widget=forms.TextInput(TEXT),
    )
    reason = forms.CharField(
        label=_("Waarom op de lijst?"), max_length=300, widget=forms.TextInput(TEXT)
    )


class ReasonForm(_Form):
    what = "reden"
    reason = forms.CharField(
        label=_("Toelichting"), max_length=300, required=False, widget=forms.TextInput(TEXT)
    )


class EndForm(_Form):
    what = "van-de-lijst"
    end_reason = forms.CharField(
        label=_("Waarom gaat het kind van de lijst?"),
        max_length=300,
        widget=forms.TextInput(TEXT),
    )


class DiscussionForm(_Form):
    what = "bespreking"
    discussed_on = forms.DateField(label=_("Besproken op"), widget=DateInput())
    meeting = forms.TypedChoiceField(
        label=_("In het overleg van"),
        coerce=int,
        required=False,
        empty_value=None,
        widget=forms.Select(SELECT),
    )
    minutes = forms.CharField(
        label=_("Verslag"), max_length=4000, required=False, widget=forms.Textarea(AREA)
    )
    child_view = forms.CharField(
        label=_("Wat zegt het kind?"), max_length=4000, required=False, widget=forms.Textarea(AREA)
    )
    parents_view = forms.CharField(
        label=_("Wat zeggen de ouders?"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(AREA),
    )
    consent = forms.ChoiceField(
        label=_("Toestemming om te delen"),
        choices=ConsentToShare.choices,
        initial=ConsentToShare.NOT_ASKED,
        widget=forms.Select(SELECT),
    )
    visibility = forms.ChoiceField(
        label=_("Wie mag het verslag lezen?"),
        choices=Note.Visibility.choices,
        widget=forms.Select(SELECT),
    )
    causes = forms.MultipleChoiceField(
        label=_("Oorzaken"),
        choices=Cause.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    cause_other = forms.CharField(
        label=_("Omschrijving bij ‘anders’"),
        max_length=DESCRIPTION_LIMIT,
        required=False,
        widget=forms.TextInput(TEXT),
    )
    next_review = forms.DateField(
        label=_("Volgende bespreking"), required=False, widget=DateInput()
    )
    step = forms.CharField(
        label=_("Afgesproken stap"), max_length=300, required=False, widget=forms.TextInput(TEXT)
    )
    step_organisation = forms.TypedChoiceField(
        label=_("Wie zet de stap?"),
        coerce=int,
        required=False,
        empty_value=None,
        widget=forms.Select(SELECT),
    )
    step_due = forms.DateField(label=_("Stap klaar op"), required=False, widget=DateInput())

    def __init__(self, *args, meetings=(), organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].choices = [("", _("geen overleg (tussendoor)"))] + [
            (m.pk, f"{m.held_on:%d-%m-%Y} {m.subject}".strip()) for m in meetings
        ]
        self.fields["step_organisation"].choices = [("", "–")] + [
            (o.pk, o.name) for o in organisations
        ]


class StepForm(_Form):
    what = "stap"
    description = forms.CharField(
        label=_("Afgesproken stap"), max_length=300, widget=forms.TextInput(TEXT)
    )
    organisation = forms.TypedChoiceField(
        label=_("Wie zet de stap?"), coerce=int, widget=forms.Select(SELECT)
    )
    due_date = forms.DateField(label=_("Klaar op"), required=False, widget=DateInput())

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [(o.pk, o.name) for o in organisations]
