"""E-mailing each person the digest of their work list: what falls due in the coming weeks.

Each task goes to a person once a day (ReminderSent): run it daily from cron or a systemd timer; a
second run on the same day sends only tasks that were not mailed yet, and nothing when there are none.
Tasks of contracts without a responsible person go to Chef UhC.
"""

import smtplib
from dataclasses import dataclass, field

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
    without_address: list = field(default_factory=list)  # people with tasks but no e-mail address
    failed: list = field(default_factory=list)  # (username, error) of messages the mail server refused


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
    """Mail each person the tasks not yet mailed to them today; returns an Outcome.

    One message at a time, each recorded in the same transaction as its sending: when the mail server
    refuses a message, only that person's tasks stay unrecorded (the next run sends them), and the
    messages already sent are never sent again.
    """
    outcome = Outcome()
    sent_today = set(ReminderSent.objects.filter(day=today).values_list("user_id", "key"))
    digests = []
    for user, tasks, unassigned in _recipients(work_lists(today, weeks=weeks)):
        new = [t for t in tasks if (user.pk, t.key) not in sent_today]
        if not new or not user.is_active:
            continue
        if not user.email:
            outcome.without_address.append(user.get_username())
            continue
        digests.append((user, new, unassigned))
    if dry_run:
        outcome.tasks = sum(len(new) for _user, new, _unassigned in digests)
        return outcome
    connection = get_connection()
    for user, new, unassigned in digests:
        try:
            with transaction.atomic():
                # Recorded first: a task is never mailed twice, even when two runs overlap (ignore_conflicts).
                ReminderSent.objects.bulk_create([ReminderSent(user=user, day=today, key=t.key) for t in new],
                                                 ignore_conflicts=True)
                connection.send_messages([_message(user, new, unassigned, today, weeks)])
        except (OSError, smtplib.SMTPException) as error:
            outcome.failed.append((user.get_username(), str(error)))
            continue
        outcome.sent += 1
        outcome.tasks += len(new)
    return outcome
