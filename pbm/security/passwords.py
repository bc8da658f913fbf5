"""Passwords a guesser tries first for this programme: its own names, the country, a year after them."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Lower-case, without spaces, dashes or digits: "pbm-demo" → "pbmdemo", "Thailand2564" → "thailand".
PROGRAMME_WORDS = frozenset({
    "pbm", "pbmdemo", "demo", "u2t", "utt", "tambon", "tambonsi", "nsi", "rsi", "usi", "tsi", "mhesi", "ohec",
    "thailand", "thai", "siam", "bangkok", "krungthep", "prathetthai", "university", "mahawitthayalai",
    "password", "passw0rd", "admin", "administrator", "welcome", "changeme", "letmein", "qwerty",
    "ประเทศไทย", "ไทย", "กรุงเทพ", "กรุงเทพมหานคร", "มหาวิทยาลัย", "ตำบล", "รหัสผ่าน",
})  # fmt: skip
_SEPARATORS_AND_DIGITS = re.compile(r"[\s\-_.@#!*+=/\\0-9๐-๙]+")


class ProgrammeWordsValidator:
    """Refuses a password that is one of PROGRAMME_WORDS with only digits (a year: 2564, 2021) or separators
    added anywhere, whatever its letter case: `pbm-demo`, `Thailand2564`, `2564-U2T!`."""

    def validate(self, password: str, user=None) -> None:
        core = _SEPARATORS_AND_DIGITS.sub("", password.casefold())
        if core in PROGRAMME_WORDS:
            raise ValidationError(
                _(
                    "This password is a word from the programme or the country with digits added (such as a year); "
                    "choose a passphrase of several unrelated words."
                ),
                code="password_programme_word",
            )

    def get_help_text(self) -> str:
        return _("Your password can't be the programme's or the country's name with a year or digits added.")
