from django.contrib import admin, messages
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .models import PageFeedback


class HasCommentFilter(admin.SimpleListFilter):
    title = _("kommentar")
    parameter_name = "kommentar"

    def lookups(self, request, model_admin):
        return [("ja", _("Med kommentar")), ("nej", _("Utan kommentar"))]

    def queryset(self, request, queryset):
        if self.value() == "ja":
            return queryset.with_comment()
        if self.value() == "nej":
            return queryset.filter(comment="")
        return queryset


@admin.register(PageFeedback)
class PageFeedbackAdmin(admin.ModelAdmin):
    list_display = ("created_on", "page", "helpful", "short_comment", "handled")
    list_display_links = ("created_on",)
    list_filter = ("handled", HasCommentFilter, "helpful", "page", "created_on")
    list_select_related = ("page",)
    search_fields = ("comment",)
    date_hierarchy = "created_on"
    fields = ("page", "created_on", "helpful", "comment", "handled")
    readonly_fields = ("page", "created_on", "helpful", "comment")
    actions = ("mark_handled", "mark_unhandled")

    def has_add_permission(self, request):
        return False  # answers come only from visitors

    @admin.display(description=_("kommentar"))
    def short_comment(self, obj) -> str:
        return Truncator(obj.comment).chars(120) or "–"

    @admin.action(description=_("Markera som hanterade"), permissions=["change"])
    def mark_handled(self, request, queryset):
        count = services.feedback_mark_handled(ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(
            request,
            ngettext(
                "%(count)d svar markerat som hanterat.",
                "%(count)d svar markerade som hanterade.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Markera som ohanterade"), permissions=["change"])
    def mark_unhandled(self, request, queryset):
        ids = list(queryset.values_list("pk", flat=True))
        count = services.feedback_mark_handled(ids=ids, handled=False)
        self.message_user(
            request,
            ngettext(
                "%(count)d svar markerat som ohanterat.",
                "%(count)d svar markerade som ohanterade.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )
