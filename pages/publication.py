"""Which version of a page a request sees: the published one, a scheduled draft whose time
has come, or (for an editor's preview) the draft.

Every view that shows a page's text gets it from ``page_for_visitors``. It publishes due
scheduled drafts first (pages.services.page_publish_due), so a scheduled text goes live at
its time without a cron job: the page cache is told when the next publication is
(``next_publication``) and keeps no page past it, so the first request after that time
renders the page again and publishes the draft.

A preview renders the page's own public view with the draft in place of the stored page
(``preview_response``), so it is exactly what visitors will see.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import resolve, translate_url
from django.utils import timezone
from django.utils.translation import get_language

from .models import Document, Page, PageDraft
from .services import page_publish_due

#: The request attribute a preview puts its page on; only this module reads it.
PREVIEW_ATTRIBUTE = "pages_preview"


def published_documents() -> Prefetch:
    return Prefetch(
        "documents", queryset=Document.objects.published(), to_attr="published_documents"
    )


def page_for_visitors(request, slug: str, queryset: QuerySet | None = None) -> Page:
    """The page with this slug as visitors see it now, in the request's language; Http404 if
    there is none. On an English page without English text ``page.untranslated`` is true:
    the view answers with ``untranslated_response`` instead."""
    preview = getattr(request, PREVIEW_ATTRIBUTE, None)
    if preview is not None and preview.slug == slug:
        return preview.in_language(get_language())
    queryset = (queryset if queryset is not None else Page.objects.all()).select_related("draft")
    page = queryset.filter(slug=slug).first()
    if page is None:
        raise Http404
    # Without a draft the reverse one-to-one raises an AttributeError subclass.
    draft = getattr(page, "draft", None)
    now = timezone.now()
    if draft is not None and draft.publish_at is not None and draft.publish_at <= now:
        page_publish_due(now=now)
        page = queryset.get(pk=page.pk)
    return page.in_language(get_language())


def untranslated_response(request, page: Page) -> HttpResponse:
    """The English address of a page that has no English text yet: a short notice in English
    and a link to the Swedish page; 200 and noindex, never a 404 and never Swedish text."""
    return render(
        request,
        "pages/untranslated.html",
        {"page": page, "swedish_url": translate_url(request.get_full_path(), "sv")},
    )


def next_publication(now: dt.datetime) -> dt.datetime | None:
    """When a scheduled draft next replaces a page; the page cache keeps nothing past it."""
    return PageDraft.objects.next_publication(now)


def preview_page(page: Page) -> Page:
    """``page`` as it will look once its draft (if any) is published; not saved."""
    preview = (
        Page.objects.select_related("draft").prefetch_related(published_documents()).get(pk=page.pk)
    )
    draft = getattr(preview, "draft", None)
    preview.shows_draft = draft is not None
    if draft is not None:
        draft.apply_to(preview)
        preview.text_changed_at = draft.publish_at
    preview.updated_on = preview.updated_on_when_saved()
    return preview


def preview_response(request, page: Page) -> HttpResponse:
    """The page's own public view, rendered with ``preview_page(page)`` in its place."""
    preview = preview_page(page)
    match = resolve(preview.get_absolute_url())
    setattr(request, PREVIEW_ATTRIBUTE, preview)
    # The layout marks the current section from the match, as for the public address.
    request.resolver_match = match
    response = match.func(request, *match.args, **match.kwargs)
    if hasattr(response, "render"):
        response.render()
    # Never stored anywhere, never indexed.
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def previewed_page(request) -> Page | None:
    """The page an editor is previewing in this request, or None for visitors."""
    return getattr(request, PREVIEW_ATTRIBUTE, None)
