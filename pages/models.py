import contextlib

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

# A change to any of these is a change to the text a visitor reads.
TEXT_FIELDS = ("title", "description", "body")
# The same for the English text, which has its own "Last updated".
TEXT_FIELDS_EN = ("title_en", "description_en", "body_en")


def text_differs(stored: dict, page: "Page", fields=TEXT_FIELDS) -> bool:
    """Whether what a visitor reads differs.

    Compared as text: the form strips surrounding whitespace and a browser sends CRLF line
    breaks, so an untouched body would otherwise count as changed.
    """

    def normal(value) -> str:
        return (value or "").replace("\r\n", "\n").strip()

    return any(normal(stored[name]) != normal(getattr(page, name)) for name in fields)


class PageQuerySet(models.QuerySet):
    def by_slug(self, slug: str) -> "Page":
        return self.get(slug=slug)

    def oldest_update_first(self):
        return self.order_by("updated_on", "title")

    def shown(self):
        """The pages the site has an address for (``URL_NAMES``)."""
        return self.filter(slug__in=list(URL_NAMES))


class Page(models.Model):
    """A text page whose content editors own (about, accessibility, privacy, app intros)."""

    # The pages the site's URLs point at; the slug ties a URL to its text.
    START = "start"
    ABOUT = "om-nspm"
    HELPLINE = "stodtelefon"
    NMT = "nmt"
    NEWSLETTER = "nyhetsbrev"
    ACCESSIBILITY = "tillganglighet"
    PRIVACY = "personuppgifter"

    slug = models.SlugField(
        _("adress"),
        unique=True,
        help_text=_("Sidans nyckel. Bestämmer var texten visas; ändra inte."),
    )
    title = models.CharField(_("rubrik"), max_length=200, help_text=_("Sidans huvudrubrik (h1)."))
    description = models.CharField(
        _("beskrivning"),
        max_length=300,
        help_text=_("En eller två meningar som visas i sökmotorer och när sidan delas."),
    )
    body = models.TextField(
        _("brödtext"),
        help_text=_(
            "Skriv vanlig text. Tom rad ger nytt stycke, ## i början av en rad ger en "
            "mellanrubrik, - i början av en rad ger en punktlista och [text](adress) en länk."
        ),
    )
    published_on = models.DateField(
        _("publiceringsdatum"),
        help_text=_("När sidan först publicerades. Visas längst ned på sidan."),
    )
    updated_on = models.DateField(
        _("senast uppdaterad"),
        help_text=_("Sätts till dagens datum när texten ändras och sparas."),
    )
    # The English text (/en/…), published as soon as it is saved; empty: the English
    # address says that the page is only in Swedish, with a link to it.
    title_en = models.CharField(_("rubrik på engelska"), max_length=200, blank=True)
    description_en = models.CharField(_("beskrivning på engelska"), max_length=300, blank=True)
    body_en = models.TextField(
        _("brödtext på engelska"),
        blank=True,
        help_text=_(
            "Lämna tomt om sidan inte finns på engelska: den engelska adressen visar då en kort "
            "hänvisning till den svenska sidan."
        ),
    )
    updated_on_en = models.DateField(
        _("engelska texten senast uppdaterad"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Sätts till dagens datum när den engelska texten ändras och sparas."),
    )
    published_on_en = models.DateField(
        _("engelska texten publicerad"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Sätts första gången en engelsk text sparas."),
    )

    history = HistoricalRecords(verbose_name=_("historik för sida"))
    objects = PageQuerySet.as_manager()

    class Meta:
        verbose_name = _("sida")
        verbose_name_plural = _("sidor")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    #: When a change of text takes effect, if not now: a scheduled publication's time, so
    #: "Senast uppdaterad" is the day it was published even if it is applied later.
    text_changed_at = None

    def save(self, *args, **kwargs):
        if getattr(self, "shown_in", None) == "en":
            raise ValueError(
                "A page shown in English holds the English text in its Swedish fields."
            )
        self.updated_on = self.updated_on_when_saved()
        self.updated_on_en = self.updated_on_en_when_saved()
        if self.has_english_text and self.published_on_en is None:
            self.published_on_en = self.updated_on_en
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and set(update_fields) & set(TEXT_FIELDS):
            kwargs["update_fields"] = {*update_fields, "updated_on"}
        if update_fields is not None and set(update_fields) & set(TEXT_FIELDS_EN):
            kwargs["update_fields"] = {
                *kwargs["update_fields"],
                "updated_on_en",
                "published_on_en",
            }
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse(URL_NAMES.get(self.slug, "pages:home"))

    @property
    def has_english_text(self) -> bool:
        return bool(self.body_en.strip() and self.title_en.strip())

    @property
    def lacks_english(self) -> bool:
        """No English text: no hreflang="en" points at the English address's notice."""
        return not self.has_english_text

    def in_language(self, language: str) -> "Page":
        """This page as shown in ``language``: for English, the English text and its own
        dates in the fields the templates read (not to be saved); ``untranslated`` says that
        there is no English text to show."""
        self.untranslated = False
        if language != "en":
            return self
        self.shown_in = language
        self.untranslated = not self.has_english_text
        self.title, self.description, self.body = self.title_en, self.description_en, self.body_en
        self.published_on = self.published_on_en or self.updated_on_en
        self.updated_on = self.updated_on_en
        return self

    def updated_on_en_when_saved(self):
        """ "Last updated" of the English text: as ``updated_on_when_saved`` for the Swedish,
        empty while there is no English text."""
        if not self.has_english_text:
            return self.updated_on_en
        stored = (
            Page.objects.filter(pk=self.pk).values(*TEXT_FIELDS_EN, "updated_on_en").first()
            if self.pk is not None
            else None
        )
        today = timezone.localdate()
        if stored is None or stored["updated_on_en"] is None:
            return self.updated_on_en or today
        if text_differs(stored, self, TEXT_FIELDS_EN):
            return today
        return stored["updated_on_en"]

    def updated_on_when_saved(self):
        """ "Senast uppdaterad" follows the text, whoever saves (admin, shell, a command, a
        scheduled publication): saving without changing it keeps the stored date. Compared
        with the stored row, because a revert from the history starts from the old version
        and must still count as a change. A new page keeps a date it is given (imported
        text), else today. A preview shows the date this would give."""
        stored = (
            Page.objects.filter(pk=self.pk).values(*TEXT_FIELDS, "updated_on").first()
            if self.pk is not None
            else None
        )
        today = (
            timezone.localdate(self.text_changed_at)
            if self.text_changed_at is not None
            else timezone.localdate()
        )
        if stored is None:
            return self.updated_on or today
        if text_differs(stored, self):
            return today
        return stored["updated_on"]


class PageDraftQuerySet(models.QuerySet):
    def due(self, now):
        """Scheduled drafts whose publication time has come."""
        return self.filter(publish_at__lte=now)

    def next_publication(self, now):
        """The next moment a scheduled draft becomes the page visitors see, or None."""
        return self.filter(publish_at__gt=now).aggregate(at=models.Min("publish_at"))["at"]


class PageDraft(models.Model):
    """A page's next text, not yet shown to visitors: saved as a draft, previewed, and
    published by an editor or, when ``publish_at`` is set, at that time (pages.services).

    One per page: editing a page that has a draft edits the draft.
    """

    page = models.OneToOneField(
        Page, on_delete=models.CASCADE, related_name="draft", verbose_name=_("sida")
    )
    title = models.CharField(_("rubrik"), max_length=200)
    description = models.CharField(_("beskrivning"), max_length=300)
    body = models.TextField(_("brödtext"))
    published_on = models.DateField(_("publiceringsdatum"))
    publish_at = models.DateTimeField(
        _("publiceras"),
        null=True,
        blank=True,
        help_text=_("När utkastet ersätter sidan för besökarna. Tomt: inte schemalagt."),
    )
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sparat av"),
    )
    saved_at = models.DateTimeField(_("sparat"), auto_now=True)

    objects = PageDraftQuerySet.as_manager()

    class Meta:
        verbose_name = _("utkast till sida")
        verbose_name_plural = _("utkast till sidor")

    def __str__(self) -> str:
        return _("Utkast: %(title)s") % {"title": self.title}

    def apply_to(self, page: Page) -> Page:
        """``page`` with this draft's text (not saved)."""
        for name in DRAFT_FIELDS:
            setattr(page, name, getattr(self, name))
        return page


# What a draft holds: everything an editor writes on the page's form.
DRAFT_FIELDS = (*TEXT_FIELDS, "published_on")


# Where each page's text is shown.
URL_NAMES = {
    Page.START: "pages:home",
    Page.ABOUT: "pages:about",
    Page.HELPLINE: "helpline:detail",
    Page.NMT: "nmt:index",
    Page.NEWSLETTER: "newsletter:signup",
    Page.ACCESSIBILITY: "pages:accessibility",
    Page.PRIVACY: "pages:privacy",
}


class DocumentQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published=True)


