import pytest


@pytest.fixture
def seeded(world):
    """The world's tambons with the demo's plans, reports, roster, assessments and dashboard figures."""
    from tambon.models import Tambon
    from tests.reporting.helpers import seed

    seed(world.programme, list(Tambon.objects.with_place()))
    return world
