import io
import logging

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from common.formfields import ADMIN_FORMFIELD_OVERRIDES
from common.markup import render_markdown

from . import services
from .models import Delivery, Issue, OutboxMessage, Subscriber, Suppression

logger = logging.getLogger(__name__)


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    """Only for the newsletter managers: the group "Redaktör" gets no permission here.

    Not in simple_history on purpose, and every change-log entry names the subscriber by
    id (Subscriber.__str__), so an erased address survives nowhere.
    """

    list_display = ["__str__", "email", "state", "basis", "requested_at", "confirmed_at"]
    list_filter = ["state", "basis"]
    search_fields = ["email"]
    ordering = ["-id"]
    actions = ["export_csv", "erase"]
    readonly_fields = [
        "email",
        "basis",
        "requested_at",
        "confirmed_at",
        "unsubscribed_at",
        "signup_text_version",
        "confirmed_ip",
        "last_mail_at",
    ]
    fields = ["state", *readonly_fields]

    def has_add_permission(self, request):
        # New subscribers come only through double opt-in or import_subscribers.
        return False

    def has_delete_permission(self, request, obj=None):
        # Deleting would leave no suppression entry; use "Radera helt" instead.
        return False

    def get_search_results(self, request, queryset, search_term):
        # Addresses are stored in lower case.
        return super().get_search_results(request, queryset, search_term.strip().lower())

    @admin.action(description=_("Exportera aktiva prenumeranter (CSV)"), permissions=["export"])
    def export_csv(self, request, queryset):
        buffer = io.StringIO()
        count = services.subscribers_export_csv(queryset=queryset, out=buffer)
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = f'attachment; filename="prenumeranter-{stamp}.csv"'
        response["Cache-Control"] = "no-store"
        logger.info("newsletter export: %d subscribers by user #%s", count, request.user.pk)
        return response

    def has_export_permission(self, request):
        return request.user.has_perm("newsletter.export_subscriber")

    @admin.action(
        description=_("Radera helt (bara en kontrollsumma sparas)"), permissions=["erase"]
    )
    def erase(self, request, queryset):
        count = 0
        for subscriber in queryset:
            # The log entry says "Prenumerant #12", never the address.
            self.log_deletions(request, [subscriber])
            services.subscriber_erase(subscriber=subscriber)
            count += 1
        self.message_user(
            request,
            ngettext("%d prenumerant raderades.", "%d prenumeranter raderades.", count) % count,
            messages.SUCCESS,
        )

    def has_erase_permission(self, request):
        return request.user.has_perm("newsletter.erase_subscriber")


class DeliveryStateFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return Delivery.State.choices

    def queryset(self, request, queryset):
        if self.value() in Delivery.State.values:
            return queryset.filter(state=self.value())
        return queryset


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """Who got which issue, by subscriber id; the in-flight ones need the editor's decision."""

    list_display = [
        "__str__",
        "issue",
        "subscriber_number",
        "state",
        "message_id",
        "started_at",
        "sent_at",
        "error",
    ]
    list_filter = [DeliveryStateFilter, "issue"]
    search_fields = ["message_id"]
    ordering = ["-id"]
    list_select_related = ["issue"]
    actions = ["resend", "mark_sent"]
    readonly_fields = [
        "issue",
        "subscriber_number",
        "state",
        "message_id",
        "attempts",
        "created_at",
        "started_at",
        "sent_at",
        "error",
    ]
    exclude = ["subscriber"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("prenumerant nr"), ordering="subscriber_id")
    def subscriber_number(self, obj):
        return obj.subscriber_id or "–"

    @admin.action(
        description=_("Osäkra: skicka igen (mottagaren kan få två exemplar)"),
        permissions=["change"],
    )
    def resend(self, request, queryset):
        count = services.deliveries_resend(queryset=queryset)
        self.message_user(
            request,
            ngettext(
                "%(n)s leverans köas för nästa körning.",
                "%(n)s leveranser köas för nästa körning.",
                count,
            )
            % {"n": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Osäkra: markera som skickade"), permissions=["change"])
    def mark_sent(self, request, queryset):
        count = services.deliveries_mark_sent(queryset=queryset)
        self.message_user(
            request,
            ngettext(
                "%(n)s leverans markerades som skickad.",
                "%(n)s leveranser markerades som skickade.",
                count,
            )
            % {"n": count},
            messages.SUCCESS,
        )


@admin.register(Issue)
class IssueAdmin(SimpleHistoryAdmin):
    formfield_overrides = ADMIN_FORMFIELD_OVERRIDES
    list_display = [
        "number",
        "subject",
        "state",
        "send_at",
        "count_pending",
        "count_in_flight",
        "count_sent",
        "count_failed",
    ]
    list_filter = ["state"]
    search_fields = ["subject", "body"]
    ordering = ["-number"]
    actions = ["schedule", "pause", "retry_failed"]
    readonly_fields = ["delivery_counts", "previews", "started_at", "finished_at"]
    fieldsets = [
        (None, {"fields": ["number", "subject", "body", "send_at", "state"]}),
        (_("Utskick"), {"fields": ["previews", "delivery_counts", "started_at", "finished_at"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).with_delivery_counts()

    def view_on_site(self, obj):
        return obj.get_absolute_url() if obj.is_published else None

    def _count(self, obj, state, name):
        value = getattr(obj, name, None)
        if value is None:
            value = obj.deliveries.filter(state=state).count()
        if not value:
            return 0
        url = (
            reverse("admin:newsletter_delivery_changelist")
            + f"?issue__id__exact={obj.pk}&state={state}"
        )
        return format_html('<a href="{}">{}</a>', url, value)

    @admin.display(description=_("väntar"))
    def count_pending(self, obj):
        return self._count(obj, Delivery.State.PENDING, "n_pending")

    @admin.display(description=_("osäkra"))
    def count_in_flight(self, obj):
        return self._count(obj, Delivery.State.IN_FLIGHT, "n_in_flight")

    @admin.display(description=_("skickade"))
    def count_sent(self, obj):
        return self._count(obj, Delivery.State.SENT, "n_sent")

    @admin.display(description=_("misslyckade"))
    def count_failed(self, obj):
        return self._count(obj, Delivery.State.FAILED, "n_failed")

    @admin.display(description=_("leveranser"))
    def delivery_counts(self, obj):
        if not obj.pk:
            return "–"
        return format_html(
            "{}: {} · {}: {} · {}: {} · {}: {}",
            _("väntar"),
            self.count_pending(obj),
            _("osäkra (avbrutna mitt i sändning, välj att skicka igen eller markera skickade)"),
            self.count_in_flight(obj),
            _("skickade"),
            self.count_sent(obj),
            _("misslyckade"),
            self.count_failed(obj),
        )

    @admin.display(description=_("förhandsgranska"))
    def previews(self, obj):
        if not obj.pk:
            return _("Spara först för att förhandsgranska.")
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a>',
            reverse("admin:newsletter_issue_preview_mail", args=[obj.pk]),
            _("som mejl"),
            reverse("admin:newsletter_issue_preview_web", args=[obj.pk]),
            _("som webbsida"),
        )

    def get_urls(self):
        urls = super().get_urls()
        extra = [
            path(
                "<int:pk>/forhandsgranska/mejl/",
                self.admin_site.admin_view(self.preview_mail),
                name="newsletter_issue_preview_mail",
            ),
            path(
                "<int:pk>/forhandsgranska/webb/",
                self.admin_site.admin_view(self.preview_web),
                name="newsletter_issue_preview_web",
            ),
        ]
        return extra + urls

    def _issue_for(self, request, pk):
        issue = get_object_or_404(Issue, pk=pk)
        if not self.has_view_permission(request, issue):
            raise PermissionDenied
        return issue

    def preview_mail(self, request, pk):
        issue = self._issue_for(request, pk)
        rendered = services.issue_render(
            issue, unsubscribe=services.absolute(reverse("newsletter:signup")) + "#avsluta"
        )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Förhandsgranska som mejl"),
            "issue": issue,
            "rendered": rendered,
            "rendered_body_html": mark_safe(render_markdown(issue.body)),  # noqa: S308 - nh3
            "web_url": services.absolute(issue.get_absolute_url()),
            "archive_url": services.absolute(reverse("newsletter:archive")),
            "unsubscribe_url": services.absolute(reverse("newsletter:signup")) + "#avsluta",
            "opts": self.model._meta,
            "headers": [
                ("From", services.settings.DEFAULT_FROM_EMAIL),
                ("Subject", rendered.subject),
                ("List-Id", services.list_id()),
                ("List-Unsubscribe", "<…/nyhetsbrev/avsluta/(personlig länk)/>"),
                ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
            ],
        }
        return render(request, "admin/newsletter/issue_preview_mail.html", context)

    def preview_web(self, request, pk):
        issue = self._issue_for(request, pk)
        response = render(
            request, "newsletter/issue_detail.html", {"issue": issue, "preview": True}
        )
        response["X-Robots-Tag"] = "noindex"
        return response

    @admin.action(description=_("Schemalägg (skickas när tiden är inne)"), permissions=["change"])
    def schedule(self, request, queryset):
        for issue in queryset:
            services.issue_schedule(issue=issue)
        self.message_user(request, _("Valda nummer är schemalagda."), messages.SUCCESS)

    @admin.action(description=_("Pausa utskick"), permissions=["change"])
    def pause(self, request, queryset):
        for issue in queryset:
            services.issue_pause(issue=issue)
        self.message_user(request, _("Valda nummer är pausade."), messages.SUCCESS)

    @admin.action(
        description=_("Försök igen med bara de misslyckade (häver spärren för de adresserna)"),
        permissions=["change"],
    )
    def retry_failed(self, request, queryset):
        total = sum(services.deliveries_retry_failed(issue=issue) for issue in queryset)
        self.message_user(
            request,
            ngettext(
                "%(n)s misslyckad leverans köas för nästa körning.",
                "%(n)s misslyckade leveranser köas för nästa körning.",
                total,
            )
            % {"n": total},
            messages.SUCCESS,
        )


@admin.register(Suppression)
class SuppressionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "reason", "created_at"]
    list_filter = ["reason"]
    ordering = ["-created_at"]
    readonly_fields = ["address_hash", "reason", "created_at"]

    def has_add_permission(self, request):
        return False


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """The queue of confirmation mail, without addresses or links (they carry tokens)."""

    list_display = [
        "__str__",
        "kind",
        "created_at",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "failed_at",
        "last_error",
    ]
    list_filter = ["kind", ("sent_at", admin.EmptyFieldListFilter)]
    ordering = ["-created_at"]
    fields = [
        "kind",
        "created_at",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "failed_at",
        "last_error",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
