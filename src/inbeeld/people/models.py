"""The registry (issue 3 §2): schools, students, enrolments, exemptions, a school's own free days.

Field names follow the exchange format v1 (RULES.md §6) so imports and the rules adapter map one
to one. Students carry the external ``student_id`` of the exchange format as ``external_id``.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from inbeeld.people import exemption_terms, labels
from inbeeld.rules.identifiers import is_valid_brin, is_valid_bsn, is_valid_onderwijsnummer
from inbeeld.rules.legal import article_citation
from inbeeld.rules.model import ARTICLES, REASONS, SECTORS, VERVANGENDE_LEERPLICHT_ARTICLES


def validate_brin(value: str) -> None:
    if not is_valid_brin(value):
        raise ValidationError(
            _("%(value)s is geen geldige BRIN (zoals 12AB of 12AB01)"), params={"value": value}
        )


def validate_bsn(value: str) -> None:
    if not is_valid_bsn(value):
        raise ValidationError(_("%(value)s is geen geldig BSN (11-proef)"), params={"value": value})


def validate_onderwijsnummer(value: str) -> None:
    if not is_valid_onderwijsnummer(value):
        raise ValidationError(
            _("%(value)s is geen geldig onderwijsnummer"), params={"value": value}
        )


Sector = models.TextChoices("Sector", [(s, s) for s in SECTORS])
Region = models.TextChoices("Region", [("noord", "noord"), ("midden", "midden"), ("zuid", "zuid")])
Article = models.TextChoices("Article", [(a, a) for a in ARTICLES])
Reason = models.TextChoices("Reason", [(r, r) for r in REASONS])


class School(models.Model):
    brin = models.CharField(max_length=6, unique=True, validators=[validate_brin])
    name = models.CharField(max_length=200)
    sector = models.CharField(max_length=3, choices=Sector.choices)
    region = models.CharField(max_length=6, choices=Region.choices)
    municipality_code = models.CharField(max_length=6)
    hours_per_day = models.DecimalField(max_digits=4, decimal_places=2, null=True, blank=True)
    #: the samenwerkingsverband the school is a member of
    partnership = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="member_schools",
    )
    #: the organisation whose people work at this school (type school)
    organisation = models.OneToOneField(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="school",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.brin})"


class Student(models.Model):
    external_id = models.CharField(max_length=64, unique=True)
    bsn = models.CharField(
        max_length=9, null=True, blank=True, unique=True, validators=[validate_bsn]
    )
    onderwijsnummer = models.CharField(
        max_length=9, null=True, blank=True, unique=True, validators=[validate_onderwijsnummer]
    )
    given_names = models.CharField(max_length=200, blank=True)
    family_name = models.CharField(max_length=200, blank=True)
    birth_date = models.DateField()
    municipality_code = models.CharField(max_length=6, db_index=True)
    region = models.CharField(max_length=6, choices=Region.choices, blank=True)
    postcode = models.CharField(max_length=6, blank=True)
    startkwalificatie_date = models.DateField(null=True, blank=True)
    kwalificatieplicht_exempt = models.BooleanField(default=False)

    class Meta:
        ordering = ["family_name", "given_names"]

    def __str__(self) -> str:
        return self.full_name or self.external_id

    @property
    def full_name(self) -> str:
        return f"{self.given_names} {self.family_name}".strip()


class Enrolment(models.Model):
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="enrolments")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="enrolments")
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    #: RULES.md §7: the child's own timetable (e.g. a part-time return to school); replaces the
    #: school's hours of a day for this enrolment. Empty: the school's hours.
    hours_per_day = models.DecimalField(max_digits=4, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["student", "start_date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["student", "school", "start_date"], name="enrolment_natural_key"
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="enrolment_end_after_start",
            ),
        ]
        indexes = [models.Index(fields=["school", "start_date"])]

    @property
    def hours_per_day_text(self) -> str:
        """The own timetable as a person writes it ("2,5"); empty: the school's hours."""
        if self.hours_per_day is None:
            return ""
        text = f"{Decimal(self.hours_per_day):f}"
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        return text.replace(".", ",")


