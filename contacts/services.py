"""Writes for contacts: create a contact with its phone numbers, validated before saving."""

from collections.abc import Iterable, Sequence

from django.db import transaction

from .models import Contact, Phone, Region


@transaction.atomic
def contact_create(
    *,
    name: str,
    title: str = "",
    phones: Sequence[str] = (),
    email: str = "",
    is_nspm: bool = True,
    organisation: str = "Jämställdhetsmyndigheten",
    unit: str = "Nationella samordningen mot prostitution och människohandel",
    regions: Iterable[Region] = (),
    kind: str = Contact.Kind.PERSON,
    order: int = 0,
    published: bool = True,
    slug: str = "",
) -> Contact:
    """Create a contact and its numbers. Raises ValidationError (nothing saved) on bad input,
    e.g. an invalid phone number. An NSPM person without email gets the derived address."""
    contact = Contact(
        kind=kind,
        name=name,
        slug=slug,
        title=title,
        organisation=organisation,
        unit=unit,
        is_nspm=is_nspm,
        email=email,
        order=order,
        published=published,
    )
    contact.full_clean(exclude=["slug"])
    contact.save()
    for position, number in enumerate(phones):
        phone = Phone(contact=contact, number=number, order=position)
        phone.full_clean()
        phone.save()
    if regions:
        contact.regions.set(regions)
    return contact
