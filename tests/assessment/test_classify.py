import pytest
from django.core.management import call_command

from assessment.models import ClassBand, Goal, Indicator, TambonClassification
from assessment.services import tambon_classify, tambon_classify_programme
from pbm.models import ReviewStatus
from pbm.periods import Quarter
from tests.assessment.helpers import make_assessment

Q1, Q2 = Quarter(2021, 1), Quarter(2021, 2)


def test_reference_data_loaded_by_migration(db, world):
    programme = world.programme
    assert Goal.objects.filter(programme=programme).count() == 16
    assert Goal.objects.get(programme=programme, number=4).name_th == "สัมมาชีพเต็มพื้นที่"
    counts = {lvl: Indicator.objects.filter(programme=programme, level=lvl).count() for lvl in ("tsi", "usi", "rsi")}
    assert counts == {"tsi": 14, "usi": 14, "rsi": 4}
    bands = {b.code: (b.min_goals, b.max_goals, b.target_share) for b in ClassBand.objects.filter(programme=programme)}
    assert bands == {"sustainable": (14, 16, 25), "sufficiency": (11, 13, 50), "survive": (8, 10, 25)}


@pytest.mark.parametrize(
    "goals_met, band",
    [(0, None), (7, None), (8, "survive"), (10, "survive"), (11, "sufficiency"), (13, "sufficiency"),
     (14, "sustainable"), (16, "sustainable")],
)  # fmt: skip
def test_class_boundaries(world, goals_met, band):
    make_assessment(world.tambon_a, "2021-Q1", goals_met)
    tambon_classify(programme=world.programme, quarter=Q1)
    row = TambonClassification.objects.select_related("band").get(tambon=world.tambon_a, quarter="2021-Q1")
    assert row.goals_met == goals_met
    assert (row.band.code if row.band else None) == band


def test_thresholds_come_from_the_band_table(world):
    ClassBand.objects.filter(programme=world.programme, code="survive").update(min_goals=6)
    make_assessment(world.tambon_a, "2021-Q1", 6)
    tambon_classify(programme=world.programme, quarter=Q1)
    assert TambonClassification.objects.get(tambon=world.tambon_a).band.code == "survive"


@pytest.mark.parametrize("status", [ReviewStatus.DRAFT, ReviewStatus.SUBMITTED, ReviewStatus.RETURNED])
def test_only_accepted_assessments_count(world, status):
    make_assessment(world.tambon_a, "2021-Q1", 15, status=status)
    make_assessment(world.tambon_b, "2021-Q1", 12)
    result = tambon_classify(programme=world.programme, quarter=Q1)
    assert list(TambonClassification.objects.values_list("tambon_id", flat=True)) == [world.tambon_b.pk]
    assert result.distribution == {"sufficiency": 1}


def test_rerunning_changes_nothing(world):
    make_assessment(world.tambon_a, "2021-Q1", 12)
    make_assessment(world.tambon_b, "2021-Q1", 3)
    first = tambon_classify(programme=world.programme, quarter=Q1)
    before = list(TambonClassification.objects.order_by("pk").values())
    second = tambon_classify(programme=world.programme, quarter=Q1)
    assert (first.created, second.created, second.updated, second.deleted, second.unchanged) == (2, 0, 0, 0, 2)
    assert list(TambonClassification.objects.order_by("pk").values()) == before


def test_change_in_accepted_assessment_updates_the_row(world):
    assessment = make_assessment(world.tambon_a, "2021-Q1", 12)
    tambon_classify(programme=world.programme, quarter=Q1)
    make_assessment(world.tambon_a, "2021-Q1", 14)
    result = tambon_classify(programme=world.programme, quarter=Q1)
    row = TambonClassification.objects.get(tambon=world.tambon_a)
    assert (result.updated, row.goals_met, row.band.code, row.assessment_id) == (1, 14, "sustainable", assessment.pk)