class Exemption(models.Model):
    """A vrijstelling (LPW art. 5, 5a, 15) or a vervangende leerplicht (art. 3a/3b, RULES.md §7:
    kept and counted apart, never an exemption)."""

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="exemptions")
    article = models.CharField(max_length=12, choices=Article.choices)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    #: RULES.md §7: art. 5 onder a "nooit geschikt": does not lapse on 31 July.
    permanent = models.BooleanField(default=False)

    @property
    def article_citation(self) -> str:
        """How the law is cited: the code ``5a`` is "artikel 5, onder a" (rules.legal)."""
        return article_citation(self.article)

    class Meta:
        ordering = ["student", "start_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["student", "article", "start_date"], name="exemption_natural_key"
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="exemption_end_after_start",
            ),
        ]

    @property
    def is_vervangende_leerplicht(self) -> bool:
        """Art. 3a/3b: vervangende leerplicht, not a vrijstelling (RULES.md §7)."""
        return self.article in VERVANGENDE_LEERPLICHT_ARTICLES

    @property
    def article_label(self) -> str:
        return labels.article_label(self.article)

    @property
    def article_description(self) -> str:
        """What the article is about ("trekkend bestaan"), beside its citation."""
        return str(labels.ARTICLE_DESCRIPTIONS.get(self.article, ""))

    @property
    def lapses_on(self):
        """The last day it runs: the end date, or 31 July for a 5a that is not permanent
        (RULES.md §7); None: until the duty ends."""
        return exemption_terms.lapses_on(
            article=self.article,
            start_date=self.start_date,
            end_date=self.end_date,
            permanent=self.permanent,
        )

    @property
    def lapses_yearly(self) -> bool:
        return exemption_terms.lapses_yearly(
            article=self.article, end_date=self.end_date, permanent=self.permanent
        )


class SchoolFreePeriod(models.Model):
    """A school-free period beyond the built-in official vacations (RULES.md §1, calendar.csv).

    For a whole region (replacing the built-in periods of that region, as calendar.csv does), or a
    school's own free days (``school`` set).
    """

    region = models.CharField(max_length=6, choices=Region.choices, blank=True)
    school = models.ForeignKey(
        School, null=True, blank=True, on_delete=models.CASCADE, related_name="free_periods"
    )
    start_date = models.DateField()
    end_date = models.DateField()
    name = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["start_date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="free_period_end_after_start",
            ),
        ]


class Involvement(models.Model):
    """An organisation (and, where known, a professional) involved with a child.

    The register of who works with whom, in the manner of the Verwijsindex risicojongeren (Wet op
    de jeugdzorg / Jeugdwet art. 7.1.1.1 ff.): written by the cases app when an organisation joins
    a case team, and by detection when a MAZL melding goes to the GGD (source ``melding``, the
    melding's primary key, until the melding is handled). It gives GGD and wijkteam (and any
    organisation outside its usual scope) sight of exactly these children, while active. ``until`` is the last day it counts; ending a team
    membership sets it. Nothing else here is ever edited. Rows of source ``concern`` were written
    before issue 9 (a concern gave sight); a concerns migration ended them, and they give no sight.
    """

    class Source(models.TextChoices):
        CONCERN = "concern", _("zorg gemeld")
        CASE_TEAM = "case_team", _("lid van het casusteam")
        #: issue 12 §2: a MAZL melding routed to the GGD of the school's region; ended when the
        #: melding is handled (closed, acknowledged or withdrawn)
        MELDING = "melding", _("MAZL-melding doorgestuurd")
        #: a member organisation of a school team, while the child is on the team's list
        #: (issue 12 §1; source_id: the prevention app's TeamMember, the list entry in ``detail``)
        SCHOOL_TEAM = "school_team", _("lid van het schoolteam")

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="involvements")
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="involvements"
    )
    user = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source = models.CharField(max_length=16, choices=Source.choices)
    #: the primary key of the concern or team membership it comes from
    source_id = models.PositiveBigIntegerField()
    since = models.DateField()
    until = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["student", "since"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "source_id"], name="involvement_source_unique"
            )
        ]
        indexes = [models.Index(fields=["organisation", "student"])]
