"""Answers to "Hjälpte sidan dig?": the page, the day, yes or no, and an optional comment.

Nothing else is stored: no time of day, no IP address, no user agent, no session, so an
answer cannot be tied to a visitor. Comments are deleted after twelve months
(``manage.py purge_feedback``).
"""

from django.db import models
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pages.models import Page

COMMENT_MAX_LENGTH = 500


class PageFeedbackQuerySet(models.QuerySet):
    def with_comment(self):
        return self.exclude(comment="")

    def unhandled(self):
        return self.filter(handled=False)

    def latest_comments(self):
        return self.with_comment().select_related("page").order_by("-created_on", "-pk")

    def before(self, day):
        return self.filter(created_on__lt=day)

    def counts_by_page(self):
        """One row per page with answers: page id and title, yes, no, unhandled comments."""
        return (
            self.values("page_id", "page__title")
            .annotate(
                yes=Count("pk", filter=Q(helpful=True)),
                no=Count("pk", filter=Q(helpful=False)),
                open_comments=Count("pk", filter=Q(handled=False) & ~Q(comment="")),
            )
            .order_by("-no", "page__title")
        )


class PageFeedback(models.Model):
    page = models.ForeignKey(
        Page, on_delete=models.CASCADE, related_name="feedback", verbose_name=_("sida")
    )
    created_on = models.DateField(_("datum"), default=timezone.localdate, editable=False)
    helpful = models.BooleanField(_("hjälpte sidan?"))
    comment = models.TextField(
        _("kommentar"),
        max_length=COMMENT_MAX_LENGTH,
        blank=True,
        help_text=_("Vad besökaren skrev efter Nej. Raderas automatiskt efter tolv månader."),
    )
    handled = models.BooleanField(
        _("hanterad"),
        default=False,
        help_text=_("Markera när synpunkten är läst och åtgärdad."),
    )

    objects = PageFeedbackQuerySet.as_manager()

    class Meta:
        verbose_name = _("svar på ”Hjälpte sidan dig?”")
        verbose_name_plural = _("svar på ”Hjälpte sidan dig?”")
        ordering = ["-created_on", "-pk"]
        indexes = [models.Index(fields=["created_on"])]

    def __str__(self) -> str:
        return _("Svar #%(id)s") % {"id": self.pk}
