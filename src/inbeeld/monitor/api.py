"""The monitor's figures over the API (issue 5 §4): the same figures as the dashboard, in the same
scope (a gemeente its municipality, a samenwerkingsverband its member schools, a school itself),
and just as suppressed: counts under 5, and whatever would let one be worked out from a total,
are ``null``. Never a child."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from inbeeld.accounts.permissions import Permission
from inbeeld.accounts.token_scopes import ResourceFamily
from inbeeld.api.base import ApiView
from inbeeld.api.schema import problems
from inbeeld.monitor import reports, selectors

HIDDEN = "null when hidden: fewer than 5, or derivable from a total."


def _count(**kwargs) -> serializers.IntegerField:
    kwargs.setdefault("help_text", HIDDEN)
    return serializers.IntegerField(allow_null=True, **kwargs)


def _number(**kwargs) -> serializers.FloatField:
    kwargs.setdefault("help_text", HIDDEN)
    return serializers.FloatField(allow_null=True, **kwargs)


class ThuiszitterRowSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="absoluut_verzuim, langdurig_relatief_verzuim, total")
    label = serializers.CharField()
    now = _count()
    over_3_months = _count()
    now_per_1000 = _number()
    over_3_months_per_1000 = _number()


class CountRowSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    now = _count()
    now_per_1000 = _number(required=False)


class ReferralRowSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    waiting = _count()
    median_days_waiting = _number()


class BarrierRowSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    open = _count()
    median_days_open = _number()
    longest_days_open = _count()


class NationalRowSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    here_per_1000 = _number()
    national_year = serializers.CharField()
    national_count = serializers.IntegerField()
    national_per_1000 = serializers.FloatField()


class TargetYearSerializer(serializers.Serializer):
    school_year = serializers.IntegerField(help_text="First calendar year: 2024 is 2024/25.")
    label = serializers.CharField()
    target = _count()
    actual = _count()
    gap = serializers.IntegerField(
        allow_null=True, help_text="actual − target (positive: above the target)."
    )
    met = serializers.BooleanField()
    so_far = serializers.BooleanField(help_text="The current school year: counted so far.")


class TargetsSerializer(serializers.Serializer):
    baseline_year = serializers.IntegerField()
    baseline_label = serializers.CharField()
    yearly_reduction_percent = serializers.IntegerField()
    zero_over_three_months = serializers.BooleanField()
    is_default = serializers.BooleanField(help_text="No target set: the pact's default.")
    baseline_count = _count()
    years = TargetYearSerializer(many=True)
    over_three_months_now = _count()
    over_three_months_without_offer_now = _count(
        help_text="Of them, the children without a suitable offer on their case (an "
        "intervention or a return to school that has started): the pact's target as written. "
        + HIDDEN
    )


class NowSerializer(serializers.Serializer):
    on_date = serializers.DateField()
    pupils = serializers.IntegerField(help_text="Students currently enrolled in scope.")
    thuiszitters = ThuiszitterRowSerializer(many=True)
    exemptions = CountRowSerializer(many=True)
    vervangende_leerplicht = CountRowSerializer(
        many=True,
        help_text="Vervangende leerplicht (art. 3a, 3b) per article: no exemption (RULES.md §7).",
    )
    open_meldingen = CountRowSerializer(many=True)
    open_cases = CountRowSerializer(many=True)
    referrals_waiting = ReferralRowSerializer(many=True)
    open_barriers = BarrierRowSerializer(
        many=True,
        help_text="Open barriers of cases per kind (leerlingenvervoer, wachtlijst, …), with the "
        "median and longest days open so far (hidden below 5).",
    )
    thuiszitters_by_cause = CountRowSerializer(
        many=True,
        help_text="Thuiszitters now per cause recorded on their open case (pesten, scheiding, …, "
        "'geen': none recorded). A child with more causes counts in each row: the rows do not add "
        "up to the total (the children at home now). " + HIDDEN,
    )
    over_3_months_without_offer = _count(
        help_text="Thuiszitters over three months whose open case holds no suitable offer (an "
        "intervention or a return to school that has started); never more than the plain count. "
        + HIDDEN
    )
    national = NationalRowSerializer(many=True)
    targets = TargetsSerializer()


class TrendRowSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    new = _count()
    returns = _count()
    relapses = _count()
    median_days_to_return = _number()
    thuiszitters = _count(required=False)
    over_3_months = _count(required=False)


class TrendsSerializer(serializers.Serializer):
    school_year = serializers.IntegerField()
    label = serializers.CharField()
    months = TrendRowSerializer(many=True)
    years = TrendRowSerializer(many=True)
    breakdown = serializers.ChoiceField(choices=list(selectors.BREAKDOWNS))
    breakdown_rows = TrendRowSerializer(many=True)


class TrendsFilterSerializer(serializers.Serializer):
    school_year = serializers.IntegerField(
        required=False,
        min_value=1900,
        max_value=2200,
        help_text="First calendar year of the school year (2024 = 2024/25); default the current.",
    )
    breakdown = serializers.ChoiceField(
        required=False, choices=list(selectors.BREAKDOWNS), default=selectors.DEFAULT_BREAKDOWN
    )


class TellingFigureSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    value = _count()


class TellingTableRowSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    cells = serializers.ListField(child=_count())
    total = _count(help_text="The row total (null when hidden or not published).")


class TellingTableSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    row_header = serializers.CharField()
    columns = serializers.ListField(child=serializers.CharField())
    column_keys = serializers.ListField(child=serializers.CharField())
    rows = TellingTableRowSerializer(many=True)
    column_totals = serializers.ListField(child=_count(), allow_null=True)
    grand_total = _count()
    note = serializers.CharField(allow_blank=True)


class TellingSerializer(serializers.Serializer):
    school_year = serializers.IntegerField()
    label = serializers.CharField()
    scope = serializers.CharField(help_text="Whose children are counted.")
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    on_date = serializers.DateField(allow_null=True, help_text="The episodes' reference date.")
    complete = serializers.BooleanField(help_text="The figures reach the end of the school year.")
    figures = TellingFigureSerializer(many=True)
    tables = TellingTableSerializer(many=True)


class FiguresView(ApiView, APIView):
    resource_family = ResourceFamily.FIGURES

    def required_permissions(self) -> tuple[Permission, ...]:
        return (Permission.VIEW_FIGURES,)

    def check_scope(self) -> None:
        if selectors.figure_scope(actor=self.actor) is None:
            raise exceptions.PermissionDenied(
                "Uw organisatie telt geen cijfers: de monitor telt per gemeente, "
                "samenwerkingsverband of school."
            )


class FiguresNowView(FiguresView):
    @extend_schema(
        operation_id="figures_now",
        summary="Where things stand now, and against the pact's targets",
        description=(
            "Thuiszitters now and over three months, exemptions per article, open meldingen per "
            "rule, open cases per escalation step, referrals waiting; per 1,000 pupils and beside "
            "the national figures; the organisation's targets and the gap. " + HIDDEN
        ),
        responses={200: NowSerializer, **problems(401, 403)},
        tags=["figures"],
    )
    def get(self, request):
        self.check_scope()
        now = selectors.now_figures(actor=self.actor)
        targets = selectors.target_figures(actor=self.actor)
        if now is None or targets is None:
            raise exceptions.PermissionDenied()
        data = {**now.as_dict(), "targets": targets.as_dict()}
        return Response(NowSerializer(data).data)


class FiguresTrendsView(FiguresView):
    @extend_schema(
        operation_id="figures_trends",
        summary="Trends per month and per school year, and one school year broken down",
        parameters=[TrendsFilterSerializer],
        responses={200: TrendsSerializer, **problems(400, 401, 403, 404)},
        tags=["figures"],
    )
    def get(self, request):
        self.check_scope()
        params = TrendsFilterSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        years = selectors.school_years_available(actor=self.actor)
        year = params.validated_data.get("school_year", years[0])
        if year not in years:
            raise exceptions.NotFound("Geen cijfers voor dit schooljaar.")
        trends = selectors.trends(
            actor=self.actor, school_year=year, breakdown=params.validated_data["breakdown"]
        )
        if trends is None:
            raise exceptions.PermissionDenied()
        return Response(TrendsSerializer(trends.as_dict()).data)


class FiguresTellingView(FiguresView):
    @extend_schema(
        operation_id="figures_leerplichttelling",
        summary="The leerplichttelling (art. 25 LPW) of a school year",
        parameters=[
            OpenApiParameter(
                "school_year",
                int,
                OpenApiParameter.PATH,
                description="First calendar year of the school year (2024 = 2024/25).",
            )
        ],
        responses={200: TellingSerializer, **problems(401, 403, 404)},
        tags=["figures"],
    )
    def get(self, request, school_year: int):
        self.check_scope()
        if school_year not in selectors.school_years_available(actor=self.actor):
            raise exceptions.NotFound("Geen leerplichttelling voor dit schooljaar.")
        telling = reports.telling_for(actor=self.actor, school_year=school_year)
        if telling is None:
            raise exceptions.PermissionDenied()
        return Response(TellingSerializer(reports.telling_as_dict(telling)).data)
