"""Contact people, their phone numbers, and the geography regional coordinators work in.

One Contact schema serves the directory (/kontakt/), the coordinator lookup and NMT.
"""

import phonenumbers
from django.contrib.postgres.search import TrigramWordSimilarity
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.models import Prefetch
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from common import phones
from common.i18n import localized

from .text import nspm_email_from_name, rank_similar, search_key

PHONE_REGION = phones.REGION
# How alike a name must be to count as "almost the same" in the contact search (0–1), and
# the shortest text that is compared at all (two letters are alike to too much).
SIMILARITY = 0.6
SIMILARITY_WITHOUT_TRIGRAMS = 0.75  # difflib's ratio is more generous than trigrams
SIMILAR_MIN_LENGTH = 4


class RegionQuerySet(models.QuerySet):
    def with_counties_and_coordinators(self):
        """Each region with its counties and its published coordinators (and their phones)."""
        return self.prefetch_related(
            Prefetch("counties", queryset=County.objects.order_by("name")),
            Prefetch(
                "contacts",
                queryset=Contact.objects.published().with_phones(),
                to_attr="coordinators",
            ),
        )


class Region(models.Model):
    """One of the seven police regions the regional coordinators work in."""

    name = models.CharField(
        _("namn"),
        max_length=60,
        unique=True,
        help_text=_('Regionens namn utan ordet "Region", t.ex. "Nord". Visas som "Region Nord".'),
    )
    name_en = models.CharField(
        _("namn på engelska"),
        max_length=60,
        blank=True,
        help_text=_('Namnet på engelska, t.ex. "North". Visas som "Region North".'),
    )
    slug = models.SlugField(
        _("adress"),
        max_length=60,
        unique=True,
        help_text=_("Används i filtret på kontaktsidan (?region=nord). Ändra inte i onödan."),
    )
    order = models.PositiveIntegerField(
        _("ordning"), default=0, help_text=_("Lägre tal visas först i listor.")
    )

    history = HistoricalRecords(verbose_name=_("historik för region"))
    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regioner")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return _("Region %(name)s") % {"name": localized(self, "name")}

    def get_absolute_url(self) -> str:
        return reverse("contacts:list") + f"?region={self.slug}"


class County(models.Model):
    """A Swedish county (län) with its two-digit SCB code."""

    code = models.CharField(_("länskod"), max_length=2, unique=True)
    name = models.CharField(_("namn"), max_length=60, unique=True)
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="counties",
        verbose_name=_("region"),
        help_text=_(
            "Den region vars regionkoordinatorer arbetar i länet. Ett län hör till en region; "
            "kommunerna i länet får regionens koordinatorer i sökningen."
        ),
    )

    history = HistoricalRecords(verbose_name=_("historik för län"))

    class Meta:
        verbose_name = _("län")
        verbose_name_plural = _("län")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class MunicipalityQuerySet(models.QuerySet):
    def for_lookup(self):
        return self.select_related("county").order_by("name")


class Municipality(models.Model):
    """A Swedish municipality (kommun) with its four-digit SCB code."""

    code = models.CharField(_("kommunkod"), max_length=4, unique=True)
    name = models.CharField(_("namn"), max_length=60)
    county = models.ForeignKey(
        County, on_delete=models.PROTECT, related_name="municipalities", verbose_name=_("län")
    )

    objects = MunicipalityQuerySet.as_manager()

    class Meta:
        verbose_name = _("kommun")
        verbose_name_plural = _("kommuner")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("contacts:coordinators") + f"?kommun={self.code}"


class PostalCode(models.Model):
    """A Swedish postal code with its postal town and the municipality it lies in.

    Reference data loaded by a migration (contacts/data/postnummer.csv, see the README for its
    source and coverage); read only by the coordinator lookup.
    """

    code = models.CharField(_("postnummer"), max_length=5, unique=True)
    locality = models.CharField(_("postort"), max_length=60)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="postal_codes",
        verbose_name=_("kommun"),
    )

    class Meta:
        verbose_name = _("postnummer")
        verbose_name_plural = _("postnummer")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code[:3]} {self.code[3:]} {self.locality}"


class ContactQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published=True)

    def people(self):
        return self.filter(kind=Contact.Kind.PERSON)

    def mailboxes(self):
        return self.filter(kind=Contact.Kind.MAILBOX)

    def with_phones(self):
        return self.prefetch_related(
            Prefetch("phones", queryset=Phone.objects.order_by("order", "id"))
        )

    def with_regions(self):
        return self.prefetch_related(Prefetch("regions", queryset=Region.objects.order_by("order")))

    def matching(self, text: str, *, region_ids=()):
        """Name, title or organisation containing ``text`` (case and accents ignored),
        or coordinators of one of ``region_ids`` (regions whose name matched the text)."""
        key = search_key(text)
        if not key:
            return self
        condition = models.Q(search_text__contains=key)
        if region_ids:
            condition |= models.Q(regions__in=list(region_ids))
        return self.filter(condition).distinct()

    def similar_to(self, text: str):
        """Names spelt almost like ``text`` ("paulson" finds Paulsson), best first: trigram
        word similarity on PostgreSQL, difflib over the words on SQLite."""
        key = search_key(text)
        if len(key) < SIMILAR_MIN_LENGTH:
            return self.none()
        if connection.vendor == "postgresql":
            return (
                self.annotate(similarity=TrigramWordSimilarity(key, "search_text"))
                .filter(similarity__gte=SIMILARITY)
                .order_by("-similarity", "order", "name")
            )
        ranked = rank_similar(
            key, self.values_list("pk", "search_text"), SIMILARITY_WITHOUT_TRIGRAMS
        )
        order = models.Case(
            *(models.When(pk=pk, then=i) for i, pk in enumerate(ranked)), default=len(ranked)
        )
        return self.filter(pk__in=ranked).order_by(order, "order", "name")


class Contact(models.Model):
    """A person practitioners can reach, or a functional mailbox such as nspm@…"""

    class Kind(models.TextChoices):
        PERSON = "person", _("Person")
        MAILBOX = "mailbox", _("Funktionsadress")

    kind = models.CharField(
        _("typ"),
        max_length=10,
        choices=Kind.choices,
        default=Kind.PERSON,
        help_text=_(
            "En funktionsadress (t.ex. nspm@…) visas överst på kontaktsidan som det allmänna "
            "sättet att nå NSPM, inte i listan över personer."
        ),
    )
    name = models.CharField(
        _("namn"), max_length=120, help_text=_("Förnamn och efternamn, t.ex. Mats Paulsson.")
    )
    slug = models.SlugField(
        _("adress"),
        max_length=120,
        unique=True,
        blank=True,
        help_text=_(
            "Del av länken till kontaktkortet: mats-paulsson ger /kontakt/mats-paulsson.vcf. "
            "Fylls i från namnet om du lämnar fältet tomt och ändras inte när namnet ändras."
        ),
    )
    title = models.CharField(
        _("titel"),
        max_length=200,
        blank=True,
        help_text=_(
            'Visas under namnet, t.ex. "Senior utredare, prostitution och människohandel".'
        ),
    )
    title_en = models.CharField(
        _("titel på engelska"),
        max_length=200,
        blank=True,
        help_text=_('Titeln på engelska, t.ex. "Senior Analyst, Prostitution and Trafficking".'),
    )
    organisation = models.CharField(
        _("organisation"),
        max_length=200,
        default="Jämställdhetsmyndigheten",
        help_text=_("Myndighet, kommun eller organisation. Visas på kortet och i vCard (ORG)."),
    )
    organisation_en = models.CharField(
        _("organisation på engelska"),
        max_length=200,
        blank=True,
        help_text=_("Organisationens engelska namn, för de engelska sidorna. Kan lämnas tom."),
    )
    unit = models.CharField(
        _("enhet"),
        max_length=200,
        blank=True,
        default="Nationella samordningen mot prostitution och människohandel",
        help_text=_("Enhet eller avdelning inom organisationen. Kan lämnas tom."),
    )
    unit_en = models.CharField(
        _("enhet på engelska"),
        max_length=200,
        blank=True,
        help_text=_("Enheten på engelska, för de engelska sidorna. Kan lämnas tom."),
    )
    is_nspm = models.BooleanField(
        _("medarbetare på NSPM"),
        default=True,
        help_text=_(
            "Medarbetare på NSPM visas under NSPM på kontaktsidan. Lämnar du e-postadressen "
            "tom fylls den i enligt formen fornamn.efternamn@jamstalldhetsmyndigheten.se."
        ),
    )
    email = models.EmailField(
        _("e-post"),
        blank=True,
        help_text=_(
            "För NSPM:s medarbetare: lämna tomt så skapas adressen från namnet (å, ä → a, "
            "ö → o, é → e, dubbla förnamn med bindestreck: Anna Karin Svensson → "
            "anna-karin.svensson@…). Skriv en adress för att ersätta den."
        ),
    )
    regions = models.ManyToManyField(
        Region,
        blank=True,
        related_name="contacts",
        # The admin builds "Tillgängliga …" and "Välj alla …" from this name: a plural noun.
        verbose_name=_("regioner"),
        help_text=_(
            "Regionerna kontakten är regionkoordinator för. Välj en eller flera för att göra "
            "kontakten till regionkoordinator; den visas då direkt i sökningen på "
            "regionkoordinatorer."
        ),
    )
    order = models.PositiveIntegerField(
        _("ordning"), default=0, help_text=_("Lägre tal visas först på sidorna.")
    )
    published = models.BooleanField(
        _("publicerad"), default=True, help_text=_("Avmarkera för att dölja kontakten direkt.")
    )
    search_text = models.TextField(editable=False, blank=True, default="")

    history = HistoricalRecords(
        verbose_name=_("historik för kontakt"), excluded_fields=["search_text"]
    )
    objects = ContactQuerySet.as_manager()

    class Meta:
        verbose_name = _("kontakt")
        verbose_name_plural = _("kontakter")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if not self.email and self.kind == self.Kind.PERSON:
            self.email = self.derived_email
        if not self.slug:
            self.slug = self._unique_slug()
        self.search_text = search_key(
            " ".join([self.name, self.title, self.organisation, self.unit, self.title_en])
        )
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("contacts:list") + f"#kontakt-{self.slug}"

    @property
    def derived_email(self) -> str:
        return nspm_email_from_name(self.name) if self.is_nspm else ""

    @property
    def email_parts(self) -> tuple[str, str]:
        """(local part, domain): templates break a long address before the @, not mid-word."""
        local, _sep, domain = self.email.partition("@")
        return local, domain

    @property
    def organisation_display(self) -> str:
        parts = (localized(self, "organisation"), localized(self, "unit") if self.unit else "")
        return ", ".join(part for part in parts if part)

    def clean(self):
        super().clean()
        if self.kind == self.Kind.MAILBOX and not self.email:
            raise ValidationError({"email": _("En funktionsadress måste ha en e-postadress.")})
        if (
            not self.email
            and self.is_nspm
            and self.kind == self.Kind.PERSON
            and not self.derived_email
        ):
            raise ValidationError(
                {"email": _("Det gick inte att skapa en e-postadress av namnet. Skriv adressen.")}
            )

    def _unique_slug(self) -> str:
        base = slugify(self.name)[:110] or "kontakt"
        slug, n = base, 2
        while Contact.objects.filter(slug=slug).exclude(pk=self.pk).exists():
            slug, n = f"{base}-{n}", n + 1
        return slug


