"""File storage that keeps Thai file names whole.

Django's get_valid_filename keeps only `\\w`, `-` and `.`; Python's `\\w` has no combining marks, so Thai vowel
and tone marks (ิ ี ุ ู ั ่ ้ …) vanished from stored names ("ภาพกิจกรรม" → "ภาพกจกรรม"). Here letters, marks and
digits of any script are kept; everything else that could change a path or a header (slashes, quotes, control
characters, leading dots) still goes."""

from __future__ import annotations

import unicodedata

from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import FileSystemStorage

KEPT_PUNCTUATION = frozenset("-_.")


def valid_file_name(name: str) -> str:
    text = unicodedata.normalize("NFC", str(name)).strip().replace(" ", "_")
    kept = "".join(c for c in text if c in KEPT_PUNCTUATION or unicodedata.category(c)[0] in "LMN")
    kept = kept.lstrip(".")
    if kept in {"", ".", ".."}:
        raise SuspiciousFileOperation(f"Could not derive a file name from {name!r}")
    return kept


class ThaiFileSystemStorage(FileSystemStorage):
    def get_valid_name(self, name: str) -> str:
        return valid_file_name(name)
