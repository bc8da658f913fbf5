"""Amounts, counts and dates as people write them; errors that name the field in the page's language; one rule
for showing baht (formats.baht) on the page, in messages, the .xlsx and the API."""

import collections
import datetime as dt
import re
from decimal import Decimal as D
from pathlib import Path

import pytest
import rest_framework
from django import forms
from django.core import validators
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy

from pbm import formats
from pbm.forms import CountField, DateField, MoneyField, ReviewForm

THAI = re.compile(r"[\u0e00-\u0e7f]")


# --- reading what people type --------------------------------------------------------------------------------


@pytest.mark.parametrize("text, value", [
    ("80,000", D("80000")), ("80,000.50", D("80000.50")), (" 80000 ", D("80000")), ("80000.5", D("80000.5")),
    ("๘๐,๐๐๐", D("80000")), ("๘๐๐๐๐.๕๐", D("80000.50")), ("1,234,567.89", D("1234567.89")), (".5", D("0.5")),
    ("฿80,000", D("80000")), ("80,000 บาท", D("80000")), ("-1,200", D("-1200")), ("", None), ("  ", None),
])  # fmt: skip
def test_parse_number_reads_what_people_write(text, value):
    assert formats.parse_number(text) == value


@pytest.mark.parametrize("text, code", [
    ("80k", "invalid"), ("abc", "invalid"), ("80,000k", "invalid"), ("1.2.3", "invalid"), (".", "invalid"),
    ("80 000", "invalid"), ("80,5", "grouping"), ("8,0000", "grouping"), ("1,2,3", "grouping"),
])  # fmt: skip
def test_parse_number_refuses_what_it_cannot_read_for_sure(text, code):
    with pytest.raises(formats.NumberSyntaxError) as error:
        formats.parse_number(text)
    assert error.value.code == code


class AmountForm(forms.Form):
    actual = MoneyField(label="2.1 ส่งเสริมอาชีพ", required=False)
    total = MoneyField(label=gettext_lazy("Total budget"), required=True)
    hours = CountField(label=gettext_lazy("Hours"), max_value=1000, required=False)
    day = DateField(label="Starts on", required=False)


def _errors(data: dict, language: str = "th") -> dict[str, str]:
    with translation.override(language):
        form = AmountForm({"total": "1", **data})
        form.is_valid()
        return {name: " ".join(str(m) for m in errors) for name, errors in form.errors.items()}


def test_money_field_reads_thousands_separators_satang_and_thai_digits():
    for typed, value in (("80,000", D("80000.00")), ("80,000.50", D("80000.50")), ("๘๐,๐๐๐", D("80000.00"))):
        form = AmountForm({"actual": typed, "total": " 80000 "})
        assert form.is_valid(), form.errors
        assert form.cleaned_data["actual"] == value and form.cleaned_data["total"] == D("80000")


@pytest.mark.parametrize("typed, thai, english", [
    ("80k", "“80k” ไม่ใช่จำนวนเงิน เขียนจำนวนบาทเป็นตัวเลข เช่น 80,000 หรือ 80,000.50",
     "“80k” is not an amount. Write the baht in digits, e.g. 80,000 or 80,000.50."),
    ("99999999999999999", "มากเกินไป เขียนได้ไม่เกิน 999,999,999,999.99", "is too large. Write at most 999,999,999,999.99."),
    ("100.505", "มีตัวเลขหลังจุดเกิน 2 หลัก", "has more than 2 digits after the point"),
    ("-500", "จำนวนเงินติดลบไม่ได้ (“-500”)", "an amount cannot be negative (“-500”)"),
    ("80,5", "จุลภาค (,) ใช้คั่นหลักพันเท่านั้น", "a comma must separate thousands"),
])  # fmt: skip
def test_money_errors_name_the_field_and_say_what_to_write_in_the_page_language(typed, thai, english):
    th = _errors({"actual": typed})["actual"]
    assert th.startswith("2.1 ส่งเสริมอาชีพ: ") and thai in th
    assert "Ensure" not in th and "Enter a number" not in th
    en = _errors({"actual": typed}, "en")["actual"]
    assert en.startswith("2.1 ส่งเสริมอาชีพ: ") and english in en


