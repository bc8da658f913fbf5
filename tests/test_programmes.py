"""Programme definitions (issue #14 item 1): programmes/u2t-2564.yaml, its validator and `programme_load`."""

from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import translation

from assessment.models import ClassBand, Goal, Indicator
from pbm.programmes.definition import DefinitionInvalid, parse, parse_file
from reporting.dashboard.models import DisbursementTarget
from reporting.deadlines.models import DeadlineSettings
from reporting.models import BudgetCategory, BudgetLine, ExpenseType, MonthlyReport, ProgrammeSettings
from tambon.models import HiringType, Programme

U2T = Path(settings.BASE_DIR) / "programmes" / "u2t-2564.yaml"
TEXT = U2T.read_text(encoding="utf-8")
CATEGORY_2_5 = """  - {code: "2.5", position: 25, kind: activity, parent: "2", letter: "จ.",
     name: {th: "อื่น ๆ", en: "Other"}}
"""


def run(path, *args) -> str:
    out = StringIO()
    with translation.override("en"):
        call_command("programme_load", str(path), *args, stdout=out)
    return out.getvalue()


def variant(tmp_path, *replacements) -> Path:
    text = TEXT
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    path = tmp_path / "programme.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def snapshot() -> list:
    models = (Programme, HiringType, ProgrammeSettings, DeadlineSettings, BudgetCategory, ExpenseType, Goal,
              Indicator, ClassBand, DisbursementTarget)  # fmt: skip
    return [list(m.objects.order_by("pk").values()) for m in models]


@pytest.mark.django_db
def test_the_u2t_file_holds_what_the_migrations_loaded():
    """The test database holds U2T from the data migrations, the definition file among them (tambon 0008): loading
    the file changes nothing at all."""
    before = snapshot()
    assert run(U2T) == "programme u2t-2564 is up to date: no change.\n"
    assert snapshot() == before
    assert Programme.objects.get(code="u2t-2564").definition["hiring_types"][1]["eligibility"][
        "years_since_graduation"] == 3  # fmt: skip


@pytest.mark.django_db
def test_a_changed_wage_is_updated_and_a_second_run_changes_nothing(tmp_path):
    run(U2T)
    path = variant(tmp_path, ("monthly_wage: 15000", "monthly_wage: 15500"))
    out = run(path)
    assert "changed hiring type graduate: monthly_rate: 15000 → 15500" in out
    assert HiringType.objects.get(code="graduate").monthly_rate == Decimal("15500")
    assert run(path) == "programme u2t-2564 is up to date: no change.\n"


@pytest.mark.django_db
def test_dry_run_writes_nothing(tmp_path):
    run(U2T)
    before = snapshot()
    out = run(
        variant(tmp_path, ("monthly_wage: 15000", "monthly_wage: 15500"), ("due_day: 2,", "due_day: 5,")), "--dry-run"
    )
    assert "monthly_rate: 15000 → 15500" in out and "due_day: 2 → 5" in out and "nothing was written" in out
    assert snapshot() == before


@pytest.mark.django_db
def test_removing_a_category_that_holds_lines_is_refused_and_nothing_is_written(tmp_path, world):
    run(U2T)
    category = BudgetCategory.objects.get(programme=world.programme, code="2.5")
    BudgetLine.objects.create(tambon=world.tambon_a, category=category)
    before = snapshot()
    path = variant(tmp_path, (CATEGORY_2_5, ""), ("monthly_wage: 15000", "monthly_wage: 15500"))
    with pytest.raises(CommandError) as caught, translation.override("en"):
        call_command("programme_load", str(path), stdout=StringIO())
    assert "budget category 2.5 is no longer in the file but is held by 1 budget lines" in str(caught.value)
    assert snapshot() == before  # the wage change in the same file was not written either


@pytest.mark.django_db
def test_removing_an_unused_category_removes_it(tmp_path):
    run(U2T)
    out = run(variant(tmp_path, (CATEGORY_2_5, "")))
    assert "removed budget category 2.5" in out
    assert not BudgetCategory.objects.filter(code="2.5").exists()


