"""The monitor in a real browser (issue 5): a beleidsmedewerker logs in, lands on the dashboard,
reads a figure, sees the charts drawn (Vega-Lite), and hands on the year's report as XLSX and PDF;
axe-core finds no WCAG 2.1 A/AA violation on the dashboard and the leerplichttelling."""

from __future__ import annotations

import os
import re

import pytest
from django.core.cache import cache
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests import build

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world():
    cache.clear()
    yield build.dashboard()
    cache.clear()


def _pdf_is_not_blank(path) -> None:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    assert len(pdf) >= 1
    image = pdf[0].render(scale=1).to_pil().convert("L")
    lo, hi = image.getextrema()
    assert hi - lo > 100, "page 1 is one flat colour"
    dark = sum(image.histogram()[:128])
    assert dark > 500, f"only {dark} dark pixels on page 1"


def _download(page, fmt: str, tmp_path):
    """Click the download button of ``fmt``, wait on the job's page for the file, save it."""
    page.get_by_test_id(f"download-{fmt}").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Leerplichttelling downloaden")
    expect(page.get_by_test_id("job-status")).to_have_attribute("data-state", "done")
    with page.expect_download() as download_info:
        page.get_by_test_id("job-result").click()
    path = tmp_path / f"telling.{fmt}"
    download_info.value.save_as(path)
    return path


def test_beleid_reads_the_dashboard_and_downloads_the_report(
    page, log_in, app_url, axe, tmp_path, world
):
    log_in(page, world.beleid_a.user.username, build.PASSWORD)

    expect(page.get_by_role("heading", level=1)).to_have_text("Monitor")
    navigation = page.get_by_role("navigation", name="Hoofdmenu")
    expect(navigation.get_by_role("link", name="Monitor")).to_have_attribute("aria-current", "page")
    expect(
        page.get_by_test_id("figure-thuiszitters").locator(".monitor-figure__value")
    ).to_have_text("9")
    expect(page.get_by_test_id("figure-pupils").locator(".monitor-figure__value")).to_have_text(
        "20"
    )
    # suppression is visible, and nothing links to a child
    expect(page.get_by_test_id("hidden-figure").first).to_be_visible()
    assert page.locator("a[href*='/leerling/']").count() == 0
    # every chart is drawn by vega-embed (an SVG), each with its table
    for chart in ("chart-now", "chart-targets", "chart-trend"):
        expect(page.locator(f"[data-vega-spec='{chart}'] svg")).to_have_count(1)
    # the trend chart's months are Dutch ("mrt 2025", the d3 nl-NL locale), never English
    months = r"^(jan|feb|mrt|apr|mei|jun|jul|aug|sep|okt|nov|dec) \d{4}$"
    english = r"^(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4}$"
    labels = page.locator("[data-vega-spec='chart-trend'] svg text").all_text_contents()
    assert any(re.match(months, label) for label in labels), labels
    assert not any(re.match(english, label) for label in labels), labels
    # per school every count is hidden: a sentence instead of an empty chart
    expect(page.get_by_test_id("chart-empty")).to_have_count(1)
    axe.assert_clean(page)
    if os.environ.get("INBEELD_FLOW_SCREENSHOTS"):
        page.screenshot(
            path=os.path.join(os.environ["INBEELD_FLOW_SCREENSHOTS"], "flow-monitor.png"),
            full_page=True,
        )

    # the breakdown changes without a reload (htmx)
    page.get_by_label("Uitsplitsen naar").select_option("gemeente")
    expect(page.get_by_test_id("table-breakdown")).to_contain_text("Gemeente A")
    expect(page.locator("[data-vega-spec='chart-breakdown'] svg")).to_have_count(1)

    # a download is built in the background (issue 14): the button leads to the job's page, which
    # links the file when it is made
    xlsx = _download(page, "xlsx", tmp_path)
    sheet = load_workbook(xlsx).active
    assert "Leerplichttelling 2024/25" in str(sheet["A1"].value)
    axe.assert_clean(page)  # the job's page

    page.get_by_role("link", name="Terug").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Monitor")
    pdf = _download(page, "pdf", tmp_path)
    assert pdf.read_bytes().startswith(b"%PDF")
    _pdf_is_not_blank(pdf)

    page.get_by_role("link", name="Terug").click()
    page.get_by_test_id("telling-link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Leerplichttelling 2024/25")
    expect(page.get_by_test_id("telling-thuiszitters")).to_have_text("15")
    axe.assert_clean(page)
