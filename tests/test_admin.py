"""Every admin list page answers for the NSI admin (staff), and non-staff users cannot reach the admin."""

import pytest
from django.contrib import admin
from django.urls import reverse


@pytest.mark.parametrize("model", [m for m in admin.site._registry], ids=lambda m: m._meta.label)
def test_admin_changelists_open(world, client_for, model):
    world.nina.is_staff = world.nina.is_superuser = True
    world.nina.save()
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    assert client_for(world.nina).get(url).status_code == 200


def test_admin_needs_staff(world, client_for):
    assert client_for(world.alice).get(reverse("admin:index")).status_code == 302
