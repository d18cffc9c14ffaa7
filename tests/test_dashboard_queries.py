"""Every dashboard page runs a fixed number of queries, whatever the size of the register."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from procurement.models import Procurement
from tests.factories import BidFactory
from tests.register_world import build_register

pytestmark = pytest.mark.django_db

PAGES = {
    "översikt": reverse("dashboards:home"),
    "mål 1": reverse("dashboards:goal_detail", args=[1]),
    "mål 8": reverse("dashboards:goal_detail", args=[8]) + "?ar=2025",
    "kommun": reverse("dashboards:municipality_detail", args=["Falun"]),
    "matris": reverse("dashboards:municipality_matrix"),
}
# Measured: what each page costs today. The numbers may change with the computation; they must
# never depend on how many procurements the register holds.
MAX_QUERIES = {"översikt": 30, "mål 1": 31, "mål 8": 31, "kommun": 30, "matris": 150}


def _counts(client):
    counts = {}
    for name, url in PAGES.items():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200, name
        counts[name] = len(ctx.captured_queries)
    return counts


def _grow_register_to_30_procurements():
    build_register()
    for original in list(Procurement.objects.prefetch_related("municipalities", "bids__supplier")):
        municipalities, bids = list(original.municipalities.all()), list(original.bids.all())
        for i in range(4):
            copy = Procurement.objects.get(pk=original.pk)
            copy.pk, copy.case_number = None, f"{original.case_number}-{i}"
            copy.save()
            copy.municipalities.set(municipalities)
            for bid in bids:
                BidFactory(procurement=copy, supplier=bid.supplier, awarded=bid.awarded, disqualified=bid.disqualified)
    assert Procurement.objects.count() == 30


def test_the_pages_run_as_many_queries_with_30_procurements_as_with_none(member_client, plan):
    member_client.get(reverse("dashboards:home"))  # warm the per-process caches (content types, permissions)
    empty = _counts(member_client)
    _grow_register_to_30_procurements()
    full = _counts(member_client)
    print("frågor per sida:", full)
    assert full == empty
    for name, count in full.items():
        assert count <= MAX_QUERIES[name], (name, count)


def test_the_register_really_shows_on_the_pages(member_client, plan):
    """The query count test above means something only if the pages read the register."""
    _grow_register_to_30_procurements()
    response = member_client.get(reverse("dashboards:municipality_matrix") + "?ar=2026")
    coordinated = next(row for row in response.context["value_rows"] if row.indicator.code == "1.2")
    assert coordinated.committee.origin == "computed"
