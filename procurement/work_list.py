"""The work list ("Att göra") of the people who manage contracts, from the follow-up plan and the radar.

For each contract's responsible person: the follow-ups due within the coming weeks or overdue, the
options to decide, and the contracts that end. Chef UhC sees everyone's, by person. The same items
are what `send_reminders` mails (each one once a day).

The tasks are read as plain rows in a fixed number of queries whatever the register's size (the
follow-up plan in SQL, the radar's rows); only the tasks shown get their contracts (`radar.attach`).
"""

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from procurement import follow_up_plan, radar
from procurement.models import Contract

AHEAD_WEEKS = 6  # what falls due within this is on the list


@dataclass
class Task:
    kind: str  # FOLLOW_UP, OPTION or END
    contract_id: int
    responsible_id: int | None
    date: datetime.date  # due, decide-by or end
    overdue: bool = False
    step: object = None  # an option's OptionStep
    at_risk: bool = False  # an end without a replacing procurement
    contract: Contract | None = None  # set by radar.attach for the tasks shown

    FOLLOW_UP, OPTION, END = "follow_up", "option", "end"
    ORDER = {FOLLOW_UP: 0, OPTION: 1, END: 2}

    @property
    def key(self):
        """Identifies the task across runs, so a reminder is sent once a day."""
        option = self.step.option.pk if self.step else ""
        return f"{self.kind}:{self.contract_id}:{option}:{self.date.isoformat()}"

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

    @property
    def risks(self):
        return sum(1 for t in self.endings if t.at_risk)

    @property
    def name(self):
        return (self.person.get_full_name() or self.person.username) if self.person else ""


def _follow_up_tasks(today, until, queryset=None):
    """The next planned follow-up of each contract still in force, when due by `until` or overdue: one that
    has ended is not followed up any more (the plan's summary still counts what was missed)."""
    rows = follow_up_plan.due_by(until, today, queryset).values_list("pk", "responsible_id", "plan_next_due")
    for pk, responsible_id, due in rows:
        yield Task(Task.FOLLOW_UP, pk, responsible_id, due, overdue=due < today)


def _radar_tasks(today, until, queryset=None):
    for item in radar.radar_items(today, queryset=queryset):
        if item.date > until and not item.at_risk:
            continue
        kind = Task.OPTION if item.kind == radar.OPTION else Task.END
        yield Task(kind, item.contract_id, item.responsible_id, item.date, step=item.step, at_risk=item.at_risk)


def work_lists(today, *, weeks=AHEAD_WEEKS, queryset=None, attach=True):
    """{responsible person's pk (None for no one): WorkList} of what is due by `weeks` from `today`.

    Follow-ups: the next planned one of each contract, when due by then or overdue. Options: decide-by
    dates by then. Ends: contracts ending by then, and any end within the radar's horizon that has no
    replacing procurement (a risk is on the list from the day it is seen). With `attach` every task gets
    its contract (the e-mail digests); without, the page attaches the ones it shows.
    """
    until = today + datetime.timedelta(weeks=weeks)
    lists = {}

    def list_of(task):
        return lists.setdefault(task.responsible_id, WorkList(None))

    every = []
    for task in _follow_up_tasks(today, until, queryset):
        list_of(task).follow_ups.append(task)
        every.append(task)
    for task in _radar_tasks(today, until, queryset):
        target = list_of(task)
        (target.options if task.kind == Task.OPTION else target.endings).append(task)
        every.append(task)
    people = get_user_model().objects.in_bulk([pk for pk in lists if pk is not None])
    for pk, work in lists.items():
        work.person = people.get(pk)
    if attach:
        radar.attach(every)
    return lists


def work_list_for(user, today, *, weeks=AHEAD_WEEKS, attach=True):
    """One person's WorkList (empty when nothing is due), from their own contracts only; `user` None: the
    contracts without a responsible person."""
    mine = Contract.objects.filter(responsible=user) if user else Contract.objects.filter(responsible__isnull=True)
    work = work_lists(today, weeks=weeks, queryset=mine, attach=attach).get(user.pk if user else None)
    return work or WorkList(user)
