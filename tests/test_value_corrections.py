"""Correcting a recorded value: a reason when the figure changes, the value's history on its edit page,
"Ändra" beside every recorded value, and what the next report lists (indicators/corrections.py)."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from common.locking import CONFLICT_MESSAGE
from indicators.corrections import value_changes
from indicators.forms import MESSAGES
from indicators.models import IndicatorValue
from indicators.results import COMPUTED, RECORDED, indicator_results
from indicators.views import value_history
from tests.factories import IndicatorValueFactory, UserFactory
from tests.register_world import build_register

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def nki(plan):
    """NKI 2026 for the whole committee, first tertial: 91."""
    return IndicatorValueFactory(code="1.1", year=2026, period="t1", value=91, comment="Enkät")


def _edit(client, record, **fields):
    data = {"indicator": record.indicator_id, "year": record.year, "period": record.period, "municipality": "",
            "value": "91", "known_from": record.known_from.isoformat(), "comment": record.comment,
            "version": record.version}
    data.update(fields)
    return client.post(reverse("indicators:value_update", args=[record.pk]), data)


# --- The reason ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("change", [{"value": "92,5"}, {"year": "2027"}, {"period": "t2"}, {"municipality": "x"}])
def test_changing_the_figure_without_a_reason_is_refused(staff_client, nki, change):
    if "municipality" in change:
        from nämndplan.models import Municipality

        change = {"municipality": Municipality.objects.get(name="Falun").pk}
    response = _edit(staff_client, nki, **change)
    assert response.status_code == 200
    assert response.context["form"].errors["reason"] == [MESSAGES["reason_required"]]
    assert "Skäl till ändringen" in response.content.decode()
    nki.refresh_from_db()
    assert (nki.value, nki.year, nki.period, nki.municipality_id, nki.version) == (91, 2026, "t1", None, 1)


def test_the_reason_is_saved_as_the_historys_change_reason(staff_client, staff_user, nki):
    response = _edit(staff_client, nki, value="92,5", reason="Felräknat: 12 svar saknades")
    assert response.status_code == 302
    nki.refresh_from_db()
    assert (nki.value, nki.version) == (Decimal("92.5"), 2)
    latest = nki.history.order_by("-history_date", "-history_id").first()
    assert (latest.history_change_reason, latest.history_user) == ("Felräknat: 12 svar saknades", staff_user)


def test_a_value_of_a_year_before_the_plan_can_be_corrected(staff_client, plan):
    # NKI 2025 (reported by hand) and 1.2's 2024 from the plan's history: years before the plan's 2026–2028,
    # on a computed indicator for the second; both are kept as they are while the figure is corrected.
    nki_2025 = IndicatorValueFactory(code="1.1", year=2025, value=Decimal("91.4"))
    coordinated_2024 = IndicatorValue.objects.get(indicator__code="1.2", year=2024)
    for record, typed, expected in ((nki_2025, "91,6", Decimal("91.6")), (coordinated_2024, "55", Decimal("55"))):
        response = _edit(staff_client, record, value=typed, reason="Rättat mot källan")
        assert response.status_code == 302, response.context["form"].errors
        record.refresh_from_db()
        assert record.value == expected


def test_loading_the_plan_again_keeps_a_corrected_history_figure(staff_client, plan):
    from nämndplan.loading import load_plan, read_plan_file

    coordinated_2024 = IndicatorValue.objects.get(indicator__code="1.2", year=2024)
    planned = coordinated_2024.value
    assert _edit(staff_client, coordinated_2024, value="55", reason="Rättat mot källan").status_code == 302
    load_plan(read_plan_file())
    coordinated_2024.refresh_from_db()
    assert coordinated_2024.value == Decimal("55") != planned
    # An uncorrected figure changed in the database is brought back to the plan's, with a reason.
    other = IndicatorValue.objects.get(indicator__code="1.1", year=2023)
    IndicatorValue.objects.filter(pk=other.pk).update(value=Decimal("1"))
    load_plan(read_plan_file())
    other.refresh_from_db()
    assert other.value == Decimal("86.6")
    assert other.history.first().history_change_reason == "Nämndplanens historik"


def test_a_new_value_still_may_not_be_for_a_year_before_the_plan(staff_client, nki):
    response = _edit(staff_client, nki, year="2025", reason="Fel år")
    assert response.context["form"].errors["year"] == ["År 2025 ligger utanför nämndplanens period 2026–2028."]


def test_a_comment_alone_changes_without_a_reason(staff_client, nki):
    assert _edit(staff_client, nki, comment="Enkät i mars, 40 svar").status_code == 302
    nki.refresh_from_db()
    assert nki.comment == "Enkät i mars, 40 svar"


def test_a_new_value_is_not_asked_for_a_reason(staff_client, plan):
    page = staff_client.get(reverse("indicators:value_create")).content.decode()
    assert "Skäl till ändringen" not in page


def test_optimistic_locking_still_refuses_a_stale_edit(staff_client, nki):
    assert _edit(staff_client, nki, value="92", reason="Rättat").status_code == 302
    response = _edit(staff_client, nki, value="93", reason="Rättat igen")  # still at version 1
    assert response.status_code == 200
    assert CONFLICT_MESSAGE in response.context["form"].non_field_errors()
    nki.refresh_from_db()
    assert (nki.value, nki.version) == (92, 2)


# --- The history on the edit page ----------------------------------------------------------------------------

def test_the_edit_page_shows_who_when_old_new_and_why(staff_client, nki):
    editor = UserFactory(username="bo", first_name="Bo", last_name="Berg")
    nki._change_reason, nki.value, nki.recorded_by = "Fel i sammanställningen", Decimal("92.5"), editor
    nki._history_user = editor  # as the request's user would be (simple_history's middleware)
    nki.save()
    page = staff_client.get(reverse("indicators:value_update", args=[nki.pk])).content.decode()
    assert "Värdets historik" in page
    assert "Bo Berg" in page and "Fel i sammanställningen" in page
    assert "Värde: 91,0 <span aria-hidden=\"true\">→</span>" in page and "92,5" in page
    assert timezone.localtime(nki.history.latest("history_date").history_date).strftime("%Y") in page


def test_the_history_is_one_query_newest_first(nki, django_assert_num_queries):
    nki._change_reason, nki.value = "Första rättelsen", Decimal("92")
    nki.save()
    nki._change_reason, nki.value, nki.known_from = "Andra rättelsen", Decimal("93"), D(2026, 5, 1)
    nki.save()
    with django_assert_num_queries(1):
        entries = value_history(nki)
    assert [e.reason for e in entries] == ["Andra rättelsen", "Första rättelsen", ""]
    assert [e.action for e in entries] == ["Ändrad", "Ändrad", "Skapad"]
    assert [(c.label, c.old, c.new) for c in entries[0].changes] == [
        ("Värde", "92,0", "93,0"), ("Känt från", "2026-04-30", "2026-05-01")]


# --- "Ändra" beside every recorded value ------------------------------------------------------------------

def _detail(client, code="1.1"):
    return client.get(reverse("indicators:indicator_detail", args=[code])).content.decode()


def test_every_recorded_value_has_a_change_link_naming_indicator_and_period(staff_client, nki):
    full_year = IndicatorValueFactory(code="1.1", year=2025, value=Decimal("91.4"))
    page = _detail(staff_client)
    # The year rows come from recorded values: the plan's 2024 and the reported 2025 (and 2026's tertial).
    history_2024 = IndicatorValue.objects.get(indicator__code="1.1", year=2024)
    for value, period in ((full_year, "helår"), (history_2024, "helår"), (nki, "januari–april")):
        link = (f'<a href="{reverse("indicators:value_update", args=[value.pk])}">Ändra<span class="visually-hidden">'
                f' värdet för 1.1 {value.year}, {period}</span></a>')
        assert link in page, value
    # The tertial also has its row in the table of period and municipality values.
    assert page.count(f'href="{reverse("indicators:value_update", args=[nki.pk])}"') == 2


def test_no_change_link_for_those_who_may_not_change_values(member_client, nki):
    page = _detail(member_client)
    assert "indicators/varden/" not in page.replace(reverse("indicators:value_create"), "")
    assert ">Ändra<" not in page


def test_a_computed_year_has_no_change_link_and_no_value_pk(staff_client, plan):
    build_register()
    results = indicator_results(plan, as_of=D(2026, 12, 31))["1.2"]
    assert (results.for_year(2026).origin, results.for_year(2026).value_pk) == (COMPUTED, None)
    recorded = results.for_year(2024)
    assert recorded.origin == RECORDED
    assert recorded.value_pk == IndicatorValue.objects.get(indicator__code="1.2", year=2024).pk
    page = _detail(staff_client, "1.2")
    assert page.count(">Ändra<") == 4  # 2021–2024 from the plan; 2025 and 2026 are computed


# --- What the next report lists --------------------------------------------------------------------------

def test_a_corrected_value_is_one_change_from_its_value_at_start_with_the_latest_reason(nki):
    start = timezone.now()
    for value, reason in ((Decimal("92"), "Första"), (Decimal("93.5"), "Andra")):
        nki.value, nki._change_reason = value, reason
        nki.save()
    corrections, late = value_changes(start, timezone.now())
    assert late == []
    [change] = corrections
    assert (change.code, change.year, change.period, change.before, change.after) == (
        "1.1", 2026, "t1", Decimal("91"), Decimal("93.5"))
    assert change.reason == "Andra" and not change.removed


def test_edits_that_end_where_they_began_are_no_correction(nki):
    start = timezone.now()
    nki.value = Decimal("95")
    nki.save()
    nki.value = Decimal("91")
    nki.save()
    assert value_changes(start, timezone.now()) == ([], [])


def test_a_deleted_value_is_a_removed_correction(nki):
    start = timezone.now()
    nki._change_reason = "Dubbelinrapporterat"
    nki.delete()
    [change] = value_changes(start, timezone.now())[0]
    assert change.removed and change.before == 91 and change.after is None


def test_a_late_entry_is_a_value_created_after_start_known_by_the_previous_cut_off(plan):
    start = timezone.now()
    known = IndicatorValueFactory(code="8.4", year=2026, period="t1", value=64, known_from=D(2026, 4, 30))
    IndicatorValueFactory(code="8.5", year=2026, period="t2", value=4, known_from=D(2026, 9, 10))
    corrections, late = value_changes(start, timezone.now(), known_by=D(2026, 5, 20))
    assert corrections == []
    assert [(c.code, c.before, c.after, c.known_from) for c in late] == [("8.4", None, 64, known.known_from)]
