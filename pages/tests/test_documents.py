"""Uploaded documents: checked by content, size-limited, served as what they are."""

import io
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from pages.admin import DocumentForm
from pages.models import Document, Page
from pages.validators import MAX_UPLOAD_BYTES

# A complete one-page PDF (header, catalog, pages, page, xref, trailer).
SMALL_PDF = (
    b"%PDF-1.4\n"
    b"1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n"
    b"0000000052 00000 n \n0000000101 00000 n \n"
    b"trailer<</Size 4/Root 1 0 R>>\nstartxref\n165\n%%EOF\n"
)
HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def _document(name: str, content: bytes, slug: str = "rapport") -> Document:
    return Document(
        page=Page.objects.get(slug=Page.ABOUT),
        title="Rapport",
        slug=slug,
        file=SimpleUploadedFile(name, content),
    )


def _refusal(name: str, content: bytes) -> str:
    """The editor's upload in the admin's form: refused at the file field, nothing saved."""
    form = DocumentForm(
        data={
            "title": "Rapport",
            "slug": "rapport",
            "page": Page.objects.get(slug=Page.ABOUT).pk,
            "order": 0,
            "published": "on",
        },
        files={"file": SimpleUploadedFile(name, content)},
    )
    assert not form.is_valid()
    assert list(form.errors) == ["file"], form.errors
    assert not Document.objects.filter(slug="rapport").exists()
    return " ".join(form.errors["file"])


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("rapport.pdf", HTML),  # HTML wearing a .pdf name
        ("rapport.html", HTML),
        ("bild.svg", SVG),
        ("bild.pdf", SVG),
        ("tom.pdf", b""),
        ("text.pdf", b"%PDX not really"),
    ],
)
def test_files_that_are_not_documents_are_refused_in_swedish(db, name, content):
    message = _refusal(name, content)
    assert "Filen" in message or "fil" in message, message


def test_a_pdf_with_another_name_is_refused(db):
    assert "Byt namn på filen" in _refusal("rapport.docx", SMALL_PDF)


def test_an_oversized_file_is_refused_with_its_size(db):
    message = _refusal("stor.pdf", SMALL_PDF + b"\0" * MAX_UPLOAD_BYTES)
    assert "för stor" in message and "20 MB" in message, message


def test_a_real_pdf_is_accepted_and_served_inline_as_pdf(db):
    document = _document("rapport.pdf", SMALL_PDF)
    document.full_clean()
    document.save()
    assert (document.file_type, document.content_type) == ("pdf", "application/pdf")
    response = Client().get(document.get_absolute_url())
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == SMALL_PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="rapport.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]


def test_an_office_file_is_served_as_a_download_of_its_true_type(db):
    document = _document("protokoll.docx", _docx(), slug="protokoll")
    document.full_clean()
    document.save()
    response = Client().get(document.get_absolute_url())
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert response["Content-Disposition"] == 'attachment; filename="protokoll.docx"'
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("content", [HTML, SVG])
def test_a_stored_file_that_slipped_past_validation_is_never_served_as_html_or_svg(db, content):
    # E.g. a file put into storage by hand: save() sniffs it, finds no allowed type.
    document = Document.objects.create(
        page=Page.objects.get(slug=Page.ABOUT),
        title="Smugglad",
        slug="smugglad",
        file=ContentFile(content, name="smugglad.pdf"),
    )
    response = Client().get(document.get_absolute_url())
    content_type = response["Content-Type"]
    assert "html" not in content_type and "svg" not in content_type, content_type
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]


def test_a_document_named_after_a_file_not_in_storage_is_still_saved(db):
    # As a shell or an import may do; the public page then answers 404 for the file.
    document = Document.objects.create(
        page=Page.objects.get(slug=Page.ABOUT),
        title="Saknas",
        slug="saknas",
        file="dokument/finns-inte.pdf",
        file_type="pdf",
    )
    document.refresh_from_db()
    assert document.file.name == "dokument/finns-inte.pdf" and document.file_type == "pdf"
