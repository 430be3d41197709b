"""``{% capture as name %}…{% endcapture %}``: render a piece of template once, use it twice.

base.html renders the ``title`` and ``description`` blocks through it, so a page states its
title once and gets it in ``<title>``, the description meta tag and Open Graph alike.
"""

from django import template
from django.utils.safestring import mark_safe

register = template.Library()


class CaptureNode(template.Node):
    def __init__(self, nodelist, name: str):
        # Called "nodelist" so that {% block %} tags inside are found by {% extends %}.
        self.nodelist = nodelist
        self.name = name

    def render(self, context) -> str:
        # Rendered output is already escaped; str.strip() would drop its SafeString mark
        # and the text would be escaped twice where it is used.
        context[self.name] = mark_safe(self.nodelist.render(context).strip())  # noqa: S308
        return ""


@register.tag
def capture(parser, token):
    bits = token.split_contents()
    if len(bits) != 3 or bits[1] != "as":
        raise template.TemplateSyntaxError("Usage: {% capture as name %}…{% endcapture %}")
    nodelist = parser.parse(("endcapture",))
    parser.delete_first_token()
    return CaptureNode(nodelist, bits[2])
