"""The letter that tells parents a concern was registered (issue 4 §1): per concern, ready to send.

It says who registered it and for which organisation, that Inbeeld records only *that* the
organisation is involved (never the content of the worry), how long it stays active, and the
parents' rights (inzage, correctie, bezwaar).
"""

from __future__ import annotations

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from inbeeld.concerns.models import ACTIVE_YEARS, KEEP_YEARS, Concern


def parent_letter(concern: Concern) -> dict[str, object]:
    """The letter's parts: ``subject``, ``salutation``, ``paragraphs`` and ``closing``."""
    organisation = concern.organisation.name
    # the child's name only for an organisation that may see the child anyway (issue 9): else the
    # organisation addresses the letter itself, from what it knows of the child
    in_sight = getattr(concern, "student_in_sight", False) and concern.student is not None
    child = (concern.student.full_name if in_sight else "") or _("uw kind")
    registered = date_format(concern.registered_on, "j F Y")
    until = date_format(concern.active_until, "j F Y")
    contact = ", ".join(
        part
        for part in (concern.contact_name, concern.contact_phone, concern.contact_email)
        if part
    )
    if concern.system:
        who = _(
            "Omdat %(child)s lange tijd niet naar school is gegaan, is op %(date)s in Inbeeld "
            "vastgelegd dat %(organisation)s (leerplicht) bij %(child)s betrokken is."
        ) % {"child": child, "date": registered, "organisation": organisation}
    else:
        who = _(
            "Op %(date)s heeft %(organisation)s in Inbeeld vastgelegd dat zij betrokken is bij "
            "%(child)s en zich zorgen maakt over hoe het met %(child)s gaat."
        ) % {"child": child, "date": registered, "organisation": organisation}
    paragraphs = [
        who,
        _(
            "Inbeeld is het systeem waarin scholen, leerplicht, het samenwerkingsverband, de GGD "
            "en het wijkteam elkaar vinden als zij betrokken zijn bij hetzelfde kind. Er staat "
            "alleen in dat een organisatie betrokken is, en hoe u en andere betrokkenen haar "
            "bereiken. De inhoud van de zorg staat er niet in: waarom de organisatie zich zorgen "
            "maakt, wordt niet vastgelegd en niet gedeeld."
        ),
        _(
            "Als ook een andere organisatie betrokken is bij %(child)s, krijgen beide organisaties "
            "elkaars naam en contactgegevens, zodat zij kunnen samenwerken. Meer niet."
        )
        % {"child": child},
        _(
            "De registratie blijft %(active)s jaar actief, tot en met %(until)s. Daarna is zij "
            "niet meer zichtbaar voor andere organisaties; na %(keep)s jaar wordt zij verwijderd."
        )
        % {"active": ACTIVE_YEARS, "until": until, "keep": KEEP_YEARS},
        _(
            "U hebt het recht om te zien wat er over %(child)s is vastgelegd (inzage), om onjuiste "
            "gegevens te laten verbeteren (correctie) en om bezwaar te maken tegen de registratie "
            "(bezwaar). Is %(child)s 16 jaar of ouder, dan beslist %(child)s hier zelf over. Neem "
            "daarvoor contact op met %(organisation)s."
        )
        % {"child": child, "organisation": organisation},
        _("Hebt u vragen? Neem contact op met: %(contact)s.") % {"contact": contact},
    ]
    return {
        "subject": _("Registratie van betrokkenheid bij %(child)s") % {"child": child},
        "salutation": _("Beste ouder(s) of verzorger(s),"),
        "paragraphs": paragraphs,
        "closing": _("Met vriendelijke groet,"),
        "sender": concern.contact_name,
        "organisation": organisation,
    }


def parent_letter_text(concern: Concern) -> str:
    """The letter as plain text (to paste into a letter or a message to the parents)."""
    letter = parent_letter(concern)
    parts = [
        str(letter["subject"]),
        "",
        str(letter["salutation"]),
        "",
        *(f"{p}\n" for p in letter["paragraphs"]),  # type: ignore[attr-defined]
        str(letter["closing"]),
        "",
        str(letter["sender"]),
        str(letter["organisation"]),
    ]
    return "\n".join(parts)
