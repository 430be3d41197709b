"""An editor uploads a document in /redaktion/: stored with its true type and size; when
the upload storage is full (a real full disk: a tmpfs of 64 kB mounted for the test, which
needs root and is skipped otherwise), refused in the form with nothing lost."""

import logging
import os
import subprocess

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from editors.testing import login_verified, make_staff
from pages.models import Document, Page
from pages.tests.test_documents import HTML, SMALL_PDF, _docx

pytestmark = pytest.mark.django_db

FULL_MESSAGE = "Filen kunde inte sparas: lagringsutrymmet för uppladdade filer är fullt."


@pytest.fixture
def full_media(settings, tmp_path):
    """MEDIA_ROOT on its own small filesystem, with one document stored and the rest filled."""
    media = tmp_path / "media"
    media.mkdir()
    if os.geteuid() != 0:
        pytest.skip("needs root to mount a small tmpfs as a full upload storage")
    mounted = subprocess.run(  # noqa: S603 - fixed arguments
        ["mount", "-t", "tmpfs", "-o", "size=64k,mode=0755", "tmpfs", str(media)],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    settings.MEDIA_ROOT = media
    try:
        yield media
    finally:
        subprocess.run(["umount", str(media)], check=True)  # noqa: S603, S607


def _upload(client, name: str, content: bytes, **changes):
    fields = {
        "title": "Årsrapport 2026",
        "slug": "arsrapport-2026",
        "description": "Vad vi gjorde under året.",
        "page": Page.objects.get(slug=Page.ABOUT).pk,
        "file": SimpleUploadedFile(name, content),
        "order": "0",
        "published": "on",
    }
    fields.update(changes)
    return client.post(reverse("admin:pages_document_add"), fields)


@pytest.fixture
def editor(client: Client) -> Client:
    user, _enrolment = make_staff("redaktor", superuser=True)
    return login_verified(client, user)


def test_an_uploaded_document_is_stored_with_its_true_type_and_size(settings, tmp_path, editor):
    settings.MEDIA_ROOT = tmp_path
    content = _docx()
    answer = _upload(editor, "rapport.docx", content)
    assert answer.status_code == 302, answer.context["adminform"].form.errors
    document = Document.objects.get(slug="arsrapport-2026")
    assert (document.file_type, document.file_size) == ("docx", len(content))
    assert (tmp_path / document.file.name).read_bytes() == content
    # Saving again without a new file keeps the stored one as it is.
    change = reverse("admin:pages_document_change", args=[document.pk])
    again = editor.post(
        change,
        {"title": "Ny rubrik", "slug": document.slug, "page": document.page_id, "order": "1"},
    )
    assert again.status_code == 302
    document.refresh_from_db()
    assert (document.title, document.file_type, document.file_size) == (
        "Ny rubrik",
        "docx",
        len(content),
    )
    assert sorted(p.name for p in (tmp_path / "dokument").iterdir()) == [
        document.file.name.split("/")[-1]
    ]


def test_a_hostile_upload_is_refused_in_the_form_and_nothing_is_stored(settings, tmp_path, editor):
    settings.MEDIA_ROOT = tmp_path
    answer = _upload(editor, "rapport.pdf", HTML)  # HTML wearing a .pdf name
    assert answer.status_code == 200
    assert "Fel" in answer.content.decode()
    assert not Document.objects.filter(slug="arsrapport-2026").exists()
    assert not list(tmp_path.rglob("*.pdf"))


def _fill(directory) -> None:
    """Write until the filesystem has no room left."""
    with open(directory / "fyllnad", "wb", buffering=0) as filler:
        try:
            while True:
                filler.write(b"\0" * 4096)
        except OSError:
            pass


# Small uploads reach the storage from memory; large ones (over 2.5 MB by default) from a
# temporary file elsewhere, which the storage copies in.
@pytest.mark.parametrize("memory_limit", [None, 1000], ids=["from-memory", "from-temp-file"])
def test_an_upload_to_full_storage_is_refused_in_the_form_and_nothing_is_lost(
    full_media, editor, caplog, settings, memory_limit
):
    if memory_limit:
        settings.FILE_UPLOAD_MAX_MEMORY_SIZE = memory_limit
    kept = Document.objects.create(
        page=Page.objects.get(slug=Page.ABOUT),
        title="Broschyr",
        slug="broschyr",
        file=ContentFile(SMALL_PDF, "broschyr.pdf"),
    )
    _fill(full_media)
    stored_before = sorted(p.relative_to(full_media) for p in full_media.rglob("*"))
    big_pdf = SMALL_PDF + b"%" + b"x" * 40_000 + b"\n"

    with caplog.at_level(logging.INFO):
        answer = _upload(editor, "arsrapport.pdf", big_pdf)

    assert answer.status_code == 200  # the form again, not an error page
    body = answer.content.decode()
    assert FULL_MESSAGE in body
    assert 'aria-invalid="true"' in body or "errorlist" in body
    # What the editor typed is still in the form; only the file must be chosen again.
    assert 'value="Årsrapport 2026"' in body and "Vad vi gjorde under året." in body
    assert not Document.objects.filter(slug="arsrapport-2026").exists()
    # No half-written file left behind, and the stored document still served whole.
    assert sorted(p.relative_to(full_media) for p in full_media.rglob("*")) == stored_before
    served = Client().get(kept.get_absolute_url())
    assert served.status_code == 200
    assert b"".join(served.streaming_content) == SMALL_PDF
    problems = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert [r.getMessage() for r in problems] == [
        "upload storage full: a document's file was not stored (ENOSPC)"
    ]
