"""The register as open data: an OCDS 1.1 release package of the procurements advertised in a year.

One release per procurement, a snapshot of what the register knows of it today (tender, award, contracts and
their follow-ups), built from a fixed number of queries. What goes out and what does not, field by field, and
why, is in docs/ocds.md; the rule is procurement/secrecy.py's: nothing of bids or bidders before the award
decision, and no free text that may hold personal data.
"""

import datetime
import hashlib
import json
import re
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from common.dates import add_months
from procurement.models import Contract, ContractFollowUp, Procurement, case_number_key

# Who may download the export: the roles that work with bids (UhC staff and Chef UhC; docs/ocds.md).
PERMISSION = "procurement.view_bid"

OCDS_VERSION = "1.1"
CURRENCY = "SEK"
# A placeholder: the Open Contracting Partnership registers a real prefix ("ocds-" and six characters) on request.
DEFAULT_PREFIX = "ocds-xxxxxx"
PREFIX_FORM = re.compile(r"^ocds-[a-z0-9]{6}$")
DEFAULT_LICENSE = "https://creativecommons.org/publicdomain/zero/1.0/"

PUBLISHER = {"name": "Upphandlingscenter (UhC)"}
UHC = {"id": "uhc", "name": "Upphandlingscenter (UhC)"}
# Swedish organisation numbers in org-id.guide: the Swedish Companies Registration Office (Bolagsverket).
ORG_SCHEME = "SE-BLV"

Status = Procurement.Status
TENDER_STATUS = {
    Status.PLANNED: "planned",
    Status.ADVERTISED: "active",
    Status.AWARDED: "complete",  # the tender stage ends with the award decision
    Status.COMPLETED: "complete",
    Status.CANCELLED: "cancelled",
}
# An award decision is "pending" until the procurement is completed (standstill, review), then "active".
AWARD_STATUS = {
    Status.PLANNED: "pending",  # a status not moved on (docs/ocds.md): the decision is recorded
    Status.ADVERTISED: "pending",
    Status.AWARDED: "pending",
    Status.COMPLETED: "active",
    Status.CANCELLED: "cancelled",
}
Procedure = Procurement.Procedure
PROCUREMENT_METHOD = {
    Procedure.OPEN: "open",
    Procedure.SIMPLIFIED: "open",  # advertised, and anyone may bid
    Procedure.RESTRICTED: "selective",
    Procedure.NEGOTIATED: "selective",
    Procedure.COMPETITIVE_DIALOGUE: "selective",
    Procedure.INNOVATION_PARTNERSHIP: "selective",
    Procedure.SELECTION: "selective",  # anyone may apply, the invited bid
    Procedure.DIS: "selective",  # anyone may be admitted, the admitted bid in each call
    Procedure.NEGOTIATED_WITHOUT_NOTICE: "limited",
}
# The purchasing categories that are plainly goods or services; the others mix them (docs/ocds.md).
MAIN_CATEGORY = {
    "Livsmedel och måltidsverksamhet": "goods",
    "Möbler och inredning": "goods",
    "Konsulttjänster": "services",
    "Tekniska tjänster och entreprenadnära tjänster": "services",
}
FOLLOW_UP_MILESTONE = "assessment"  # milestoneType: assessment of the contract's performance

ONE_DAY = datetime.timedelta(days=1)
DAY_END = datetime.time(23, 59, 59)


def prefix():
    value = getattr(settings, "OCDS_PREFIX", DEFAULT_PREFIX)
    if not PREFIX_FORM.match(value):
        raise ImproperlyConfigured(f"OCDS_PREFIX {value!r} is not of the form ocds-xxxxxx (six letters or digits).")
    return value


def ocid(procurement, prefix_):
    """The prefix and the case number without spaces, '/' as '-': "UhC 2026/0010" -> ocds-xxxxxx-UHC2026-0010."""
    return f"{prefix_}-{case_number_key(procurement.case_number).replace('/', '-')}"


