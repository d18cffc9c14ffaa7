"""Requirements and properties the register's procurement list can be narrowed to.

The conditions behind computed indicators are written once, in the indicators' definitions, which
register them here when the indicators app starts (indicators/apps.py): the list filter and the
indicator then select the same procurements. The register's own properties are registered below.
Conditions registered under one key are combined with OR (UHM's five areas: any at advanced level).
"""

from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# The order of the check boxes in the list's filter; keys not named here follow in registration order.
ORDER = (
    "employment_requirement", "labour_law_conditions", "accessibility_requirement", "gender_equality_requirement",
    "preparedness_requirement", "environmental_requirement", "uhm_advanced", "reserved", "is_food",
    "organic_food_requirement", "local_food_requirement", "welfare_crime_risk", "innovative_solution", "appealed",
    "in_procurement_plan", "coordinated",
)


@dataclass
class Requirement:
    key: str
    label: str
    conditions: list = field(default_factory=list)  # Q objects over Procurement, any of which holds
    aliases: dict = field(default_factory=dict)  # name -> function returning the expression a condition uses

    @property
    def condition(self):
        return reduce(or_, self.conditions)


_registry = {}


def register(key, label, condition, *, aliases=None):
    """Offer `condition` (a Q over Procurement) in the list's filter under `key`."""
    requirement = _registry.setdefault(key, Requirement(key, label))
    if condition not in requirement.conditions:
        requirement.conditions.append(condition)
    requirement.aliases.update(aliases or {})


def _position(key):
    return ORDER.index(key) if key in ORDER else len(ORDER)


def choices():
    """(key, label) of every registered requirement, in the filter's order."""
    return [(r.key, r.label) for r in sorted(_registry.values(), key=lambda r: _position(r.key))]


def narrow(queryset, keys):
    """The procurements of `queryset` meeting every requirement in `keys`."""
    for key in keys:
        requirement = _registry[key]
        if requirement.aliases:
            queryset = queryset.alias(**{name: make() for name, make in requirement.aliases.items()})
        queryset = queryset.filter(requirement.condition)
    return queryset


register("appealed", _("Överprövad"), Q(appealed_on__isnull=False))
register("in_procurement_plan", _("Med i upphandlingsplanen"), Q(in_procurement_plan=True))
