"""Two-factor (TOTP) for NSI admins: password, then a code, before any page; enrolment shows the key once."""

import base64
import re

from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient


def code_for(device: TOTPDevice, offset_steps: int = 0) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=offset_steps):06d}"


def login(client: Client, username: str):
    return client.post(reverse("login"), {"username": username, "password": "pbm-test"})


def test_nsi_admin_without_a_device_must_enrol_before_any_page(world):
    client = Client()
    assert login(client, "nina").status_code == 302
    for url in (reverse("home"), reverse("tambon_list"), "/admin/"):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("two_factor_enrol")), url
    assert client.get("/api/v1/tambons/").status_code == 403

    page = client.get(reverse("two_factor_enrol")).content.decode()
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', page).group(1)
    assert "otpauth://totp/" in page and "<svg" in page
    device = TOTPDevice.objects.get(user=world.nina)
    assert base64.b32decode(secret) == device.bin_key and not device.confirmed

    assert client.post(reverse("two_factor_enrol"), {"code": "000000"}).status_code == 200
    device.refresh_from_db()
    device.throttle_reset()  # django-otp makes each wrong code double the wait before the next
    done = client.post(reverse("two_factor_enrol"), {"code": code_for(device), "next": reverse("tambon_list")})
    assert done.status_code == 302 and done.url == reverse("tambon_list")
    assert client.get(reverse("tambon_list")).status_code == 200
    device.refresh_from_db()
    assert device.confirmed


def test_nsi_admin_with_a_device_types_the_code_after_the_password(world):
    device = TOTPDevice.objects.create(user=world.nina, name="phone", confirmed=True)
    client = Client()
    login(client, "nina")
    response = client.get(reverse("tambon_list"))
    assert response.status_code == 302 and response.url.startswith(reverse("two_factor_verify"))
    wrong = client.post(reverse("two_factor_verify"), {"code": "123456"})
    assert wrong.status_code == 200 and "รหัสไม่ถูกต้อง" in wrong.content.decode()
    device.refresh_from_db()
    device.throttle_reset()  # one wrong code makes django-otp wait a second before the next try
    right = client.post(reverse("two_factor_verify"), {"code": code_for(device), "next": "https://evil.example/"})
    assert right.status_code == 302 and right.url == reverse("home")  # no open redirect
    assert client.get(reverse("tambon_list")).status_code == 200


def test_a_code_does_not_carry_over_to_the_next_login(world):
    device = TOTPDevice.objects.create(user=world.nina, name="phone", confirmed=True)
    client = Client()
    login(client, "nina")
    client.post(reverse("two_factor_verify"), {"code": code_for(device)})
    assert client.get(reverse("tambon_list")).status_code == 200
    client.post(reverse("logout"))
    login(client, "nina")
    assert client.get(reverse("tambon_list")).url.startswith(reverse("two_factor_verify"))


def test_other_roles_need_no_second_factor(world):
    for username in ("alice", "carol", "nora"):
        client = Client()
        login(client, username)
        assert client.get(reverse("tambon_list")).status_code == 200, username
    assert not TOTPDevice.objects.exists()


def test_nsi_admin_token_needs_a_current_code(world):
    device = TOTPDevice.objects.create(user=world.nina, name="phone", confirmed=True)
    url = reverse("api_token")
    without = APIClient().post(url, {"username": "nina", "password": "pbm-test"}, format="json")
    assert without.status_code == 400 and "otp_token" in without.json()["detail"]
    assert "token" not in without.json()
    device.refresh_from_db()
    device.throttle_reset()
    with_code = APIClient().post(
        url, {"username": "nina", "password": "pbm-test", "otp_token": code_for(device)}, format="json"
    )
    assert with_code.status_code == 200 and with_code.json()["token"]


def test_admin_never_shows_a_device_key(world, client_for):
    world.nina.is_staff = world.nina.is_superuser = True
    world.nina.save()
    device = TOTPDevice.objects.create(user=world.nina, name="phone", confirmed=True)
    html = client_for(world.nina).get(reverse("admin:otp_totp_totpdevice_change", args=[device.pk])).content.decode()
    assert device.key not in html and base64.b32encode(device.bin_key).decode() not in html


def test_the_demo_nsi_admin_logs_in_with_the_published_key(db):
    from tambon import demo

    demo.seed(scale="small")
    device = TOTPDevice.objects.get(user__username="nsi", confirmed=True)
    assert device.bin_key == base64.b32decode(demo.DEMO_TOTP_KEY_BASE32)
    client = Client()
    assert client.post(reverse("login"), {"username": "nsi", "password": demo.DEMO_PASSWORD}).status_code == 302
    assert client.get(reverse("tambon_list")).url.startswith(reverse("two_factor_verify"))
    assert client.post(reverse("two_factor_verify"), {"code": code_for(device)}).status_code == 302
    assert client.get(reverse("tambon_list")).status_code == 200
