"""A meeting's numbers are those known at its cut-off: a value counts from the day it was known (known_from).

NKI 2026 (1.1, reported by hand) = 95,3 for the full year, reported on 1 December 2026: the April meeting
(cut-off 15 April 2026) did not know it, so its dashboard, export and report do not show it; from
1 December on they do. A measurement entered today but dated back to 10 April was known at the meeting.
"""

import datetime
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from indicators.forms import MESSAGES
from indicators.models import Indicator, IndicatorValue
from indicators.results import indicator_results
from reports.services import create_report
from tests.factories import IndicatorValueFactory, MeetingFactory

pytestmark = pytest.mark.django_db
D = datetime.date
APRIL_15, APRIL_10, DECEMBER_1 = D(2026, 4, 15), D(2026, 4, 10), D(2026, 12, 1)
SHOWN = "95,3"  # how the page writes the value; no other figure of goal 1 reads so


@pytest.fixture
def late_nki(plan):
    """The full-year NKI 2026, reported on 1 December 2026."""
    return IndicatorValueFactory(code="1.1", year=2026, value=Decimal("95.3"), known_from=DECEMBER_1)


def _nki_2026(plan, as_of):
    return indicator_results(plan, as_of=as_of)["1.1"].for_year(2026).value


def _exported(until):
    out = StringIO()
    call_command("export_indicators", "--until", until.isoformat(), stdout=out)
    return {row["code"]: row for row in json.loads(out.getvalue())}["1.1"]["values"]["2026"]


def _report_row(client, meeting, user):
    report, _ = create_report(meeting=meeting, user=user)
    response = client.get(reverse("reports:report_detail", args=[report.pk]))
    assert response.status_code == 200
    snapshot = response.context["s"]
    return next(row for goal in snapshot["goals"] for row in goal["indicators"] if row["code"] == "1.1"), response


def test_a_value_reported_after_the_cut_off_is_not_in_indicator_results(late_nki, plan):
    assert _nki_2026(plan, APRIL_15) is None
    assert _nki_2026(plan, D(2026, 11, 30)) is None  # the day before it was known
    assert _nki_2026(plan, DECEMBER_1) == Decimal("95.3")


def test_known_by_lets_a_full_year_follow_up_use_what_the_meeting_knew(late_nki, plan):
    # A February 2027 meeting reports 2026 as at 31 December with what it knows then.
    end_of_year = D(2026, 12, 31)
    assert indicator_results(plan, as_of=end_of_year, known_by=D(2026, 11, 1))["1.1"].for_year(2026).value is None
    assert indicator_results(plan, as_of=end_of_year)["1.1"].for_year(2026).value == Decimal("95.3")


def test_the_goal_dashboard_of_the_april_meeting_does_not_show_it(late_nki, member_client):
    april = MeetingFactory(date=APRIL_15)
    december = MeetingFactory(date=DECEMBER_1)
    url = reverse("dashboards:goal_detail", args=[1])
    assert SHOWN not in member_client.get(url, {"mote": april.pk}).content.decode()
    assert SHOWN in member_client.get(url, {"mote": december.pk}).content.decode()


def test_export_indicators_until_the_cut_off_does_not_have_it(late_nki):
    assert _exported(APRIL_15) is None
    assert _exported(DECEMBER_1) == 95.3


def test_the_report_draft_of_the_april_meeting_does_not_have_it(late_nki, chief_client, chief_user):
    row, response = _report_row(chief_client, MeetingFactory(date=APRIL_15), chief_user)
    assert row["value"] is None and row["status"] == "no_value"
    row, _ = _report_row(chief_client, MeetingFactory(date=DECEMBER_1), chief_user)
    assert Decimal(row["value"]) == Decimal("95.3") and row["status"] == "on_track"  # 95,3 > 90 during the year


def test_a_value_dated_back_is_in_the_meeting_that_knew_it(plan, member_client):
    IndicatorValueFactory(code="1.1", year=2026, value=Decimal("95.3"), known_from=APRIL_10)
    assert _nki_2026(plan, APRIL_15) == Decimal("95.3")
    april = MeetingFactory(date=APRIL_15)
    page = member_client.get(reverse("dashboards:goal_detail", args=[1]), {"mote": april.pk}).content.decode()
    assert SHOWN in page
    assert _exported(APRIL_15) == 95.3


# --- The form ----------------------------------------------------------------------------------------

def _post(client, **fields):
    data = {"indicator": Indicator.objects.get(code="1.1").pk, "year": 2026, "period": "year",
            "municipality": "", "value": "95,3", "comment": ""}
    data.update(fields)
    return client.post(reverse("indicators:value_create"), data)


def test_the_form_shows_known_from_with_today_as_default(staff_client, plan):
    page = staff_client.get(reverse("indicators:value_create")).content.decode()
    assert "Känt från" in page
    assert f'name="known_from" value="{timezone.localdate().isoformat()}"' in page


def test_a_late_entry_is_dated_back_through_the_form(staff_client, staff_user, plan):
    assert _post(staff_client, known_from=APRIL_10.isoformat()).status_code == 302
    value = IndicatorValue.objects.get(indicator__code="1.1", year=2026)
    assert (value.known_from, value.recorded_by) == (APRIL_10, staff_user)
    assert _nki_2026(plan, APRIL_15) == Decimal("95.3")


def test_left_empty_known_from_is_today(staff_client, plan):
    assert _post(staff_client, known_from="").status_code == 302
    assert IndicatorValue.objects.get(indicator__code="1.1", year=2026).known_from == timezone.localdate()


@pytest.mark.parametrize("known_from, message", [
    (timezone.localdate() + datetime.timedelta(days=1), MESSAGES["known_in_future"]),
    (D(2025, 12, 31), MESSAGES["known_before_year"] % {"year": 2026}),
])
def test_known_from_after_today_or_before_the_values_year_is_refused(staff_client, plan, known_from, message):
    response = _post(staff_client, known_from=known_from.isoformat())
    assert response.status_code == 200
    assert response.context["form"].errors["known_from"] == [message]
    assert str(message) in response.content.decode()
    assert not IndicatorValue.objects.filter(indicator__code="1.1", year=2026).exists()
