"""Finding 14 of issue 9: the leerplichttelling's PDF answered 500 ("SVG has an invalid size") when
a chart had nothing to draw: vl-convert cannot size a chart without data. The PDF is made for
every scope and year, with empty and tiny figures: a chart without numbers becomes a sentence."""

from __future__ import annotations

import datetime as dt

import pypdfium2 as pdfium
import pytest
from django.core.cache import cache

from inbeeld.accounts.models import Role
from inbeeld.accounts.tests.factories import actor_for
from inbeeld.attendance.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    StudentFactory,
)
from inbeeld.monitor import selectors
from inbeeld.monitor.exports import NO_CHART_TEXT, chart_png, chart_specs, telling_pdf
from inbeeld.monitor.models import Episode, FiguresRefresh
from inbeeld.monitor.scope import FigureScope
from inbeeld.monitor.telling import leerplichttelling
from inbeeld.monitor.tests.dashboard_world import make_world
from inbeeld.monitor.tests.downloads import download_telling

D = dt.date
SCOPE = FigureScope.for_gemeente("GM0001", "Groningen")


def _episodes(*categories: str, municipality: str = "GM0001") -> None:
    """One child at home from 2 September 2024 per category, each over three months."""
    refresh = FiguresRefresh.objects.create(
        on_date=D(2025, 8, 15), finished_at=dt.datetime.now(dt.UTC)
    )
    for category in categories:
        Episode.objects.create(
            student=StudentFactory(),
            category=category,
            start_date=D(2024, 9, 2),
            counted_from=D(2024, 9, 2),
            end_date=None,
            over_3_months_on=D(2024, 12, 2),
            municipality_code=municipality,
            postcode_area="9711",
            refresh=refresh,
        )


def _text(content: bytes) -> str:
    pdf = pdfium.PdfDocument(content)
    # lines joined: a sentence may wrap
    return " ".join(" ".join(page.get_textpage().get_text_range().split()) for page in pdf)


@pytest.mark.django_db
def test_a_pdf_whose_main_figures_are_all_hidden_renders():
    # one child in each category: every number of the main chart is hidden (1 < 5)
    _episodes("absoluut_verzuim", "langdurig_relatief_verzuim")
    telling = leerplichttelling(school_year=2024, scope=SCOPE)
    assert chart_specs(telling.published())["main"]["data"]["values"] == []
    content = telling_pdf(telling)
    assert content.startswith(b"%PDF")
    assert NO_CHART_TEXT in _text(content)


@pytest.mark.django_db
@pytest.mark.parametrize("school_year", [2019, 2024, 2026])
def test_a_pdf_of_a_scope_and_year_without_any_child_renders(school_year):
    telling = leerplichttelling(school_year=school_year, scope=FigureScope.for_gemeente("GM9999"))
    assert telling_pdf(telling).startswith(b"%PDF")


@pytest.mark.django_db
@pytest.mark.parametrize("children", [1, 2, 4, 5, 6])
def test_a_pdf_of_a_few_children_renders(children):
    _episodes(*["absoluut_verzuim"] * children)
    telling = leerplichttelling(school_year=2024, scope=SCOPE)
    assert telling_pdf(telling).startswith(b"%PDF")
    assert telling_pdf(telling, suppress=False).startswith(b"%PDF")


@pytest.mark.django_db
@pytest.mark.parametrize("chart", ["main", "per_month", "meldingen"])
def test_each_chart_without_data_is_no_image_and_with_tiny_data_is_one(chart):
    _episodes(*["absoluut_verzuim"] * 6)
    spec = chart_specs(leerplichttelling(school_year=2024, scope=SCOPE))[chart]
    tiny = dict(spec["data"]["values"][0]) if spec["data"]["values"] else None
    empty = {**spec, "data": {"values": []}}
    assert chart_png(empty) is None
    if tiny is None:  # no meldingen in this world: one made up, with the chart's fields
        tiny = {"afhandeling": "doorverwezen", "melding": "verzuimmelding", "aantal": 1}
    for number in (0, 1):
        field = "kinderen" if "kinderen" in tiny else "aantal"
        png = chart_png({**spec, "data": {"values": [{**tiny, field: number}]}})
        assert png is not None
        assert png.startswith(b"\x89PNG")


@pytest.mark.django_db
def test_the_pdf_download_of_a_small_gemeente_answers(client):
    gemeente = OrganisationFactory(code="GM0005", name="Klein")
    _episodes("absoluut_verzuim", "langdurig_relatief_verzuim", municipality="GM0005")
    client.force_login(MembershipFactory(organisation=gemeente, role=Role.BELEIDSMEDEWERKER).user)
    _response, content = download_telling(client, 2024, "pdf")
    assert NO_CHART_TEXT in _text(content)


@pytest.mark.django_db
def test_the_pdf_download_answers_for_every_scope_and_year(client):
    cache.clear()
    world = make_world()
    for membership in (world.beleid_a, world.beleid_b, world.beleid_swv, world.beleid_school):
        client.force_login(membership.user)
        for year in selectors.school_years_available(actor=actor_for(membership)):
            _response, content = download_telling(client, year, "pdf")
            assert content.startswith(b"%PDF"), (membership.organisation, year)
    cache.clear()
