"""The bulk import: every bad-input rule gives a clear message and writes nothing; good sheets write all."""

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook

from tambon.roster.demo import national_id
from tambon.roster.models import Contract, Person
from tambon.roster.services import roster_import, university_owner
from tambon.roster.sheet import COLUMNS
from tests.factories import TambonFactory

from .conftest import HEADERS, person_row, xlsx_bytes


def run(data: bytes, name: str = "roster.xlsx", **kwargs):
    return roster_import(file=io.BytesIO(data), name=name, **kwargs)


def assert_nothing_written():
    assert Person.objects.count() == 0
    assert Contract.objects.count() == 0


def only_error(result):
    assert len(result.errors) == 1, [str(e) for e in result.errors]
    return str(result.errors[0])


@pytest.mark.django_db
def test_valid_sheet_imports_every_row(world):
    rows = [person_row(1, world.tambon_a), person_row(2, world.tambon_a, hiring_type="นักศึกษา")]
    result = run(xlsx_bytes(rows))
    assert (result.new, result.updated, result.unchanged, result.errors, result.written) == (2, 0, 0, [], True)
    assert Contract.objects.filter(tambon=world.tambon_a, status="active").count() == 2


@pytest.mark.django_db
def test_invalid_national_id_is_refused_with_its_row(world):
    bad = national_id(1)[:-1] + str((int(national_id(1)[-1]) + 1) % 10)
    result = run(xlsx_bytes([person_row(2, world.tambon_a), person_row(1, world.tambon_a, national_id=bad)]))
    message = only_error(result)
    assert "Row 4" in message and "เลขประจำตัวประชาชน" in message and "check digit" in message
    assert bad not in message
    assert_nothing_written()


@pytest.mark.django_db
def test_short_national_id_says_how_many_digits(world):
    message = only_error(run(xlsx_bytes([person_row(1, world.tambon_a, national_id="123456789012")])))
    assert "13 digits" in message and "12" in message
    assert_nothing_written()


@pytest.mark.django_db
def test_thai_digits_spaces_and_dashes_are_normalised(world):
    plain = national_id(7)
    thai = plain.translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙"))
    styled = f"{thai[0]}-{thai[1:5]} {thai[5:10]}-{thai[10:12]}-{thai[12]}"
    result = run(xlsx_bytes([person_row(7, world.tambon_a, national_id=styled)]))
    assert result.errors == []
    assert Person.objects.get().national_id == plain


@pytest.mark.django_db
def test_person_active_in_another_tambon_is_an_error_naming_where(world):
    run(xlsx_bytes([person_row(1, world.tambon_b)]))
    result = run(xlsx_bytes([person_row(1, world.tambon_a), person_row(2, world.tambon_a)]))
    message = only_error(result)
    assert "Row 3" in message and "Si Phum" in message and "Chiang Mai University" in message
    assert Contract.objects.filter(tambon=world.tambon_a).count() == 0


@pytest.mark.django_db
def test_same_person_twice_in_one_sheet_is_an_error(world):
    result = run(xlsx_bytes([person_row(1, world.tambon_a), person_row(1, world.tambon_a2)]))
    assert "also on row 3" in only_error(result)
    assert_nothing_written()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", ["ประชาชน", "citizen", "Citizen", "บัณฑิตจบใหม่", "บัณฑิต", "graduate", "New graduate", "นักศึกษา", "student"]
)
def test_thai_and_english_type_names_are_accepted(world, name):
    result = run(xlsx_bytes([person_row(1, world.tambon_a, hiring_type=name, graduated_on="2020-05-01")]))
    assert result.errors == []
    assert Contract.objects.get().hiring_type.code in name.lower() or name in {"ประชาชน", "บัณฑิตจบใหม่", "บัณฑิต", "นักศึกษา"}


@pytest.mark.django_db
def test_unknown_type_name_lists_the_valid_ones(world):
    message = only_error(run(xlsx_bytes([person_row(1, world.tambon_a, hiring_type="อาสาสมัคร")])))
    assert "อาสาสมัคร" in message and "ประชาชน / บัณฑิตจบใหม่ / นักศึกษา" in message
    assert_nothing_written()


