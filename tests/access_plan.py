"""Access rules for the plan and indicator pages. See tests/test_access.py for how they are walked."""

from tests.access import ALL, PUBLIC, STAFF


def build(world):
    import datetime

    from tests.factories import EconomicReportFactory, IndicatorValueFactory

    world["economic_report"] = EconomicReportFactory(plan=world["plan"], as_of=datetime.date(2026, 4, 30))
    world["value"] = IndicatorValueFactory(code="1.1", year=2026, period="t1", value=91)


RULES = {
    "indicators:indicator_detail": (lambda w: {"code": "1.2"}, ALL, None),
    "indicators:indicators_xlsx": (lambda w: {}, ALL, None),
    "indicators:indicator_records": (lambda w: {"code": "1.2", "year": 2026}, ALL, None),
    "indicators:value_create": (lambda w: {}, {STAFF}, {STAFF}),
    "indicators:value_create_for": (lambda w: {"code": "1.1"}, {STAFF}, {STAFF}),
    "indicators:value_update": (lambda w: {"pk": w["value"].pk}, {STAFF}, {STAFF}),
    "dashboards:accessibility": (lambda w: {}, PUBLIC, None),
    "economy:economy_list": (lambda w: {}, ALL, None),
    "economy:economy_create": (lambda w: {}, {STAFF}, {STAFF}),
    "economy:economy_update": (lambda w: {"pk": w["economic_report"].pk}, {STAFF}, {STAFF}),
    "login": (lambda w: {}, PUBLIC, PUBLIC),
    "api:api_kpi": (lambda w: {}, ALL, None, {"anonymous_status": 401}),
    "api:api_data": (lambda w: {}, ALL, None, {"anonymous_status": 401}),
    "logout": (lambda w: {}, None, ALL),
}
