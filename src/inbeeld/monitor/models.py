"""What the monitor keeps (issue 5): thuiszitter episodes derived from the rules, and the pact's
targets per organisation."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class EpisodeCategory(models.TextChoices):
    ABSOLUUT_VERZUIM = "absoluut_verzuim", _("absoluut verzuim")
    LANGDURIG_RELATIEF_VERZUIM = "langdurig_relatief_verzuim", _("langdurig relatief verzuim")


#: the two categories' values, as the figures and the telling key their rows
AV = EpisodeCategory.ABSOLUUT_VERZUIM.value
LRV = EpisodeCategory.LANGDURIG_RELATIEF_VERZUIM.value


class FiguresRefresh(models.Model):
    """One recomputation of the episodes from the database by the rules (daily, after detection)."""

    on_date = models.DateField()
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    counts = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]


class Episode(models.Model):
    """A stretch of time a child was a thuiszitter (RULES.md §5 categories 2 and 3).

    Derived data: the whole table is recomputed by each refresh (it is not history a person
    wrote). ``end_date`` is None while it goes on at the refresh date; ``over_3_months_on`` is the
    day it passed three months (RULES.md §5), None when it never did. Where the child was at the
    start: school (the last enrolment before or at the start), its samenwerkingsverband, the
    municipality and the postcode area (four digits) of the child.
    """

    student = models.ForeignKey("people.Student", on_delete=models.CASCADE, related_name="episodes")
    category = models.CharField(max_length=32, choices=EpisodeCategory.choices)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    over_3_months_on = models.DateField(null=True, blank=True)
    #: the day it counts from: the start (absoluut verzuim) or the run's 20th school day (LRV,
    #: the day of the lrv melding); see rules.episodes
    counted_from = models.DateField(null=True, blank=True)
    school = models.ForeignKey(
        "people.School", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    partnership = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    municipality_code = models.CharField(max_length=6, db_index=True)
    postcode_area = models.CharField(max_length=4, blank=True)
    refresh = models.ForeignKey(FiguresRefresh, on_delete=models.CASCADE, related_name="+")

    class Meta:
        ordering = ["student", "start_date"]
        indexes = [
            models.Index(fields=["municipality_code", "start_date"]),
            models.Index(fields=["school", "start_date"]),
            models.Index(fields=["partnership", "start_date"]),
        ]


class Target(models.Model):
    """The pact's targets of one organisation. A change appends a row; the newest counts."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="targets"
    )
    #: the school year the reduction counts from, by its first calendar year (2024 = 2024/25)
    baseline_year = models.PositiveIntegerField()
    yearly_reduction_percent = models.PositiveSmallIntegerField(default=25)
    #: the pact's norm: no child over three months at home without a suitable offer
    zero_over_three_months = models.BooleanField(default=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    set_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation", "-set_at", "-id"]
