"""The OCDS export (procurement/ocds.py): valid against the OCDS 1.1.5 schemas, right field by field, and free
of anything secret: no bid or bidder before the award decision, no supplier-check details, no free text.

A hand-made register of 2026, with "today" 2026-11-30:
  A  UhC 2026/0010  selective, completed: advertised 02-01, last day for tenders 03-15, award decision 04-01,
     completed 04-20; Falun + Borlänge; bids Dala Konsult (awarded), Falu Bygg, Rikslev (disqualified);
     contract AVT 2026/0010-1 with Dala Konsult 2026-05-01 to 2028-04-30, 1 200 000 kr a year, option 1
     (12 months) used on 2026-10-01, option 2 (12 months, notice 3) open; follow-ups 06-10 (meeting), 09-15 (phone)
  B  UhC 2026/0020  open, advertised 10-01, no award decision; Falun; bids Falu Bygg and Hemlig Anbudsgivare,
     and (a register error) a contract with Hemlig Anbudsgivare
  C  UhC 2026/0030  cancelled 05-01 after advertising 03-01; Avesta
  D  UhC 2025/0090  advertised 2025: not in the 2026 export
"""

import datetime
import json
import re
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from jsonschema import Draft4Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from procurement import ocds
from procurement.models import Procurement
from tests.factories import (
    CategoryFactory,
    ContractFactory,
    ContractFollowUpFactory,
    ProcurementFactory,
    SupplierFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = D(2026, 11, 30)
NOW = datetime.datetime(2026, 11, 30, 9, 15, tzinfo=datetime.UTC)
SCHEMAS = Path(__file__).resolve().parent.parent / "procurement" / "ocds_schema"
# Text that may hold personal data or secrets: none of it may reach the export.
FREE_TEXT = {
    "notes": "Intern anteckning: ring Anna på 070-123 45 67",
    "welfare_actions_text": "Skatteverket kontaktat om leverantören",
    "cancellation_reason": "Budgeten räckte inte enligt Eva Ek",
}


def _schema(name):
    return json.loads((SCHEMAS / name).read_text(encoding="utf-8"))


RELEASE_SCHEMA = _schema("dereferenced-release-schema.json")
PACKAGE_SCHEMA = _schema("release-package-schema.json")
# The package schema refers to the release schema by its URL: resolved to the local copy, never fetched.
REGISTRY = Registry().with_resource(RELEASE_SCHEMA["id"], Resource(RELEASE_SCHEMA, specification=DRAFT4))
RELEASE_VALIDATOR = Draft4Validator(RELEASE_SCHEMA, format_checker=Draft4Validator.FORMAT_CHECKER)
PACKAGE_VALIDATOR = Draft4Validator(PACKAGE_SCHEMA, registry=REGISTRY, format_checker=Draft4Validator.FORMAT_CHECKER)


def _errors(validator, instance):
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message[:200]}" for e in validator.iter_errors(instance)]


