from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminSplitDateTime
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from common.formfields import ADMIN_FORMFIELD_OVERRIDES, SwedishSplitDateTimeField

from .models import DRAFT_FIELDS, TEXT_FIELDS_EN, URL_NAMES, Document, Page, PageDraft
from .publication import preview_response
from .services import (
    DocumentStorageFull,
    document_file_store,
    page_draft_discard,
    page_draft_save,
    page_publish_due,
)
from .validators import validate_document_upload

# The buttons of the page form (templates/admin/pages/page/change_form.html).
DRAFT, PREVIEW, DISCARD = "_draft", "_preview", "_discard"


def _moment(value) -> str:
    return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")


class PageForm(forms.ModelForm):
    """The page's text, and when it goes live: now (Publicera), later, or not yet (draft)."""

    publish_at = SwedishSplitDateTimeField(
        label=_("publicera vid"),
        required=False,
        widget=AdminSplitDateTime,
        help_text=_(
            "Valfritt. Fyll i en tid, t.ex. 7 december 2026 och 12.00, så blir texten synlig "
            "för besökarna då. Tomt: Publicera visar texten direkt, Spara som utkast "
            "sparar den utan att visa den."
        ),
    )

    class Meta:
        model = Page
        fields = [*DRAFT_FIELDS, *TEXT_FIELDS_EN]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        draft = getattr(self.instance, "draft", None) if self.instance.pk else None
        if draft is not None:
            self.initial.setdefault("publish_at", draft.publish_at)

    @property
    def keeps_draft(self) -> bool:
        return DRAFT in self.data or PREVIEW in self.data

    def clean_publish_at(self):
        value = self.cleaned_data.get("publish_at")
        if value is not None and value <= timezone.now() and self.keeps_draft:
            raise ValidationError(
                _(
                    "Den tiden har redan varit. Skriv en senare tid, eller töm fältet och "
                    "tryck på Publicera för att publicera direkt."
                )
            )
        return value

    def is_scheduled(self) -> bool:
        value = self.cleaned_data.get("publish_at")
        return value is not None and value > timezone.now()


