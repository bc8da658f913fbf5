import pytest
from django.urls import reverse

from assessment.selectors import class_distribution, class_movements
from assessment.services import tambon_classify_programme
from pbm.periods import Quarter
from tests.assessment.helpers import make_assessment

Q2 = Quarter(2021, 2)


@pytest.fixture
def classified(world):
    make_assessment(world.tambon_a, "2021-Q1", 9)  # survive → sufficiency
    make_assessment(world.tambon_a, "2021-Q2", 12)
    make_assessment(world.tambon_a2, "2021-Q1", 15)  # sustainable → not yet classified
    make_assessment(world.tambon_a2, "2021-Q2", 4)
    make_assessment(world.tambon_b, "2021-Q2", 14)  # network 2, new this quarter: no movement
    tambon_classify_programme(programme=world.programme)
    return world


def test_distribution_against_targets_is_scoped(classified):
    world = classified
    national = class_distribution(user=world.nora, programme=world.programme, quarter=Q2)
    counts = {(r.band.code if r.band else None): r.tambons for r in national.rows}
    assert counts == {"sustainable": 1, "sufficiency": 1, "survive": 0, None: 1}
    assert (national.tambons, national.assessed) == (4, 3)
    network1 = class_distribution(user=world.carol, programme=world.programme, quarter=Q2)
    rows = {(r.band.code if r.band else None): r for r in network1.rows}
    assert rows["sufficiency"].tambons == 1 and rows["sustainable"].tambons == 0
    assert rows["sufficiency"].share == 50 and rows["sufficiency"].target_share == 50
    assert rows["sufficiency"].target_tambons == 1  # 50% of the 2 tambons in network 1's area


def test_movements_up_and_down(classified):
    world = classified
    up, down = class_movements(user=world.nora, programme=world.programme, quarter=Q2)
    assert [r.tambon_id for r in up] == [world.tambon_a.pk]
    assert [r.tambon_id for r in down] == [world.tambon_a2.pk]
    assert up[0].previous_band_obj.code == "survive" and down[0].band is None
    assert class_movements(user=world.dave, programme=world.programme, quarter=Q2) == ([], [])


@pytest.mark.parametrize(
    "username, status", [("carol", 200), ("nora", 200), ("alice", 200), ("nobody", 404), (None, 302)]
)
def test_overview_page_access(classified, client_for, username, status):
    user = getattr(classified, username) if username else None
    assert client_for(user).get(reverse("class_overview") + "?quarter=2021-Q2").status_code == status


def test_overview_page_shows_movement_and_other_network_is_404(classified, client_for):
    world = classified
    page = client_for(world.carol).get(reverse("class_overview") + "?quarter=2021-Q2").content.decode()
    moved_up = page[page.index('id="moved-up"') : page.index('id="moved-down"')]
    assert "ห้วยแห้ง" in moved_up and "ทับกวาง" not in moved_up
    assert (
        client_for(world.carol).get(reverse("class_overview") + f"?network={world.tambon_b.network_id}").status_code
        == 404
    )
    assert client_for(world.carol).get(reverse("class_overview") + "?quarter=2030-Q9").status_code == 404
