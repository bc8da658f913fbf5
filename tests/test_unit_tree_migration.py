"""Migration tambon 0008_unit_tree on a database that holds U2T from before the unit tree (issue #14: "existing U2T
data migrates with no figure changed"): every tambon gets its branch NSI → network of its area → its university in
that network → itself, and no filed row is touched."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("tambon", "0007_programme_definition"), ("reporting", "0009_deadline_settings_assessment_due_days")]


@pytest.mark.django_db(transaction=True)
def test_u2t_data_migrates_into_the_unit_tree_without_changing_a_figure():
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate(BEFORE)
    old = MigrationExecutor(connection).loader.project_state(BEFORE).apps
    Programme, Tambon = old.get_model("tambon", "Programme"), old.get_model("tambon", "Tambon")
    Network, University = old.get_model("tambon", "Network"), old.get_model("tambon", "University")
    Province, District = old.get_model("tambon", "Province"), old.get_model("tambon", "District")
    SubDistrict = old.get_model("tambon", "SubDistrict")
    BudgetLine, MonthlyAmount = old.get_model("reporting", "BudgetLine"), old.get_model("reporting", "MonthlyAmount")
    BudgetCategory = old.get_model("reporting", "BudgetCategory")

    programme = Programme.objects.get(code="u2t-2564")
    programme.definition = {}
    programme.save()
    province = Province.objects.create(code="98", name_th="ทดสอบ")
    district = District.objects.create(code="9801", name_th="ทดสอบ", province=province)
    net1, net2 = (Network.objects.create(number=n, name_th=f"เครือข่าย {n}") for n in (1, 2))
    home = University.objects.create(code="UA", name_th="มหาวิทยาลัย ก", network=net1)
    other = University.objects.create(code="UB", name_th="มหาวิทยาลัย ข", network=net2)
    rows = [(home, net1), (home, net1), (home, net2), (other, net2)]  # university A works in two networks' areas
    tambons = []
    category = BudgetCategory.objects.filter(programme=programme, parent__isnull=False).first()
    for i, (university, network) in enumerate(rows):
        sub = SubDistrict.objects.create(code=f"9801{i:02d}", name_th=f"ตำบล{i}", district=district)
        tambon = Tambon.objects.create(programme=programme, subdistrict=sub, university=university, network=network)
        line = BudgetLine.objects.create(tambon=tambon, category=category, total=1000 * (i + 1))
        MonthlyAmount.objects.create(line=line, year=2021, month=1, plan=100 * (i + 1), actual=90 * (i + 1))
        tambons.append(tambon.pk)
    figures = sorted(MonthlyAmount.objects.values_list("line__tambon_id", "plan", "actual"))

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(latest)

    from reporting.models import MonthlyAmount as NewAmount
    from tambon.models import Programme as NewProgramme
    from tambon.models import Tambon as NewTambon
    from tambon.models import Unit

    assert sorted(NewAmount.objects.values_list("line__tambon_id", "plan", "actual")) == figures
    assert NewProgramme.objects.get(code="u2t-2564").definition["code"] == "u2t-2564"  # the file, loaded
    root = Unit.objects.get(programme__code="u2t-2564", depth=0)
    for tambon in NewTambon.objects.filter(pk__in=tambons).select_related("unit__parent__parent"):
        university_unit, network_unit = tambon.unit.parent, tambon.unit.parent.parent
        assert (university_unit.university_id, university_unit.network_id) == (tambon.university_id, tambon.network_id)
        assert network_unit.network_id == tambon.network_id and network_unit.parent_id == root.pk
        assert tambon.unit.ancestor_ids() == [root.pk, network_unit.pk, university_unit.pk, tambon.unit_id]
        assert tambon.unit.subdistrict_id == tambon.subdistrict_id
    # university A is a unit under each network whose area it works in
    assert Unit.objects.filter(university__code="UA").count() == 2
