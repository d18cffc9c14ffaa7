"""Contract management in the demo: responsible people, options and replacing procurements.

Drawn after the register (generate_demo_data) from a random stream of its own, so the register and
every indicator computed from it stay exactly what the demo generator makes. Only contracts in
force today get responsible people and options; about half of the contracts that end within the
radar's horizon have a planned or advertised procurement in their category to replace them.
"""

import datetime
import random

from django.contrib.auth.models import Group, User
from django.db import transaction

from common.dates import add_months
from ops.roles import STAFF
from procurement import contract_life
from procurement.models import Contract, ContractOption, Procurement
from procurement.radar import HORIZON_MONTHS

SEED = "demo-contract-management"
# The demo's contract managers: the demo user "uhc" (given its password by create_demo_users) and three
# colleagues who do not log in.
MANAGERS = [("uhc", "Ulla", "Upphandlare"), ("avtal-anna", "Anna", "Avtalsförvaltare"),
            ("avtal-bo", "Bo", "Avtalsförvaltare"), ("avtal-cia", "Cia", "Upphandlare")]
CONTACTS = ["Karin Berg, Falu kommun", "Per Lind, Borlänge kommun", "Eva Holm, Avesta kommun",
            "Jonas Ek, Ludvika kommun", "Maria Sjö, Hedemora kommun"]


def _managers():
    group = Group.objects.get(name=STAFF)
    people = []
    for username, first, last in MANAGERS:
        user, created = User.objects.get_or_create(
            username=username, defaults={"first_name": first, "last_name": last,
                                         "email": f"{username}@uhc.example.se"},
        )
        if created:
            user.set_unusable_password()
            user.save()
        user.groups.add(group)
        people.append(user)
    return people


def _options(rng, contract, today):
    """Pending options for about six contracts in ten; a used first one for some of the older ones."""
    if rng.random() >= 0.6:
        return []
    count, length = rng.choice([1, 1, 2]), rng.choice([12, 12, 24])
    notice = rng.choice([3, 3, 6])
    options = [ContractOption(contract=contract, order=n, length_months=length, notice_months=notice)
               for n in range(1, count + 1)]
    first_end = add_months(contract.end_date, -length)
    decide_by = add_months(first_end, -notice)
    if count == 2 and rng.random() < 0.4 and contract.start_date < decide_by < today:
        options[0].decision = ContractOption.Decision.USED
        options[0].decided_on = decide_by - datetime.timedelta(days=rng.randint(10, 40))
    return options


@transaction.atomic
def add_contract_management(today):
    """Responsible people, contacts, options and replacements; nothing when options exist already."""
    if ContractOption.objects.exists():
        return 0
    rng = random.Random(SEED)
    managers = _managers()
    in_force = list(
        Contract.objects.filter(start_date__lte=today, end_date__gte=today, terminated_on__isnull=True)
        .select_related("procurement").order_by("pk")
    )
    options = []
    for contract in in_force:
        contract.responsible = rng.choice(managers)
        contract.municipality_contact = rng.choice(CONTACTS)
        options += _options(rng, contract, today)
    Contract.objects.bulk_update(in_force, ["responsible", "municipality_contact"])
    ContractOption.objects.bulk_create(options)
    _replacements(rng, in_force, options, today)
    return len(in_force)


def _replacements(rng, contracts, options, today):
    """About half of the contracts that end within the horizon get a coming procurement in their category."""
    by_contract = {}
    for option in options:
        by_contract.setdefault(option.contract_id, []).append(option)
    horizon = add_months(today, HORIZON_MONTHS)
    coming = {}
    for proc in Procurement.objects.filter(status__in=["planned", "advertised"]).order_by("pk"):
        coming.setdefault(proc.category_id, []).append(proc)
    for contract in contracts:
        latest = contract_life.latest_possible_end(contract.end_date, by_contract.get(contract.pk, []), today)
        candidates = coming.get(_category_of(contract), [])
        if latest <= horizon and candidates and rng.random() < 0.5:
            rng.choice(candidates).replaces.add(contract)


def _category_of(contract):
    return contract.procurement.category_id if contract.procurement_id else None