def test_forty_digits_or_a_pasted_page_are_refused_not_a_server_error():
    assert "มากเกินไป" in _errors({"actual": "9" * 40})["actual"]
    assert "มีตัวเลขหลังจุดเกิน 2 หลัก" in _errors({"actual": "1." + "0" * 40 + "1"})["actual"]
    long = _errors({"actual": "1" * 5000})["actual"]
    assert "“" + "1" * 40 + "…”" in long and len(long) < 200
    assert AmountForm({"total": "1", "actual": "1.50000000000000000000000000000000000"}).is_valid()


def test_required_amount_and_count_and_date_errors():
    assert _errors({"total": ""})["total"] == ("งบทั้งหมด: ต้องกรอก เขียนจำนวนเงินเป็นบาท เช่น 80,000 (ใส่ 0 ถ้าไม่มี)")
    assert _errors({"hours": "1,500"})["hours"] == "ชั่วโมง: “1,500” มากเกินไป เขียนได้ไม่เกิน 1,000"
    assert "ไม่ใช่จำนวนเต็ม" in _errors({"hours": "2.5"})["hours"]
    assert "ไม่ใช่ตัวเลข" in _errors({"hours": "สิบ"})["hours"]
    assert AmountForm({"total": "1", "hours": "๑,๒๐๐"}).errors.get("hours") is not None  # 1,200 > 1,000
    form = AmountForm({"total": "1", "hours": "๑๒"})
    assert form.is_valid() and form.cleaned_data["hours"] == 12


def test_dates_take_and_show_a_buddhist_era_year_and_name_the_field_when_refused():
    for typed in ("01/03/2564", "1/3/2564", "๐๑/๐๓/๒๕๖๔", "01.03.2564", "2021-03-01", "01/03/2021"):
        form = AmountForm({"total": "1", "day": typed})
        assert form.is_valid(), (typed, form.errors)
        assert form.cleaned_data["day"] == dt.date(2021, 3, 1)
    assert _errors({"day": "31/02/2564"})["day"] == (
        "Starts on: “31/02/2564” ไม่ใช่วันที่ เขียน วัน/เดือน/ปี พ.ศ. เช่น 25/10/2564 หรือเลือกวันจากปฏิทิน"
    )
    assert "Write day/month/year with a Buddhist Era year, e.g. 25/10/2564" in _errors({"day": "soon"}, "en")["day"]
    assert _errors({"day": "01/01/1900"})["day"].endswith("ปี 1900 อยู่นอกช่วง เขียนวันที่ระหว่างปี พ.ศ. 2543 ถึง 2643")
    assert "between 2543 and 2643 (Buddhist Era)" in _errors({"day": "01/01/1900"}, "en")["day"]
    for language in ("th", "en"):
        with translation.override(language):
            shown = str(AmountForm(initial={"day": dt.date(2021, 10, 25)})["day"])
            refused = AmountForm({"total": "1", "day": "32/13/2564"})
            assert not refused.is_valid()
            again = str(refused["day"])
        assert 'value="25/10/2564"' in shown and 'type="text"' in shown and "data-date-be" in shown
        assert 'value="32/13/2564"' in again  # a refused date stays in its box as typed


def test_a_refused_amount_is_shown_again_as_typed_in_a_text_input():
    with translation.override("th"):
        form = AmountForm({"actual": "80k", "total": "1"})
        assert not form.is_valid()
        html = str(form["actual"])
    assert 'type="text"' in html and 'inputmode="decimal"' in html and 'value="80k"' in html
    assert 'aria-invalid="true"' in html
    unbound = str(AmountForm(initial={"actual": D("40935.48")})["actual"])
    assert 'value="40,935.48"' in unbound  # what the page shows, and the field reads it back
    assert AmountForm({"actual": "40,935.48", "total": "1"}).is_valid()


