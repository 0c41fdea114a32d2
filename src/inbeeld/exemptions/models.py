"""Requests for vrijstelling and their review (issue 4 §4).

A request is checked against the law (``rules.exemption_review``) when it is registered (the
problems are stored), the samenwerkingsverband of the child's school advises on what education is
still possible, and leerplicht decides; a granted request lands in the exemptions register
(``people.Exemption``). Every change of a request's state is an ``ExemptionRequestStateChange``
(``workflow`` says which moves there are), appended, never edited.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from inbeeld.audit.append_only import StateChange
from inbeeld.exemptions.workflow import OPEN_STATES, RequestState
from inbeeld.people.exemption_terms import lapses_on
from inbeeld.people.labels import article_label
from inbeeld.people.models import Article
from inbeeld.rules.legal import article_citation
from inbeeld.rules.model import VERVANGENDE_LEERPLICHT_ARTICLES

__all__ = [
    "ADVICE_AGAINST_EXEMPTION",
    "AdviceKind",
    "ExemptionRequest",
    "ExemptionRequestStateChange",
    "RequestState",
    "SwvAdvice",
]


class AdviceKind(models.TextChoices):
    ONDERWIJS_MOGELIJK = "onderwijs_mogelijk", _("onderwijs mogelijk")
    MET_AANPASSINGEN = "met_aanpassingen", _("onderwijs mogelijk met aanpassingen")
    DEELS = "deels", _("gedeeltelijk onderwijs mogelijk")
    GEEN_ONDERWIJS = "geen_onderwijs", _("geen onderwijs mogelijk")


#: (choice) the advice a grant goes against: the samenwerkingsverband says education is still
#: possible, wholly, with adjustments or in part, while a vrijstelling frees the child from all of
#: it. Granting against it needs a justification (``services.exemption_request_decide``).
ADVICE_AGAINST_EXEMPTION = (
    AdviceKind.ONDERWIJS_MOGELIJK,
    AdviceKind.MET_AANPASSINGEN,
    AdviceKind.DEELS,
)


class ExemptionRequest(models.Model):
    student = models.ForeignKey(
        "people.Student", on_delete=models.CASCADE, related_name="exemption_requests"
    )
    article = models.CharField(max_length=12, choices=Article.choices)
    requested_on = models.DateField()
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    #: 5a: the expert statement (date; whether its author treats the child)
    statement_date = models.DateField(null=True, blank=True)
    statement_by_treating_professional = models.BooleanField(default=False)
    #: 5a: a renewal of an exemption running this school year
    renewal = models.BooleanField(default=False)
    #: 5a: "nooit geschikt" (RULES.md §7): the exemption does not lapse on 31 July
    permanent = models.BooleanField(default=False)
    #: 5b: the child attended a school of the objected denomination in the year before
    attended_denomination_school_last_year = models.BooleanField(default=False)
    #: why the law's conditions are not met (rules.exemption_review), at registration
    problems = models.JSONField(default=list, blank=True)
    state = models.CharField(
        max_length=16, choices=RequestState.choices, default=RequestState.INGEDIEND
    )
    #: the gemeente (leerplicht) that registered it and decides
    municipality = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    #: the samenwerkingsverband asked for advice (of the child's school)
    partnership = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    advice_requested_on = models.DateField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    #: why leerplicht granted it against the samenwerkingsverband's advice (required then:
    #: ``services.exemption_request_decide``); also kept in the decision's row of the history
    decision_justification = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_on = models.DateField(null=True, blank=True)
    #: the register entry made when it was granted
    exemption = models.ForeignKey(
        "people.Exemption", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-requested_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="exemption_request_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        what = "vervangende leerplicht" if self.is_vervangende_leerplicht else "vrijstelling"
        return f"{what} {self.article} vanaf {self.start_date}"

    @property
    def is_vervangende_leerplicht(self) -> bool:
        return self.article in VERVANGENDE_LEERPLICHT_ARTICLES

    @property
    def article_label(self) -> str:
        return article_label(self.article)

    @property
    def lapses_on(self):
        """The last day the exemption asked for would run (RULES.md §7; None: until duty ends)."""
        return lapses_on(
            article=self.article,
            start_date=self.start_date,
            end_date=self.end_date,
            permanent=self.permanent,
        )

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def latest_advice(self) -> SwvAdvice | None:
        """The samenwerkingsverband's advice that counts: the last one given."""
        return self.advices.order_by("-given_on", "-pk").first()

    @property
    def grant_goes_against_advice(self) -> bool:
        """Granting now would go against the recorded advice (``ADVICE_AGAINST_EXEMPTION``)."""
        advice = self.latest_advice
        return advice is not None and advice.advice in ADVICE_AGAINST_EXEMPTION

    @property
    def article_citation(self) -> str:
        """How the law is cited: the code ``5a`` is "artikel 5, onder a" (rules.legal)."""
        return article_citation(self.article)


class SwvAdvice(models.Model):
    """The samenwerkingsverband's advice: what education is still possible for the child."""

    request = models.ForeignKey(ExemptionRequest, on_delete=models.CASCADE, related_name="advices")
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    advice = models.CharField(max_length=32, choices=AdviceKind.choices)
    education_still_possible = models.TextField()
    given_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["request", "given_on", "id"]


class ExemptionRequestStateChange(StateChange):
    """One move of a request (``workflow.TRANSITIONS``); the first is its registration."""

    request = models.ForeignKey(
        ExemptionRequest, on_delete=models.CASCADE, related_name="state_changes"
    )
    states = RequestState
