"""send_reminders: each person's digest, each task once a day, the unassigned ones to Chef UhC."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command

from ops.models import ReminderSent
from ops.reminders import send_reminders
from ops.roles import CHIEF
from procurement.models import ContractOption
from tests.factories import ContractFactory, ContractFollowUpFactory, UserFactory

D = datetime.date
TODAY = D(2026, 9, 15)

pytestmark = pytest.mark.django_db


@pytest.fixture
def register(plan):
    anna = UserFactory(username="anna", first_name="Anna", last_name="Ek", email="anna@example.se")
    chief = UserFactory(username="chef", email="chef@example.se", role=CHIEF)
    a1 = ContractFactory(number="A1", title="Städtjänster", contract_class="A", start_date=D(2025, 1, 1),
                         responsible=anna)
    ContractFollowUpFactory(contract=a1, date=D(2026, 3, 10), form="meeting")
    o1 = ContractFactory(number="O1", title="Livsmedel <grossist>", contract_class="C", start_date=D(2025, 2, 1),
                         end_date=D(2027, 1, 31), responsible=anna)
    ContractFollowUpFactory(contract=o1, date=D(2026, 2, 1), form="email")
    ContractOption.objects.create(contract=o1, order=1, length_months=12, notice_months=4)
    ContractFactory(number="X1", title="Kontorsmaterial", contract_class="B", start_date=D(2026, 1, 1),
                    end_date=D(2026, 10, 15))
    return anna, chief


def test_each_person_gets_one_digest_of_their_tasks(register):
    anna, chief = register
    outcome = send_reminders(TODAY)
    assert outcome.sent == 2
    by_address = {m.to[0]: m for m in mail.outbox}
    to_anna = by_address["anna@example.se"]
    # A1's overdue follow-up, O1's option and O1's end at risk (worked out in tests/test_work_list.py).
    assert to_anna.subject == "Att göra: 3 uppgifter (1 försenad)"
    assert "Hej Anna Ek!" in to_anna.body
    assert "31 augusti 2026: Uppföljning försenad" in to_anna.body
    assert "30 september 2026: Option 1 att besluta" in to_anna.body
    assert "O1 Livsmedel <grossist>" in to_anna.body  # plain text: not HTML-escaped
    assert "http://127.0.0.1:8000/" in to_anna.body
    to_chief = by_address["chef@example.se"]
    assert "saknar avtalsförvaltare" in to_chief.body and "X1 Kontorsmaterial" in to_chief.body


def test_sending_twice_on_one_day_sends_nothing_new(register):
    send_reminders(TODAY)
    mail.outbox.clear()
    outcome = send_reminders(TODAY)
    assert (outcome.sent, outcome.tasks, len(mail.outbox)) == (0, 0, 0)
    assert ReminderSent.objects.filter(day=TODAY).count() == 3 + 2


def test_a_new_task_the_same_day_is_sent_alone(register):
    anna, _ = register
    send_reminders(TODAY)
    mail.outbox.clear()
    ContractFactory(number="A2", contract_class="B", start_date=D(2026, 1, 1), end_date=D(2026, 10, 1),
                    responsible=anna)
    send_reminders(TODAY)
    (message,) = mail.outbox
    assert message.to == ["anna@example.se"] and "A2" in message.body and "A1" not in message.body


def test_the_next_day_the_digest_comes_again(register):
    send_reminders(TODAY)
    mail.outbox.clear()
    assert send_reminders(TODAY + datetime.timedelta(days=1)).sent == 2


def test_a_person_without_an_address_is_reported_not_mailed(register):
    anna, _ = register
    anna.email = ""
    anna.save()
    outcome = send_reminders(TODAY)
    assert outcome.without_address == ["anna"]
    assert [m.to for m in mail.outbox] == [["chef@example.se"]]
    assert not ReminderSent.objects.filter(user=anna).exists()


def test_a_dry_run_sends_and_records_nothing(register):
    outcome = send_reminders(TODAY, dry_run=True)
    assert outcome.tasks == 5 and mail.outbox == [] and not ReminderSent.objects.exists()


def test_the_command_reports_in_swedish(register, capsys):
    call_command("send_reminders", "--weeks", "52")
    assert "e-postmeddelanden med" in capsys.readouterr().out


def test_the_command_refuses_an_impossible_horizon(register):
    with pytest.raises(SystemExit):
        call_command("send_reminders", "--weeks", "0")


class RefusingBackend:
    """A mail server that refuses the messages to one address and delivers the others to mail.outbox."""

    refused = "anna@example.se"

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        import smtplib

        for message in messages:
            if self.refused in message.to:
                raise smtplib.SMTPRecipientsRefused({self.refused: (550, b"Mailbox unavailable")})
            mail.outbox.append(message)
        return len(messages)


def test_a_refused_message_is_not_recorded_and_the_others_are_sent_once(register, monkeypatch):
    anna, chief = register
    monkeypatch.setattr("ops.reminders.get_connection", lambda: RefusingBackend())
    outcome = send_reminders(TODAY)
    assert (outcome.sent, [name for name, _error in outcome.failed]) == (1, ["anna"])
    assert [m.to for m in mail.outbox] == [["chef@example.se"]]
    assert not ReminderSent.objects.filter(user=anna).exists()  # sent at the next run
    assert ReminderSent.objects.filter(user=chief).count() == 2
    mail.outbox.clear()
    monkeypatch.setattr("ops.reminders.get_connection", lambda: mail.get_connection())
    again = send_reminders(TODAY)
    assert (again.sent, [m.to for m in mail.outbox]) == (1, [["anna@example.se"]])  # the chief's not again


def test_the_command_fails_when_a_message_was_refused(register, monkeypatch, capsys):
    monkeypatch.setattr("ops.reminders.get_connection", lambda: RefusingBackend())
    with pytest.raises(SystemExit) as exit_:
        call_command("send_reminders")
    assert exit_.value.code == 1
    assert "Påminnelsen till anna kunde inte skickas" in capsys.readouterr().err
