"""The forms of the case page. Each takes the acting party and the case (choices depend on them);
the services do the real checks."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from inbeeld.accounts.models import Organisation, OrganisationType, User
from inbeeld.attendance.explanations import RULE_LABELS
from inbeeld.cases import selectors
from inbeeld.cases.causes import DESCRIPTION_LIMIT, Cause
from inbeeld.cases.disputes import DisputeBody, DisputeOutcome, DisputeParty, RulingFollowed
from inbeeld.cases.models import (
    ClosingReason,
    ConsentBasis,
    Intervention,
    Note,
    OpenedFrom,
    Outcome,
    Referral,
    Step,
)
from inbeeld.people.selectors import schools_visible_to

TEXT = {"class": "utrecht-textbox"}
AREA = {"class": "utrecht-textarea", "rows": 3}
SELECT = {"class": "utrecht-select"}
DATE = {"class": "utrecht-textbox", "type": "date"}


def _user(pk: int | None) -> User | None:
    """The user a choice names (the service checks what they may be chosen for)."""
    return User.objects.filter(pk=pk).first() if pk else None


def _line(label, max_length, required=True, help_text=""):
    """A line of text."""
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        help_text=help_text,
        widget=forms.TextInput(TEXT),
    )


def _area(label, required=True, max_length=None):
    """Text of some lines."""
    return forms.CharField(
        label=label, required=required, max_length=max_length, widget=forms.Textarea(AREA)
    )


def _choice(label, choices, help_text=""):
    """One of ``choices``, from a list."""
    return forms.ChoiceField(
        label=label, choices=choices, help_text=help_text, widget=forms.Select(SELECT)
    )


def _date(label, required=True, help_text=""):
    return forms.DateField(
        label=label, required=required, help_text=help_text, widget=forms.DateInput(DATE)
    )


class CaseForm(forms.Form):
    """Base: remembers actor and case, and which form it is (``what``)."""

    what = ""

    def __init__(self, *args, actor=None, case=None, **kwargs):
        kwargs.setdefault("auto_id", f"{self.what}-%s" if self.what else "id_%s")
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.case = case


class OpenCaseForm(CaseForm):
    what = "openen"
    opened_from = _choice(_("Waaruit komt de casus voort?"), OpenedFrom.choices)
    melding = forms.TypedChoiceField(
        label=_("Melding"),
        required=False,
        coerce=int,
        empty_value=None,
        widget=forms.Select(SELECT),
        help_text=_("Alleen bij een casus vanuit een verzuimmelding."),
    )
    source_reference = _line(
        _("Verwijzing naar de match of bevinding"),
        100,
        required=False,
        help_text=_("Bijvoorbeeld het nummer van de match. Geen inhoud van de zorg."),
    )

    def __init__(self, *args, student=None, **kwargs):
        super().__init__(*args, **kwargs)
        meldingen = selectors.melding_choices_for(student=student) if student else []
        self.fields["melding"].choices = [("", _("geen melding"))] + [
            (
                m.pk,
                _("%(rule)s, tot %(end)s (%(state)s)")
                % {
                    "rule": RULE_LABELS.get(m.rule, m.rule),
                    "end": f"{m.end_date:%d-%m-%Y}",
                    "state": m.get_state_display(),
                },
            )
            for m in meldingen
        ]


class TeamMemberForm(CaseForm):
    what = "team"
    membership = forms.TypedChoiceField(
        label=_("Professional"), coerce=int, widget=forms.Select(SELECT)
    )
    role_in_case = _line(
        _("Rol in de casus"), 100, help_text=_("Bijvoorbeeld: jeugdarts, mentor, gezinscoach.")
    )
    reason = _line(_("Waarom doet deze professional mee?"), 300)
    consent_basis = _choice(
        _("Grondslag"),
        ConsentBasis.choices,
        help_text=_("De toestemming of de wettelijke taak waarop het delen van gegevens rust."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.memberships = (
            {m.pk: m for m in selectors.candidate_memberships(actor=self.actor)}
            if self.actor
            else {}
        )
        self.fields["membership"].choices = [
            (
                pk,
                f"{m.user.get_full_name() or m.user.username} – {m.get_role_display()}, "
                f"{m.organisation.name}",
            )
            for pk, m in self.memberships.items()
        ]


class EndMemberForm(CaseForm):
    what = "team_einde"
    id = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**63 - 1)
    end_reason = _line(_("Reden"), 300, required=False)


def _team_owner_choices(case) -> list[tuple[str, str]]:
    choices: list[tuple[str, str]] = []
    seen: set[int] = set()
    for member in selectors.active_team(case):
        name = member.user.get_full_name() or member.user.username
        choices.append((f"user:{member.user_id}", f"{name} ({member.organisation.name})"))
        if member.organisation_id not in seen:
            seen.add(member.organisation_id)
            choices.append((f"org:{member.organisation_id}", member.organisation.name))
    return choices


class ActionForm(CaseForm):
    what = "actie"
    description = _line(_("Wat wordt er gedaan?"), 300)
    owner = forms.ChoiceField(label=_("Door wie"), widget=forms.Select(SELECT))
    due_date = _date(_("Uiterlijk op"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = _team_owner_choices(self.case) if self.case else []

    def owner_objects(self) -> tuple[Organisation | None, User | None]:
        kind, _sep, pk = self.cleaned_data["owner"].partition(":")
        if kind == "user":
            return None, User.objects.filter(pk=int(pk)).first()
        return Organisation.objects.filter(pk=int(pk)).first(), None


class RowForm(CaseForm):
    """A button on one row (mark done, started): only the row's id."""

    id = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**63 - 1)


class ActionDoneForm(RowForm):
    what = "actie_klaar"


class MeetingForm(CaseForm):
    what = "overleg"
    kind = _choice(_("Soort overleg"), Step.choices)
    held_on = _date(_("Datum"))
    attendees = forms.TypedMultipleChoiceField(
        label=_("Aanwezig uit het team"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "utrecht-checkbox"}),
    )
    other_attendees = _line(
        _("Andere aanwezigen"),
        500,
        required=False,
        help_text=_("Bijvoorbeeld: het kind, moeder, vader."),
    )
    child_view = _area(_("Wat zegt en wil het kind?"), required=False)
    parents_view = _area(_("Wat zeggen en willen de ouders?"), required=False)
    decisions = _area(_("Besluiten"), required=False)
    next_date = _date(_("Volgend overleg"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.case:
            self.fields["attendees"].choices = [
                (m.user_id, f"{m.user.get_full_name() or m.user.username} ({m.organisation.name})")
                for m in selectors.active_team(self.case)
            ]


class ReferralForm(CaseForm):
    what = "verwijzing"
    kind = _choice(_("Verwezen naar"), Referral.Kind.choices)
    provider = _line(_("Aanbieder"), 200, required=False)
    requested_on = _date(_("Aangevraagd op"))
    blocks_return = forms.BooleanField(
        label=_("Het wachten houdt de terugkeer naar school tegen"),
        required=False,
        initial=True,
        widget=forms.CheckboxInput(attrs={"class": "utrecht-checkbox"}),
    )


class ReferralStartedForm(RowForm):
    what = "verwijzing_gestart"
    on = _date(_("Gestart op"))


class InterventionForm(CaseForm):
    what = "interventie"
    kind = _choice(_("Voorziening"), Intervention.Kind.choices)
    start_date = _date(_("Vanaf"))
    end_date = _date(_("Tot en met"), required=False)
    description = _line(_("Toelichting"), 300, required=False)


class CauseForm(CaseForm):
    what = "oorzaak"
    cause = _choice(_("Oorzaak"), Cause.choices)
    description = _line(
        _("Omschrijving"),
        DESCRIPTION_LIMIT,
        required=False,
        help_text=_("Verplicht bij ‘anders’."),
    )
    noted_on = _date(_("Vastgesteld op"), required=False, help_text=_("Leeg: vandaag."))


class EndCauseForm(RowForm):
    what = "oorzaak_einde"


class EscalationForm(CaseForm):
    what = "opschalen"
    step = _choice(_("Naar"), Step.choices)
    reason = _area(_("Reden"))
    deciding_organisation = forms.TypedChoiceField(
        label=_("Wie beslist (doorzettingsmacht)"),
        coerce=int,
        widget=forms.Select(SELECT),
    )
    deciding_user = forms.TypedChoiceField(
        label=_("Persoon die beslist"),
        coerce=int,
        widget=forms.Select(SELECT),
        help_text=_(
            "Een persoon van de organisatie die beslist, met de bevoegdheid om te beslissen. "
            "Alleen deze organisatie legt het besluit vast, of iemand uit het casusteam namens "
            "deze persoon."
        ),
    )
    deadline = _date(_("Besluit uiterlijk op"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        per_organisation = selectors.decider_choices(actor=self.actor) if self.actor else []
        self.fields["deciding_organisation"].choices = [
            (o.pk, f"{o.name} ({o.get_type_display()})") for o, _users in per_organisation
        ]
        #: grouped per organisation (optgroups): the service checks that the two agree
        self.fields["deciding_user"].choices = [
            (o.name, [(u.pk, u.get_full_name() or u.username) for u in users])
            for o, users in per_organisation
            if users
        ]

    def decider(self) -> User | None:
        return _user(self.cleaned_data["deciding_user"])


class DecisionForm(RowForm):
    what = "besluit"
    decision = _area(_("Besluit"))


class DecisionOnBehalfForm(DecisionForm):
    """The decision recorded "namens" the decider by a member of the team: who decided, when."""

    what = "besluit_namens"
    on_behalf_of = forms.TypedChoiceField(label=_("Besluit van"), coerce=int)
    decided_on = _date(_("Datum van het besluit"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        step, raw = None, str(self.data.get("id", ""))
        if self.case is not None and raw.isdigit() and len(raw) < 19:
            step = selectors.escalation_of(case=self.case, pk=int(raw))
        users = selectors.deciders(step.deciding_organisation) if step is not None else []
        self.fields["on_behalf_of"].choices = [
            (u.pk, u.get_full_name() or u.username) for u in users
        ]

    def decider(self) -> User | None:
        return _user(self.cleaned_data["on_behalf_of"])


class OutcomeForm(CaseForm):
    what = "uitkomst"
    kind = _choice(_("Uitkomst"), Outcome.Kind.choices)
    returned_on = _date(_("Terug op school op"))
    school = forms.TypedChoiceField(
        label=_("School"), coerce=int, required=False, empty_value=None, widget=forms.Select(SELECT)
    )
    school_name = _line(
        _("Of: naam van de school"),
        200,
        required=False,
        help_text=_("Als de school niet in de lijst staat."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        schools = schools_visible_to(actor=self.actor).order_by("name") if self.actor else []
        self.fields["school"].choices = [("", _("kies een school"))] + [
            (s.pk, f"{s.name} ({s.brin})") for s in schools
        ]


class ReopenForm(CaseForm):
    what = "heropenen"
    reason = _line(_("Wat is er gebeurd?"), 300)


class CloseForm(CaseForm):
    """Closing asks the reason and an explicit confirmation (the service checks both)."""

    what = "afsluiten"
    reason = forms.ChoiceField(
        label=_("Waarom wordt de casus afgesloten?"),
        choices=ClosingReason.choices,
        required=False,
        widget=forms.RadioSelect(attrs={"class": "utrecht-radio-button"}),
    )
    reason_text = _line(
        _("Toelichting"), 300, required=False, help_text=_("Verplicht bij ‘anders’.")
    )
    confirmed = forms.BooleanField(
        label=_(
            "Ik sluit deze casus af; de teamleden worden uit het team gehaald (casus gesloten)."
        ),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "utrecht-checkbox"}),
    )


class ActionHandOverForm(RowForm):
    what = "actie_overdragen"
    to = _line(_("Overgedragen aan"), 200)


class DisputeForm(CaseForm):
    what = "geschil"
    subject = _line(_("Waarover gaat het geschil?"), 300)
    body = _choice(_("Waar ligt het geschil?"), DisputeBody.choices)
    applicant = _choice(_("Wie dient het in?"), DisputeParty.choices)
    respondent = _line(_("Tegen wie?"), 200, required=False)
    lodged_on = _date(_("Ingediend op"))


class HearingForm(RowForm):
    what = "zitting"
    hearing_on = _date(_("Datum zitting"))


class RulingForm(RowForm):
    what = "uitspraak"
    ruling = _area(_("Uitspraak"))
    outcome = _choice(_("Uitkomst"), DisputeOutcome.choices)
    ruled_on = _date(_("Datum uitspraak"))


class FollowUpForm(RowForm):
    what = "opvolging"
    followed = _choice(_("Is de uitspraak opgevolgd?"), RulingFollowed.choices)
    on = _date(_("Sinds"))


class NoteForm(CaseForm):
    what = "notitie"
    text = _area(_("Notitie"), max_length=4000)
    visibility = forms.ChoiceField(
        label=_("Wie mag de notitie lezen?"),
        choices=Note.Visibility.choices,
        widget=forms.RadioSelect(attrs={"class": "utrecht-radio-button"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.actor is None:
            return
        kind = self.actor.organisation.type
        if kind == OrganisationType.GGD:
            self.fields["visibility"].initial = Note.Visibility.OWN_ORGANISATION
            self.fields["text"].help_text = _(
                "Medische gegevens blijven bij de GGD: kies dan ‘alleen mijn organisatie’. "
                "Deel met het team alleen het advies."
            )
        else:
            self.fields["visibility"].initial = Note.Visibility.TEAM
            self.fields["text"].help_text = _(
                "Leg geen details over ziekte of gezondheid vast: die horen bij de jeugdarts. "
                "Noteer alleen wat het team voor de aanpak nodig heeft."
            )