class Phone(models.Model):
    """A phone number of a contact, stored in E.164 (+46313929031)."""

    class Kind(models.TextChoices):
        WORK = "work", _("Arbete")
        MOBILE = "cell", _("Mobil")

    contact = models.ForeignKey(
        Contact, on_delete=models.CASCADE, related_name="phones", verbose_name=_("kontakt")
    )
    number = models.CharField(
        _("telefonnummer"),
        max_length=32,
        help_text=_(
            "Skriv numret som det brukar skrivas, t.ex. 031-392 90 31 eller 073 056 87 79. "
            "Utländska nummer med landsnummer: +45 …"
        ),
    )
    kind = models.CharField(
        _("typ"),
        max_length=4,
        choices=Kind.choices,
        blank=True,
        help_text=_("Lämna tomt så avgörs det av numret (07… blir mobil)."),
    )
    order = models.PositiveIntegerField(_("ordning"), default=0)

    history = HistoricalRecords(verbose_name=_("historik för telefonnummer"))

    class Meta:
        verbose_name = _("telefonnummer")
        verbose_name_plural = _("telefonnummer")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.display

    def _parsed(self):
        try:
            return phonenumbers.parse(self.number, PHONE_REGION)
        except phonenumbers.NumberParseException:
            return None

    def clean(self):
        super().clean()
        parsed = phones.parse_valid(self.number)
        if parsed is None:
            raise ValidationError(
                {
                    "number": _(
                        "”%(number)s” är inte ett giltigt telefonnummer. Skriv hela numret med "
                        "riktnummer, t.ex. 031-392 90 31 eller 073-056 87 79."
                    )
                    % {"number": self.number}
                }
            )
        self.number = phones.e164(parsed)
        if not self.kind:
            is_mobile = phonenumbers.number_type(parsed) == phonenumbers.PhoneNumberType.MOBILE
            self.kind = self.Kind.MOBILE if is_mobile else self.Kind.WORK

    @property
    def e164(self) -> str:
        parsed = self._parsed()
        return self.number if parsed is None else phones.e164(parsed)

    @property
    def display(self) -> str:
        """Swedish numbers in national format (031-392 90 31), others internationally."""
        parsed = self._parsed()
        return self.number if parsed is None else phones.display(parsed)
