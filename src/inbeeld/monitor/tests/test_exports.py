"""The leerplichttelling as files: CSV parsed back, XLSX opened, PDF rendered and looked at."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from inbeeld.attendance.tests.factories import StudentFactory
from inbeeld.monitor.exports import (
    CSV_HEADER,
    chart_specs,
    story,
    telling_csv,
    telling_pdf,
    telling_xlsx,
)
from inbeeld.monitor.models import Episode, FiguresRefresh
from inbeeld.monitor.scope import FigureScope
from inbeeld.monitor.telling import leerplichttelling

D = dt.date


@pytest.fixture
def telling(db):
    """27 children at home in 2024/25 in GM0001: 20 in absoluut verzuim (12 over three months),
    7 in LRV (3 of them on 1 September), and one child elsewhere."""
    refresh = FiguresRefresh.objects.create(
        on_date=D(2025, 8, 15), finished_at=dt.datetime.now(dt.UTC)
    )
    for n in range(28):
        av = n < 20
        start = D(2024, 9, 2) if n % 2 else D(2024, 6, 3)
        Episode.objects.create(
            student=StudentFactory(),
            category="absoluut_verzuim" if av else "langdurig_relatief_verzuim",
            start_date=start,
            counted_from=start if av else start + dt.timedelta(days=27),
            end_date=None if n < 12 else D(2025, 2, 28),
            over_3_months_on=(D(2024, 12, 2) if n % 2 else D(2024, 9, 3)) if n < 12 else None,
            municipality_code="GM0001" if n < 27 else "GM0002",
            postcode_area="9711" if n % 3 else "9712",
            refresh=refresh,
        )
    return leerplichttelling(
        school_year=2024, scope=FigureScope.for_gemeente("GM0001", "Groningen")
    )


def test_the_story_is_told_from_the_numbers(telling):
    assert telling.value("thuiszitters") == 27
    text = " ".join(story(telling.published()))
    assert text.startswith("In 2024/25 zaten in Groningen 27 kinderen thuis: 20 waren nergens")
    assert "x = verborgen" in text


def test_csv_parses_back_with_the_suppressed_numbers(telling):
    content = telling_csv(telling)
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert tuple(rows[0]) == CSV_HEADER
    figures = {r[3]: r[5] for r in rows[1:] if r[2] == "kerncijfers"}
    assert figures["Thuiszitters (absoluut en langdurig relatief verzuim)"] == "27"
    assert figures["Absoluut verzuim"] == "20"
    assert {r[0] for r in rows[1:]} == {"2024/25"}
    assert {r[1] for r in rows[1:]} == {"Groningen"}
    # every shown number is 0, 5 or more, or hidden
    for r in rows[1:]:
        assert r[5] == "x" or int(r[5]) == 0 or int(r[5]) >= 5, r
    # unsuppressed (a case team's own file): the small numbers are there
    raw = list(
        csv.reader(
            io.StringIO(telling_csv(telling, suppress=False).decode("utf-8-sig")), delimiter=";"
        )
    )
    assert any(r[5] in {"1", "2", "3", "4"} for r in raw[1:])


def test_xlsx_opens_with_a_sheet_per_breakdown(telling):
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(telling_xlsx(telling)))
    assert book.sheetnames[0] == "Kerncijfers"
    assert len(book.sheetnames) == 1 + len(telling.tables)
    main = book["Kerncijfers"]
    assert main["A1"].value == "Leerplichttelling 2024/25 – Groningen"
    values = {row[0]: row[1] for row in main.iter_rows(values_only=True) if row and len(row) > 1}
    assert values["Thuiszitters (absoluut en langdurig relatief verzuim)"] == 27
    for sheet in book.worksheets:
        for row in sheet.iter_rows(values_only=True):
            for value in row[1:]:
                assert not (isinstance(value, int) and 0 < value < 5), (sheet.title, row)


def test_charts_leave_out_hidden_numbers(telling):
    specs = chart_specs(telling.published())
    assert set(specs) == {"main", "per_month", "meldingen"}
    for spec in specs.values():
        for value in spec["data"]["values"]:
            number = value.get("kinderen", value.get("aantal"))
            assert number is not None


def test_pdf_renders_to_a_page_that_is_not_blank(telling):
    import pypdfium2 as pdfium

    content = telling_pdf(telling)
    assert content.startswith(b"%PDF")
    pdf = pdfium.PdfDocument(content)
    assert len(pdf) >= 2
    text = pdf[0].get_textpage().get_text_range()
    assert "Leerplichttelling 2024/25" in text
    assert "27 kinderen thuis" in text
    image = pdf[0].render(scale=1).to_pil().convert("L")
    histogram = image.histogram()
    dark = sum(histogram[:128])
    assert dark > 0.005 * image.width * image.height  # text and charts, not an empty page


def _text_boxes(page) -> list[tuple[float, float, float, float, str]]:
    """The boxes of the page's runs of text (left, bottom, right, top) with their text."""
    text = page.get_textpage()
    boxes = []
    for i in range(text.count_rects()):
        left, bottom, right, top = text.get_rect(i)
        content = text.get_text_bounded(left, bottom, right, top).strip()
        if content:
            boxes.append((left, bottom, right, top, content))
    return boxes


