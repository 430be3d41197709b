"""The helpline, its weekly hours, editors' exceptions and whom to call when it is closed."""

from datetime import time

import phonenumbers
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext_lazy as _
from phonenumbers import shortnumberinfo
from simple_history.models import HistoricalRecords

from common import phones

from . import hours

REGION = phones.REGION

WEEKDAYS = [
    (0, _("måndag")),
    (1, _("tisdag")),
    (2, _("onsdag")),
    (3, _("torsdag")),
    (4, _("fredag")),
    (5, _("lördag")),
    (6, _("söndag")),
]

_CLOSES_HELP = _(
    "Klockslag då stödtelefonen stänger, t.ex. 16.00. 00.00 betyder midnatt i slutet av dagen."
)


def parse_phone_number(value: str) -> phonenumbers.PhoneNumber:
    """A Swedish (or +country) subscriber number, or a ValidationError in Swedish."""
    message = _(
        "”%(value)s” är inte ett giltigt telefonnummer. Skriv numret med riktnummer, "
        "t.ex. 020-39 00 00 eller +46 20 39 00 00."
    )
    number = phones.parse_valid(value)
    if number is None:
        raise ValidationError(message, code="invalid_phone", params={"value": value})
    return number


def format_phone_number(value: str) -> tuple[str, str]:
    """(as shown, E.164): national format for Swedish numbers, international otherwise."""
    number = parse_phone_number(value)
    return phones.display(number), phones.e164(number)


def tel_target(value: str) -> str:
    """What goes after `tel:`: the digits of a Swedish short number (114 14 → 11414, 112),
    the E.164 form of any other number. ValidationError in Swedish when it is neither."""
    digits = "".join(ch for ch in value if ch.isdigit())
    if digits and len(digits) <= 6 and value.strip()[:1] != "+":
        try:
            short = phonenumbers.parse(digits, REGION)
        except phonenumbers.NumberParseException:
            short = None
        if short is not None and shortnumberinfo.is_valid_short_number_for_region(short, REGION):
            return digits
    try:
        return format_phone_number(value)[1]
    except ValidationError:
        raise ValidationError(
            _(
                "”%(value)s” är varken ett giltigt kortnummer (t.ex. 114 14 eller 112) eller "
                "ett giltigt telefonnummer med riktnummer."
            ),
            code="invalid_phone",
            params={"value": value},
        ) from None


class HelplineQuerySet(models.QuerySet):
    def current(self) -> "Helpline | None":
        """The site's helpline (there is one; the oldest row if an editor made two)."""
        return self.order_by("pk").first()


class Helpline(models.Model):
    name = models.CharField(
        _("namn"),
        max_length=120,
        help_text=_("Visas i sidhuvudets statusruta och på stödtelefonens sida."),
    )
    name_en = models.CharField(
        _("namn på engelska"),
        max_length=120,
        blank=True,
        help_text=_("Visas på de engelska sidorna. Tomt: det svenska namnet."),
    )
    number_display = models.CharField(
        _("telefonnummer"),
        max_length=40,
        help_text=_(
            "Numret som besökare ser och ringer, t.ex. 020-39 00 00. Det kontrolleras och "
            "skrivs om till standardformat när du sparar."
        ),
    )
    number_e164 = models.CharField(
        _("nummer för samtalslänkar"),
        max_length=20,
        editable=False,
        help_text=_("Räknas fram ur telefonnumret (t.ex. +4620390000) och används i tel:-länkar."),
    )

    history = HistoricalRecords(verbose_name=_("historik för stödtelefon"))
    objects = HelplineQuerySet.as_manager()

    class Meta:
        verbose_name = _("stödtelefon")
        verbose_name_plural = _("stödtelefon")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        # Code paths that skip the form (shell, data migrations) still get a valid tel: target.
        if self.number_display:
            self.number_display, self.number_e164 = format_phone_number(self.number_display)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("helpline:detail")

    def clean(self):
        if self.number_display:
            try:
                self.number_display, self.number_e164 = format_phone_number(self.number_display)
            except ValidationError as error:
                raise ValidationError({"number_display": error}) from None


def _times_q() -> Q:
    """Both times or neither; closing after opening, or 00.00 for midnight."""
    return Q(opens__isnull=True, closes__isnull=True) | (
        Q(opens__isnull=False, closes__isnull=False)
        & (Q(closes__gt=F("opens")) | Q(closes=time(0)))
    )