@pytest.mark.django_db
def test_graduate_more_than_three_years_before_start_is_refused_and_says_which_era_was_read(world):
    row = person_row(1, world.tambon_a, hiring_type="บัณฑิตจบใหม่", start_date="15/01/2564", graduated_on="2017-03-31")
    message = only_error(run(xlsx_bytes([row])))
    assert "3 years" in message and "วันสำเร็จการศึกษา" in message
    assert "read 15/01/2564 as Buddhist Era" in message and "2021-01-15" in message
    assert "read 2017-03-31 as Common Era" in message
    assert_nothing_written()


@pytest.mark.django_db
def test_graduate_needs_a_graduation_date(world):
    message = only_error(run(xlsx_bytes([person_row(1, world.tambon_a, hiring_type="graduate")])))
    assert "graduation date" in message
    assert_nothing_written()


@pytest.mark.django_db
def test_be_and_ce_dates_are_the_same_day(world):
    rows = [
        person_row(1, world.tambon_a, start_date="15/01/2564"),
        person_row(2, world.tambon_a, start_date="2021-01-15"),
        person_row(3, world.tambon_a, start_date=dt.datetime(2564, 1, 15)),  # typed as a date in a BE-year Excel
        person_row(4, world.tambon_a, start_date=dt.datetime(2021, 1, 15)),
    ]
    assert run(xlsx_bytes(rows)).errors == []
    assert set(Contract.objects.values_list("start_date", flat=True)) == {dt.date(2021, 1, 15)}


@pytest.mark.django_db
def test_unreadable_date_names_the_cell(world):
    message = only_error(run(xlsx_bytes([person_row(1, world.tambon_a, start_date="สิบห้า มกรา")])))
    assert "Row 3" in message and "วันเริ่มจ้าง" in message and "15/01/2564" in message
    assert_nothing_written()


@pytest.mark.django_db
def test_blank_rows_are_skipped_and_header_may_sit_below_title_rows(world):
    data = xlsx_bytes([person_row(1, world.tambon_a), [], [None, "  "], person_row(2, world.tambon_a)], title_rows=4)
    result = run(data)
    assert (result.rows_total, result.new, result.errors) == (2, 2, [])


@pytest.mark.django_db
def test_unknown_columns_are_ignored_and_named(world):
    row = person_row(1, world.tambon_a)
    data = xlsx_bytes([[*(row.get(c.key, "") for c in COLUMNS), "สีโปรด"]], headers=[*HEADERS, "สีที่ชอบ"])
    result = run(data, dry_run=True)
    assert result.unknown_columns == ["สีที่ชอบ"]
    assert result.errors == [] and result.new == 1
    assert_nothing_written()


@pytest.mark.django_db
def test_missing_required_column_stops_before_any_row(world):
    headers = [h for h in HEADERS if h != "นามสกุล"]
    with pytest.raises(ValidationError) as caught:
        run(xlsx_bytes([["x"] * len(headers)], headers=headers))
    assert "นามสกุล" in caught.value.messages[0] and "no row was read" in caught.value.messages[0]
    assert_nothing_written()


@pytest.mark.django_db
def test_file_that_is_not_xlsx_is_refused(world):
    with pytest.raises(ValidationError) as caught:
        run(b"national_id,name\n1,a\n", name="roster.csv")
    assert "roster.csv" in caught.value.messages[0] and ".xlsx" in caught.value.messages[0]
    assert_nothing_written()


@pytest.mark.django_db
def test_password_protected_workbook_is_refused(world):
    encrypted = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600  # encrypted OOXML lives in an OLE container
    with pytest.raises(ValidationError) as caught:
        run(encrypted)
    assert "password" in caught.value.messages[0]
    assert_nothing_written()


