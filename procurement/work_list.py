"""The work list ("Att göra") of the people who manage contracts, from the follow-up plan and the radar.

For each contract's responsible person: the follow-ups due within the coming weeks or overdue, the
options to decide, and the contracts that end. Chef UhC sees everyone's, by person. The same items
are what `send_reminders` mails (each one once a day).

A fixed number of queries for everyone together: the follow-up plan's two and the radar's five.
"""

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from procurement import follow_up_plan, radar
from procurement.models import Contract

AHEAD_WEEKS = 6  # what falls due within this is on the list


@dataclass(frozen=True)
class Task:
    kind: str  # FOLLOW_UP, OPTION or END
    contract: object
    date: datetime.date  # due, decide-by or end
    overdue: bool = False
    step: object = None  # an option's OptionStep
    at_risk: bool = False  # an end without a replacing procurement

    FOLLOW_UP, OPTION, END = "follow_up", "option", "end"

    @property
    def key(self):
        """Identifies the task across runs, so a reminder is sent once a day."""
        option = self.step.option.pk if self.step else ""
        return f"{self.kind}:{self.contract.pk}:{option}:{self.date.isoformat()}"

    @property
    def label(self):
        if self.kind == self.FOLLOW_UP:
            return _("Uppföljning försenad") if self.overdue else _("Uppföljning")
        return radar.option_label(self.step) if self.kind == self.OPTION else radar.END_LABEL


@dataclass
class WorkList:
    person: object  # a user, or None for contracts without a responsible person
    follow_ups: list = field(default_factory=list)
    options: list = field(default_factory=list)
    endings: list = field(default_factory=list)

    @property
    def tasks(self):
        return sorted([*self.follow_ups, *self.options, *self.endings], key=lambda t: (t.date, t.kind))

    @property
    def count(self):
        return len(self.follow_ups) + len(self.options) + len(self.endings)

    @property
    def overdue(self):
        return sum(1 for t in self.follow_ups if t.overdue)


def _in_force_on(contract, today):
    ended = contract.end_date is not None and contract.end_date < today
    return not ended and not (contract.terminated_on and contract.terminated_on <= today)


def _follow_up_tasks(today, until, queryset=None):
    """The next planned follow-up of each contract still in force: one that has ended is not followed up
    any more (the plan's summary still counts what was missed)."""
    for plan in follow_up_plan.year_plan(today.year, today, queryset):
        due = plan.next_due
        if due is not None and due <= until and _in_force_on(plan.contract, today):
            yield Task(Task.FOLLOW_UP, plan.contract, due, overdue=due < today)


def _radar_tasks(today, until, queryset=None):
    for item in radar.radar_items(today, queryset=queryset):
        if item.date > until and not item.at_risk:
            continue
        kind = Task.OPTION if item.kind == radar.OPTION else Task.END
        yield Task(kind, item.contract, item.date, step=item.step, at_risk=item.at_risk)


def work_lists(today, *, weeks=AHEAD_WEEKS, queryset=None):
    """{responsible person's pk (None for no one): WorkList} of what is due by `weeks` from `today`.

    Follow-ups: the next planned one of each contract, when due by then or overdue. Options: decide-by
    dates by then. Ends: contracts ending by then, and any end within the radar's horizon that has no
    replacing procurement (a risk is on the list from the day it is seen).
    """
    until = today + datetime.timedelta(weeks=weeks)
    lists = {}

    def list_of(contract):
        person = contract.responsible
        key = person.pk if person else None
        return lists.setdefault(key, WorkList(person))

    for task in _follow_up_tasks(today, until, queryset):
        list_of(task.contract).follow_ups.append(task)
    for task in _radar_tasks(today, until, queryset):
        target = list_of(task.contract)
        (target.options if task.kind == Task.OPTION else target.endings).append(task)
    return lists


def work_list_for(user, today, *, weeks=AHEAD_WEEKS):
    """One person's WorkList (empty when nothing is due), from their own contracts only."""
    mine = Contract.objects.filter(responsible=user)
    return work_lists(today, weeks=weeks, queryset=mine).get(user.pk) or WorkList(user)
