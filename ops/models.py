"""What operations keep: the reminders sent, so `send_reminders` mails each task once a day."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from common import bounds


class ReminderSent(models.Model):
    """A task (procurement.work_list.Task.key) mailed to a person on a day."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("mottagare"))
    day = models.DateField(_("dag"), validators=bounds.PAST)
    key = models.CharField(_("uppgift"), max_length=120)
    sent_at = models.DateTimeField(_("skickad"), auto_now_add=True, validators=bounds.PAST)

    class Meta:
        ordering = ["-day", "user"]
        verbose_name = _("skickad påminnelse")
        verbose_name_plural = _("skickade påminnelser")
        constraints = [models.UniqueConstraint(fields=["user", "day", "key"], name="reminder_once_a_day")]

    def __str__(self):
        return f"{self.user} {self.day} {self.key}"
