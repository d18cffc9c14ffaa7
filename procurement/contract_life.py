"""A contract's life from its dates: its options to extend, the latest possible end and its status.

A contract runs from `start_date` to `end_date`, the end agreed today: using an option moves it.
Options are used in order, each extending the contract by its length from the end it follows, and each
must be decided `notice_months` before that end (the notice the contract gives the supplier). An option
not used by its decide-by date lapses, and so do the ones after it; an option declined ends the chain.
So the latest possible end (OCDS `maxExtentDate`) is the agreed end plus every option still open.

Plain functions over a contract and its options (prefetched): no queries here.
"""

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from common.dates import add_months

ENDING_MONTHS = 12  # a contract "in its last 12 months"
DECIDE_AHEAD_MONTHS = 6  # an option whose decide-by date is this close is "to decide"

PENDING, USED, DECLINED = "pending", "used", "declined"


@dataclass(frozen=True)
class OptionStep:
    option: object
    end_before: datetime.date  # the end the option extends
    end_after: datetime.date  # the end once it is used
    decide_by: datetime.date  # the last day it can be decided


def option_schedule(end_date, options):
    """[OptionStep] for `options` in order, from the agreed `end_date`.

    Used options are the first ones (they moved `end_date`): the first term's end is `end_date` less
    their lengths. A declined option closes the chain: the options after it are not scheduled.
    """
    options = sorted(options, key=lambda o: o.order)
    used = [o for o in options if o.decision == USED]
    end = add_months(end_date, -sum(o.length_months for o in used))
    steps = []
    for option in options:
        if option.decision == DECLINED:
            break
        after = add_months(end, option.length_months)
        steps.append(OptionStep(option, end, after, add_months(end, -option.notice_months)))
        end = after
    return steps


def open_steps(end_date, options, today):
    """The options that can still be used: pending and not past their decide-by date, in order."""
    steps = []
    for step in option_schedule(end_date, options):
        if step.option.decision == USED:
            continue
        if step.decide_by < today:
            break  # lapsed, and the later ones with it
        steps.append(step)
    return steps


def latest_possible_end(end_date, options, today):
    """The agreed end plus every option that can still be used (OCDS maxExtentDate)."""
    steps = open_steps(end_date, options, today)
    return steps[-1].end_after if steps else end_date


class Status:
    ACTIVE = "active"
    ENDING = "ending"
    OPTION = "option"
    ENDED = "ended"
    TERMINATED = "terminated"

    LABELS = {
        ACTIVE: _("Gäller"),
        ENDING: _("Sista 12 månaderna"),
        OPTION: _("Option att besluta"),
        ENDED: _("Upphört"),
        TERMINATED: _("Avslutat i förtid"),
    }


def contract_status(contract, options, today):
    """The status that follows from the dates on `today`; without an end date a contract is active."""
    if contract.terminated_on and contract.terminated_on <= today:
        return Status.TERMINATED
    if contract.end_date is None:
        return Status.ACTIVE
    if contract.end_date < today:
        return Status.ENDED
    steps = open_steps(contract.end_date, options, today)
    if steps and steps[0].decide_by <= add_months(today, DECIDE_AHEAD_MONTHS):
        return Status.OPTION
    if contract.end_date <= add_months(today, ENDING_MONTHS) and not steps:
        return Status.ENDING
    return Status.ACTIVE