def validate_opening_times(opens: time | None, closes: time | None, *, required: bool) -> None:
    """Swedish, field-specific messages for a pair of opening times."""
    if opens is None and closes is None:
        if required:
            raise ValidationError(
                {
                    "opens": _("Ange när stödtelefonen öppnar."),
                    "closes": _("Ange när stödtelefonen stänger."),
                }
            )
        return
    if opens is None:
        raise ValidationError(
            {"opens": _("Ange när stödtelefonen öppnar, eller töm båda tiderna för stängt.")}
        )
    if closes is None:
        raise ValidationError(
            {"closes": _("Ange när stödtelefonen stänger, eller töm båda tiderna för stängt.")}
        )
    if closes != time(0) and closes <= opens:
        raise ValidationError(
            {
                "closes": _(
                    "Stängningstiden (%(closes)s) måste vara senare än öppningstiden "
                    "(%(opens)s). Skriv 00.00 om stödtelefonen har öppet till midnatt."
                )
                % {
                    "closes": formats.time_format(closes, "H.i"),
                    "opens": formats.time_format(opens, "H.i"),
                }
            }
        )


class WeeklyHours(models.Model):
    helpline = models.ForeignKey(
        Helpline,
        on_delete=models.CASCADE,
        related_name="weekly_hours",
        verbose_name=_("stödtelefon"),
    )
    weekday = models.PositiveSmallIntegerField(_("veckodag"), choices=WEEKDAYS)
    opens = models.TimeField(
        _("öppnar"),
        null=True,
        blank=True,
        help_text=_("Klockslag, t.ex. 09.00. Töm båda tiderna om stödtelefonen är stängd dagen."),
    )
    closes = models.TimeField(_("stänger"), null=True, blank=True, help_text=_CLOSES_HELP)

    history = HistoricalRecords(verbose_name=_("historik för veckotider"))

    class Meta:
        verbose_name = _("öppettid för veckodag")
        verbose_name_plural = _("öppettider per veckodag")
        ordering = ["helpline", "weekday"]
        constraints = [
            models.UniqueConstraint(
                fields=["helpline", "weekday"],
                name="helpline_weeklyhours_one_per_day",
                violation_error_message=_("Veckodagen finns redan."),
            ),
            models.CheckConstraint(
                condition=_times_q(),
                name="helpline_weeklyhours_times",
                violation_error_message=_("Stängningstiden måste vara senare än öppningstiden."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()}: {self.hours_display}"

    @property
    def hours_display(self) -> str:
        return hours_display(self.opens, self.closes)

    def clean(self):
        validate_opening_times(self.opens, self.closes, required=False)

    def to_hours(self) -> hours.Hours | None:
        return None if self.opens is None else hours.Hours(self.opens, self.closes)


def hours_display(opens: time | None, closes: time | None) -> str:
    if opens is None or closes is None:
        return str(_("Stängt"))
    # The active language's clock: 09.00 in Swedish, 09:00 in English (common/formats).
    return f"{formats.time_format(opens)}–{formats.time_format(closes)}"


class HoursExceptionQuerySet(models.QuerySet):
    def overlapping(self, helpline_id, start, end):
        return self.filter(helpline_id=helpline_id, start_date__lte=end, end_date__gte=start)


class HoursException(models.Model):
    CLOSED = "closed"
    SPECIAL = "special"
    KINDS = [(CLOSED, _("Stängt hela dagen")), (SPECIAL, _("Särskilda öppettider"))]

    helpline = models.ForeignKey(
        Helpline, on_delete=models.CASCADE, related_name="exceptions", verbose_name=_("stödtelefon")
    )
    start_date = models.DateField(_("från och med"), help_text=_("Första dagen undantaget gäller."))
    end_date = models.DateField(
        _("till och med"),
        blank=True,
        help_text=_("Sista dagen undantaget gäller. Lämna tomt om det bara gäller en dag."),
    )
    kind = models.CharField(
        _("typ"),
        max_length=10,
        choices=KINDS,
        default=CLOSED,
        help_text=_(
            "Undantaget gäller före både veckans öppettider och helgdagar: välj särskilda "
            "öppettider för att öppna en helgdag eller stänga tidigare en vanlig dag."
        ),
    )
    opens = models.TimeField(
        _("öppnar"), null=True, blank=True, help_text=_("Bara för särskilda öppettider.")
    )
    closes = models.TimeField(_("stänger"), null=True, blank=True, help_text=_CLOSES_HELP)
    note = models.CharField(
        _("meddelande till besökare"),
        max_length=200,
        blank=True,
        help_text=_(
            "Valfritt. Visas vid dagen i listan över stängda dagar, t.ex. "
            "”Personalkonferens” eller ”Stänger tidigare inför trettondedagen”."
        ),
    )
    note_en = models.CharField(
        _("meddelande på engelska"),
        max_length=200,
        blank=True,
        help_text=_("Samma meddelande på engelska, för de engelska sidorna."),
    )

    history = HistoricalRecords(verbose_name=_("historik för undantag"))
    objects = HoursExceptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("undantag från öppettiderna")
        verbose_name_plural = _("undantag från öppettiderna")
        ordering = ["start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="helpline_exception_dates_in_order",
                violation_error_message=_("Slutdatumet kan inte vara före startdatumet."),
            ),
            models.CheckConstraint(
                condition=(Q(kind="closed", opens__isnull=True, closes__isnull=True))
                | (Q(kind="special") & _times_q() & Q(opens__isnull=False)),
                name="helpline_exception_times",
                violation_error_message=_("Tiderna stämmer inte med undantagets typ."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period_display}: {self.hours_display}"

    def save(self, *args, **kwargs):
        if self.end_date is None:
            self.end_date = self.start_date
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("helpline:detail")

    @property
    def period_display(self) -> str:
        start = formats.date_format(self.start_date, "j F Y")
        if not self.end_date or self.end_date == self.start_date:
            return start
        return f"{start} – {formats.date_format(self.end_date, 'j F Y')}"

    @property
    def hours_display(self) -> str:
        if self.kind == self.CLOSED:
            return str(_("Stängt"))
        return hours_display(self.opens, self.closes)

    def clean(self):
        errors = {}
        if self.start_date and not self.end_date:
            self.end_date = self.start_date
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _(
                "Slutdatumet kan inte vara före startdatumet. Lämna det tomt för en enda dag."
            )
        if self.kind == self.CLOSED:
            if self.opens is not None or self.closes is not None:
                message = _(
                    "Töm tiderna när undantaget gäller stängt hela dagen, eller välj "
                    "”Särskilda öppettider”."
                )
                errors["opens" if self.opens is not None else "closes"] = message
        else:
            try:
                validate_opening_times(self.opens, self.closes, required=True)
            except ValidationError as error:
                errors.update(error.message_dict)
        if not errors and self.helpline_id and self.start_date:
            clash = (
                HoursException.objects.overlapping(self.helpline_id, self.start_date, self.end_date)
                .exclude(pk=self.pk)
                .first()
            )
            if clash is not None:
                errors["start_date"] = _(
                    "Datumen överlappar ett annat undantag (%(period)s, %(hours)s). Ändra "
                    "datumen eller ändra det befintliga undantaget."
                ) % {"period": clash.period_display, "hours": clash.hours_display}
        if errors:
            raise ValidationError(errors)

    def to_exception(self) -> hours.DateException:
        hours_value = None if self.kind == self.CLOSED else hours.Hours(self.opens, self.closes)
        return hours.DateException(
            self.start_date, self.end_date, hours_value, self.note, self.note_en
        )


class Alternative(models.Model):
    """Whom to call when the line is not staffed (police 114 14, socialjour, 112)."""

    helpline = models.ForeignKey(
        Helpline,
        on_delete=models.CASCADE,
        related_name="alternatives",
        verbose_name=_("stödtelefon"),
    )
    text = models.CharField(
        _("text"),
        max_length=200,
        help_text=_("T.ex. ”Brådskande ärenden: polisen”. Visas framträdande när det är stängt."),
    )
    text_en = models.CharField(
        _("text på engelska"),
        max_length=200,
        blank=True,
        help_text=_("Samma text på engelska, för de engelska sidorna."),
    )
    number = models.CharField(
        _("telefonnummer"),
        max_length=40,
        blank=True,
        help_text=_(
            "Valfritt. Ett kortnummer (114 14, 112) eller ett nummer med riktnummer. Visas efter "
            "texten som en samtalslänk."
        ),
    )
    tel = models.CharField(_("samtalslänk"), max_length=20, blank=True, editable=False)
    order = models.PositiveSmallIntegerField(
        _("ordning"), default=0, help_text=_("Lägst nummer visas först.")
    )

    history = HistoricalRecords(verbose_name=_("historik för alternativ"))

    class Meta:
        verbose_name = _("alternativ när stödtelefonen är stängd")
        verbose_name_plural = _("alternativ när stödtelefonen är stängd")
        ordering = ["helpline", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.text} {self.number}".strip()

    def save(self, *args, **kwargs):
        self.tel = tel_target(self.number) if self.number else ""
        super().save(*args, **kwargs)

    def clean(self):
        self.number = self.number.strip()
        if self.number:
            try:
                self.tel = tel_target(self.number)
            except ValidationError as error:
                raise ValidationError({"number": error}) from None
        else:
            self.tel = ""
