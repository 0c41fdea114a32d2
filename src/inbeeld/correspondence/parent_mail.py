"""The decision letter on a leave request that a parent sent online, e-mailed to that parent as a
PDF attachment (issue 11 §8). The leave app keeps who asked and sends the e-mail
(``leave.public.online_request_send_decision``); this module finds the letter: the newest
beschikking the actor's organisation made on that leave request."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from inbeeld.accounts.actor import Actor
from inbeeld.correspondence import selectors
from inbeeld.correspondence.models import Letter, LetterKind
from inbeeld.leave import public
from inbeeld.leave.models import LeaveRequest
from inbeeld.leave.public_models import OnlineLeaveRequest


def decision_letter_of(*, actor: Actor, leave: LeaveRequest) -> Letter | None:
    """The newest beschikking on ``leave`` the actor's organisation made (with its PDF)."""
    found = (
        selectors.letters_visible_to(actor=actor)
        .filter(
            kind=LetterKind.BESCHIKKING_VERLOF,
            student=leave.student_id,
            data__facts__request__id=leave.pk,
        )
        .values_list("pk", flat=True)
        .first()
    )
    return None if found is None else selectors.letter_for(actor=actor, pk=found)


def decision_send_to_parent(*, actor: Actor, leave: LeaveRequest) -> OnlineLeaveRequest:
    """E-mail the beschikking on ``leave`` to the parent who asked online; ValidationError when
    there is no letter yet (or the request did not come in online, or is still open)."""
    letter = decision_letter_of(actor=actor, leave=leave)
    if letter is None:
        raise ValidationError(_("Maak eerst de beschikking; daarna kunt u haar versturen."))
    return public.online_request_send_decision(
        actor=actor,
        leave=leave,
        letter_id=letter.pk,
        pdf=bytes(letter.pdf),
        filename=letter.filename,
    )
