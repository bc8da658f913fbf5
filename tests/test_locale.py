"""The committed Thai catalogue (.mo) is the compiled form of its .po: a merge that keeps an older .mo would show
English on Thai pages for every newer string."""

import gettext
import shutil
import subprocess
from pathlib import Path

import pytest

PO = Path(__file__).resolve().parents[1] / "locale" / "th" / "LC_MESSAGES" / "django.po"


@pytest.mark.skipif(not shutil.which("msgfmt"), reason="msgfmt (gettext) is not installed")
def test_the_committed_mo_is_the_compiled_po(tmp_path):
    fresh = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check-format", "-o", str(fresh), str(PO)], check=True)  # noqa: S603, S607
    with fresh.open("rb") as f1, PO.with_suffix(".mo").open("rb") as f2:
        compiled, committed = gettext.GNUTranslations(f1)._catalog, gettext.GNUTranslations(f2)._catalog
    missing = sorted(k for k in compiled if k not in committed or committed[k] != compiled[k])[:5]
    assert not missing, f"locale/th/LC_MESSAGES/django.mo is stale; run compilemessages. First: {missing}"
