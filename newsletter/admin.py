import io
import logging

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from common.formfields import ADMIN_FORMFIELD_OVERRIDES
from common.markup import render_markdown

from . import addresses, services
from .models import Delivery, Issue, OutboxMessage, Subscriber, Suppression

logger = logging.getLogger(__name__)


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    """Only for the newsletter managers: the group "Redaktör" gets no permission here.

    Not in simple_history on purpose, and every change-log entry names the subscriber by
    id (Subscriber.__str__), so an erased address survives nowhere.
    """

    list_display = ["__str__", "address", "state", "basis", "requested_at", "confirmed_at"]
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

    @admin.display(description=_("e-postadress"), ordering="email")
    def address(self, obj):
        # Stored (and mailed) with the domain in ASCII; shown as people write it.
        return addresses.display(obj.email)

    def get_search_results(self, request, queryset, search_term):
        # Addresses are stored in lower case, an international domain in ASCII form.
        term = search_term.strip()
        try:
            term = addresses.normalise(term)
        except addresses.InvalidAddress:
            term = term.lower()
        return super().get_search_results(request, queryset, term)

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
        uncertain = queryset.filter(state=Delivery.State.IN_FLIGHT)
        if request.POST.get("confirmed") != "yes":
            context = {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": _("Skicka de osäkra igen?"),
                "deliveries": list(uncertain.select_related("issue")),
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            }
            return TemplateResponse(
                request, "admin/newsletter/delivery/confirm_resend.html", context
            )
        count = services.deliveries_resend(queryset=uncertain)
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


# Written by the actions and the sender only, never by a form.
SENDING_FIELDS = ("state", "started_at", "finished_at", "send_error")


class IssueForm(forms.ModelForm):
    class Meta:
        model = Issue
        fields = ["number", "subject", "body", "send_at"]

    def clean_send_at(self):
        send_at = self.cleaned_data["send_at"]
        issue = self.instance
        scheduled = issue.pk and issue.state == Issue.State.SCHEDULED and not issue.started_at
        if scheduled and send_at and send_at <= timezone.now() and send_at != issue.send_at:
            # Saving would send at once without the question "skicka direkt?".
            raise forms.ValidationError(
                _(
                    "Numret är schemalagt, så en tid som redan har varit skulle skicka det "
                    "direkt. Välj en senare tid, eller pausa numret först och återuppta det "
                    "sedan – då får du frågan om det ska skickas direkt."
                )
            )
        return send_at


