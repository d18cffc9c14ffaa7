"""Flags over the register: reasons to open a procurement's or a contract's file, never verdicts.

Each flag is a condition on the register written once as a QuerySet filter (computed in the database),
with a Swedish explanation and a threshold set in admin (IntegrityRule; the defaults below are created
on migrate). Bids count only once the award decision is made or the procurement is cancelled: before
that, who bid and how many is secret (offentlighets- och sekretesslagen 19 kap. 3 §).

- single_bid: an open or simplified procedure with at most `threshold` bids (default 1);
- all_disqualified: at least `threshold` bids (default 2) and every bid but the awarded one(s)
  disqualified;
- short_period: fewer days from advertising to the last day for tenders than the minimum for the
  procedure (SubmissionMinimum; `threshold` unused);
- cancelled_after_bids: cancelled after at least `threshold` bids came in (default 1);
- appealed: an appeal (överprövning) came in;
- terminated_early: a contract ended before its end date (hävning, uppsägning);
- completed_late: completed more than `threshold` days (default 60) after its planned completion.

A flag is counted in the year of its date (advertising, cancellation, appeal, termination,
completion) and in each municipality of the procurement or contract.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _

from procurement.models import (
    Bid,
    Contract,
    IntegrityRule,
    Procurement,
    SubmissionMinimum,
    count_of,
)

PROCUREMENT, CONTRACT = "procurement", "contract"
OPEN_PROCEDURES = [Procurement.Procedure.OPEN, Procurement.Procedure.SIMPLIFIED]

# Shortest submission periods in days (the flag's defaults; set in admin). LOU 6 kap.: 35 days in an open
# procedure, 30 with electronic tenders (6 kap. 5 §); 30/25 in restricted and negotiated procedures after
# the invitation; below the thresholds (19 kap.) the law asks for a reasonable time: 10 days here is a
# signal to look, not a reading of the law.
DEFAULT_MINIMUM_DAYS = {
    Procurement.Procedure.OPEN: 30,
    Procurement.Procedure.RESTRICTED: 25,
    Procurement.Procedure.NEGOTIATED: 25,
    Procurement.Procedure.COMPETITIVE_DIALOGUE: 30,
    Procurement.Procedure.INNOVATION_PARTNERSHIP: 30,
    Procurement.Procedure.SIMPLIFIED: 10,
    Procurement.Procedure.SELECTION: 10,
    Procurement.Procedure.DIS: 10,
}


@dataclass(frozen=True)
class Flag:
    code: str
    label: str
    subject: str  # PROCUREMENT or CONTRACT
    date_field: str  # the year it counts in
    threshold: int  # the default
    threshold_label: str
    explanation: str


FLAGS = [
    Flag("single_bid", _("Ett enda anbud i öppet förfarande"), PROCUREMENT, "advertised_on", 1,
         _("högst så många anbud"),
         _("Ett öppet eller förenklat förfarande fick högst så många anbud som tröskeln. Kan bero på en smal "
           "marknad, men också på krav som stänger ute leverantörer: värt att se över underlaget.")),
    Flag("all_disqualified", _("Alla anbud utom det antagna diskvalificerade"), PROCUREMENT, "advertised_on", 2,
         _("minst så många anbud"),
         _("Minst så många anbud som tröskeln kom in och alla utom det eller de antagna diskvalificerades. "
           "Kan vara riktigt, men också ett tecken på krav som bara en leverantör kunde uppfylla.")),
    Flag("short_period", _("Kort anbudstid"), PROCUREMENT, "advertised_on", 0, _("används inte"),
         _("Färre dagar mellan annonsering och sista anbudsdag än den minsta anbudstiden för förfarandet "
           "(ställs in per förfarande). Kort tid gynnar leverantörer som visste i förväg.")),
    Flag("cancelled_after_bids", _("Avbruten efter att anbud kommit in"), PROCUREMENT, "cancelled_on", 1,
         _("minst så många anbud"),
         _("Upphandlingen avbröts efter att minst så många anbud som tröskeln kommit in.")),
    Flag("appealed", _("Överprövad"), PROCUREMENT, "appealed_on", 0, _("används inte"),
         _("En leverantör har begärt överprövning av upphandlingen.")),
    Flag("terminated_early", _("Avtal avslutat i förtid"), CONTRACT, "terminated_on", 0, _("används inte"),
         _("Avtalet avslutades före sitt slutdatum (hävning eller uppsägning).")),
    Flag("completed_late", _("Avslutad långt efter planerat datum"), PROCUREMENT, "completed_on", 60,
         _("fler dagar än"),
         _("Upphandlingen avslutades fler dagar än tröskeln efter det planerade datumet.")),
]
BY_CODE = {flag.code: flag for flag in FLAGS}


def ensure_default_rules(using="default"):
    """Every flag and every procedure's minimum exists in the database; what admin changed stays."""
    for flag in FLAGS:
        IntegrityRule.objects.using(using).get_or_create(
            code=flag.code, defaults={"threshold": flag.threshold, "explanation": str(flag.explanation)})
    for procedure, days in DEFAULT_MINIMUM_DAYS.items():
        SubmissionMinimum.objects.using(using).get_or_create(procedure=procedure, defaults={"days": days})


