"""The municipality matrix: every share and average judged per municipality, compact marks, and why the
municipalities can all reach a target the total misses."""

import datetime

import pytest
from django.urls import reverse

from dashboards.selectors import matrix_value_codes
from indicators.definitions import AVERAGE, DEFINITIONS, SHARE
from procurement.models import Procurement
from tests.factories import CategoryFactory, MeetingFactory, ProcurementFactory

pytestmark = pytest.mark.django_db
D = datetime.date
SEVEN = ["Falun", "Borlänge", "Avesta", "Gagnef", "Hedemora", "Ludvika", "Säter"]


@pytest.fixture
def coordinated_world(plan):
    """Three procurements for all seven municipalities and one of each municipality's own, completed in 2026.

    Each municipality: 3 coordinated of its 4 = 75 % (at least 60 %: on track).
    The committee: 3 coordinated of 10 = 30 % (not on track).
    """
    category = CategoryFactory(name="Fordon")
    completed = {"status": Procurement.Status.COMPLETED, "category": category, "advertised_on": D(2026, 1, 10),
                 "awarded_on": D(2026, 3, 1), "completed_on": D(2026, 3, 20)}
    for n in range(3):
        ProcurementFactory(case_number=f"S{n}", municipalities=SEVEN, **completed)
    for name in SEVEN:
        ProcurementFactory(case_number=f"E-{name}", municipalities=[name], **completed)
    return MeetingFactory(date=D(2026, 9, 23))


def _matrix(client, meeting):
    return client.get(reverse("dashboards:municipality_matrix"), {"ar": 2026, "mote": meeting.pk})


def test_every_municipality_above_the_target_and_the_total_below_is_explained(member_client, coordinated_world):
    response = _matrix(member_client, coordinated_world)
    row = next(r for r in response.context["value_rows"] if r.indicator.code == "1.2")
    assert [str(c.value) for c in row.cells] == ["75.0"] * 7
    assert {c.status for c in row.cells} == {"on_track"}
    assert str(row.committee.value) == "30.0" and row.committee.status == "off_track"
    assert row.total_differs == "below"
    page = " ".join(response.content.decode().split())
    assert "Varför kan kommunerna nå målet när samverkan inte gör det?" in page
    assert "räknas den en gång, men i kommunernas andelar räknas den en gång i varje kommun som deltar" in page
    assert page.count('<span class="matrix__why">') == 1
    assert ("Varje kommun med värde når målet, men inte samverkan som helhet: <a href=\"#varfor\">samordnade "
            "upphandlingar räknas i varje kommun som deltar</a>.") in page


def test_a_row_where_the_total_agrees_is_not_marked(member_client, coordinated_world):
    response = _matrix(member_client, coordinated_world)
    other = [r for r in response.context["value_rows"] if r.indicator.code != "1.2"]
    assert other and not any(r.total_differs for r in other)


def test_marks_are_an_icon_and_a_short_word_with_the_full_status_as_their_name(member_client, coordinated_world):
    page = " ".join(_matrix(member_client, coordinated_world).content.decode().split())
    mark = ('<span class="mark" title="På väg mot målet (2026 hittills)"><span aria-hidden="true"> '
            '<span class="status status--on_track"><span class="status__icon" aria-hidden="true">↗</span> '
            'På väg</span> </span><span class="visually-hidden">På väg mot målet (2026 hittills)</span></span>')
    assert page.count(mark) == 7  # 1.2 in each municipality
    assert ('<span class="mark" title="Inte på väg mot målet (2026 hittills)">' in page
            and "Ej på väg</span>" in page)  # 1.2 for the committee


def test_the_rows_are_every_share_and_average_judged_per_municipality_then_the_counts(member_client, plan):
    codes = matrix_value_codes()
    judged = {c for c, d in DEFINITIONS.items() if d.per_municipality and d.measure in (SHARE, AVERAGE)}
    assert set(codes[:len(judged)]) == judged
    assert {"1.2", "3.1", "4.13", "5.5", "8.2"} <= judged
    assert "8.1" not in codes  # the economy is the committee's only
    assert codes[len(judged):] == ["2.1"]  # a count the definitions show in the matrix, not judged there
    response = member_client.get(reverse("dashboards:municipality_matrix"))
    assert [r.indicator.code for r in response.context["value_rows"]] == codes
    assert [r.indicator.code for r in response.context["reached_rows"]] == ["2.2", "7.1", "7.2"]

