"""The AVG inzage export (art. 15) as files: JSON (the machine-readable copy) and PDF (to hand to
the parents). Both are made from :func:`privacy.selectors.subject_data`, section by section."""

from __future__ import annotations

import io
import json
from typing import Any
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _

FORMATS = {"json": "application/json", "pdf": "application/pdf"}


def section_titles() -> dict[str, str]:
    return {
        "student": _("Gegevens van de leerling"),
        "enrolments": _("Inschrijvingen"),
        "exemptions": _("Vrijstellingen"),
        "absences": _("Verzuim"),
        "status": _("Status (laatste detectie)"),
        "meldingen": _("Meldingen"),
        "cases": _("Casussen"),
        "leave_requests": _("Verlofaanvragen"),
        "exemption_requests": _("Vrijstellingsaanvragen"),
        "concerns": _("Zorgen van de eigen organisatie"),
        "matches": _("Matches met andere organisaties"),
        "access_history": _("Wie heeft de gegevens bekeken of gewijzigd"),
    }


def inzage_json(data: dict[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False).encode()


def _text(value: Any) -> str:
    if value is None or value == "":
        return "–"
    if value is True:
        return _("ja")
    if value is False:
        return _("nee")
    return str(value)


def inzage_pdf(data: dict[str, Any]) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import cm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    styles = getSampleStyleSheet()
    body = styles["BodyText"]
    title = _("Inzage in de gegevens van een leerling (artikel 15 AVG)")

    def para(value: Any, style=body) -> Paragraph:
        return Paragraph(escape(_text(value)), style)

    def fields_table(item: dict[str, Any]) -> list:
        rows = [
            [para(key), para(value)] for key, value in item.items() if not isinstance(value, list)
        ]
        flow: list = []
        if rows:
            table = Table(rows, colWidths=[5 * cm, 11.5 * cm])
            table.setStyle(
                TableStyle(
                    [
                        ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                        ("BACKGROUND", (0, 0), (0, -1), colors.whitesmoke),
                    ]
                )
            )
            flow += [table, Spacer(1, 0.2 * cm)]
        for key, value in item.items():
            if isinstance(value, list):
                flow.append(para(f"{key} ({len(value)})", styles["Heading4"]))
                for sub in value:
                    flow += fields_table(sub) if isinstance(sub, dict) else [para(sub)]
        return flow

    flow: list = [
        Paragraph(escape(title), styles["Title"]),
        para(_("Organisatie: %(name)s") % {"name": data.get("organisation", "")}),
        para(_("Gemaakt op: %(at)s") % {"at": data.get("made_at", "")}),
        Spacer(1, 0.4 * cm),
    ]
    for key, heading in section_titles().items():
        value = data.get(key)
        flow.append(Paragraph(escape(heading), styles["Heading2"]))
        items = value if isinstance(value, list) else [value]
        if not items or items == [None]:
            flow.append(para(_("Geen gegevens.")))
            continue
        for item in items:
            flow += fields_table(item)

    buffer = io.BytesIO()

    def footer(canvas, document) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.drawString(2 * cm, 1.2 * cm, f"{title} – {document.page}")
        canvas.restoreState()

    SimpleDocTemplate(
        buffer, pagesize=A4, title=title, leftMargin=2 * cm, rightMargin=2 * cm
    ).build(flow, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
