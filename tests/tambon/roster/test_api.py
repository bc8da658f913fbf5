import io

import pytest

from tambon.roster.demo import national_id
from tambon.roster.services import roster_import

from .conftest import person_row, xlsx_bytes


@pytest.fixture
def hired(world):
    roster_import(
        file=io.BytesIO(xlsx_bytes([person_row(1, world.tambon_a), person_row(2, world.tambon_b)])), name="r.xlsx"
    )


def ids(client, url="/api/v1/roster/contracts/"):
    response = client.get(url)
    assert response.status_code == 200
    data = response.json()
    return [row["national_id"] for row in data.get("results", data)]


@pytest.mark.django_db
def test_api_lists_in_scope_people_with_masked_ids_for_reporters(world, hired, client_for):
    assert ids(client_for(world.alice)) == ["•••••••••" + national_id(1)[-4:]]


@pytest.mark.django_db
def test_api_shows_full_ids_to_those_who_handle_payments(world, hired, client_for):
    assert ids(client_for(world.mona)) == [national_id(1)]
    assert sorted(ids(client_for(world.nina))) == sorted([national_id(1), national_id(2)])
    assert all(national_id(n) not in ids(client_for(world.nora)) for n in (1, 2))


@pytest.mark.django_db
def test_api_hides_other_universities_people_and_refuses_anonymous(world, hired, client_for):
    assert ids(client_for(world.bob)) == ["•••••••••" + national_id(2)[-4:]]
    assert (
        client_for(world.bob).get(f"/api/v1/roster/contracts/?tambon={world.tambon_a.pk}").json().get("results", [])
        == []
    )
    assert client_for(None).get("/api/v1/roster/contracts/").status_code in (401, 403)