@pytest.mark.django_db
def test_removing_a_hiring_type_with_contracts_is_refused(tmp_path, world):
    from tambon.roster.demo import national_id
    from tambon.roster.models import Contract, Person

    run(U2T)
    person = Person.objects.create(national_id=national_id(7), first_name="ทดสอบ", last_name="หนึ่ง")
    student = HiringType.objects.get(programme=world.programme, code="student")
    Contract.objects.create(
        person=person, tambon=world.tambon_a, hiring_type=student, start_date=world.programme.start_date
    )
    before = snapshot()
    student_block = TEXT[TEXT.index("  - code: student\n") : TEXT.index("certificate:")]
    category = TEXT[TEXT.index('  - {code: "1.3"') : TEXT.index('  - {code: "2",')]
    held = "hiring type student is no longer in the file but is held by 1 contracts"
    with pytest.raises(CommandError, match=held), translation.override("en"):
        call_command("programme_load", str(variant(tmp_path, (student_block, ""), (category, ""))), stdout=StringIO())
    assert snapshot() == before


@pytest.mark.django_db
def test_shrinking_the_months_over_a_filed_report_is_refused(tmp_path, world):
    run(U2T)
    MonthlyReport.objects.create(tambon=world.tambon_a, year=2021, month=12)
    with pytest.raises(CommandError, match="1 monthly reports"), translation.override("en"):
        call_command(
            "programme_load",
            str(variant(tmp_path, ("end: 2021-12-31", "end: 2021-11-30"), ("[3, 6, 9, 12]", "[3, 6, 9]"))),
            stdout=StringIO(),
        )
    assert Programme.objects.get(code="u2t-2564").end_date.month == 12


@pytest.mark.django_db
def test_a_new_programme_is_created_with_all_its_rows(tmp_path):
    path = variant(tmp_path, ("code: u2t-2564", "code: u2t-2565"), ("current: true", "current: false"),
                   ("{start: 2021-01-01, end: 2021-12-31}", "{start: 2022-01-01, end: 2022-12-31}"))  # fmt: skip
    out = run(path)
    new = Programme.objects.get(code="u2t-2565")
    assert "added programme u2t-2565" in out and not new.is_current
    assert new.hiring_types.count() == 3 and new.budget_categories.count() == 12 and new.expense_types.count() == 31
    assert new.goals.count() == 16 and new.indicators.count() == 32 and new.class_bands.count() == 3
    assert DeadlineSettings.objects.get(programme=new).instalment_2_month == 7
    assert run(path) == "programme u2t-2565 is up to date: no change.\n"


@pytest.mark.django_db
def test_a_new_current_programme_says_the_old_one_is_no_longer_current(tmp_path):
    path = variant(tmp_path, ("code: u2t-2564", "code: u2t-2565"),
                   ("{start: 2021-01-01, end: 2021-12-31}", "{start: 2022-01-01, end: 2022-12-31}"))  # fmt: skip
    assert "programme u2t-2564 is no longer the current one" in run(path)
    assert Programme.current().code == "u2t-2565"


def problems(text: str) -> list[str]:
    with translation.override("en"):
        with pytest.raises(DefinitionInvalid) as caught:
            parse(text)
        return [str(p) for p in caught.value.problems]


def line_of(fragment: str) -> int:
    return next(i for i, line in enumerate(TEXT.splitlines(), start=1) if fragment in line)


def test_the_u2t_file_is_valid():
    data = parse_file(U2T)
    assert data["code"] == "u2t-2564" and len(data["goals"]) == 16


def test_every_problem_is_reported_at_once_with_its_line_and_path():
    text = (TEXT.replace("monthly_wage: 15000", "monthly_wage: lots")
            .replace('parent: "2", letter: "ค."', 'parent: "9", letter: "ค."')
            .replace("evidence_max_mb: 10", "evidence_max_mb: 10\ncolour: red")
            .replace("due_day: 2,", "due_day: 31,"))  # fmt: skip
    found = problems(text)
    wage = line_of("monthly_wage: 15000")
    assert f"line {wage}, hiring_types[2].monthly_wage: must be a number, not “lots”." in found
    assert any(p.startswith(f"line {line_of('evidence_max_mb') + 1}, colour: unknown field") for p in found)
    assert f"line {line_of('due_day: 2,') + 1}, reporting.monthly.due_day: must be at most 28, not 31." in found
    parent = line_of('parent: "2", letter: "ค."') + 1
    assert f"line {parent}, budget_categories[8].parent: “9” is not a category defined above this one." in found
    assert len(found) == 4


def test_cross_field_rules():
    text = (TEXT.replace("min_goals: 11, max_goals: 13", "min_goals: 11, max_goals: 14")
            .replace("{number: 2, month: 7, share: 50", "{number: 2, month: 7, share: 40")
            .replace("- {fiscal_year: 2565, cumulative_percent: [32, 54, 77, 100]}",
                     "- {fiscal_year: 2565, cumulative_percent: [30, 54, 77, 100]}")
            .replace("hiring_type: student", "hiring_type: pupil"))  # fmt: skip
    found = problems(text)
    assert any("class_bands[2]: its goals range overlaps class_bands[1]" in p for p in found)
    assert any("instalments: the shares add up to 90%, not 100%." in p for p in found)
    assert any("disbursement_targets[2].cumulative_percent: the tracker holds one set" in p for p in found)
    assert any("budget_categories[4].hiring_type: “pupil” is not a code of hiring_types." in p for p in found)


def test_missing_and_repeated_fields_and_bad_yaml():
    found = problems(TEXT.replace("evidence_max_mb: 10\n", "").replace("code: u2t-2564\n", "code: u2t-2564\ncode: x\n"))
    assert f"line {line_of('schema: 1')}, /: the field “evidence_max_mb” is missing." in found
    assert f"line {line_of('code: u2t-2564') + 1}, code: appears twice; keep one." in found
    assert problems("code: [x\nname: 1")[0].startswith("line 2, /: not valid YAML")
    assert problems("") == ["line 1, /: the file is empty."]


def test_problems_are_in_thai_for_thai_users():
    with translation.override("th"), pytest.raises(DefinitionInvalid) as caught:
        parse(TEXT.replace("monthly_wage: 15000", "monthly_wage: lots"))
    assert str(caught.value.problems[0]).startswith(f"บรรทัด {line_of('monthly_wage: 15000')}, hiring_types[2]")


def test_a_malformed_file_fails_the_command_with_line_numbers(tmp_path):
    path = variant(tmp_path, ("monthly_wage: 15000", "monthly_wage: lots"))
    with pytest.raises(CommandError) as caught, translation.override("en"):
        call_command("programme_load", str(path), stdout=StringIO())
    assert f"programme.yaml:line {line_of('monthly_wage: 15000')}, hiring_types[2].monthly_wage" in str(caught.value)
    assert "nothing was written" in str(caught.value)


@pytest.mark.django_db
def test_the_admin_shows_the_loaded_definition(world, client_for):
    from django.urls import reverse

    world.nina.is_staff = world.nina.is_superuser = True
    world.nina.save()
    url = reverse("admin:tambon_programme_change", args=[world.programme.pk])
    Programme.objects.filter(pk=world.programme.pk).update(definition={})
    assert "programme_load programmes/&lt;code&gt;.yaml" in client_for(world.nina).get(url).content.decode()
    run(U2T)
    page = client_for(world.nina).get(url).content.decode()
    assert "years_since_graduation: 3" in page and "unlocked_by: mou_6_month" in page


@pytest.mark.django_db
def test_removing_a_goal_with_results_is_refused(tmp_path, world):
    from assessment.models import GoalResult, TambonAssessment

    run(U2T)
    assessment = TambonAssessment.objects.create(tambon=world.tambon_a, programme=world.programme, quarter="2021-Q1")
    GoalResult.objects.create(assessment=assessment, goal=Goal.objects.get(programme=world.programme, number=16))
    goal_16 = TEXT[TEXT.index("  - number: 16\n") : TEXT.index("indicators:")]
    path = variant(tmp_path, (goal_16, ""), ("min_goals: 14, max_goals: 16", "min_goals: 14, max_goals: 15"))
    held = "goal 16 is no longer in the file but is held by 1 goal results"
    with pytest.raises(CommandError, match=held), translation.override("en"):
        call_command("programme_load", str(path), stdout=StringIO())
    assert Goal.objects.filter(programme=world.programme).count() == 16


@pytest.mark.django_db
def test_class_ranks_can_be_swapped(tmp_path):
    run(U2T)
    path = variant(tmp_path, ("code: sustainable, rank: 3", "code: sustainable, rank: 1"),
                   ("code: survive, rank: 1", "code: survive, rank: 3"))  # fmt: skip
    out = run(path)
    assert "changed tambon class sustainable: rank: 3 → 1" in out
    assert dict(ClassBand.objects.values_list("code", "rank")) == {"sustainable": 1, "sufficiency": 2, "survive": 3}
    assert run(path) == "programme u2t-2564 is up to date: no change.\n"