def procurements_of(year):
    """The procurements advertised in `year` with all the export needs, in six queries whatever their number.

    Bid counts come as None and awarded bids and contracts not at all before the award decision.
    """
    published_contracts = (
        Contract.objects.filter(procurement__awarded_on__isnull=False)
        .select_related("supplier")
        .prefetch_related("options", Prefetch("follow_ups", queryset=ContractFollowUp.objects.order_by("date", "pk")))
        .order_by("number")
    )
    return (
        Procurement.objects.advertised_in(year)
        .with_counts(before_award=False)
        .with_awarded_bids()
        .select_related("category")
        .prefetch_related("municipalities", Prefetch("contracts", published_contracts, to_attr="published_contracts"))
        .order_by("advertised_on", "case_number")
    )


def release_package(year, *, now=None, today=None):
    """The release package (a dict) of the procurements advertised in `year`; its `releases` may be empty,
    which the schema does not allow: callers refuse an empty year."""
    now, today = now or timezone.now(), today or timezone.localdate()
    prefix_ = prefix()
    package = {
        "uri": f"{settings.SITE_URL}{reverse('procurement:ocds_export')}?ar={year}",
        "version": OCDS_VERSION,
        "publishedDate": moment(now),
        "publisher": PUBLISHER,
        "license": getattr(settings, "OCDS_LICENSE", DEFAULT_LICENSE),
    }
    policy = getattr(settings, "OCDS_PUBLICATION_POLICY", "")
    if policy:
        package["publicationPolicy"] = policy
    package["releases"] = [release(p, prefix_, today) for p in procurements_of(year)]
    return package


def dumps(package):
    return json.dumps(package, ensure_ascii=False, indent=2)


def filename(year):
    return f"ocds-uhc-{year}.json"


def release(procurement, prefix_, today):
    """One procurement as an OCDS release (prefetched as by procurements_of)."""
    awarded = procurement.awarded_on is not None
    contracts = procurement.published_contracts
    municipalities = list(procurement.municipalities.all())
    suppliers = _suppliers(procurement, contracts) if awarded else []
    data = {
        "ocid": ocid(procurement, prefix_),
        "date": moment(procurement.updated_at),
        "tag": _tags(procurement, contracts, today),
        "initiationType": "tender",
        "parties": [_party(UHC, "procuringEntity")]
        + [_party(_municipality(m), "buyer") for m in municipalities]
        + [_supplier_party(s) for s in suppliers],
    }
    if len(municipalities) == 1:
        data["buyer"] = _municipality(municipalities[0])
    data["tender"] = _tender(procurement)
    if awarded:
        data["awards"] = [_award(procurement, supplier, contracts) for supplier in suppliers]
        data["contracts"] = [_contract(contract, today) for contract in contracts]
    digest = hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:12]
    return {"id": f"{data['ocid']}-{digest}", **data}  # the same content, the same id


def _tags(procurement, contracts, today):
    tags = ["tender"]
    if procurement.status == Status.CANCELLED:
        tags.append("tenderCancellation")
    if procurement.awarded_on:
        tags.append("award")
    if contracts:
        tags.append("contract")
    if any(c.follow_ups.all() for c in contracts):
        tags.append("implementation")
    if any(c.terminated_on and c.terminated_on <= today for c in contracts):
        tags.append("contractTermination")
    return tags


def _tender(procurement):
    tender = {
        "id": procurement.case_number,
        "title": procurement.title,
        "status": TENDER_STATUS[procurement.status],
        "procuringEntity": UHC,
        "procurementMethod": PROCUREMENT_METHOD[procurement.procedure],
        "procurementMethodDetails": str(procurement.get_procedure_display()),
        "hasEnquiries": procurement.questions_received > 0,
    }
    category = MAIN_CATEGORY.get(procurement.category.name)
    if category:
        tender["mainProcurementCategory"] = category
    if procurement.advertised_on:
        tender["tenderPeriod"] = {"startDate": start_of(procurement.advertised_on)}
        if procurement.tender_deadline:
            tender["tenderPeriod"]["endDate"] = end_of(procurement.tender_deadline)
    if procurement.bid_count is not None:  # None before the award decision
        tender["numberOfTenderers"] = procurement.bid_count
    return tender


def _suppliers(procurement, contracts):
    """The awarded bids' suppliers and those with a contract from the procurement, by name."""
    found = {bid.supplier.pk: bid.supplier for bid in procurement.awarded_bids}
    found.update((c.supplier.pk, c.supplier) for c in contracts)
    return sorted(found.values(), key=lambda s: (s.name, s.org_number))


