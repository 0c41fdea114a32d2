"""Template helpers of the base layout. The ui layer imports no app: it only follows relations."""

from __future__ import annotations

from django import template
from django.urls import NoReverseMatch, reverse
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


#: the main menu, in order: the page (URL name), its label, where it is the current page (a view
#: name, ``app:view``, or every view of a namespace, ``app``) and the permissions of which any one
#: shows it. A page whose URL is not there (an app not installed) is left out.
MAIN_MENU = (
    (
        "today:index",
        _("Vandaag"),
        "today:index",
        (
            "HANDLE_MELDING",
            "WORK_ON_CASES",
            "DECIDE_ESCALATION",
            "DECIDE_LEAVE",
            "DECIDE_EXEMPTION",
            "ADVISE_EXEMPTION",
            "REGISTER_CONCERN",
        ),
    ),
    ("attendance:home", _("Wie zit er thuis?"), "attendance:home", ("VIEW_WORKLIST",)),
    ("attendance:search", _("Zoeken"), "attendance:search", ("SEARCH_STUDENTS",)),
    ("cases:list", _("Casussen"), "cases", ("WORK_ON_CASES",)),
    ("prevention:list", _("Schoolteams"), "prevention", ("WORK_ON_CASES",)),
    ("monitor:dashboard", _("Monitor"), "monitor", ("VIEW_FIGURES",)),
    ("imports:index", _("Import"), "imports", ("IMPORT_DATA",)),
    ("beheer:index", _("Beheer"), "beheer", ("MANAGE_ORGANISATION",)),
    ("attendance:detection", _("Detectie"), "attendance:detection", ("RUN_DETECTION",)),
    ("concerns:index", _("Zorgen en matches"), "concerns", ("REGISTER_CONCERN",)),
    ("leave:index", _("Verlof"), "leave", ("REGISTER_LEAVE_REQUEST", "DECIDE_LEAVE")),
    (
        "exemptions:index",
        _("Vrijstellingen"),
        "exemptions",
        ("REGISTER_EXEMPTION_REQUEST", "ADVISE_EXEMPTION", "DECIDE_EXEMPTION"),
    ),
    ("privacy:index", _("Privacy"), "privacy", ("REVIEW_ACCESS",)),
)


@register.inclusion_tag("ui/_main_menu.html", takes_context=True)
def main_menu(context) -> dict:
    """The items of :data:`MAIN_MENU` the acting actor may use, the current page marked."""
    actor = context.get("actor")
    match = getattr(context.get("request"), "resolver_match", None)
    items = []
    for name, label, current, permissions in MAIN_MENU:
        if not any(can(actor, permission) for permission in permissions):
            continue
        try:
            href = reverse(name)
        except NoReverseMatch:
            continue
        here = match is not None and current in (match.view_name, match.namespace)
        items.append(
            {"href": href, "label": label, "current": here, "count": _count(context, name)}
        )
    return {"items": items}


def _count(context, name: str) -> int:
    """The number shown with a menu item (``menu_counts``, a callable an app's context processor
    gives, counted only when asked): what is to do there; 0 shows none."""
    counts = context.get("menu_counts")
    if not callable(counts) or name not in MENU_COUNTED:
        return 0
    return counts().get(name, 0)


#: the menu items that show a number (their count comes from ``menu_counts``)
MENU_COUNTED = frozenset({"today:index"})


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
