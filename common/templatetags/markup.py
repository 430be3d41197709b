from django import template
from django.utils.safestring import mark_safe

from common.markup import render_markdown

register = template.Library()


@register.filter
def markdown(text: str) -> str:
    return mark_safe(render_markdown(text))  # noqa: S308 - cleaned by nh3
