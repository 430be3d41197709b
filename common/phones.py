"""Phone numbers as the whole site reads and shows them (helpline, contacts)."""

import phonenumbers

REGION = "SE"


def parse_valid(value: str) -> phonenumbers.PhoneNumber | None:
    """The number a person typed (Swedish unless it starts with +), or None if not valid."""
    try:
        number = phonenumbers.parse(value, REGION)
    except phonenumbers.NumberParseException:
        return None
    return number if phonenumbers.is_valid_number(number) else None


def display(number: phonenumbers.PhoneNumber) -> str:
    """Swedish numbers in national format (031-392 90 31), others internationally."""
    style = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if phonenumbers.region_code_for_number(number) == REGION
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(number, style)


def e164(number: phonenumbers.PhoneNumber) -> str:
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