@pytest.fixture
def register(plan):
    consulting = CategoryFactory(name="Konsulttjänster")
    dala = SupplierFactory(name="Dala Konsult AB", org_number="556016-0680", sme=True)
    falu = SupplierFactory(name="Falu Bygg AB", org_number="556036-0793")
    riks = SupplierFactory(name="Rikslev AB", org_number="212000-0142")
    secret = SupplierFactory(name="Hemlig Anbudsgivare AB", org_number="556677-8899")
    a = ProcurementFactory(
        case_number="UhC 2026/0010", title="Konsulttjänster inom ekonomi", category=consulting,
        municipalities=["Falun", "Borlänge"], procedure=Procurement.Procedure.RESTRICTED,
        status=Procurement.Status.COMPLETED, advertised_on=D(2026, 2, 1), tender_deadline=D(2026, 3, 15),
        awarded_on=D(2026, 4, 1), completed_on=D(2026, 4, 20), questions_received=3,
        bids=[dala, falu], bids__awarded=[dala], bids__disqualified=[riks],
        welfare_crime_risk=True, supplier_checks=2, tenders_disqualified_welfare=1, welfare_actions=1,
        notes=FREE_TEXT["notes"], welfare_actions_text=FREE_TEXT["welfare_actions_text"],
    )
    contract = ContractFactory(
        number="AVT 2026/0010-1", title="Ekonomikonsulter", procurement=a, supplier=dala,
        municipalities=["Falun", "Borlänge"], start_date=D(2026, 5, 1), end_date=D(2028, 4, 30),
        estimated_yearly_value=1_200_000, responsible=UserFactory(username="avtalsforvaltare"),
        municipality_contact="Per Persson, per.persson@falun.se", contract_class="A",
    )
    contract.options.create(order=1, length_months=12, notice_months=3, decision="used", decided_on=D(2026, 10, 1))
    contract.options.create(order=2, length_months=12, notice_months=3)
    meeting = ContractFollowUpFactory(contract=contract, date=D(2026, 6, 10), form="meeting",
                                      notes="Leveransbrister, Per Persson sjuk", actions="Ring Per")
    phone = ContractFollowUpFactory(contract=contract, date=D(2026, 9, 15), form="phone")
    b = ProcurementFactory(
        case_number="UhC 2026/0020", title="Skyltar", municipalities=["Falun"],
        status=Procurement.Status.ADVERTISED, advertised_on=D(2026, 10, 1), bids=[falu, secret],
    )
    ContractFactory(number="AVT 2026/0020-1", procurement=b, supplier=secret, estimated_yearly_value=50_000)
    ProcurementFactory(
        case_number="UhC 2026/0030", title="Möbler", municipalities=["Avesta"], status=Procurement.Status.CANCELLED,
        advertised_on=D(2026, 3, 1), cancelled_on=D(2026, 5, 1), cancellation_reason=FREE_TEXT["cancellation_reason"],
    )
    ProcurementFactory(case_number="UhC 2025/0090", status=Procurement.Status.ADVERTISED, advertised_on=D(2025, 6, 1))
    ProcurementFactory(case_number="UhC 2026/0040")  # planned, not advertised: not published
    Procurement.objects.filter(pk=a.pk).update(updated_at=datetime.datetime(2026, 4, 20, 14, 30, tzinfo=datetime.UTC))
    return {"a": a, "b": b, "meeting": meeting, "phone": phone}


def _package(year=2026):
    return ocds.release_package(year, now=NOW, today=TODAY)


def _by_case(package):
    return {r["tender"]["id"]: r for r in package["releases"]}


def test_the_package_is_valid_against_the_release_package_schema(register):
    package = _package()
    assert _errors(PACKAGE_VALIDATOR, package) == []
    assert len(package["releases"]) == 3  # A, B and C: advertised in 2026


def test_each_release_is_valid_against_the_release_schema(register):
    releases = _package()["releases"]
    assert releases
    for release in releases:
        assert _errors(RELEASE_VALIDATOR, release) == [], release["ocid"]


def test_the_validators_catch_a_date_without_offset_and_a_wrong_code(register):
    # The validation could otherwise pass for want of format checking: it must refuse these.
    release = _by_case(_package())["UhC 2026/0010"]
    assert _errors(RELEASE_VALIDATOR, {**release, "date": "2026-04-20"})
    assert _errors(RELEASE_VALIDATOR, {**release, "tender": {**release["tender"], "status": "awarded"}})
    assert _errors(PACKAGE_VALIDATOR, {**_package(), "releases": []})  # a package needs a release


@override_settings(SITE_URL="https://uppfoljning.example.se", OCDS_PUBLICATION_POLICY="https://example.se/policy")
def test_the_package_names_publisher_uri_licence_policy_and_version(register):
    package = _package()
    assert {k: v for k, v in package.items() if k != "releases"} == {
        "uri": "https://uppfoljning.example.se/register/ocds/?ar=2026",
        "version": "1.1",
        "publishedDate": "2026-11-30T10:15:00+01:00",  # 09:15 UTC is 10:15 in Stockholm in winter
        "publisher": {"name": "Upphandlingscenter (UhC)"},
        "license": "https://creativecommons.org/publicdomain/zero/1.0/",
        "publicationPolicy": "https://example.se/policy",
    }


def test_without_a_publication_policy_set_the_field_is_left_out(register):
    with override_settings(OCDS_PUBLICATION_POLICY=""):
        assert "publicationPolicy" not in _package()