@admin.register(Page)
class PageAdmin(SimpleHistoryAdmin):
    """Pages are edited as drafts: saved, previewed, and published now or at a set time.

    The form edits the page's draft when it has one (``get_object``); Publicera makes the
    form's text the page visitors see (and drops the draft), Spara som utkast keeps it
    aside, and a time in "publicera vid" makes it go live by itself (pages.publication).
    """

    form = PageForm
    formfield_overrides = ADMIN_FORMFIELD_OVERRIDES
    list_display = ("title", "slug", "updated_on", "published_on", "draft_state")
    list_display_links = ("title",)
    search_fields = ("title", "description", "body")
    list_filter = ("updated_on",)
    ordering = ("updated_on", "title")
    readonly_fields = ("slug", "updated_on", "updated_on_en")
    fields = (
        "title",
        "slug",
        "description",
        "body",
        "published_on",
        "updated_on",
        "publish_at",
        # The English text is not part of a draft: it is published when it is saved.
        *TEXT_FIELDS_EN,
        "updated_on_en",
    )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("draft")

    def get_urls(self):
        return [
            path(
                "<path:object_id>/forhandsvisning/",
                self.admin_site.admin_view(self.preview_view),
                name="pages_page_preview",
            ),
            *super().get_urls(),
        ]

    def has_add_permission(self, request):
        # Every page belongs to an address the site already has (see pages.models.URL_NAMES);
        # a new page would have nowhere to be shown.
        return False

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.slug in URL_NAMES:
            return False  # the site needs this page; deleting it would break its address
        return super().has_delete_permission(request, obj)

    @admin.display(description=_("utkast"))
    def draft_state(self, obj) -> str:
        draft = getattr(obj, "draft", None)
        if draft is None:
            return "–"
        if draft.publish_at is None:
            return gettext_now("Utkast, inte schemalagt")
        return gettext_now("Publiceras %(when)s") % {"when": _moment(draft.publish_at)}

    def get_object(self, request, object_id, from_field=None):
        page = super().get_object(request, object_id, from_field)
        draft = getattr(page, "draft", None) if page is not None else None
        if draft is not None:
            draft.apply_to(page)  # the form edits the draft, not the published text
            page.edits_draft = True
        return page

    def changelist_view(self, request, extra_context=None):
        page_publish_due(now=timezone.now())
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        page_publish_due(now=timezone.now())
        page = self.get_object(request, object_id)
        if request.method == "POST" and DISCARD in request.POST and page is not None:
            return self._discard(request, page)
        draft = getattr(page, "draft", None) if page is not None else None
        context = {
            "draft": draft,
            "preview_url": reverse("admin:pages_page_preview", args=[page.pk]) if page else None,
            **(extra_context or {}),
        }
        return super().change_view(request, object_id, form_url, context)

    def _discard(self, request, page):
        if not self.has_change_permission(request, page):
            raise PermissionDenied
        if page_draft_discard(page=page):
            self.log_change(request, page, gettext_now("Slängde utkastet."))
            self.message_user(
                request,
                gettext_now("Utkastet slängdes. Sidan är som den senast publicerades."),
                messages.SUCCESS,
            )
        return HttpResponseRedirect(request.path)

    def save_model(self, request, obj, form, change):
        if form.keeps_draft or form.is_scheduled():
            page_draft_save(
                page=obj,
                **{name: form.cleaned_data[name] for name in DRAFT_FIELDS},
                publish_at=form.cleaned_data.get("publish_at"),
                user=request.user,
            )
            # Only the Swedish text waits in the draft; English is saved as it is (if changed).
            if set(form.changed_data) & set(TEXT_FIELDS_EN):
                obj.save(update_fields=TEXT_FIELDS_EN)
            return
        super().save_model(request, obj, form, change)
        if getattr(obj, "edits_draft", False):
            # Published from the draft's own form; a revert from the history (which starts
            # from an old version, not the draft) leaves a colleague's draft alone.
            page_draft_discard(page=obj)

    def construct_change_message(self, request, form, formsets, add=False):
        if form.keeps_draft or form.is_scheduled():
            if form.is_scheduled():
                when = _moment(form.cleaned_data["publish_at"])
                return gettext_now("Schemalade publicering %(when)s.") % {"when": when}
            return gettext_now("Sparade utkast.")
        return super().construct_change_message(request, form, formsets, add)

    def response_change(self, request, obj):
        if PREVIEW in request.POST:
            return HttpResponseRedirect(reverse("admin:pages_page_preview", args=[obj.pk]))
        draft = PageDraft.objects.filter(page=obj).first()
        if draft is None:
            return super().response_change(request, obj)  # published now
        if draft.publish_at is not None:
            message = gettext_now(
                "Texten publiceras %(when)s. Till dess ser besökarna sidan som den är."
            ) % {"when": _moment(draft.publish_at)}
        else:
            message = gettext_now(
                "Utkastet sparades. Besökarna ser sidan som den är tills du publicerar."
            )
        self.message_user(request, message, messages.SUCCESS)
        return HttpResponseRedirect(request.path)

    def preview_view(self, request, object_id):
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        page = super().get_object(request, object_id)
        if page is None:
            raise Http404
        if not self.has_view_or_change_permission(request, page):
            raise PermissionDenied
        return preview_response(request, page)


class DocumentForm(forms.ModelForm):
    class Meta:
        model = Document
        fields = ("title", "slug", "description", "page", "file", "order", "published")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A form file field runs its validators only on a new upload, never on the stored file.
        self.fields["file"].validators.append(validate_document_upload)

    def full_clean(self):
        super().full_clean()
        if not self.is_bound or self.errors:
            return
        upload = self.cleaned_data.get("file")
        if not isinstance(upload, UploadedFile):
            return
        # Stored last, once everything else is valid: a storage without room is then one
        # more error in the form, and what the editor typed stays in it.
        try:
            document_file_store(document=self.instance, upload=upload)
        except DocumentStorageFull:
            self.add_error(
                "file",
                ValidationError(
                    _(
                        "Filen kunde inte sparas: lagringsutrymmet för uppladdade filer är "
                        "fullt. Dokumentet har inte sparats, men det du har skrivit finns kvar. "
                        "Be den som sköter webbplatsen att frigöra utrymme och välj sedan "
                        "filen igen."
                    ),
                    code="storage_full",
                ),
            )


@admin.register(Document)
class DocumentAdmin(SimpleHistoryAdmin):
    form = DocumentForm
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
