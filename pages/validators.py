"""Uploaded documents are checked by what they contain, not by their name."""

import zipfile

import filetype
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MAX_UPLOAD_BYTES = 20 * 1024 * 1024

# Extension -> (content type, how to recognise it). Never HTML or SVG: a browser
# would run their scripts on our origin.
ALLOWED = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
}


def sniff_document(fileobj) -> str | None:
    """The extension matching the file's bytes, or None when it is not an allowed type."""
    fileobj.seek(0)
    head = fileobj.read(8192)
    fileobj.seek(0)
    kind = filetype.guess(head)
    if kind is None:
        return None
    if kind.extension == "pdf":
        return "pdf"
    if kind.extension in {"docx", "xlsx", "pptx", "odt", "ods", "zip"}:
        # Office files are zip archives; look inside to know which one it is.
        try:
            with zipfile.ZipFile(fileobj) as archive:
                names = set(archive.namelist())
                mimetype = (
                    archive.read("mimetype").decode("ascii", "replace").strip()
                    if "mimetype" in names
                    else ""
                )
        except (zipfile.BadZipFile, OSError, KeyError):
            return None
        finally:
            fileobj.seek(0)
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
        if "ppt/presentation.xml" in names:
            return "pptx"
        for ext in ("odt", "ods"):
            if mimetype == ALLOWED[ext]:
                return ext
    return None


def validate_document_upload(value):
    """A newly uploaded document (the form field runs it only for a new upload; a stored
    file was checked when it came)."""
    if value.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("Filen är för stor (%(mb)s MB). Största tillåtna storlek är 20 MB."),
            params={"mb": round(value.size / 1024 / 1024, 1)},
            code="too_large",
        )
    ext = sniff_document(value)
    if ext is None:
        raise ValidationError(
            _(
                "Filen kunde inte godkännas: innehållet är inte PDF, Word, Excel, PowerPoint "
                "eller OpenDocument. Spara filen i något av de formaten och försök igen."
            ),
            code="bad_type",
        )
    declared = value.name.rsplit(".", 1)[-1].lower() if "." in value.name else ""
    if declared != ext:
        raise ValidationError(
            _("Filens namn slutar på .%(declared)s men innehållet är %(ext)s. Byt namn på filen."),
            params={"declared": declared or "–", "ext": ext},
            code="name_mismatch",
        )
