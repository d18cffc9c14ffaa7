"""The period a follow-up report covers: the one rule the draft, the freeze, the command and Excel use.

A report at a meeting covers its year from 1 January to the cut-off (nämndplan.models.cut_off: the
meeting date, or today if that is earlier). The first meeting of a calendar year is different: a
committee meeting in February expects the whole previous year (helårsuppföljning), so that report
covers 1 January – 31 December of the previous year, judged with the year-end statuses (met / not
met), with the values that were known at the meeting's cut-off. Only where the plan reports on both
years: a meeting in the plan's first history year, or one stored outside the plan's years (before
meetings were checked), is reported for its own year.
"""

import datetime
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from nämndplan.models import Meeting, Plan, cut_off


@dataclass(frozen=True)
class ReportPeriod:
    year: int  # the year the figures and statuses are for
    as_of: datetime.date  # register records dated by this day count (the period's last day)
    known_by: datetime.date  # values recorded by hand count once known by this day
    full_year: bool = False  # the previous year's full-year follow-up (helår)

    @classmethod
    def to_date(cls, as_of):
        """The year up to `as_of`, with what was known by then."""
        return cls(year=as_of.year, as_of=as_of, known_by=as_of)

    @property
    def label(self):
        """ "1 januari – 20 maj 2026", or "1 januari – 31 december 2025" for a full year."""
        start = date_format(datetime.date(self.year, 1, 1), "j F")
        return f"{start} – {date_format(self.as_of, 'j F Y')}"

    @property
    def title(self):
        """ "Helårsuppföljning 2025" for a full-year follow-up, else ""."""
        return _("Helårsuppföljning %(year)s") % {"year": self.year} if self.full_year else ""


def is_first_of_year(meeting):
    """No earlier meeting in the meeting's calendar year (one query)."""
    return not Meeting.objects.filter(date__year=meeting.date.year, date__lt=meeting.date).exists()


def reports_previous_year(meeting, plan, first_of_year=None):
    """Whether the report at `meeting` is the previous year's full-year follow-up."""
    year = meeting.date.year
    if plan is None or year not in plan.all_years or year - 1 not in plan.all_years:
        return False
    return is_first_of_year(meeting) if first_of_year is None else first_of_year


def meeting_period(meeting, today, *, first_of_year=None, plan=None):
    """The period of the report at `meeting` when its figures are computed on `today`.

    `first_of_year` and `plan` may be given when the caller already knows them (a list of a year's
    meetings). The full year ends on 31 December, or today when that has not come yet (a report
    prepared in December for February): days that have not happened are never counted.
    """
    known_by = cut_off(meeting.date, today)
    if not reports_previous_year(meeting, plan or Plan.objects.current(), first_of_year):
        return ReportPeriod.to_date(known_by)
    year = meeting.date.year - 1
    return ReportPeriod(year=year, as_of=min(datetime.date(year, 12, 31), today), known_by=known_by, full_year=True)


def frozen_period(meeting, period_end, frozen_on):
    """The period of a report frozen on `frozen_on` with its figures up to `period_end` (as stored)."""
    full_year = period_end.year < meeting.date.year
    return ReportPeriod(year=period_end.year, as_of=period_end, known_by=cut_off(meeting.date, frozen_on),
                        full_year=full_year)
