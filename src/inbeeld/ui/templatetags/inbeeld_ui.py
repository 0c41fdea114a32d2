"""Template helpers of the base layout. The ui layer imports no app: it only follows relations."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()

#: messages level tag → NL Design System alert modifier and the words that carry the meaning
#: (the colour alone never does: WCAG 1.4.1).
_ALERT_KINDS = {
    "error": ("error", _("Fout")),
    "warning": ("warning", _("Let op")),
    "success": ("ok", _("Gelukt")),
    "info": ("info", _("Informatie")),
    "debug": ("info", _("Informatie")),
}


@register.simple_tag
def organisation_count(user) -> int:
    """How many organisations a user actively works for (the header offers a switch when > 1)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return 0
    memberships = getattr(user, "memberships", None)
    if memberships is None:
        return 0
    return memberships.filter(active=True).values("organisation_id").distinct().count()


@register.filter
def alert_modifier(level_tag: str) -> str:
    """``error`` → ``error``, ``success`` → ``ok``: the utrecht-alert--* modifier for a message."""
    return _ALERT_KINDS.get(level_tag, _ALERT_KINDS["info"])[0]


@register.filter
def alert_prefix(level_tag: str) -> str:
    """The word that says what kind of message it is, so colour is not the only cue."""
    return str(_ALERT_KINDS.get(level_tag, _ALERT_KINDS["info"])[1])


@register.filter
def can(actor, permission) -> bool:
    """``{% if actor|can:"view_worklist" %}``: ``actor.can(...)`` for templates, which cannot pass
    arguments. Takes the permission's value or its name (``"VIEW_WORKLIST"``); no actor → False."""
    if actor is None or not permission:
        return False
    return bool(actor.can(str(permission).lower()))
