"""The form renderer: Django's, with a select list written in Python.

Django renders every ``<option>`` of a ``<select>`` through two template includes (the option and
its attributes). A list of 300 schools or organisations then costs some 600 includes, about a third
of a case page's time (issue 14's load run). :class:`FormRenderer` writes exactly the HTML of
Django's ``select.html``, ``select_option.html`` and ``attrs.html`` (a test holds the two equal
for any choices and attributes) and leaves every other template to Django. A widget whose options
use another template than Django's own goes through the templates as before.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"


def attributes(attrs: Mapping[str, Any]) -> str:
    """``attrs.html``: `` name="value"`` per attribute, `` name`` for True, nothing for False."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        parts.append(f" {conditional_escape(name)}")
        if value is not True:
            parts.append(f'="{conditional_escape(str(value))}"')
    return "".join(parts)


def option(widget: Mapping[str, Any]) -> str:
    """``select_option.html``."""
    return (
        f'<option value="{conditional_escape(str(widget["value"]))}"'
        f"{attributes(widget['attrs'])}>{conditional_escape(widget['label'])}</option>"
    )


def select(widget: Mapping[str, Any]) -> str:
    """``select.html``, its line breaks and indentation included (stripped, as Django's renderer
    strips what a template gives)."""
    parts = [f'<select name="{conditional_escape(widget["name"])}"{attributes(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        # the option's include keeps its template's final line break
        parts.extend(f"\n  {option(choice)}\n" for choice in group_choices)
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


class FormRenderer(DjangoTemplates):
    """Django's default renderer, but a select list of Django's own options written directly."""

    def render(self, template_name: str, context: dict, request: Any = None) -> SafeString | str:
        if template_name == SELECT:
            widget = context["widget"]
            if all(
                choice["template_name"] == OPTION
                for _name, choices, _index in widget["optgroups"]
                for choice in choices
            ):
                return mark_safe(select(widget))  # every value in it is escaped
        return super().render(template_name, context, request)
