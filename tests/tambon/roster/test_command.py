import pytest
from django.core.management import CommandError, call_command

from tambon.roster.models import Contract

from .conftest import person_row, xlsx_bytes


@pytest.fixture
def sheet(tmp_path):
    def write(rows, name="roster.xlsx"):
        path = tmp_path / name
        path.write_bytes(xlsx_bytes(rows))
        return str(path)

    return write


@pytest.mark.django_db
def test_command_imports_and_prints_the_summary(world, sheet, capsys):
    call_command("import_roster", sheet([person_row(1, world.tambon_a)]), "--university", "CU")
    assert "1 new" in capsys.readouterr().out.replace("1 rows", "")
    assert Contract.objects.count() == 1


@pytest.mark.django_db
def test_command_dry_run_writes_nothing(world, sheet, capsys):
    call_command("import_roster", sheet([person_row(1, world.tambon_a)]), "--dry-run")
    assert "nothing written" in capsys.readouterr().out
    assert Contract.objects.count() == 0


@pytest.mark.django_db
def test_command_exits_non_zero_on_errors_and_writes_nothing(world, sheet, capsys):
    path = sheet([person_row(1, world.tambon_a), person_row(2, world.tambon_b)])
    with pytest.raises(CommandError, match="1 rows have errors"):
        call_command("import_roster", path, "--university", "CU")
    assert "Row 4" in capsys.readouterr().err
    assert Contract.objects.count() == 0


@pytest.mark.django_db
def test_command_refuses_a_non_xlsx_file(world, tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text("a,b")
    with pytest.raises(CommandError, match=r"\.xlsx"):
        call_command("import_roster", str(path))
