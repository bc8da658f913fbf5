"""How the tracker keeps people out who should not be in: login lockout, password rules, two-factor for NSI
admins, API tokens stored as digests, upload size limits and the Content-Security-Policy (README "Security")."""
