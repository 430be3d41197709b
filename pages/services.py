"""Writes on pages: drafts, publishing them now or at their set time, documents' files."""

from __future__ import annotations

import datetime as dt
import errno
import logging

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from common.history import history_record_note

from .models import Document, Page, PageDraft

logger = logging.getLogger(__name__)

# The upload storage has no room: the disk is full, or the owner's quota is used up.
NO_ROOM = frozenset({errno.ENOSPC, errno.EDQUOT})


class DocumentStorageFull(Exception):
    """The upload storage had no room for the file; nothing of it was kept."""


def page_draft_save(
    *,
    page: Page,
    title: str,
    description: str,
    body: str,
    published_on: dt.date,
    publish_at: dt.datetime | None,
    user: AbstractBaseUser | None,
) -> PageDraft:
    """Keep ``page``'s next text as its draft (replacing an earlier draft); visitors still
    see the page as it is. With ``publish_at`` it goes live by itself at that time."""
    draft, _created = PageDraft.objects.update_or_create(
        page=page,
        defaults={
            "title": title,
            "description": description,
            "body": body,
            "published_on": published_on,
            "publish_at": publish_at,
            "saved_by": user,
        },
    )
    return draft


def page_draft_discard(*, page: Page) -> bool:
    """Throw the page's draft away; the published page is not touched. False: none."""
    deleted, _per_model = PageDraft.objects.filter(page=page).delete()
    return deleted > 0


def page_publish_due(*, now: dt.datetime) -> int:
    """Publish every scheduled draft whose time has come; how many were published.

    Each becomes the page in its own right: the history records it at its publication time,
    by the editor who scheduled it, and "Senast uppdaterad" is that day when the text
    changed. Called by every read of a page (pages.publication), so no cron job is needed;
    two requests at once publish a draft once (the second waits for the first's lock and
    then finds it gone).
    """
    published = 0
    with transaction.atomic():
        due = PageDraft.objects.select_for_update().due(now).order_by("publish_at", "pk")
        for draft in due.select_related("page"):
            page = draft.apply_to(draft.page)
            page.text_changed_at = draft.publish_at
            page.save()
            when = formats.date_format(timezone.localtime(draft.publish_at), "DATETIME_FORMAT")
            history_record_note(
                page,
                user=draft.saved_by,
                reason=_("Publicerad enligt schema %(when)s") % {"when": when},
                when=draft.publish_at,
            )
            draft.delete()
            published += 1
    return published


def document_file_store(*, document: Document, upload: UploadedFile) -> None:
    """Write a newly uploaded file to the upload storage now, before the document's row is
    saved, so that a full storage can still be told to the editor in the form (Django would
    write it while saving the row, past the form, and answer 500).

    Reads the file's type and size onto ``document``. Raises DocumentStorageFull when the
    storage has no room, after removing the part that was written.
    """
    document.read_file_facts()
    field = document.file.field
    storage = document.file.storage
    name = storage.get_available_name(
        field.generate_filename(document, upload.name), max_length=field.max_length
    )
    try:
        stored = storage.save(name, upload, max_length=field.max_length)
    except OSError as exc:
        if exc.errno not in NO_ROOM:
            raise
        # The name was free a moment ago, and the storage writes only to a free name, so
        # whatever is there now is the part of this file that fitted.
        if storage.exists(name):
            storage.delete(name)
        logger.error(
            "upload storage full: a document's file was not stored (%s)",
            errno.errorcode[exc.errno],
        )
        raise DocumentStorageFull from exc
    document.file = stored
