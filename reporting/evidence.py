"""What an uploaded evidence file really is, from its first bytes (not its name): PDF, images, office documents."""

from __future__ import annotations

import io
import zipfile
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .doc/.xls/.ppt

# extension → content type we serve it with
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "webp": "image/webp",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "ppt": "application/vnd.ms-powerpoint",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
}
OOXML_FOLDER = {"docx": "word/", "xlsx": "xl/", "pptx": "ppt/"}


def sniff(data: bytes) -> set[str]:
    """The extensions whose format `data` really has (empty: none we accept)."""
    if data.startswith(b"%PDF-"):
        return {"pdf"}
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return {"png"}
    if data.startswith(b"\xff\xd8\xff"):
        return {"jpg", "jpeg"}
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return {"gif"}
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return {"webp"}
    if data.startswith(OLE2):
        return {"doc", "xls", "ppt"}
    if data.startswith(b"PK\x03\x04"):
        return _sniff_zip(data)
    return set()


def _sniff_zip(data: bytes) -> set[str]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            if "mimetype" in names:
                mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
                return {ext for ext, ct in CONTENT_TYPES.items() if ct == mimetype and ext.startswith("od")}
    except zipfile.BadZipFile:
        return set()
    if "[Content_Types].xml" not in names:
        return set()
    return {ext for ext, folder in OOXML_FOLDER.items() if any(n.startswith(folder) for n in names)}


def evidence_check(upload: UploadedFile, *, max_mb: int) -> str:
    """The content type to store for `upload`, or a ValidationError saying what is wrong with the file."""
    name = upload.name or ""
    extension = PurePath(name).suffix.lower().lstrip(".")
    if upload.size > max_mb * 1024 * 1024:
        raise ValidationError(
            _("%(name)s is %(size).1f MB; evidence files may be at most %(max)d MB.")
            % {"name": name, "size": upload.size / 1024 / 1024, "max": max_mb},
            code="file_too_large",
        )
    if extension not in CONTENT_TYPES:
        raise ValidationError(
            _("%(name)s: attach PDF, images (JPG, PNG, GIF, WebP) or office documents (Word, Excel, PowerPoint, "
              "OpenDocument).") % {"name": name}, code="file_type",
        )  # fmt: skip
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    if extension not in sniff(data):
        raise ValidationError(
            _("%(name)s does not contain what its name says (.%(ext)s); save it again in that format and attach it.")
            % {"name": name, "ext": extension},
            code="file_content",
        )
    return CONTENT_TYPES[extension]
