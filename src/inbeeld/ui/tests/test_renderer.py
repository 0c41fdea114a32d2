"""The select list written in Python is the HTML Django's templates write, for any choices."""

from __future__ import annotations

from django import forms
from django.forms.renderers import DjangoTemplates
from hypothesis import given, settings
from hypothesis import strategies as st

from inbeeld.ui.renderer import FormRenderer

TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=12)
CHOICE = st.tuples(st.one_of(TEXT, st.integers(-5, 500)), TEXT)
CHOICES = st.lists(
    st.one_of(CHOICE, st.tuples(TEXT.filter(bool), st.lists(CHOICE, min_size=1, max_size=4))),
    max_size=8,
)
ATTRS = st.dictionaries(
    st.sampled_from(["id", "class", "aria-describedby", "required", "disabled", "data-x"]),
    st.one_of(st.booleans(), TEXT, st.integers(0, 9)),
    max_size=4,
)


def _both(widget: forms.Select, name: str, value: object, attrs: dict) -> tuple[str, str]:
    return (
        widget.render(name, value, attrs=attrs, renderer=FormRenderer()),
        widget.render(name, value, attrs=attrs, renderer=DjangoTemplates()),
    )


@settings(max_examples=200, deadline=None)
@given(choices=CHOICES, attrs=ATTRS, name=TEXT, pick=st.integers(0, 10), multiple=st.booleans())
def test_the_select_is_djangos(choices, attrs, name, pick, multiple):
    flat = [
        value
        for value, label in choices
        for value in ([v for v, _ in label] if isinstance(label, list) else [value])
    ]
    widget = forms.SelectMultiple(choices=choices) if multiple else forms.Select(choices=choices)
    value = (flat[pick % len(flat)] if flat else None) if not multiple else flat[:pick]
    ours, djangos = _both(widget, name, value, attrs)
    assert ours == djangos


def test_a_model_choice_field_renders_the_same():
    """A form's select (the case page's school list) comes out of the renderer unchanged."""

    class Form(forms.Form):
        school = forms.ChoiceField(
            choices=[("", "---------"), (1, "De <Bron> & co"), (2, "Ééntje")]
        )

    fast = Form(initial={"school": 1}, renderer=FormRenderer())["school"].as_widget()
    slow = Form(initial={"school": 1}, renderer=DjangoTemplates())["school"].as_widget()
    assert fast == slow
    assert "&lt;Bron&gt; &amp; co" in fast
    assert 'value="1" selected' in fast


def test_another_option_template_goes_through_the_templates():
    class Marked(forms.Select):
        option_template_name = "django/forms/widgets/input_option.html"

    html = Marked(choices=[(1, "a")]).render("x", 1, renderer=FormRenderer())
    assert "<input" in html  # the option's own template was used