@pytest.mark.django_db
def test_corrupt_workbook_is_refused(world):
    data = xlsx_bytes([person_row(1, world.tambon_a)])
    with pytest.raises(ValidationError) as caught:
        run(data[: len(data) // 2])
    assert "damaged" in caught.value.messages[0]
    assert_nothing_written()


@pytest.mark.django_db
def test_workbook_over_the_size_limit_is_refused(world, settings):
    settings.ROSTER_IMPORT_MAX_BYTES = 1000
    with pytest.raises(ValidationError) as caught:
        run(xlsx_bytes([person_row(1, world.tambon_a)]))
    assert "limit" in caught.value.messages[0] and "MB" in caught.value.messages[0]
    assert_nothing_written()


@pytest.mark.django_db
def test_more_than_the_row_limit_is_refused(world, settings):
    settings.ROSTER_IMPORT_MAX_ROWS = 2
    with pytest.raises(ValidationError) as caught:
        run(xlsx_bytes([person_row(n, world.tambon_a) for n in range(1, 4)]))
    assert "more than 2 people" in caught.value.messages[0]
    assert_nothing_written()


@pytest.mark.django_db
def test_formula_where_a_value_is_required_is_refused(world):
    result = run(xlsx_bytes([person_row(1, world.tambon_a, first_name='=CONCAT("สม","ชาย")')]))
    message = only_error(result)
    assert "Row 3" in message and "ชื่อ" in message and "formula" in message
    assert_nothing_written()


@pytest.mark.django_db
def test_tambon_of_another_university_is_refused_when_importing_for_a_university(world):
    result = run(
        xlsx_bytes([person_row(1, world.tambon_b)]), owner=university_owner(world.university_a, world.programme)
    )
    assert "another university" in only_error(result)
    assert_nothing_written()


@pytest.mark.django_db
def test_one_bad_row_writes_nothing_at_all(world):
    rows = [person_row(n, world.tambon_a) for n in range(1, 6)] + [person_row(9, world.tambon_a, tambon_code="999999")]
    result = run(xlsx_bytes(rows))
    assert result.new == 5 and len(result.errors) == 1 and not result.written
    assert_nothing_written()


@pytest.mark.django_db
def test_reimport_classifies_new_updated_unchanged(world):
    run(xlsx_bytes([person_row(1, world.tambon_a), person_row(2, world.tambon_a)]))
    rows = [
        person_row(1, world.tambon_a),
        person_row(2, world.tambon_a, phone="0812345678"),
        person_row(3, world.tambon_a),
    ]
    result = run(xlsx_bytes(rows))
    assert (result.new, result.updated, result.unchanged) == (1, 1, 1)
    assert Person.objects.get(national_id=national_id(2)).phone == "0812345678"


@pytest.mark.django_db
def test_database_refuses_a_second_active_contract(world):
    run(xlsx_bytes([person_row(1, world.tambon_a)]))
    from django.db import IntegrityError, transaction

    contract = Contract.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        Contract.objects.create(person=contract.person, tambon=TambonFactory(), hiring_type=contract.hiring_type,
                                status="active", start_date=contract.start_date)  # fmt: skip


@pytest.mark.django_db
def test_excel_number_cells_for_ids_and_codes_are_read(world):
    row = person_row(1, world.tambon_a, national_id=int(national_id(1)), tambon_code=int(world.tambon_a.subdistrict_id))
    assert run(xlsx_bytes([row])).errors == []


def test_empty_workbook_has_no_header(db):
    wb = Workbook()
    buffer = io.BytesIO()
    wb.save(buffer)
    with pytest.raises(ValidationError) as caught:
        run(buffer.getvalue())
    assert "No header row" in caught.value.messages[0]


@pytest.mark.django_db
def test_written_rows_keep_backslashes_tabs_and_defaults(world):
    # On PostgreSQL new rows go in with COPY, whose text format needs escaping; elsewhere with bulk_create.
    rows = [person_row(1, world.tambon_a, first_name="สม\\ชาย\tน้อย", phone="02\\123"), person_row(2, world.tambon_a)]
    assert run(xlsx_bytes(rows)).written
    person = Person.objects.get(national_id=national_id(1))
    assert (person.first_name, person.phone, person.graduated_on) == ("สม\\ชาย\tน้อย", "02\\123", None)
    contract = person.contracts.get()
    assert (contract.track, contract.nda_required, contract.reserve_rank, contract.end_date) == (
        "tambon",
        False,
        None,
        None,
    )
    assert contract.created_at is not None and contract.updated_at is not None
    assert run(xlsx_bytes(rows)).unchanged == 2  # read back exactly as written
