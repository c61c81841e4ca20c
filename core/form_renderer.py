"""The form renderer of the portal: Django's own, with its plainest widget templates written out
in Python.

Measured on the pages (issue 17): through Django's templates the two-option radio of the
contact preference cost about 230 µs, a hidden input 55 µs and the organisation filter's
<select> 250 µs, nearly all of it in the chain of includes (radio.html, multiple_input.html,
radio_option.html, input_option.html, input.html and attrs.html for every option). Here those
templates are functions that give, character for character, what the template gives for the
same context; the widgets' own get_context() still decides every value and attribute.

Only the templates in _TEMPLATES are written out. Anything else (a form or field template, an
admin widget, an option template of its own) and any value a template would treat in a way of
its own (something callable, which a template calls, or an attribute named "items", which
{% for ... in widget.attrs.items %} would take for the dictionary's method) goes through
Django's templates as before. tests/test_form_renderer.py renders every portal form both ways
and compares.
"""

from html import escape

from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData
from django.utils.timezone import template_localtime

_WIDGETS = "django/forms/widgets/"


class _AsTemplate(Exception):
    """This context needs Django's template to come out the same."""


class PortalFormRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        write = _TEMPLATES.get(template_name)
        if write is not None:
            try:
                # BaseRenderer.render strips what the template gives, so does this.
                return write(context["widget"]).strip()
            except _AsTemplate:
                pass
        return super().render(template_name, context, request)


def _text(value) -> str:
    """{{ value }}: localised, made a string and escaped unless it is safe already. A plain
    string goes straight to html.escape, which is all django.utils.html.escape does with it
    besides its lazy-string wrapper (1-2 µs a call, and a radio has about 15 values)."""
    if type(value) is str:
        return escape(value)
    if callable(value):
        raise _AsTemplate
    value = localize(template_localtime(value))
    return conditional_escape(value if isinstance(value, str) else str(value))


def _formatted(value) -> str:
    """{{ value|stringformat:'s' }}: the filter is marked is_safe, so a safe value stays
    unescaped; the filter's own result is a string, which is not localised."""
    if type(value) is str:
        return escape(value)
    if callable(value):
        raise _AsTemplate
    try:
        text = "%s" % (str(value) if isinstance(value, tuple) else value)
    except (ValueError, TypeError):
        text = ""
    return text if isinstance(value, SafeData) else escape(text)


def _attrs(attrs: dict) -> str:
    """attrs.html: ` name="value"` each, only the name for True, nothing for False."""
    if "items" in attrs:
        raise _AsTemplate
    html = []
    for name, value in attrs.items():
        if value is True:
            html.append(f" {_text(name)}")
        elif value is not False:
            html.append(f' {_text(name)}="{_formatted(value)}"')
    return "".join(html)


def _include(widget: dict) -> str:
    """{% include option.template_name with widget=option %}"""
    write = _TEMPLATES.get(widget["template_name"])
    if write is None:
        raise _AsTemplate
    return write(widget)


def _input(widget: dict) -> str:
    value = widget["value"]
    value_html = "" if value is None else f' value="{_formatted(value)}"'
    return (
        f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"'
        f"{value_html}{_attrs(widget['attrs'])}>\n"
    )


def _input_option(widget: dict) -> str:
    html = _input(widget)
    if widget.get("wrap_label"):
        option_id = widget["attrs"].get("id")
        for_html = f' for="{_text(option_id)}"' if option_id else ""
        html = f"<label{for_html}>{html} {_text(widget['label'])}</label>"
    return f"{html}\n"


def _multiple_input(widget: dict) -> str:
    attrs = widget["attrs"]
    html = ["<div"]
    if attrs.get("id"):
        html.append(f' id="{_text(attrs["id"])}"')
    if attrs.get("class"):
        html.append(f' class="{_text(attrs["class"])}"')
    html.append(">")
    for group, options, _index in widget["optgroups"]:
        if group:
            html.append(f"\n  <div><label>{_text(group)}</label>")
        for option in options:
            html.append(f"<div>\n    {_include(option)}</div>")
        if group:
            html.append("\n  </div>")
    html.append("\n</div>\n")
    return "".join(html)


def _select(widget: dict) -> str:
    html = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group, options, _index in widget["optgroups"]:
        if group:
            html.append(f'\n  <optgroup label="{_text(group)}">')
        for option in options:
            html.append(f"\n  {_include(option)}")
        if group:
            html.append("\n  </optgroup>")
    html.append("\n</select>\n")
    return "".join(html)


def _select_option(widget: dict) -> str:
    return (
        f'<option value="{_formatted(widget["value"])}"{_attrs(widget["attrs"])}>'
        f"{_text(widget['label'])}</option>\n"
    )


def _textarea(widget: dict) -> str:
    value = widget["value"]
    value_html = _text(value) if value else ""
    start = f'<textarea name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>'
    return f"{start}\n{value_html}</textarea>\n"


def _then_newline(write):
    """A template that is only an include of another, and the newline at the end of its file."""
    return lambda widget: f"{write(widget)}\n"


_TEMPLATES = {
    f"{_WIDGETS}input.html": _input,
    f"{_WIDGETS}input_option.html": _input_option,
    f"{_WIDGETS}multiple_input.html": _multiple_input,
    f"{_WIDGETS}select.html": _select,
    f"{_WIDGETS}select_option.html": _select_option,
    f"{_WIDGETS}textarea.html": _textarea,
    f"{_WIDGETS}radio.html": _then_newline(_multiple_input),
    f"{_WIDGETS}checkbox_select.html": _then_newline(_multiple_input),
    f"{_WIDGETS}radio_option.html": _then_newline(_input_option),
    f"{_WIDGETS}checkbox_option.html": _then_newline(_input_option),
    **{
        f"{_WIDGETS}{name}.html": _then_newline(_input)
        for name in (
            "checkbox",
            "color",
            "date",
            "datetime",
            "email",
            "file",
            "hidden",
            "number",
            "password",
            "search",
            "tel",
            "text",
            "time",
            "url",
        )
    },
}
