"""Editors' texts in the visitor's language.

English texts live beside the Swedish ones in ``<field>_en`` fields, edited in the same
admin form. This is the one place that says which of the two a page shows.
"""

from django.utils.translation import get_language

ENGLISH = "en"


def localized(obj, field: str) -> str:
    """``obj.<field>`` in the active language: on English pages ``<field>_en``, or the
    Swedish text while no English one has been written (a name, for instance, is often the
    same in both); on Swedish pages always the Swedish text."""
    swedish = getattr(obj, field)
    if get_language() != ENGLISH:
        return swedish
    return getattr(obj, f"{field}_en", "") or swedish
