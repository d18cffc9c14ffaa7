"""The data version behind the indicator memo: every register write changes it, a bulk load once."""

import pytest
from django.db.models.signals import post_save

from indicators import freshness
from procurement.models import Supplier
from tests.factories import ProcurementFactory, SupplierFactory

pytestmark = pytest.mark.django_db


def test_a_register_save_gives_a_new_token():
    before = freshness.current_token()
    SupplierFactory()
    assert freshness.current_token() != before


def test_a_raw_save_as_loaddata_makes_it_leaves_the_token():
    supplier = SupplierFactory()
    before = freshness.current_token()
    post_save.send(sender=Supplier, instance=supplier, created=False, raw=True, using="default")
    assert freshness.current_token() == before


def test_paused_writes_leave_the_token_until_the_end(plan, monkeypatch):
    calls = []
    original = freshness.bump

    def counting_bump(**kwargs):
        calls.append(kwargs)
        original(**kwargs)

    before = freshness.current_token()
    with freshness.paused():
        ProcurementFactory(municipalities=["Falun", "Borlänge"])  # a save and a many-to-many change
        assert freshness.current_token() == before
    assert freshness.current_token() != before
    monkeypatch.setattr(freshness, "bump", counting_bump)
    with freshness.paused():
        SupplierFactory()
    # The signal receivers hold the original function; the one bump at the end goes through the module.
    assert calls == [{}]
