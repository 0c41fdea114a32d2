"""A letter as PDF (reportlab): A4, the organisation's name, the recipient's address, place and
date, the reference lines, the text, the signature.

As accessible as reportlab makes it: the document's title, subject, author and language (nl-NL)
are set and the title is shown instead of the file name; the fonts are embedded TrueType (Bitstream
Vera, shipped with reportlab) so the text can be found, copied and read aloud; the reading order is
the order of the text. Reportlab writes no structure tags (PDF/UA), which this cannot add.
"""

from __future__ import annotations

import io
import os
from xml.sax.saxutils import escape

from inbeeld.correspondence.letters.base import LetterText

FONT, BOLD = "InbeeldVera", "InbeeldVera-Bold"
_registered = False


def _fonts() -> None:
    global _registered
    if _registered:
        return
    import reportlab
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    folder = os.path.join(os.path.dirname(reportlab.__file__), "fonts")
    pdfmetrics.registerFont(TTFont(FONT, os.path.join(folder, "Vera.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD, os.path.join(folder, "VeraBd.ttf")))
    addMapping(FONT, 0, 0, FONT)
    addMapping(FONT, 1, 0, BOLD)
    addMapping(FONT, 0, 1, FONT)
    addMapping(FONT, 1, 1, BOLD)
    _registered = True


def _text(value: str) -> str:
    """Plain text for a Paragraph: escaped, line breaks kept."""
    return escape(value).replace("\n", "<br/>")


def render_pdf(letter: LetterText) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    _fonts()
    body = ParagraphStyle("body", fontName=FONT, fontSize=10.5, leading=15, spaceAfter=8)
    small = ParagraphStyle("small", parent=body, fontSize=9.5, leading=13, spaceAfter=0)
    heading = ParagraphStyle(
        "heading", parent=body, fontName=BOLD, fontSize=11.5, spaceBefore=6, spaceAfter=4
    )
    title = ParagraphStyle("title", parent=body, fontName=BOLD, fontSize=14, leading=18)
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        title=letter.subject,
        subject=letter.subject,
        author=letter.organisation,
        creator="Inbeeld",
        lang="nl-NL",
        displayDocTitle=True,
        leftMargin=2.5 * cm,
        rightMargin=2.5 * cm,
        topMargin=2 * cm,
        bottomMargin=2 * cm,
    )
    width = A4[0] - 5 * cm

    def table(rows: list[tuple[str, str]]) -> Table:
        flow = Table(
            [[Paragraph(_text(k), small), Paragraph(_text(str(v)), small)] for k, v in rows],
            colWidths=[width * 0.32, width * 0.68],
            hAlign="LEFT",
        )
        flow.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#bbbbbb")),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                    ("TOPPADDING", (0, 0), (-1, -1), 3),
                ]
            )
        )
        return flow

    story: list = [
        Paragraph(_text(letter.organisation), title),
        Spacer(1, 24),
        Paragraph("<br/>".join(_text(line) for line in letter.recipient), body),
        Spacer(1, 18),
        Paragraph(_text(letter.place_date), body),
        table(letter.reference),
        Spacer(1, 14),
        Paragraph(_text(letter.salutation), body),
    ]
    for kind, content in letter.blocks:
        if kind == "h":
            story.append(Paragraph(_text(content), heading))
        elif kind == "table":
            story += [table(content), Spacer(1, 8)]
        else:
            story.append(Paragraph(_text(content), body))
    story += [
        Spacer(1, 6),
        Paragraph(_text(letter.closing), body),
        Spacer(1, 24),
        Paragraph("<br/>".join(_text(line) for line in letter.signature), body),
    ]
    doc.build(story)
    return out.getvalue()