def test_no_text_of_the_pdf_overlaps_other_text(telling):
    """Table headers wrap within their column: no header (or any text) runs into another."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(telling_pdf(telling))
    overlaps = []
    for number in range(len(pdf)):
        boxes = _text_boxes(pdf[number])
        for i, (l1, b1, r1, t1, s1) in enumerate(boxes):
            for l2, b2, r2, t2, s2 in boxes[i + 1 :]:
                width = min(r1, r2) - max(l1, l2)
                height = min(t1, t2) - max(b1, b2)
                if width > 1 and height > 1:
                    overlaps.append((number + 1, s1, s2))
    assert not overlaps, overlaps[:10]


def _structure_types(pdf) -> tuple[set[str], list[str]]:
    """The structure element types of the tagged PDF, and the figures' alternative texts."""
    import ctypes

    import pypdfium2.raw as raw

    def text(getter, element) -> str:
        size = getter(element, None, 0)
        if size <= 2:
            return ""
        buffer = ctypes.create_string_buffer(size)
        getter(element, buffer, size)
        return buffer.raw[: size - 2].decode("utf-16-le")

    types: set[str] = set()
    alts: list[str] = []

    def walk(element) -> None:
        kind = text(raw.FPDF_StructElement_GetType, element)
        types.add(kind)
        if kind == "Figure":
            alts.append(text(raw.FPDF_StructElement_GetAltText, element))
        for i in range(raw.FPDF_StructElement_CountChildren(element)):
            child = raw.FPDF_StructElement_GetChildAtIndex(element, i)
            if child:
                walk(child)

    for number in range(len(pdf)):
        page = pdf[number]  # kept while its tree is read
        tree = raw.FPDF_StructTree_GetForPage(page.raw)
        for i in range(raw.FPDF_StructTree_CountChildren(tree)):
            child = raw.FPDF_StructTree_GetChildAtIndex(tree, i)
            if child:
                walk(child)
        raw.FPDF_StructTree_Close(tree)
        page.close()
    return types, alts


def _inflated(content: bytes) -> bytes:
    """The PDF with its compressed streams inflated (the XMP metadata is one of them)."""
    import re
    import zlib

    parts = [content]
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", content, re.DOTALL):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"".join(parts)


def test_the_pdf_is_tagged_for_screen_readers(telling):
    """PDF/UA-1: tagged, in Dutch, with its title; headings, tables with header cells, and the
    charts as figures whose alternative text describes them."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    content = telling_pdf(telling)
    assert b"pdfuaid:part" in _inflated(content)  # PDF/UA's identification in the XMP metadata
    pdf = pdfium.PdfDocument(content)
    assert raw.FPDFCatalog_IsTagged(pdf.raw)
    assert pdf.get_metadata_dict()["Title"] == "Leerplichttelling 2024/25 – Groningen"
    types, alts = _structure_types(pdf)
    assert {"H1", "H2", "P", "Table", "TR", "TH", "TD", "Figure"} <= types, types
    assert alts
    assert all(alt.strip() for alt in alts)
    assert any("per maand" in alt or "Thuiszitters" in alt for alt in alts), alts
