"""Temporary: the helpline app replaces this with the live status."""


def helpline(request):
    return {"helpline": {"number_display": "020-39 00 00", "number_e164": "+4620390000"}}
