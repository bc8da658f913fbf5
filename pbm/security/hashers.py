"""Password hashing: Argon2id at the cost OWASP recommends for interactive logins, not Django's default cost.

Django's `Argon2PasswordHasher` defaults to 100 MiB and 8 lanes per hash: 0.26 s of CPU per login on this 2-core
machine, which is what made 64 people logging in together wait 11–21 s (issue 16). OWASP's Password Storage Cheat
Sheet gives m = 19 MiB, t = 2, p = 1 as its first Argon2id configuration: 0.03 s of CPU here, against 0.34 s for
Django's default PBKDF2 (1,000,000 iterations). Hashes made with other parameters or other hashers still verify
(settings.PASSWORD_HASHERS keeps them) and are re-hashed with these at the person's next login."""

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idHasher(Argon2PasswordHasher):
    """Same algorithm name ("argon2") and format as Django's; only the cost differs (stored in each hash)."""

    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
