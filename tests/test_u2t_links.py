"""Every link a U2T person is shown opens for them: each demo role (`seed_demo`'s accounts: NSI admin and reviewer,
an RSI, a university's reporter and its manager) starts at home and follows its pages' links, as
`test_unit_tree_links` does for the other programmes' roles."""

from io import StringIO

import pytest
from django.core.management import call_command
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from tambon.models import User

from .test_unit_tree_links import _follow

pytestmark = pytest.mark.django_db

ROLES = ("nsi", "nsi-review", "rsi1", "usi1", "usi1-manager")


def test_every_link_shown_to_a_u2t_person_opens(client):
    call_command("seed_demo", "--scale", "small", stdout=StringIO())
    broken: list[str] = []
    for who in ROLES:
        user = User.objects.get(username=who)
        client.force_login(user)
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is not None:  # as after typing the code
            session = client.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()
        pages, problems = _follow(client, who)
        assert pages >= 20, f"{who} reached only {pages} pages"
        broken += problems
    assert not broken, "\n".join(broken)
