"""Absences, imports, detection runs and what detection finds (issue 3 §3, §4)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from inbeeld.people.models import Reason
from inbeeld.rules.absence import REPORT_LANGDURIG_ZIEK


class ImportBatch(models.Model):
    """One import of the exchange format (a directory or a zip), all or nothing."""

    class State(models.TextChoices):
        RUNNING = "running", _("bezig")
        DONE = "done", _("ingelezen")
        REFUSED = "refused", _("geweigerd")

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    source_name = models.CharField(max_length=255)
    state = models.CharField(max_length=10, choices=State.choices, default=State.RUNNING)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    #: rows per file: {"absences.csv": {"read": n, "created": n, "updated": n, "unchanged": n}}
    counts = models.JSONField(default=dict, blank=True)
    #: the problems that refused it: [{"file", "line", "column", "message"}]
    problems = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]


class AbsenceRecord(models.Model):
    """A row of absences.csv, or one sent by a school administration system over the API.

    Identity: (student, start_date, reason). Importing the same row again changes nothing; a row
    with the same identity and another end date or hours is a correction and replaces it. API
    clients may also send their own ``client_id`` (idempotent per organisation).
    """

    student = models.ForeignKey("people.Student", on_delete=models.CASCADE, related_name="absences")
    start_date = models.DateField()
    end_date = models.DateField()
    reason = models.CharField(max_length=12, choices=Reason.choices)
    hours_per_day = models.DecimalField(max_digits=4, decimal_places=2, null=True, blank=True)
    organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    client_id = models.CharField(max_length=100, null=True, blank=True)
    batch = models.ForeignKey(
        ImportBatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["student", "start_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["student", "start_date", "reason"], name="absence_natural_key"
            ),
            models.UniqueConstraint(
                fields=["organisation", "client_id"],
                condition=models.Q(client_id__isnull=False),
                name="absence_client_id_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="absence_end_after_start",
            ),
        ]


class DetectionRun(models.Model):
    """One run of the rules engine over the database (``inbeeld detect`` or "run now")."""

    on_date = models.DateField()
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    triggered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    #: {"students": n, "meldingen_new": n, "statuses_changed": n, ...}
    counts = models.JSONField(default=dict, blank=True)
    #: the version of the rules the run followed (``detection.RULES_VERSION``); None: a run from
    #: before versions were stored, which followed v1 (RULES.md §1–§6)
    rules_version = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]


class StudentStatus(models.Model):
    """The status of RULES.md §5 of one child as of the latest detection run (one row per child)."""

    student = models.OneToOneField(
        "people.Student", on_delete=models.CASCADE, related_name="status"
    )
    run = models.ForeignKey(DetectionRun, on_delete=models.PROTECT, related_name="+")
    on_date = models.DateField()
    duty = models.CharField(max_length=20)
    leerplicht_start = models.DateField()
    leerplicht_end = models.DateField()
    kwalificatieplicht_end = models.DateField(null=True, blank=True)
    category = models.CharField(max_length=32, blank=True, db_index=True)
    since = models.DateField(null=True, blank=True)
    over_3_months = models.BooleanField(default=False)
    #: school days and weeks at home up to on_date (thuiszitters only)
    school_days_at_home = models.PositiveIntegerField(null=True, blank=True)
    explanation = models.TextField(blank=True)


class MeldingState(models.TextChoices):
    """Handling of a melding (Besluit verzuimmelding; DUO Verzuimregister)."""

    OPEN = "open", _("nieuw")
    IN_BEHANDELING = "in_behandeling", _("in behandeling")
    AFGESLOTEN = "afgesloten", _("afgesloten")
    TER_KENNISNEMING = "ter_kennisneming", _("ter kennisneming aangenomen")
    #: withdrawn by the school that reported it (DUO: "ingetrokken"), with its reason
    INGETROKKEN = "ingetrokken", _("ingetrokken door de school")


class ClosingReason(models.TextChoices):
    TERUG_NAAR_SCHOOL = "terug_naar_school", _("terug naar school")
    INSCHRIJVING_BEEINDIGD = "inschrijving_beeindigd", _("inschrijving beëindigd")
    VRIJSTELLING = "vrijstelling", _("vrijstelling verleend")
    HULPVERLENING = "hulpverlening", _("doorverwezen naar hulpverlening")
    PROCES_VERBAAL = "proces_verbaal", _("proces-verbaal opgemaakt")
    HALT = "halt", _("verwezen naar Halt")
    GEEN_VERZUIM = "geen_verzuim", _("geen sprake van verzuim")
    OVERIG = "overig", _("overig")
    #: the system's own: a melding of an earlier school year found by the very first detection
    #: run, handled in the package used before Inbeeld (never chosen by a user)
    VOOR_INBEELD = "voor_inbeeld", _("afgehandeld vóór Inbeeld")
    #: the system's own: a melding of an earlier school year that only the first detection run
    #: under new rules found (RULES.md §7), filed for information (never chosen by a user)
    VOOR_REGELWIJZIGING = "voor_regelwijziging", _("eerder schooljaar, gevonden na regelwijziging")


#: the closing reasons a user may choose
SYSTEM_CLOSING_REASONS = (ClosingReason.VOOR_INBEELD, ClosingReason.VOOR_REGELWIJZIGING)
USER_CLOSING_REASONS = [
    (v, label) for v, label in ClosingReason.choices if v not in SYSTEM_CLOSING_REASONS
]


#: the states of a melding still open (nobody closed, acknowledged or withdrew it)
OPEN_STATES = (MeldingState.OPEN, MeldingState.IN_BEHANDELING)
#: issue 12 §2: the reports that are no verzuimmelding but for information (ter kennisneming:
#: langdurig ziek, to the samenwerkingsverband). Whoever has one in the worklist takes note of it;
#: nobody handles it, so it never counts as a melding awaiting handling.
REPORT_RULES = frozenset({REPORT_LANGDURIG_ZIEK})


class MeldingQuerySet(models.QuerySet):
    """The one definition of the meldingen that await handling, for every place that counts or
    lists them as such (the monitor's open meldingen, Vandaag's to-do, the caseload, the care
    signal "melding niet in behandeling" and its backtest). A worklist that shows the reports to
    read uses the plain queryset."""

    def verzuimmeldingen(self) -> MeldingQuerySet:
        """Without the reports for information (:data:`REPORT_RULES`), in any state."""
        return self.exclude(rule__in=REPORT_RULES)

    def awaiting_handling(self) -> MeldingQuerySet:
        """The verzuimmeldingen still open: nieuw or in behandeling."""
        return self.verzuimmeldingen().filter(state__in=OPEN_STATES)


class Melding(models.Model):
    """A melding of RULES.md §4 found by detection, with its explanation and its handling."""

    objects = MeldingQuerySet.as_manager()

    student = models.ForeignKey(
        "people.Student", on_delete=models.CASCADE, related_name="meldingen"
    )
    rule = models.CharField(max_length=16)
    start_date = models.DateField()
    end_date = models.DateField()
    hours = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    school = models.ForeignKey(
        "people.School", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    explanation = models.TextField(blank=True)
    first_run = models.ForeignKey(DetectionRun, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=20, choices=MeldingState.choices, default=MeldingState.OPEN)
    closing_reason = models.CharField(max_length=32, choices=ClosingReason.choices, blank=True)
    #: the organisations in whose worklist it appears (issue 3 §4)
    organisations = models.ManyToManyField("accounts.Organisation", related_name="+", blank=True)
    #: the leerplichtambtenaar who handles it (issue 11 §2); every change is a MeldingEvent
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-end_date", "student"]
        constraints = [
            models.UniqueConstraint(
                fields=["student", "rule", "start_date", "end_date"], name="melding_natural_key"
            )
        ]
        indexes = [
            models.Index(fields=["state", "-end_date"]),
            # the worklist's order: a page of the newest without sorting every melding
            models.Index(fields=["-end_date", "-id"], name="melding_newest_first"),
            # the caseload: open meldingen per person
            models.Index(fields=["assignee", "state"], name="melding_assignee_state"),
            # "Vandaag": the oldest new meldingen first, without sorting all of the team's
            models.Index(fields=["state", "created_at", "id"], name="melding_state_arrived"),
        ]


class MeldingEventKind(models.TextChoices):
    STATE = "state", _("status")
    ASSIGNMENT = "assignment", _("toewijzing")


class MeldingEvent(models.Model):
    """The handling history of a melding: appended, never edited.

    ``kind`` "state": a move to ``state``; "assignment": the melding (in ``state``) assigned to
    ``assignee``, or no longer assigned to anyone (``assignee`` empty).
    """

    melding = models.ForeignKey(Melding, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(
        max_length=12, choices=MeldingEventKind.choices, default=MeldingEventKind.STATE
    )
    state = models.CharField(max_length=20, choices=MeldingState.choices)
    closing_reason = models.CharField(max_length=32, choices=ClosingReason.choices, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]