def _award(procurement, supplier, contracts):
    award = {
        "id": f"award-{_digits(supplier)}",
        "status": AWARD_STATUS[procurement.status],
        "date": start_of(procurement.awarded_on),
        "suppliers": [_supplier_ref(supplier)],
    }
    values = [_value(c) for c in contracts if c.supplier_id == supplier.pk]
    if values and None not in values:
        award["value"] = sek(sum(values))
    return award


def _contract(contract, today):
    period = {"startDate": start_of(contract.start_date)}
    if contract.terminated_on:
        period["endDate"] = end_of(contract.terminated_on)
    elif contract.end_date:
        period["endDate"] = end_of(contract.end_date)
        period["maxExtentDate"] = end_of(contract.latest_possible_end(today))
    data = {
        "id": contract.number,
        "awardID": f"award-{_digits(contract.supplier)}",
        "title": contract.title,
        "status": _contract_status(contract, today),
        "period": period,
    }
    value = _value(contract)
    if value is not None:
        data["value"] = sek(value)
    milestones = [_milestone(f) for f in contract.follow_ups.all()]
    if milestones:
        data["implementation"] = {"milestones": milestones}
    amendments = [_amendment(o) for o in contract.options.all() if o.decision == o.Decision.USED]
    if amendments:
        data["amendments"] = amendments
    return data


def _contract_status(contract, today):
    """As procurement/contract_life.py: terminated from the day of an early termination, ended after the end."""
    if contract.start_date > today:
        return "pending"
    if contract.terminated_on and contract.terminated_on <= today:
        return "terminated"
    return "terminated" if contract.end_date and contract.end_date < today else "active"


def _milestone(follow_up):
    return {
        "id": f"uppfoljning-{follow_up.pk}",
        "title": f"Avtalsuppföljning ({follow_up.get_form_display().lower()})",
        "type": FOLLOW_UP_MILESTONE,
        "status": "met",
        "dateMet": start_of(follow_up.date),
    }


def _amendment(option):
    return {
        "id": f"option-{option.order}",
        "date": start_of(option.decided_on),
        "description": f"Option {option.order} utnyttjad: avtalet förlängs med {option.length_months} månader.",
    }


def _value(contract):
    """The estimated yearly value over the agreed term (start to end, both included, options not counted),
    in whole kronor; None without a yearly value or an end date."""
    if contract.estimated_yearly_value is None or contract.end_date is None:
        return None
    return term_value(contract.estimated_yearly_value, contract.start_date, contract.end_date)


def term_value(yearly, start, end):
    """`yearly` over start..end (both included): whole months as twelfths, the days left as 365ths."""
    after = end + ONE_DAY
    months = (after.year - start.year) * 12 + after.month - start.month
    if add_months(start, months) > after:
        months -= 1
    days = (after - add_months(start, months)).days
    return round(Decimal(yearly) * (Decimal(months) / 12 + Decimal(days) / 365))


def _municipality(municipality):
    return {"id": f"kommun-{slugify(municipality.name)}", "name": municipality.name}


def _digits(supplier):
    return supplier.org_number.replace("-", "")


def _supplier_ref(supplier):
    return {"id": f"{ORG_SCHEME}-{_digits(supplier)}", "name": supplier.name}


def _supplier_party(supplier):
    party = _party(_supplier_ref(supplier), "supplier")
    party["identifier"] = {"scheme": ORG_SCHEME, "id": _digits(supplier), "legalName": supplier.name}
    return party


def _party(reference, role):
    return {**reference, "roles": [role]}


def sek(amount):
    return {"amount": int(amount), "currency": CURRENCY}


def start_of(day):
    """A date as the start of that day in Stockholm, ISO 8601 with its offset: 2026-02-01T00:00:00+01:00."""
    return datetime.datetime.combine(day, datetime.time.min, timezone.get_default_timezone()).isoformat()


def end_of(day):
    """The last second of a day in Stockholm: a period that ends on a date includes that date."""
    return datetime.datetime.combine(day, DAY_END, timezone.get_default_timezone()).isoformat()


def moment(value):
    return timezone.localtime(value).replace(microsecond=0).isoformat()
