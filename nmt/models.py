"""NMT, the national method support team: its member agencies and its contact people.

Contact people are the directory's own Contact records (contacts.Contact), never copies.
"""

from django.db import models
from django.db.models import Prefetch
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from contacts.models import Contact


class MemberQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published=True)

    def with_contacts(self):
        return self.prefetch_related(
            Prefetch(
                "contacts",
                queryset=Contact.objects.published().with_phones(),
                to_attr="published_contacts",
            )
        )


class Member(models.Model):
    """A member agency (or group of agencies) of NMT."""

    name = models.CharField(
        _("namn"),
        max_length=200,
        help_text=_('Myndighetens namn som det ska stå i listan, t.ex. "Polismyndigheten".'),
    )
    slug = models.SlugField(
        _("ankare"),
        max_length=120,
        unique=True,
        blank=True,
        help_text=_(
            "Fast ankare för länkar från andra sidor: polismyndigheten ger "
            "/nmt/#medlem-polismyndigheten. Skapas från namnet första gången och ändras inte "
            "när namnet ändras, så att länkar håller."
        ),
    )
    description = models.TextField(
        _("beskrivning"),
        max_length=600,
        help_text=_(
            "En eller två meningar, sakligt, om myndighetens del i arbetet mot prostitution, "
            "exploatering och människohandel. Visas under namnet."
        ),
    )
    name_en = models.CharField(
        _("namn på engelska"),
        max_length=200,
        blank=True,
        help_text=_('Myndighetens engelska namn, t.ex. "Swedish Police Authority".'),
    )
    description_en = models.TextField(
        _("beskrivning på engelska"),
        max_length=600,
        blank=True,
        help_text=_("Samma beskrivning på engelska, för den engelska NMT-sidan."),
    )
    website = models.URLField(
        _("webbplats"),
        blank=True,
        help_text=_("Länk till myndighetens webbplats (https://…). Kan lämnas tom."),
    )
    order = models.PositiveIntegerField(
        _("ordning"), default=0, help_text=_("Lägre tal visas först i listan på NMT-sidan.")
    )
    published = models.BooleanField(
        _("publicerad"),
        default=True,
        help_text=_("Avmarkera för att ta bort myndigheten från NMT-sidan direkt."),
    )
    contacts = models.ManyToManyField(
        Contact,
        blank=True,
        related_name="nmt_memberships",
        verbose_name=_("kontaktpersoner"),
        help_text=_(
            "Valfritt: personer i kontaktregistret som företräder myndigheten i NMT. Samma "
            "uppgifter som på kontaktsidan; ändras de där ändras de här."
        ),
    )

    history = HistoricalRecords(verbose_name=_("historik för medlem"))
    objects = MemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("medlem i NMT")
        verbose_name_plural = _("medlemmar i NMT")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            base = slugify(self.name)[:110] or "medlem"
            slug, n = base, 2
            while Member.objects.filter(slug=slug).exclude(pk=self.pk).exists():
                slug, n = f"{base}-{n}", n + 1
            self.slug = slug
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("nmt:index") + f"#{self.anchor}"

    @property
    def anchor(self) -> str:
        return f"medlem-{self.slug}"


class NmtContactQuerySet(models.QuerySet):
    def published(self):
        return self.filter(contact__published=True)

    def for_page(self):
        return (
            self.published()
            .select_related("contact")
            .prefetch_related("contact__phones")
            .order_by("order", "contact__name")
        )


class NmtContact(models.Model):
    """A person in the contact directory shown as one of NMT's contact people."""

    contact = models.OneToOneField(
        Contact,
        on_delete=models.CASCADE,
        related_name="nmt_contact",
        verbose_name=_("kontakt"),
        help_text=_("Välj en person ur kontaktregistret. Uppgifterna hämtas därifrån."),
    )
    order = models.PositiveIntegerField(_("ordning"), default=0)

    history = HistoricalRecords(verbose_name=_("historik för NMT-kontakt"))
    objects = NmtContactQuerySet.as_manager()

    class Meta:
        verbose_name = _("kontaktperson för NMT")
        verbose_name_plural = _("kontaktpersoner för NMT")
        ordering = ["order", "contact__name"]

    def __str__(self) -> str:
        return str(self.contact)

    def get_absolute_url(self) -> str:
        return reverse("nmt:index") + "#kontaktpersoner"