@override_settings(OCDS_PREFIX="ocds-abc123")
def test_the_awarded_procurement_field_by_field(register):
    release = _by_case(_package())["UhC 2026/0010"]
    ocid = "ocds-abc123-UHC2026-0010"  # spaces out, "/" as "-", upper case (the case-number key)
    assert release["ocid"] == ocid
    assert re.fullmatch(re.escape(ocid) + r"-[0-9a-f]{12}", release["id"])
    assert release["date"] == "2026-04-20T16:30:00+02:00"  # updated 14:30 UTC, summer time
    assert release["tag"] == ["tender", "award", "contract", "implementation"]
    assert release["initiationType"] == "tender"
    assert "buyer" not in release  # two buyers: both are parties with the role, OCDS's buyer holds one
    dala = {"id": "SE-BLV-5560160680", "name": "Dala Konsult AB"}
    assert release["parties"] == [
        {"id": "uhc", "name": "Upphandlingscenter (UhC)", "roles": ["procuringEntity"]},
        {"id": "kommun-falun", "name": "Falun", "roles": ["buyer"]},
        {"id": "kommun-borlange", "name": "Borlänge", "roles": ["buyer"]},
        {**dala, "roles": ["supplier"],
         "identifier": {"scheme": "SE-BLV", "id": "5560160680", "legalName": "Dala Konsult AB"}},
    ]
    assert release["tender"] == {
        "id": "UhC 2026/0010",
        "title": "Konsulttjänster inom ekonomi",
        "status": "complete",
        "procuringEntity": {"id": "uhc", "name": "Upphandlingscenter (UhC)"},
        "procurementMethod": "selective",
        "procurementMethodDetails": "Selektivt förfarande",
        "hasEnquiries": True,
        "mainProcurementCategory": "services",
        # advertised 1 February (winter time); the last day for tenders, 15 March, included to its last second
        "tenderPeriod": {"startDate": "2026-02-01T00:00:00+01:00", "endDate": "2026-03-15T23:59:59+01:00"},
        "numberOfTenderers": 3,  # every bid, the disqualified one too
    }
    # 1 200 000 kr a year over 2026-05-01..2028-04-30: 24 whole months = 2 years -> 2 400 000
    value = {"amount": 2_400_000, "currency": "SEK"}
    assert release["awards"] == [{
        "id": "award-5560160680", "status": "active", "date": "2026-04-01T00:00:00+02:00",
        "suppliers": [dala], "value": value,
    }]
    assert release["contracts"] == [{
        "id": "AVT 2026/0010-1",
        "awardID": "award-5560160680",
        "title": "Ekonomikonsulter",
        "status": "active",
        # option 2 still open (decide by 2028-01-30): 2028-04-30 + 12 months
        "period": {"startDate": "2026-05-01T00:00:00+02:00", "endDate": "2028-04-30T23:59:59+02:00",
                   "maxExtentDate": "2029-04-30T23:59:59+02:00"},
        "value": value,
        "implementation": {"milestones": [
            {"id": f"uppfoljning-{register['meeting'].pk}", "title": "Avtalsuppföljning (möte)",
             "type": "assessment", "status": "met", "dateMet": "2026-06-10T00:00:00+02:00"},
            {"id": f"uppfoljning-{register['phone'].pk}", "title": "Avtalsuppföljning (telefon)",
             "type": "assessment", "status": "met", "dateMet": "2026-09-15T00:00:00+02:00"},
        ]},
        "amendments": [{"id": "option-1", "date": "2026-10-01T00:00:00+02:00",
                        "description": "Option 1 utnyttjad: avtalet förlängs med 12 månader."}],
    }]


def test_the_same_register_gives_the_same_release_ids(register):
    first, second = _package(), ocds.release_package(2026, now=NOW + datetime.timedelta(hours=1), today=TODAY)
    assert [r["id"] for r in first["releases"]] == [r["id"] for r in second["releases"]]


def test_a_procurement_without_award_decision_has_no_awards_and_names_no_bidder(register):
    release = _by_case(_package())["UhC 2026/0020"]
    assert "awards" not in release and "contracts" not in release
    assert "numberOfTenderers" not in release["tender"]
    assert release["tag"] == ["tender"]
    assert [p["id"] for p in release["parties"]] == ["uhc", "kommun-falun"]
    assert release["buyer"] == {"id": "kommun-falun", "name": "Falun"}  # one buyer: the buyer field too
    assert release["tender"]["status"] == "active" and release["tender"]["procurementMethod"] == "open"


def test_no_bidder_but_the_awarded_and_no_secret_or_free_text_anywhere_in_the_output(register):
    text = ocds.dumps(_package())
    for secret in ["Hemlig Anbudsgivare", "5566778899", "556677-8899", "AVT 2026/0020-1",  # B: no decision
                   "Falu Bygg", "5560360793", "Rikslev", "2120000142",  # bid, not awarded
                   *FREE_TEXT.values(), "Per Persson", "Ring Per", "avtalsforvaltare"]:
        assert secret not in text, secret
    keys = _keys(json.loads(text))
    assert keys.isdisjoint({"notes", "actions", "description", "details", "bids", "tenderers", "contactPoint"}), keys


