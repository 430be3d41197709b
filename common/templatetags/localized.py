from django import template

from common.i18n import localized as localized_text

register = template.Library()


@register.filter
def localized(obj, field: str) -> str:
    """``{{ member|localized:"description" }}``: the text in the page's language."""
    return localized_text(obj, field)