@admin.register(Issue)
class IssueAdmin(SimpleHistoryAdmin):
    """Issues are written here; their state changes only through the actions below."""

    form = IssueForm
    change_form_template = "admin/newsletter/issue/change_form.html"
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
    actions = ["schedule", "pause", "resume", "mark_sent", "send_test", "retry_failed"]
    readonly_fields = ["state", "delivery_counts", "previews", "started_at", "finished_at"]
    fieldsets = [
        (None, {"fields": ["number", "subject", "body", "send_at", "state"]}),
        (_("Utskick"), {"fields": ["previews", "delivery_counts", "started_at", "finished_at"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).with_delivery_counts()

    def view_on_site(self, obj):
        return obj.get_absolute_url() if obj.is_published else None

    def save_model(self, request, obj, form, change):
        """Save what the form edits and nothing else.

        The state and the sending fields change only through the actions and the sender;
        a form save (the change form, or Historik's "Återställ" of an older version, which
        would otherwise bring back that version's state) keeps the ones in the database.
        """
        if not change:
            obj.state = Issue.State.DRAFT
            return super().save_model(request, obj, form, change)
        current = Issue.objects.filter(pk=obj.pk).values(*SENDING_FIELDS).first() or {}
        for name, value in current.items():
            setattr(obj, name, value)
        obj.save(update_fields=[*IssueForm.Meta.fields, "updated_at"])

    def change_view(self, request, object_id, form_url="", extra_context=None):
        issue = self.get_object(request, object_id)
        extra = dict(extra_context or {})
        if issue is not None:
            extra.update(self._notices(request, issue))
        return super().change_view(request, object_id, form_url, extra_context=extra)

    def _notices(self, request, issue) -> dict:
        """What the editor must know and may do, above the form."""
        uncertain = 0
        if issue.pk not in services.issues_being_sent():
            uncertain = issue.deliveries.filter(state=Delivery.State.IN_FLIGHT).count()
        deliveries_url = None
        if request.user.has_perm("newsletter.view_delivery"):
            deliveries_url = (
                reverse("admin:newsletter_delivery_changelist")
                + f"?issue__id__exact={issue.pk}&state={Delivery.State.IN_FLIGHT}"
            )
        may_change = self.has_change_permission(request, issue)
        return {
            "uncertain": uncertain,
            "uncertain_url": deliveries_url,
            "send_error": issue.send_error,
            "issue_actions": [a.value for a in services.issue_actions(issue)] if may_change else [],
            "may_test": may_change,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }

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
        leave = services.preview_leave_link()
        rendered = services.issue_render(issue, unsubscribe=leave)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Förhandsgranska som mejl"),
            "issue": issue,
            "rendered": rendered,
            "rendered_body_html": mark_safe(render_markdown(issue.body)),  # noqa: S308 - nh3
            "web_url": services.absolute(issue.get_absolute_url()),
            "archive_url": services.absolute(reverse("newsletter:archive")),
            "unsubscribe_url": leave,
            "opts": self.model._meta,
            "headers": [
                ("From", settings.DEFAULT_FROM_EMAIL),
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

    # --- State changes: only these actions, each with its rules (services/editing.py) ---

    @admin.action(description=_("Schemalägg (skickas när tiden är inne)"), permissions=["change"])
    def schedule(self, request, queryset):
        return self._change_state(request, queryset, "schedule", services.issue_schedule)

    @admin.action(description=_("Pausa utskick"), permissions=["change"])
    def pause(self, request, queryset):
        return self._change_state(request, queryset, "pause", services.issue_pause)

    @admin.action(description=_("Återuppta pausat utskick"), permissions=["change"])
    def resume(self, request, queryset):
        return self._change_state(request, queryset, "resume", services.issue_resume)

    @admin.action(
        description=_("Markera som skickat (osäkra räknas som skickade, väntande skickas inte)"),
        permissions=["change"],
    )
    def mark_sent(self, request, queryset):
        return self._change_state(request, queryset, "mark_sent", services.issue_mark_sent)

    def _change_state(self, request, queryset, action, service):
        send_now = request.POST.get("send_now") == "yes"
        asked = []
        for issue in queryset.order_by("number"):
            kwargs = {"send_now": send_now} if action in ("schedule", "resume") else {}
            try:
                done = service(issue=issue, **kwargs)
            except services.SendNowUnconfirmed as exc:
                asked.append((issue, exc.reason))
                continue
            except services.TransitionRefused as exc:
                self.message_user(request, exc.reason, messages.ERROR)
                continue
            self.message_user(
                request,
                _("Nr %(n)s är nu %(state)s.")
                % {"n": done.number, "state": done.get_state_display().lower()},
                messages.SUCCESS,
            )
        if asked:
            return self._ask_send_now(request, action, asked)
        return self._back(request, queryset)

    def _ask_send_now(self, request, action, asked):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Skicka direkt?"),
            "action": action,
            "issues": asked,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "from_change": "_from_change" in request.POST,
        }
        return TemplateResponse(request, "admin/newsletter/issue/confirm_send_now.html", context)

    def _back(self, request, queryset):
        """Back to the issue's page when the button was pressed there, else to the list."""
        if "_from_change" in request.POST and len(queryset) == 1:
            return redirect("admin:newsletter_issue_change", queryset[0].pk)
        return None

    @admin.action(description=_("Skicka ett provutskick till mig"), permissions=["change"])
    def send_test(self, request, queryset):
        to = (request.user.email or "").strip()
        if not to:
            self.message_user(
                request,
                _(
                    "Ditt konto har ingen e-postadress, så provutskicket kan inte skickas. "
                    "Be en administratör lägga in din adress under Användare."
                ),
                messages.ERROR,
            )
            return self._back(request, queryset)
        for issue in queryset.order_by("number"):
            result = services.issue_send_test(issue=issue, to=to)
            if result.outcome == services.Outcome.SENT:
                text = _("Provutskick av nr %(n)s skickat till %(to)s. Ämnet börjar med [PROV].")
                self.message_user(request, text % {"n": issue.number, "to": to}, messages.SUCCESS)
            else:
                text = _("Provutskicket av nr %(n)s kunde inte skickas: %(reason)s")
                self.message_user(
                    request, text % {"n": issue.number, "reason": result.reason}, messages.ERROR
                )
        return self._back(request, queryset)

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