@dataclass(frozen=True)
class Settings:
    rules: dict  # code: IntegrityRule
    minimum_days: dict  # procedure: days

    @classmethod
    def load(cls):
        """Two queries; a flag without a stored rule has its defaults."""
        stored = {rule.code: rule for rule in IntegrityRule.objects.all()}
        rules = {flag.code: stored.get(flag.code) or IntegrityRule(code=flag.code, threshold=flag.threshold,
                                                                   explanation=str(flag.explanation))
                 for flag in FLAGS}
        minimum = dict(DEFAULT_MINIMUM_DAYS) | dict(SubmissionMinimum.objects.values_list("procedure", "days"))
        return cls(rules, minimum)

    def active(self):
        return [flag for flag in FLAGS if self.rules[flag.code].active]

    def threshold(self, code):
        return self.rules[code].threshold


def _bids(**conditions):
    return count_of(Bid, "procurement", **conditions)


def flagged(code, settings):
    """The procurements (or contracts) the flag `code` picks: a QuerySet, computed in the database."""
    threshold = settings.threshold(code)
    procurements = Procurement.objects.all()
    if code == "single_bid":
        return procurements.filter(awarded_on__isnull=False, procedure__in=OPEN_PROCEDURES).alias(
            n_bids=_bids()).filter(n_bids__gte=1, n_bids__lte=threshold)
    if code == "all_disqualified":
        return procurements.filter(awarded_on__isnull=False).alias(
            n_bids=_bids(), n_rejected=_bids(awarded=False, disqualified=True), n_other=_bids(awarded=False),
        ).filter(n_bids__gte=max(threshold, 2), n_other__gte=1, n_rejected=F("n_other"))
    if code == "short_period":
        period = ExpressionWrapper(F("tender_deadline") - F("advertised_on"), output_field=DurationField())
        short = Q()
        for procedure, days in settings.minimum_days.items():
            short |= Q(procedure=procedure, period__lt=datetime.timedelta(days=days))
        return procurements.filter(tender_deadline__isnull=False, advertised_on__isnull=False).alias(
            period=period).filter(short)
    if code == "cancelled_after_bids":
        return procurements.filter(status=Procurement.Status.CANCELLED).alias(n_bids=_bids()).filter(
            n_bids__gte=max(threshold, 1))
    if code == "appealed":
        return procurements.filter(appealed_on__isnull=False)
    if code == "terminated_early":
        return Contract.objects.filter(terminated_on__isnull=False).filter(
            Q(end_date__isnull=True) | Q(terminated_on__lt=F("end_date")))
    if code == "completed_late":
        late = ExpressionWrapper(F("completed_on") - F("planned_completion"), output_field=DurationField())
        return procurements.filter(status=Procurement.Status.COMPLETED, planned_completion__isnull=False).alias(
            late=late).filter(late__gt=datetime.timedelta(days=threshold))
    raise KeyError(code)


@dataclass
class FlagCount:
    flag: Flag
    rule: IntegrityRule
    by_year: dict  # year: count
    by_municipality: dict  # (year, municipality name): count

    @property
    def total(self):
        return sum(self.by_year.values())


def counts(settings=None, years=None, as_of=None):
    """[FlagCount] for the active flags: per year and per (year, municipality), of what is dated by `as_of`
    (a meeting's cut-off) when given. Two queries a flag."""
    settings = settings or Settings.load()
    result = []
    for flag in settings.active():
        records = flagged(flag.code, settings).filter(**{f"{flag.date_field}__isnull": False})
        if as_of:
            records = records.filter(**{f"{flag.date_field}__lte": as_of})
        if years:
            records = records.filter(**{f"{flag.date_field}__year__in": list(years)})
        year = ExtractYear(flag.date_field)
        by_year = dict(records.order_by().annotate(y=year).values("y").annotate(n=Count("pk")).values_list("y", "n"))
        by_municipality = {
            (row["y"], row["municipalities__name"]): row["n"]
            for row in records.order_by().annotate(y=year).values("y", "municipalities__name")
            .annotate(n=Count("pk", distinct=True))
            if row["municipalities__name"]
        }
        result.append(FlagCount(flag, settings.rules[flag.code], by_year, by_municipality))
    return result
