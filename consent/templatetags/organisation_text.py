"""{% load organisation_text %}: mark text an organisation wrote with its language (Dutch).

Inline: {{ purpose.version.name|organisation_text }} gives <span lang="nl">...</span>.
On a block that holds only organisation text: <div lang="{% organisation_language %}">.
"""

from django import template

from consent import organisation_text as text

register = template.Library()

register.filter("organisation_text", text.organisation_text, is_safe=True)


@register.simple_tag
def organisation_language() -> str:
    return text.LANGUAGE
