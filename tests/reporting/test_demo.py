from reporting import demo, selectors
from reporting.models import BudgetLine, MonthlyReport
from tambon import demo as tambon_demo
from tambon.models import Tambon


def test_demo_seed_gives_plans_and_a_spread_of_month_states(world):
    tambons = list(Tambon.objects.with_place())
    context = tambon_demo.DemoContext(scale="small", programme=world.programme, rng=__import__("random").Random(1),
                                      tambons=tambons)  # fmt: skip
    demo.seed(context=context)
    count = BudgetLine.objects.count()
    demo.seed(context=context)  # idempotent
    assert BudgetLine.objects.count() == count
    table = selectors.budget_table(tambon=world.tambon_a)
    assert table.plan_gaps == []
    assert table.rows[0].total == 3483000
    assert MonthlyReport.objects.filter(tambon=world.tambon_a).count() >= 8
    assert MonthlyReport.objects.filter(status="accepted").exists()
