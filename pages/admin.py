from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import URL_NAMES, Document, Page


@admin.register(Page)
class PageAdmin(SimpleHistoryAdmin):
    list_display = ("title", "slug", "updated_on", "published_on")
    list_display_links = ("title",)
    search_fields = ("title", "description", "body")
    list_filter = ("updated_on",)
    ordering = ("updated_on", "title")
    readonly_fields = ("slug", "updated_on")
    fields = ("title", "slug", "description", "body", "published_on", "updated_on")

    def has_add_permission(self, request):
        # Every page belongs to an address the site already has (see pages.models.URL_NAMES);
        # a new page would have nowhere to be shown.
        return False

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.slug in URL_NAMES:
            return False  # the site needs this page; deleting it would break its address
        return super().has_delete_permission(request, obj)


@admin.register(Document)
class DocumentAdmin(SimpleHistoryAdmin):
    list_display = ("title", "page", "file_type", "size", "published", "order")
    list_editable = ("published", "order")
    list_filter = ("published", "page", "file_type")
    search_fields = ("title", "slug", "description")
    ordering = ("page__title", "order", "title")
    list_select_related = ("page",)
    prepopulated_fields = {"slug": ("title",)}
    readonly_fields = ("file_type", "size")
    fields = (
        "title",
        "slug",
        "description",
        "page",
        "file",
        "file_type",
        "size",
        "order",
        "published",
    )

    @admin.display(description=_("storlek"))
    def size(self, obj) -> str:
        return obj.size_display or "–"

    def view_on_site(self, obj):
        # The public address answers only for a published document with a file.
        if obj.published and obj.has_file:
            return obj.get_absolute_url()
        return None
