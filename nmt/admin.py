from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import Member, NmtContact


@admin.register(Member)
class MemberAdmin(SimpleHistoryAdmin):
    list_display = ["name", "website", "contact_count", "order", "published"]
    list_editable = ["order", "published"]
    list_filter = ["published"]
    search_fields = ["name", "description"]
    ordering = ["order", "name"]
    filter_horizontal = ["contacts"]
    view_on_site = True
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fields = [
        "name",
        "slug",
        "description",
        "name_en",
        "description_en",
        "website",
        "contacts",
        "order",
        "published",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("contacts")

    def get_readonly_fields(self, request, obj=None):
        # The anchor is set once so links from other pages keep working after a rename.
        return ["slug"] if obj else []

    @admin.display(description=_("kontaktpersoner"))
    def contact_count(self, obj):
        return len(obj.contacts.all())


@admin.register(NmtContact)
class NmtContactAdmin(SimpleHistoryAdmin):
    list_display = ["contact", "contact_title", "contact_published", "order"]
    list_editable = ["order"]
    list_select_related = ["contact"]
    search_fields = ["contact__name", "contact__title"]
    list_filter = ["contact__published"]
    ordering = ["order", "contact__name"]
    autocomplete_fields = ["contact"]
    view_on_site = True

    @admin.display(description=_("titel"))
    def contact_title(self, obj):
        return obj.contact.title

    @admin.display(description=_("publicerad"), boolean=True)
    def contact_published(self, obj):
        return obj.contact.published
