"""Cases (issue 4 §2, §3, §6): one case per child, a lead, a team, a plan, meetings, referrals,
interventions, the escalation ladder with its decider, the outcome, disputes and notes.

History is appended: an action is marked done (never deleted), a membership is ended, a relapse
is a row of its own, and every change of state is a ``StateChange``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from inbeeld.cases.causes import DESCRIPTION_LIMIT, Cause
from inbeeld.cases.disputes import DisputeBody, DisputeOutcome, DisputeParty, RulingFollowed
from inbeeld.cases.workflow import OPEN_STATES, CaseState
from inbeeld.rules.escalation import BOVENSCHOOLS_TEAM, DOORBRAAKOVERLEG, SCHOOL_TEAM


def _optional_fk(to: str = settings.AUTH_USER_MODEL, on_delete=models.PROTECT) -> models.ForeignKey:
    """An optional reference with no way back (``related_name="+"``): by default the user who did
    something, kept while the row is."""
    return models.ForeignKey(to, null=True, blank=True, on_delete=on_delete, related_name="+")


def _part_of_case(related_name: str) -> models.ForeignKey:
    """The case a row belongs to (and goes with)."""
    return models.ForeignKey("Case", on_delete=models.CASCADE, related_name=related_name)


class Step(models.TextChoices):
    """The escalation ladder of ``rules.escalation`` (and the kinds of meeting)."""

    SCHOOL_TEAM = SCHOOL_TEAM, _("schoolteam")
    BOVENSCHOOLS_TEAM = BOVENSCHOOLS_TEAM, _("bovenschools team")
    DOORBRAAKOVERLEG = DOORBRAAKOVERLEG, _("doorbraakoverleg")


class OpenedFrom(models.TextChoices):
    MELDING = "melding", _("verzuimmelding")
    FINDING = "bevinding", _("bevinding (thuiszitter)")
    MATCH = "match", _("match op een zorg")
    OTHER = "anders", _("anders")


class ConsentBasis(models.TextChoices):
    PARENTS = "toestemming_ouders", _("toestemming van de ouders")
    YOUTH = "toestemming_jongere", _("toestemming van de jongere (16 jaar of ouder)")
    LEERPLICHT = "wettelijke_taak_leerplicht", _("wettelijke taak (Leerplichtwet)")
    ZORGPLICHT = "zorgplicht", _("zorgplicht en passend onderwijs (WVO/WPO)")
    JEUGDWET = "jeugdwet", _("Jeugdwet (wijkteam, jeugdhulp)")
    PUBLIC_HEALTH = "wpg", _("Wet publieke gezondheid (GGD)")


class ClosingReason(models.TextChoices):
    """Why a case is closed (asked, with an explicit confirmation, when it is closed)."""

    BACK_AT_SCHOOL = "terug_op_school", _("terug op school")
    MOVED = "verhuisd_uitgeschreven", _("verhuisd of uitgeschreven")
    EXEMPTION = "vrijstelling", _("vrijstelling van de leerplicht")
    TRANSFERRED = "overgedragen_gemeente", _("overgedragen aan een andere gemeente")
    DUTY_ENDED = "leerplicht_geeindigd", _("18 jaar of leerplicht geëindigd")
    OTHER = "anders", _("anders (met toelichting)")


class Case(models.Model):
    student = models.ForeignKey("people.Student", on_delete=models.PROTECT, related_name="cases")
    #: the organisation that coordinates (casusregie)
    lead_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="led_cases"
    )
    state = models.CharField(max_length=16, choices=CaseState.choices, default=CaseState.OPENED)
    opened_on = models.DateField()
    opened_by = _optional_fk()
    opened_from = models.CharField(max_length=12, choices=OpenedFrom.choices)
    source_melding = _optional_fk("attendance.Melding", on_delete=models.SET_NULL)
    #: the match of two concerns it was opened from (the concerns app; kept when they expire)
    source_match = _optional_fk("concerns.Match", on_delete=models.SET_NULL)
    #: what else it was opened from, as a reference without content
    source_reference = models.CharField(max_length=100, blank=True)
    #: the current step on the escalation ladder ("" before the school team)
    escalation_step = models.CharField(max_length=20, choices=Step.choices, blank=True)
    relapse_count = models.PositiveIntegerField(default=0)
    closed_on = models.DateField(null=True, blank=True)
    #: why it was closed (empty while open; each closing also keeps it in its StateChange)
    closing_reason = models.CharField(max_length=24, choices=ClosingReason.choices, blank=True)
    #: the explanation with "anders"
    closing_reason_text = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opened_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["student"],
                condition=models.Q(state__in=OPEN_STATES),
                name="case_one_open_per_student",
            )
        ]

    def __str__(self) -> str:
        return f"casus {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


class StateChange(models.Model):
    case = _part_of_case("state_changes")
    from_state = models.CharField(max_length=16, blank=True)
    to_state = models.CharField(max_length=16)
    on = models.DateField()
    step = models.CharField(max_length=100)
    #: why (the closing reason, with its explanation), when the step asks one
    reason = models.CharField(max_length=300, blank=True)
    user = _optional_fk()
    organisation = _optional_fk("accounts.Organisation")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["on", "id"]


class TeamMember(models.Model):
    """A named professional in the case team, with why and on which basis they take part."""

    case = _part_of_case("team")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    role_in_case = models.CharField(max_length=100)
    reason = models.CharField(max_length=300)
    consent_basis = models.CharField(max_length=32, choices=ConsentBasis.choices)
    added_on = models.DateField()
    added_by = _optional_fk()
    ended_on = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["added_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "user", "organisation"],
                condition=models.Q(ended_on__isnull=True),
                name="team_member_active_unique",
            )
        ]


class Action(models.Model):
    """An agreed action of the plan: who, what, by when, done or not."""

    case = _part_of_case("actions")
    description = models.CharField(max_length=300)
    owner_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    owner_user = _optional_fk()
    agreed_on = models.DateField()
    due_date = models.DateField()
    done_on = models.DateField(null=True, blank=True)
    created_by = _optional_fk()
    done_by = _optional_fk()
    #: handed over (to an organisation or person outside the case, e.g. when it is closed)
    handed_over_on = models.DateField(null=True, blank=True)
    handed_over_to = models.CharField(max_length=200, blank=True)
    handed_over_by = _optional_fk()

    class Meta:
        ordering = ["due_date", "id"]

    @property
    def is_open(self) -> bool:
        """Neither done nor handed over."""
        return self.done_on is None and self.handed_over_on is None


class Meeting(models.Model):
    case = _part_of_case("meetings")
    kind = models.CharField(max_length=20, choices=Step.choices)
    held_on = models.DateField()
    attendees = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+", blank=True)
    other_attendees = models.CharField(max_length=500, blank=True)
    child_view = models.TextField(blank=True)
    parents_view = models.TextField(blank=True)
    decisions = models.TextField(blank=True)
    next_date = models.DateField(null=True, blank=True)
    recorded_by = _optional_fk()
    organisation = _optional_fk("accounts.Organisation")

    class Meta:
        ordering = ["held_on", "id"]


class Referral(models.Model):
    class Kind(models.TextChoices):
        WIJKTEAM = "wijkteam", _("wijkteam")
        JEUGDHULP = "jeugdhulp", _("jeugdhulp")
        JEUGD_GGZ = "jeugd_ggz", _("jeugd-ggz")
        SPECIAL_EDUCATION = "speciaal_onderwijs", _("plek in het speciaal onderwijs")

    case = _part_of_case("referrals")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    provider = models.CharField(max_length=200, blank=True)
    requested_on = models.DateField()
    started_on = models.DateField(null=True, blank=True)
    #: the wait keeps the child from going back to school
    blocks_return = models.BooleanField(default=True)
    created_by = _optional_fk()

    class Meta:
        ordering = ["requested_on", "id"]


class Intervention(models.Model):
    class Kind(models.TextChoices):
        TRANSPORT = "leerlingenvervoer", _("leerlingenvervoer")
        DIGITAL = "digitaal_onderwijs", _("digitaal onderwijs")
        PART_TIME = "aangepast_rooster", _("aangepast (deeltijd)rooster")
        EDUCATION_CARE = "onderwijszorgarrangement", _("onderwijszorgarrangement")

    case = _part_of_case("interventions")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    description = models.CharField(max_length=300, blank=True)
    created_by = _optional_fk()

    class Meta:
        ordering = ["start_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="intervention_end_after_start",
            )
        ]


class EscalationStep(models.Model):
    """A step up the ladder, with the organisation that decides (doorzettingsmacht) and the person
    there who decides (``deciding_user``, named when the step is taken).

    The decision is recorded by the deciding organisation (``decided_by``), or by a member of the
    case team "namens" the decider: then ``decided_by`` typed it and ``decided_on_behalf_of`` is
    who decided (on ``decided_on``).
    """

    case = _part_of_case("escalations")
    step = models.CharField(max_length=20, choices=Step.choices)
    on = models.DateField()
    reason = models.TextField()
    deciding_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    #: the person of the deciding organisation who decides (empty on steps taken before)
    deciding_user = _optional_fk()
    deadline = models.DateField()
    #: the reasons the application itself gave, when the step followed its proposal
    proposed_reasons = models.JSONField(default=list, blank=True)
    decision = models.TextField(blank=True)
    decided_on = models.DateField(null=True, blank=True)
    created_by = _optional_fk()
    decided_by = _optional_fk()
    #: who decided, when the decision was recorded "namens" them by ``decided_by``
    decided_on_behalf_of = _optional_fk()

    class Meta:
        ordering = ["on", "id"]

    @property
    def decider(self):
        """Who decided: the decider it was recorded for, else who recorded it."""
        return self.decided_on_behalf_of or self.decided_by


class Outcome(models.Model):
    """Back to school, fully or partly, on a date, at a school."""

    class Kind(models.TextChoices):
        FULL = "volledig", _("volledig terug op school")
        PARTIAL = "gedeeltelijk", _("gedeeltelijk terug op school")

    case = _part_of_case("outcomes")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    returned_on = models.DateField()
    school = _optional_fk("people.School")
    school_name = models.CharField(max_length=200, blank=True)
    recorded_by = _optional_fk()

    class Meta:
        ordering = ["returned_on", "id"]


class Relapse(models.Model):
    """A relapse within twelve months of the return: the case was reopened (and it counts)."""

    case = _part_of_case("relapses")
    on = models.DateField()
    after_return_on = models.DateField()
    reason = models.CharField(max_length=300)
    recorded_by = _optional_fk()

    class Meta:
        ordering = ["on", "id"]


class Dispute(models.Model):
    """A dispute (issue 11 §7): who brings it against whom, where (the body), its dates
    (submitted, hearing, ruling), the ruling with its outcome, and whether it was followed.
    Its steps are in ``cases.disputes``; each one is a ``DisputeChange`` too."""

    case = _part_of_case("disputes")
    body = models.CharField(
        max_length=24, choices=DisputeBody.choices, default=DisputeBody.GESCHILLENCOMMISSIE
    )
    #: who brings it
    applicant = models.CharField(max_length=24, choices=DisputeParty.choices, blank=True)
    #: against whom (named: the schoolbestuur, the gemeente, …)
    respondent = models.CharField(max_length=200, blank=True)
    lodged_on = models.DateField()
    subject = models.CharField(max_length=300)
    hearing_on = models.DateField(null=True, blank=True)
    ruling = models.TextField(blank=True)
    outcome = models.CharField(max_length=16, choices=DisputeOutcome.choices, blank=True)
    ruled_on = models.DateField(null=True, blank=True)
    #: was the ruling followed (empty until recorded), and since when
    followed = models.CharField(max_length=8, choices=RulingFollowed.choices, blank=True)
    followed_on = models.DateField(null=True, blank=True)
    created_by = _optional_fk()

    class Meta:
        ordering = ["lodged_on", "id"]


class DisputeChange(models.Model):
    """One step of a dispute (submitted, hearing, ruling, follow-up): when, who, what."""

    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="changes")
    step = models.CharField(max_length=16)
    on = models.DateField()
    summary = models.CharField(max_length=300)
    user = _optional_fk()
    organisation = _optional_fk("accounts.Organisation")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["on", "id"]


class Note(models.Model):
    class Visibility(models.TextChoices):
        TEAM = "team", _("het hele casusteam")
        OWN_ORGANISATION = "eigen_organisatie", _("alleen mijn organisatie")

    case = _part_of_case("notes")
    text = models.TextField()
    author = _optional_fk()
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    visibility = models.CharField(max_length=20, choices=Visibility.choices)
    written_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["written_on", "id"]


class CaseCause(models.Model):
    """A cause of the child's thuiszitten (issue 12 §6, ``causes.Cause``), recorded on the case;
    more than one per case. History is appended: a cause that no longer applies is ended (the date
    and why, set once) and stays; a cause that applies again is recorded anew."""

    case = _part_of_case("causes")
    cause = models.CharField(max_length=32, choices=Cause.choices)
    #: what it is (required with "anders"), or a remark
    description = models.CharField(max_length=DESCRIPTION_LIMIT, blank=True)
    noted_on = models.DateField()
    noted_by = _optional_fk()
    noted_by_organisation = _optional_fk("accounts.Organisation")
    ended_on = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=300, blank=True)
    ended_by = _optional_fk()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["noted_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "cause"],
                condition=models.Q(ended_on__isnull=True) & ~models.Q(cause="anders"),
                name="case_cause_open_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True)
                | models.Q(ended_on__gte=models.F("noted_on")),
                name="case_cause_end_after_noted",
            ),
        ]
        indexes = [models.Index(fields=["cause", "ended_on"], name="case_cause_cause_end")]

    def __str__(self) -> str:
        return f"oorzaak {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.ended_on is None

    @property
    def student_id(self) -> int:
        """The child (the case's), for the read audit."""
        return self.case.student_id