# --- showing baht: one rule ----------------------------------------------------------------------------------


def test_one_rule_for_baht_and_counts():
    assert formats.baht(D("40935.48")) == "40,935.48"
    assert formats.baht(D("80000")) == "80,000.00"
    assert formats.baht(D("0.5")) == "0.50"
    assert formats.baht(None) == ""
    assert formats.number(1550) == "1,550"
    from django.template import engines

    template = engines["django"].from_string("{{ a|baht }} / {{ n|number }}")
    assert template.render({"a": D("40935.48"), "n": 1550}) == "40,935.48 / 1,550"


# --- no English Django message on a Thai page, and no Thai on an English one ---------------------------------


def _subclasses(cls) -> set:
    out = set()
    for sub in cls.__subclasses__():
        out |= {sub} | _subclasses(sub)
    return out


def _framework_messages() -> list[tuple[str, object]]:
    """Every default message of Django's and DRF's form/model/serializer fields and Django's validators."""
    import rest_framework.fields
    import rest_framework.relations
    import rest_framework.serializers  # noqa: F401

    found = []
    for base in (forms.Field, models.Field, rest_framework.fields.Field):
        for cls in _subclasses(base) | {base}:
            if cls.__module__.startswith(("django.contrib.postgres", "tests.")):
                continue  # not an installed app here
            for message in cls.__dict__.get("default_error_messages", {}).values():
                found.append((f"{cls.__module__}.{cls.__name__}", message))
    for name, obj in vars(validators).items():
        if isinstance(obj, type) and "message" in obj.__dict__:
            found.append((name, obj.__dict__["message"]))
    found += [("DecimalValidator", m) for m in validators.DecimalValidator(14, 2).messages.values()]
    found += [("models.base", m) for m in ("%(model_name)s with this %(field_labels)s already exists.",)]
    return found


def _text(message, language: str) -> str:
    with translation.override(language):
        if isinstance(message, str):
            message = translation.gettext(message)
        return str(message % collections.defaultdict(lambda: 2))


def test_every_django_and_drf_field_message_has_a_thai_translation():
    untranslated = sorted(
        {_text(m, "en") for _where, m in _framework_messages() if _text(m, "en") and not THAI.search(_text(m, "th"))}
    )
    assert untranslated == []


def test_every_drf_catalogue_message_has_a_thai_translation():
    import gettext

    path = Path(rest_framework.__file__).parent / "locale/en/LC_MESSAGES/django.mo"
    with path.open("rb") as file:
        msgids = [k for k in gettext.GNUTranslations(file)._catalog if isinstance(k, str) and k]
    with translation.override("th"):
        untranslated = [m for m in msgids if not THAI.search(translation.gettext(m))]
    assert untranslated == []


def _bad_data(form: forms.BaseForm) -> dict:
    """A wrong value for each field, the kind a person might type or a stale page might post."""
    data = {}
    for name, field in form.fields.items():
        key = form.add_prefix(name)
        if isinstance(field, MoneyField | CountField):
            data[key] = "80k"
        elif isinstance(field, forms.DateField):
            data[key] = "2564-13-45"
        elif isinstance(field, forms.IntegerField | forms.DecimalField):
            data[key] = "x"
        elif isinstance(field, forms.ModelMultipleChoiceField):
            data[key] = ["999999"]
        elif isinstance(field, forms.ChoiceField):
            data[key] = "no-such-choice"
        elif isinstance(field, forms.CharField) and field.max_length:
            data[key] = "ก" * (field.max_length + 1)
        # files, booleans and free text are left blank: required ones say so
    return data


