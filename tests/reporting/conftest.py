import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english_messages():
    """Service messages are checked by their English msgid; pages still render in Thai through the middleware."""
    with translation.override("en"):
        yield


@pytest.fixture
def seeded(world):
    """The world's tambons with the demo's plans, reports, roster, deadlines, assessments and dashboard figures."""
    from tambon.models import Tambon
    from tests.reporting.helpers import seed

    seed(world.programme, list(Tambon.objects.with_place()))
    return world
