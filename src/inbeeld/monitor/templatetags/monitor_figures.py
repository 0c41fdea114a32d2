"""Showing a figure: a number, or the mark for a hidden one (never an empty cell)."""

from __future__ import annotations

from django import template
from django.template.defaultfilters import floatformat
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()


def _hidden():
    return format_html(
        '<span class="monitor-hidden" data-testid="hidden-figure">x<span class="inbeeld-visually-hidden"> ({})</span></span>',
        _("verborgen"),
    )


@register.filter
def figure(value):
    """A count or a median: ``None`` is hidden (fewer than 5, or derivable from a total)."""
    if value is None:
        return _hidden()
    if isinstance(value, float):
        return floatformat(value, -1)
    return value


@register.filter
def rate(value):
    """Per 1,000 pupils, two decimals (Dutch decimal comma)."""
    if value is None:
        return _hidden()
    return floatformat(value, 2)


@register.filter
def get(mapping, key):
    """``row.values|get:"now"`` for templates."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None
