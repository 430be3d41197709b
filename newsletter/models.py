"""The newsletter: subscribers with their consent evidence, issues, and who got which issue.

Subscriber data is deliberately kept out of simple_history and out of every string
Django writes to the admin change log: a subscriber is "Prenumerant #12", never an address.
"""

import secrets
import unicodedata
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Exists, Max, OuterRef, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

ISSUE_INTERVAL = timedelta(weeks=6)


def new_nonce() -> str:
    return secrets.token_urlsafe(16)


def single_line(value: str) -> None:
    """A mail header's text: no line break of any kind (\\n, \\r, U+2028 …), no control character.

    A line break in a header would end the header there (or be refused by the mail
    library); the admin form and the sender both ask this one function.
    """
    if any(unicodedata.category(char) in ("Cc", "Zl", "Zp") for char in value or ""):
        raise ValidationError(
            _("Ämnesraden får bara vara en rad: ta bort radbrytningar och andra styrtecken."),
            code="line_break",
        )


class SubscriberQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(state=Subscriber.State.CONFIRMED)

    def unconfirmed_since(self, cutoff):
        """Signups nobody confirmed, asked for before `cutoff`."""
        return self.filter(state=Subscriber.State.PENDING, requested_at__lt=cutoff)


class Subscriber(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("Väntar på bekräftelse")
        CONFIRMED = "confirmed", _("Prenumererar")
        UNSUBSCRIBED = "unsubscribed", _("Har avslutat")
        BOUNCED = "bounced", _("Adressen fungerar inte")

    class Basis(models.TextChoices):
        FORM = "form", _("Anmälan på webbplatsen")
        IMPORT = "import", _("Importerad från tidigare lista")

    # Stored normalised and in lower case (see newsletter.addresses), so a plain
    # unique index makes addresses unique case-insensitively on every database.
    email = models.EmailField(
        _("e-postadress"),
        max_length=254,
        unique=True,
        help_text=_("Sparas med små bokstäver. Visas bara för nyhetsbrevsansvariga."),
    )
    state = models.CharField(
        _("status"), max_length=16, choices=State.choices, default=State.PENDING
    )
    basis = models.CharField(
        _("grund"),
        max_length=8,
        choices=Basis.choices,
        default=Basis.FORM,
        help_text=_("Hur adressen kom in på listan."),
    )
    requested_at = models.DateTimeField(
        _("anmälan gjord"), null=True, blank=True, help_text=_("När anmälan skickades in.")
    )
    confirmed_at = models.DateTimeField(
        _("bekräftad"),
        null=True,
        blank=True,
        help_text=_("När personen bekräftade via länken i mejlet (eller importdatum)."),
    )
    unsubscribed_at = models.DateTimeField(_("avslutad"), null=True, blank=True)
    signup_text_version = models.CharField(
        _("version av anmälningstexten"),
        max_length=40,
        blank=True,
        help_text=_("Vilken text personen såg när hen anmälde sig."),
    )
    confirmed_ip = models.CharField(
        _("förkortad IP-adress"),
        max_length=50,
        blank=True,
        help_text=_("Nätet som bekräftelsen kom från (IPv4 /24, IPv6 /48); aldrig hela adressen."),
    )
    # Part of the confirmation token; replaced when used, so a link works once.
    confirm_nonce = models.CharField(max_length=32, blank=True, default=new_nonce, editable=False)
    # Part of the unsubscribe token; stable, so the link in every old issue keeps working.
    unsubscribe_key = models.CharField(max_length=32, default=new_nonce, editable=False)
    last_mail_at = models.DateTimeField(
        _("senaste bekräftelsemejl"),
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "Ett nytt bekräftelsemejl skickas till samma adress tidigast en kvart efter det förra."
        ),
    )

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        verbose_name = _("prenumerant")
        verbose_name_plural = _("prenumeranter")
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(email=Lower("email")), name="newsletter_subscriber_email_lower"
            ),
        ]
        permissions = [
            ("export_subscriber", _("Kan exportera prenumeranter (CSV)")),
            ("import_subscriber", _("Kan importera prenumeranter")),
            ("erase_subscriber", _("Kan radera prenumeranter helt")),
        ]

    def __str__(self) -> str:
        # Never the address: this string ends up in the admin change log.
        return _("Prenumerant #%(id)s") % {"id": self.pk}


class Suppression(models.Model):
    """An address that must not be re-added silently, kept only as a keyed hash."""

    class Reason(models.TextChoices):
        ERASED = "erased", _("Raderad på begäran")
        BOUNCED = "bounced", _("Adressen fungerar inte")

    address_hash = models.CharField(_("kontrollsumma"), max_length=64, unique=True)
    reason = models.CharField(_("orsak"), max_length=8, choices=Reason.choices)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)

    class Meta:
        verbose_name = _("spärrad adress")
        verbose_name_plural = _("spärrade adresser")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return _("Spärr #%(id)s") % {"id": self.pk}