class Document(models.Model):
    """A downloadable document (a brochure, a report) shown on a page."""

    page = models.ForeignKey(
        Page,
        on_delete=models.PROTECT,
        related_name="documents",
        verbose_name=_("visas på sidan"),
        help_text=_("Dokumentet listas under sidans text."),
    )
    title = models.CharField(
        _("titel"), max_length=300, help_text=_("Visas som länktext i dokumentlistan.")
    )
    slug = models.SlugField(
        _("adress"),
        max_length=120,
        unique=True,
        help_text=_("Del av länken: broschyr ger /dokument/broschyr/."),
    )
    description = models.TextField(
        _("beskrivning"),
        max_length=600,
        blank=True,
        help_text=_(
            "En eller två meningar om vad dokumentet handlar om. Visas i dokumentlistan och i "
            "webbplatsens sökning."
        ),
    )
    file = models.FileField(
        _("fil"),
        upload_to="dokument/",
        blank=True,
        help_text=_(
            "PDF, Word, Excel, PowerPoint eller OpenDocument, högst 20 MB. Utan fil visas "
            "dokumentet utan länk."
        ),
    )
    file_type = models.CharField(_("filtyp"), max_length=10, blank=True, editable=False)
    file_size = models.PositiveBigIntegerField(_("storlek i byte"), null=True, editable=False)
    content_type = models.CharField(max_length=120, blank=True, editable=False)
    order = models.PositiveIntegerField(
        _("ordning"), default=0, help_text=_("Lägre tal visas först i listan på sidan.")
    )
    published = models.BooleanField(
        _("publicerad"),
        default=True,
        help_text=_("Avmarkera för att ta bort dokumentet från webbplatsen utan att radera det."),
    )

    history = HistoricalRecords(verbose_name=_("historik för dokument"))
    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("dokument")
        verbose_name_plural = _("dokument")
        ordering = ["order", "title"]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        # A new file (not the one read from the database): its type and size are read again.
        if self.file and self.file.name != getattr(self, "stored_file_name", None):
            # A name set without its file (a shell, an import) has no facts to read.
            with contextlib.suppress(FileNotFoundError):
                self.read_file_facts()
        super().save(*args, **kwargs)
        self.stored_file_name = self.file.name

    def get_absolute_url(self) -> str:
        return reverse("pages:document", kwargs={"slug": self.slug})

    @classmethod
    def from_db(cls, db, field_names, values):
        document = super().from_db(db, field_names, values)
        document.stored_file_name = document.file.name if "file" in field_names else None
        return document

    def read_file_facts(self) -> None:
        """Type and size are read from the new file itself, so the listing never lies."""
        from .validators import ALLOWED, sniff_document

        ext = sniff_document(self.file)
        if ext:
            self.file_type = ext
            self.content_type = ALLOWED[ext]
        self.file_size = self.file.size

    @property
    def has_file(self) -> bool:
        return bool(self.file)

    @property
    def size_display(self) -> str:
        """Size as Swedish readers expect it: "928 kB", "1,2 MB"."""
        if not self.file_size:
            return ""
        if self.file_size < 1_000_000:
            return f"{max(1, round(self.file_size / 1000))} kB"
        return f"{self.file_size / 1_000_000:.1f} MB".replace(".", ",")