def _project_forms(world) -> list[forms.BaseForm]:
    from assessment.forms import AssessmentForm, HouseholdImportForm
    from reporting.deadlines import forms as deadline_forms
    from reporting.forms import ActivityForm, LinePlanForm, MonthlyReportForm
    from reporting.services import budget_plan_init
    from tambon.forms import TambonFilterForm
    from tambon.roster import forms as roster_forms
    from tambon.roster.models import Contract

    budget_plan_init(tambon=world.tambon_a, user=world.alice)
    from reporting.selectors import month_lines

    lines = month_lines(tambon=world.tambon_a, year=2021, month=1)
    programme, none = world.programme, Contract.objects.none()
    builders = [
        lambda d: LinePlanForm(d, months=programme.months()[:2], with_total=True),
        lambda d: MonthlyReportForm(d, lines=lines),
        lambda d: ActivityForm(d, programme=programme),
        lambda d: deadline_forms.ActivityCompleteForm(d),
        lambda d: deadline_forms.CompletionReportForm(d),
        lambda d: deadline_forms.MouReportForm(d),
        lambda d: roster_forms.ImportUploadForm(d),
        lambda d: roster_forms.ResignForm(d),
        lambda d: roster_forms.TerminateForm(d),
        lambda d: roster_forms.ReplaceForm(d, reserves=none),
        lambda d: roster_forms.DigitizeForm(d),
        lambda d: roster_forms.TrainingForm(d),
        lambda d: roster_forms.AcceptForm(d, programme=programme, hired=none),
        lambda d: AssessmentForm(d, goal_rows=[], indicator_rows=[]),
        lambda d: HouseholdImportForm(d),
        lambda d: TambonFilterForm(d),
        lambda d: ReviewForm(d),
    ]
    return [build(_bad_data(build(None))) for build in builders]


def _error_sentences(form: forms.BaseForm) -> list[tuple[str, str]]:
    """(message without its field label and typed value, field) for every error of the bound form."""
    form.is_valid()
    out = []
    for name, errors in form.errors.items():
        label = str(form.fields[name].label) if name in form.fields else ""
        for message in errors:
            text = str(message).replace(label, "") if label else str(message)
            text = re.sub(r"“[^”]*”|\d[\d,.\-]*|ก{2,}", "", text)  # the typed value and numbers are not language
            out.append((text, name))
    return out


@pytest.mark.django_db
def test_no_english_message_on_a_thai_page_and_no_thai_on_an_english_one(world):
    with translation.override("th"):
        thai = [(text, name, type(f).__name__) for f in _project_forms(world) for text, name in _error_sentences(f)]
    assert len(thai) > 30  # the bad data really produced errors across the forms
    assert [e for e in thai if not THAI.search(e[0])] == []
    with translation.override("en"):
        english = [(text, name, type(f).__name__) for f in _project_forms(world) for text, name in _error_sentences(f)]
    assert [e for e in english if THAI.search(e[0])] == []
    assert len(english) == len(thai)


@pytest.mark.django_db
def test_admin_reads_baht_the_same_way(world, client_for, rf):
    from django.contrib import admin

    from reporting.models import Activity, ProgrammeSettings
    from tambon.models import Programme

    world.nina.is_staff = world.nina.is_superuser = True
    world.nina.save()
    request = rf.get("/")
    request.user = world.nina
    for model, name in ((ProgrammeSettings, "activity_budget"), (Activity, "budget")):
        field = admin.site._registry[model].get_form(request).base_fields[name]
        assert isinstance(field, MoneyField) and field.clean("800,000") == D("800000")
    inline = admin.site._registry[Programme].get_inline_instances(request)[0]
    rate = inline.get_formset(request).form.base_fields["monthly_rate"]
    assert isinstance(rate, MoneyField) and rate.max_value == D("99999999.99")
    settings_row = ProgrammeSettings.objects.get()
    page = client_for(world.nina).get(f"/admin/reporting/programmesettings/{settings_row.pk}/change/").content.decode()
    assert 'name="activity_budget" value="800,000.00" inputmode="decimal"' in page