class SignupRequest(models.Model):
    """A signup as submitted, waiting to be read after the answer has gone out.

    Every valid submission writes exactly one row, whatever state the address is in and
    whether or not a limit stopped it, so the answer costs the same work for all of them;
    what the signup means (a new subscriber, a new link, nothing) is decided after the
    response by `signup_requests_process`, which deletes the row. A row stopped by a limit
    is written without its address.
    """

    email = models.CharField(_("e-postadress"), max_length=254, blank=True)
    text_version = models.CharField(_("version av anmälningstexten"), max_length=40, blank=True)
    created_at = models.DateTimeField(_("skickad"), default=timezone.now)

    class Meta:
        verbose_name = _("anmälan som väntar")
        verbose_name_plural = _("anmälningar som väntar")
        ordering = ["id"]

    def __str__(self) -> str:
        return _("Anmälan #%(id)s") % {"id": self.pk}


class OutboxQuerySet(models.QuerySet):
    def due(self, now=None):
        now = now or timezone.now()
        return self.filter(sent_at__isnull=True, failed_at__isnull=True, next_attempt_at__lte=now)


class OutboxMessage(models.Model):
    """A single mail (confirmation, "already subscribed") waiting to be handed to the mail server.

    Written in the same transaction as the signup, so it is never lost, and sent after the
    response has gone out, so the response's timing says nothing about the address.
    """

    class Kind(models.TextChoices):
        CONFIRM = "confirm", _("Bekräfta prenumeration")
        ALREADY = "already", _("Prenumererar redan")
        WELCOME = "welcome", _("Välkommen")

    subscriber = models.ForeignKey(
        Subscriber,
        on_delete=models.CASCADE,
        null=True,
        related_name="outbox",
        verbose_name=_("prenumerant"),
    )
    kind = models.CharField(_("typ"), max_length=8, choices=Kind.choices)
    to = models.EmailField(_("mottagare"), max_length=254)
    subject = models.CharField(_("ämne"), max_length=200)
    body = models.TextField(_("text"))
    headers = models.JSONField(_("rubrikfält"), default=dict, blank=True)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    attempts = models.PositiveIntegerField(_("försök"), default=0)
    next_attempt_at = models.DateTimeField(_("nästa försök"), default=timezone.now)
    sent_at = models.DateTimeField(_("skickad"), null=True, blank=True)
    failed_at = models.DateTimeField(
        _("gav upp"), null=True, blank=True, help_text=_("Servern vägrade adressen permanent.")
    )
    last_error = models.CharField(_("senaste fel"), max_length=300, blank=True)

    objects = OutboxQuerySet.as_manager()

    class Meta:
        verbose_name = _("utgående mejl")
        verbose_name_plural = _("utgående mejl")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["sent_at", "next_attempt_at"])]

    def __str__(self) -> str:
        return _("Mejl #%(id)s") % {"id": self.pk}


def default_issue_number() -> int:
    return (Issue.objects.aggregate(n=Max("number"))["n"] or 0) + 1


def default_send_at():
    """Six weeks after the last issue, at the same time of day; in a week if there is none."""
    last = Issue.objects.order_by("-send_at").values_list("send_at", flat=True).first()
    if last is None:
        return (timezone.now() + timedelta(weeks=1)).replace(second=0, microsecond=0)
    return last + ISSUE_INTERVAL


class IssueQuerySet(models.QuerySet):
    def published(self):
        """Issues whose sending has started: the mail links to the web version."""
        return self.filter(started_at__isnull=False)

    def due(self, now=None):
        """Issues with someone to send to now: scheduled ones, and started ones with
        deliveries waiting (not those whose only open deliveries are uncertain)."""
        now = now or timezone.now()
        waiting = Delivery.objects.filter(issue=OuterRef("pk"), state=Delivery.State.PENDING)
        return (
            self.alias(has_waiting=Exists(waiting))
            .filter(
                Q(state=Issue.State.SCHEDULED) | Q(state=Issue.State.SENDING, has_waiting=True),
                send_at__lte=now,
            )
            .order_by("send_at", "number")
        )

    def needing_attention(self):
        """Issues with uncertain deliveries or stopped for a reason, with the count."""
        uncertain = Count("deliveries", filter=Q(deliveries__state=Delivery.State.IN_FLIGHT))
        return (
            self.annotate(n_uncertain=uncertain)
            .filter(Q(n_uncertain__gt=0) | ~Q(send_error=""))
            .order_by("-number")
        )

    def next_planned(self, now=None):
        now = now or timezone.now()
        return self.filter(state=Issue.State.SCHEDULED, send_at__gt=now).order_by("send_at").first()

    def next_issue_date(self, now=None):
        """When the next issue is expected: the planned one's time, else six weeks after the
        last one sent while that is still ahead; None when nobody can say."""
        now = now or timezone.now()
        planned = self.next_planned(now)
        if planned:
            return planned.send_at
        last = self.published().order_by("-send_at").values_list("send_at", flat=True).first()
        if last and last + ISSUE_INTERVAL > now:
            return last + ISSUE_INTERVAL
        return None

    def with_delivery_counts(self):
        def count(state):
            return Count("deliveries", filter=Q(deliveries__state=state))

        return self.annotate(
            n_pending=count(Delivery.State.PENDING),
            n_in_flight=count(Delivery.State.IN_FLIGHT),
            n_sent=count(Delivery.State.SENT),
            n_failed=count(Delivery.State.FAILED),
        )


