"""The monitor's thuiszitters by cause (issue 12 §6) and the pact's target as written, "nobody
longer than three months at home without a suitable offer" (§7): one definition each
(``now._cause_figures``, ``now.over_3_months_without_offer``), the small-number suppression, the
dashboard, the API, the pact's targets and the leerplichttelling's table."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache

from inbeeld.accounts.tests.factories import actor_for
from inbeeld.cases.models import Case, CaseCause, Intervention, Outcome
from inbeeld.monitor import selectors
from inbeeld.monitor.selectors.base import episodes_in, figure_scope
from inbeeld.monitor.selectors.now import over_3_months_without_offer
from inbeeld.monitor.telling import leerplichttelling
from inbeeld.monitor.tests.dashboard_world import ON, episode

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]
LONG_AGO = dt.date(2024, 9, 2)


def _case(student, world, state="geopend") -> Case:
    return Case.objects.create(
        student=student,
        lead_organisation=world.gemeente_a,
        opened_on=LONG_AGO,
        opened_from="anders",
        state=state,
    )


def _cause(case, cause, noted=LONG_AGO, ended=None) -> CaseCause:
    return CaseCause.objects.create(case=case, cause=cause, noted_on=noted, ended_on=ended)


def _at_home(world, *, over: bool = True):
    return episode(
        world.refresh, world.school_a, over=ON - dt.timedelta(days=10) if over else None
    ).student


def _now(world):
    cache.clear()  # the figures are cached; each call here reads the data as it is now
    return selectors.now_figures(actor=actor_for(world.beleid_a))


def _rows(world) -> dict:
    return {row.key: row.values["now"] for row in _now(world).causes}


def test_thuiszitters_by_cause_count_a_child_in_each_of_its_rows(world):
    before = _now(world).thuiszitters_total().values["now"]
    kids = [_at_home(world) for _ in range(8)]
    cases = [_case(k, world) for k in kids]
    for case in cases[:6]:
        _cause(case, "pesten")
    for case in cases[:5]:
        _cause(case, "wachtlijst_zorg")
    _cause(cases[6], "vervoer", ended=ON - dt.timedelta(days=1))  # ended before ON: not counted
    _cause(cases[6], "rouw", noted=ON + dt.timedelta(days=1))  # recorded after ON: not counted
    closed = _case(episode(world.refresh, world.school_a).student, world, state="afgesloten")
    _cause(closed, "scheiding")  # a closed case: not counted
    rows = _rows(world)
    assert rows["pesten"] == 6
    assert rows["wachtlijst_zorg"] == 5
    assert rows["vervoer"] == rows["rouw"] == rows["scheiding"] == 0
    total = _now(world).thuiszitters_total().values["now"]
    assert total == before + 9
    assert rows["total"] == total  # the same figure as the thuiszitters table
    assert rows["geen"] == total - 6  # children 7, 8, the closed case's and the world's own
    assert rows["pesten"] + rows["wachtlijst_zorg"] + rows["geen"] > rows["total"]


def test_small_cause_counts_are_hidden_with_a_second_cell(world):
    kids = [_at_home(world) for _ in range(12)]
    for k in kids[:10]:
        _cause(_case(k, world), "pesten")
    _cause(_case(kids[10], world), "thuissituatie")
    _cause(_case(kids[11], world), "pesten")
    rows = _rows(world)
    assert rows["thuissituatie"] is None  # 1: hidden
    hidden = [k for k, v in rows.items() if v is None]
    assert len(hidden) >= 2  # never one alone on the line
    assert rows["total"] is not None


def test_over_three_months_without_an_offer_is_at_most_the_plain_count(world):
    scope = figure_scope(actor=actor_for(world.beleid_a))
    plain_before = (
        episodes_in(scope).filter(end_date__isnull=True, over_3_months_on__isnull=False).count()
    )
    raw_before = over_3_months_without_offer(scope, ON)
    kids = [_at_home(world) for _ in range(9)]
    cases = [_case(k, world) for k in kids]
    Intervention.objects.create(case=cases[0], kind="digitaal_onderwijs", start_date=ON)
    Intervention.objects.create(case=cases[1], kind="aangepast_rooster", start_date=LONG_AGO)
    Outcome.objects.create(case=cases[2], kind="gedeeltelijk", returned_on=ON)
    # an offer that starts after ON is no offer yet; a recent thuiszitter is not over 3 months
    Intervention.objects.create(
        case=cases[3], kind="onderwijszorgarrangement", start_date=ON + dt.timedelta(days=1)
    )
    recent = _at_home(world, over=False)
    _case(recent, world)
    raw = over_3_months_without_offer(scope, ON)
    assert raw == raw_before + 6
    cache_free = _now(world)
    plain = cache_free.thuiszitters_total().values["over_3_months"]
    assert plain == plain_before + 9
    assert raw <= plain
    assert cache_free.over_3_months_without_offer == (raw if raw >= 5 else None)
    targets = selectors.target_figures(actor=actor_for(world.beleid_a))
    assert targets.over_three_months_without_offer_now == cache_free.over_3_months_without_offer
    assert targets.over_three_months_now == plain


def test_without_an_offer_is_hidden_when_small(world):
    scope = figure_scope(actor=actor_for(world.beleid_a))
    if over_3_months_without_offer(scope, ON) == 0:
        _case(_at_home(world), world)
    raw = over_3_months_without_offer(scope, ON)
    assert 1 <= raw <= 4
    assert _now(world).over_3_months_without_offer is None


def test_dashboard_and_api_show_causes_and_without_offer(world, client):
    kids = [_at_home(world) for _ in range(6)]
    for k in kids:
        _cause(_case(k, world), "psychische_problemen")
    client.force_login(world.beleid_a.user)
    page = client.get("/monitor/").content.decode()
    assert 'data-testid="table-causes"' in page
    assert "de rijen tellen niet op tot het totaal" in page
    assert 'data-testid="figure-over-3-months-without-offer"' in page
    assert 'data-testid="target-without-offer"' in page


def test_the_telling_has_the_causes_table(world):
    kids = [_at_home(world) for _ in range(7)]
    for k in kids[:6]:
        _cause(_case(k, world), "ondersteuningsbehoefte")
    _cause(_case(kids[6], world), "anders")
    raw = leerplichttelling(school_year=2024, scope=figure_scope(actor=actor_for(world.beleid_a)))
    table = raw.table("causes")
    cells = {row.key: row.cells[0] for row in table.rows}
    assert cells["ondersteuningsbehoefte"] == 6
    assert cells["anders"] == 1
    assert table.column_totals == (raw.value("thuiszitters"),)
    published = raw.published().table("causes")
    shown = {row.key: row.cells[0] for row in published.rows}
    assert shown["anders"] is None
    assert shown["ondersteuningsbehoefte"] == 6 or shown["ondersteuningsbehoefte"] is None
    assert sum(1 for v in shown.values() if v is None) >= 2


def test_the_pdf_report_includes_the_causes_table(world):
    import pypdfium2 as pdfium

    from inbeeld.monitor.exports import telling_pdf

    kids = [_at_home(world) for _ in range(6)]
    for k in kids:
        _cause(_case(k, world), "vervoer")
    telling = leerplichttelling(
        school_year=2024, scope=figure_scope(actor=actor_for(world.beleid_a))
    )
    pdf = pdfium.PdfDocument(telling_pdf(telling))
    text = " ".join(pdf[n].get_textpage().get_text_range() for n in range(len(pdf)))
    text = " ".join(text.split())
    assert "Thuiszitters per oorzaak" in text
    assert "de regels tellen niet op tot het totaal" in text
    assert "geen oorzaak vastgelegd" in text