def test_reopened_assessment_no_longer_classifies(world):
    assessment = make_assessment(world.tambon_a, "2021-Q1", 12)
    tambon_classify(programme=world.programme, quarter=Q1)
    assessment.status = ReviewStatus.RETURNED
    assessment.save()
    result = tambon_classify(programme=world.programme, quarter=Q1)
    assert result.deleted == 1 and not TambonClassification.objects.exists()


def test_movement_between_quarters_is_recorded(world):
    make_assessment(world.tambon_a, "2021-Q1", 9)
    make_assessment(world.tambon_a, "2021-Q2", 12)
    make_assessment(world.tambon_b, "2021-Q1", 14)
    make_assessment(world.tambon_b, "2021-Q2", 10)
    tambon_classify_programme(programme=world.programme)
    history = {(c.tambon_id, c.quarter): c.band.code for c in TambonClassification.objects.select_related("band")}
    assert history == {
        (world.tambon_a.pk, "2021-Q1"): "survive", (world.tambon_a.pk, "2021-Q2"): "sufficiency",
        (world.tambon_b.pk, "2021-Q1"): "sustainable", (world.tambon_b.pk, "2021-Q2"): "survive",
    }  # fmt: skip


def test_classify_query_count_does_not_grow_with_tambons(world, django_assert_max_num_queries):
    for tambon in (world.tambon_a, world.tambon_a2, world.tambon_b, world.tambon_cross):
        make_assessment(tambon, "2021-Q2", 12)
    with django_assert_max_num_queries(8):
        result = tambon_classify(programme=world.programme, quarter=Q2)
    assert result.created == 4


def test_command_prints_distribution(world, capsys):
    make_assessment(world.tambon_a, "2021-Q2", 12)
    make_assessment(world.tambon_b, "2021-Q2", 5)
    call_command("classify_tambons", "--quarter", "2564-Q2")
    out = capsys.readouterr().out
    assert "2021-Q2: 2 tambons classified (new 2" in out
    assert "Sufficiency" in out and "50.0%" in out and "not yet classified" in out
    call_command("classify_tambons", "--quarter", "2021-Q2")
    assert "unchanged 2" in capsys.readouterr().out


def test_command_refuses_quarter_outside_programme(world):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="2021-Q1, 2021-Q2"):
        call_command("classify_tambons", "--quarter", "2022-Q1")


def test_the_classification_records_which_goals_are_met_and_follows_a_change(world):
    from assessment.models import GoalResult

    assessment = make_assessment(world.tambon_a, "2021-Q1", 12)
    tambon_classify(programme=world.programme, quarter=Q1)
    row = TambonClassification.objects.get(tambon=world.tambon_a, quarter="2021-Q1")
    assert row.goals_met_mask == 0b1111_1111_1111 and row.goals_met == 12
    # goal 1 turns out not met and goal 16 met: the same count, other goals
    GoalResult.objects.filter(assessment=assessment, goal__number=1).update(met=False)
    GoalResult.objects.filter(assessment=assessment, goal__number=16).update(met=True)
    result = tambon_classify(programme=world.programme, quarter=Q1)
    assert result.updated == 1
    row.refresh_from_db()
    assert row.goals_met == 12 and row.goals_met_mask == 0b1000_1111_1111_1110
    assert [n for n in range(1, 17) if row.goals_met_mask & TambonClassification.goal_bit(n)] == [*range(2, 13), 16]


def test_the_migration_fills_the_goals_of_existing_classifications(world):
    import importlib

    from django.apps import apps

    make_assessment(world.tambon_a, "2021-Q1", 9)
    tambon_classify(programme=world.programme, quarter=Q1)
    TambonClassification.objects.update(goals_met_mask=0)  # as the rows stood before the field existed
    importlib.import_module("assessment.migrations.0004_classification_goals_met_mask").fill_masks(apps, None)
    assert TambonClassification.objects.get().goals_met_mask == 0b1_1111_1111