class Issue(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Utkast")
        SCHEDULED = "scheduled", _("Schemalagt")
        SENDING = "sending", _("Skickas")
        SENT = "sent", _("Skickat")
        PAUSED = "paused", _("Pausat")

    number = models.PositiveIntegerField(
        _("nummer"),
        unique=True,
        default=default_issue_number,
        help_text=_("Visas i ämnesraden och i arkivet: Nyhetsbrev nr 12."),
    )
    subject = models.CharField(
        _("ämnesrad"),
        max_length=200,
        validators=[single_line],
        help_text=_("Mejlets ämne och rubriken på webbsidan."),
    )
    body = models.TextField(
        _("text"),
        help_text=_(
            "Skriv vanlig text. Tom rad ger nytt stycke, ## i början av en rad ger en "
            "mellanrubrik, - en punktlista och [text](adress) en länk. Skickas som vanlig "
            "text och som enkel HTML; länkar skrivs aldrig om."
        ),
    )
    send_at = models.DateTimeField(
        _("skickas"),
        default=default_send_at,
        help_text=_(
            "När utskicket börjar (svensk tid). Föreslås sex veckor efter förra numret. "
            "Inget skickas förrän numret är schemalagt."
        ),
    )
    state = models.CharField(
        _("status"),
        max_length=10,
        choices=State.choices,
        default=State.DRAFT,
        help_text=_(
            "Ändras bara med knapparna: Schemalägg, Pausa, Återuppta och Markera som skickat. "
            "Utkast skickas inte. Schemalagt skickas när tiden är inne."
        ),
    )
    send_error = models.CharField(
        _("varför utskicket stoppades"),
        max_length=300,
        blank=True,
        editable=False,
        help_text=_("Sätts när numret inte kunde skickas; töms när det återupptas."),
    )
    started_at = models.DateTimeField(_("utskick påbörjat"), null=True, blank=True, editable=False)
    finished_at = models.DateTimeField(_("utskick klart"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)

    history = HistoricalRecords(verbose_name=_("historik för nyhetsbrev"))
    objects = IssueQuerySet.as_manager()

    class Meta:
        verbose_name = _("nyhetsbrev")
        verbose_name_plural = _("nyhetsbrev")
        ordering = ["-number"]

    def __str__(self) -> str:
        return _("Nr %(number)s: %(subject)s") % {"number": self.number, "subject": self.subject}

    def get_absolute_url(self) -> str:
        return reverse("newsletter:issue", kwargs={"number": self.number})

    @property
    def is_published(self) -> bool:
        return self.started_at is not None


class Delivery(models.Model):
    """One issue to one subscriber. Created when sending starts; never two for the same pair."""

    class State(models.TextChoices):
        PENDING = "pending", _("Väntar")
        IN_FLIGHT = "in_flight", _("Osäker (avbröts under sändning)")
        SENT = "sent", _("Skickat")
        FAILED = "failed", _("Misslyckades")
        CANCELLED = "cancelled", _("Inte skickat (avslutad prenumeration)")

    issue = models.ForeignKey(
        Issue, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("nyhetsbrev")
    )
    # Set to NULL when the subscriber is erased: the count survives, the person does not.
    subscriber = models.ForeignKey(
        Subscriber,
        on_delete=models.SET_NULL,
        null=True,
        related_name="deliveries",
        verbose_name=_("prenumerant"),
    )
    state = models.CharField(
        _("status"), max_length=10, choices=State.choices, default=State.PENDING
    )
    message_id = models.CharField(
        _("Message-ID"),
        max_length=200,
        blank=True,
        help_text=_("Mejlets id hos e-postservern; sök på det i serverns logg."),
    )
    attempts = models.PositiveIntegerField(_("försök"), default=0)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    started_at = models.DateTimeField(_("sändning påbörjad"), null=True, blank=True)
    sent_at = models.DateTimeField(_("skickad"), null=True, blank=True)
    error = models.CharField(_("fel"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("leverans")
        verbose_name_plural = _("leveranser")
        ordering = ["issue", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["issue", "subscriber"], name="newsletter_delivery_once_per_subscriber"
            )
        ]
        indexes = [models.Index(fields=["issue", "state", "id"])]

    def __str__(self) -> str:
        return _("Leverans #%(id)s") % {"id": self.pk}
