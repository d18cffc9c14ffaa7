"""E-mailing each person the digest of their work list: what falls due in the coming weeks.

Each task goes to a person once a day (ReminderSent): run it daily from cron or a systemd timer; a
second run on the same day sends only tasks that were not mailed yet, and nothing when there are none.
Tasks of contracts without a responsible person go to Chef UhC.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.translation import ngettext

from ops.models import ReminderSent
from ops.roles import CHIEF
from procurement.work_list import AHEAD_WEEKS, work_lists


@dataclass
class Outcome:
    sent: int = 0  # e-mails
    tasks: int = 0  # tasks in them
    without_address: list = None  # people with tasks but no e-mail address

    def __post_init__(self):
        self.without_address = self.without_address or []


def _recipients(lists):
    """[(user, tasks, for_others)]: each person's tasks, and the unassigned ones for every Chef UhC."""
    unassigned = lists.pop(None, None)
    people = [(work.person, work.tasks, False) for work in lists.values() if work.tasks]
    if unassigned is not None and unassigned.tasks:
        chiefs = get_user_model().objects.filter(groups__name=CHIEF, is_active=True)
        people += [(chief, unassigned.tasks, True) for chief in chiefs]
    return people


def _message(user, tasks, unassigned, today, weeks):
    overdue = sum(1 for t in tasks if t.overdue)
    subject = ngettext("Att göra: %(n)s uppgift", "Att göra: %(n)s uppgifter", len(tasks)) % {"n": len(tasks)}
    if overdue:
        subject += ngettext(" (%(n)s försenad)", " (%(n)s försenade)", overdue) % {"n": overdue}
    body = render_to_string("ops/reminder_digest.txt", {
        "user": user, "tasks": tasks, "unassigned": unassigned, "today": today, "weeks": weeks,
        "site_url": settings.SITE_URL,
    })
    return EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])


def send_reminders(today, *, weeks=AHEAD_WEEKS, dry_run=False):
    """Mail each person the tasks not yet mailed to them today; returns an Outcome."""
    outcome = Outcome()
    sent_today = set(ReminderSent.objects.filter(day=today).values_list("user_id", "key"))
    messages, records = [], []
    for user, tasks, unassigned in _recipients(work_lists(today, weeks=weeks)):
        new = [t for t in tasks if (user.pk, t.key) not in sent_today]
        if not new:
            continue
        if not user.is_active:
            continue
        if not user.email:
            outcome.without_address.append(user.get_username())
            continue
        messages.append(_message(user, new, unassigned, today, weeks))
        records += [ReminderSent(user=user, day=today, key=t.key) for t in new]
        outcome.tasks += len(new)
    if dry_run:
        return outcome
    with transaction.atomic():
        # Recorded first: a task is never mailed twice, even when two runs overlap (ignore_conflicts).
        ReminderSent.objects.bulk_create(records, ignore_conflicts=True)
        outcome.sent = get_connection().send_messages(messages) or 0
    return outcome