def _keys(data):
    """Every key of every object in `data`, but the free texts the export writes itself (amendments)."""
    if isinstance(data, list):
        return set().union(*map(_keys, data)) if data else set()
    if not isinstance(data, dict):
        return set()
    own = set(data) if "amendments" not in data else set(data) - {"description"}
    inner = [v for k, v in data.items() if k != "amendments"]
    return own.union(*map(_keys, inner))


def test_a_cancelled_procurement_is_tagged_so_and_its_reason_stays_home(register):
    release = _by_case(_package())["UhC 2026/0030"]
    assert release["tag"] == ["tender", "tenderCancellation"]
    assert release["tender"]["status"] == "cancelled"
    assert "mainProcurementCategory" not in release["tender"]  # Städ och lokalvård mixes goods and services


def test_only_procurements_advertised_in_the_year_are_exported(register):
    assert set(_by_case(_package(2025))) == {"UhC 2025/0090"}
    assert _package(2024)["releases"] == []


def test_a_contract_terminated_early_ends_on_its_termination_and_tags_the_release(register):
    contract = register["a"].contracts.get()
    contract.terminated_on, contract.termination_reason = D(2026, 11, 1), "Hävning: Per Persson fuskade"
    contract.save()
    release = _by_case(_package())["UhC 2026/0010"]
    assert release["tag"][-1] == "contractTermination"
    (exported,) = release["contracts"]
    assert exported["status"] == "terminated"
    assert exported["period"] == {"startDate": "2026-05-01T00:00:00+02:00", "endDate": "2026-11-01T23:59:59+01:00"}
    assert exported["value"] == {"amount": 2_400_000, "currency": "SEK"}  # the agreed term's value
    assert "Per Persson" not in ocds.dumps(_package())
    assert _errors(RELEASE_VALIDATOR, release) == []


def test_a_contract_not_yet_started_is_pending_and_without_end_or_value_has_none(register):
    contract = register["a"].contracts.get()
    contract.start_date, contract.end_date = D(2027, 1, 1), None
    contract.save()
    release = _by_case(_package())["UhC 2026/0010"]
    (exported,) = release["contracts"]
    assert exported["status"] == "pending"
    assert exported["period"] == {"startDate": "2027-01-01T00:00:00+01:00"}
    assert "value" not in exported and "value" not in release["awards"][0]


def _grow(n, offset):
    supplier = SupplierFactory()
    for i in range(n):
        p = ProcurementFactory(
            case_number=f"UHC-Q-{offset + i}", status=Procurement.Status.COMPLETED, advertised_on=D(2026, 2, 1),
            awarded_on=D(2026, 3, 1), completed_on=D(2026, 3, 2), bids__awarded=[supplier],
            municipalities=["Falun", "Säter"],
        )
        contract = ContractFactory(procurement=p, supplier=supplier, end_date=D(2027, 12, 31),
                                   estimated_yearly_value=10_000)
        contract.options.create(order=1, length_months=6)
        ContractFollowUpFactory(contract=contract, date=D(2026, 6, 1))


def _queries():
    with CaptureQueriesContext(connection) as ctx:
        _package()
    return len(ctx.captured_queries)


def test_the_query_count_does_not_grow_with_the_procurements(plan):
    _grow(2, 0)
    few = _queries()
    _grow(10, 100)
    assert _queries() == few <= 6  # procurements, municipalities, awarded bids, contracts, options, follow-ups


@pytest.mark.parametrize(("start", "end", "expected"), [
    (D(2026, 1, 1), D(2026, 12, 31), 120_000),  # 12 months
    (D(2026, 5, 1), D(2028, 4, 30), 240_000),  # 24 months
    # 01-15..03-14 is 2 months (20 000), 03-15..03-31 17 days (17/365 × 120 000 = 5 589,04): 25 589
    (D(2026, 1, 15), D(2026, 3, 31), 25_589),
])
def test_the_term_value_counts_months_as_twelfths_and_days_left_as_365ths(start, end, expected):
    assert ocds.term_value(120_000, start, end) == expected


def test_a_prefix_not_registered_in_the_ocds_form_is_refused(register):
    from django.core.exceptions import ImproperlyConfigured

    with override_settings(OCDS_PREFIX="uhc-2026"), pytest.raises(ImproperlyConfigured):
        _package()
