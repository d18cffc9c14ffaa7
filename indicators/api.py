"""Read-only JSON API for integrations, shaped like Kolada's (kpi, municipality, period, values).

    GET /api/v1/kpi/                       the indicators with their metadata and targets
    GET /api/v1/data/?kpi=1.2,2.1&year=2025,2026&municipality=Falun&until=2026-05-20

Authentication: a token (`Authorization: Token <key>`; django-rest-knox, made with
`manage.py create_api_token USER` or in admin, shown once and stored as a digest) or the browser
session. The user needs the permission to view indicators (every role has it). Numbers come from
indicators.results, like every page.
"""


from django.contrib.auth.decorators import login_not_required
from django.utils import timezone
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from common.dates import parse_iso_date
from indicators.export import indicator_metadata, number, target_data
from indicators.results import indicator_results
from nämndplan.models import Municipality, Plan


class CanViewIndicators(BasePermission):
    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and user.has_perm("indicators.view_indicator"))


class ReadOnlyIndicatorView(APIView):
    permission_classes = [CanViewIndicators]
    http_method_names = ["get", "head", "options"]

    @classmethod
    def as_view(cls, **initkwargs):
        # The API authenticates by token itself; the login redirect of the site does not apply.
        return login_not_required(super().as_view(**initkwargs))


def _split(raw):
    return [part.strip() for part in (raw or "").split(",") if part.strip()]


class KpiList(ReadOnlyIndicatorView):
    def get(self, request):
        plan = Plan.objects.current()
        year = timezone.localdate().year
        values = []
        for series in indicator_results(plan).values():
            meta = indicator_metadata(series)
            meta["id"] = meta.pop("code")
            meta["target"] = target_data(series.indicator.target_for(year))
            meta["per_municipality"] = bool(series.definition and series.definition.per_municipality)
            values.append(meta)
        return Response({"count": len(values), "values": values})


class KpiData(ReadOnlyIndicatorView):
    def get(self, request):
        plan = Plan.objects.current()
        params = request.query_params
        until = self._until(params.get("until"), plan)
        years = self._years(params.get("year"), plan, until)
        codes = set(_split(params.get("kpi")))
        municipalities = self._municipalities(params.get("municipality"))
        values = []
        for municipality in municipalities:
            results = indicator_results(plan, as_of=until, municipality=municipality)
            for code, series in results.items():
                if codes and code not in codes:
                    continue
                for year in years:
                    result = series.for_year(year)
                    values.append(self._row(series, result, municipality, year))
        return Response({"count": len(values), "values": values})

    def _row(self, series, result, municipality, year):
        return {
            "kpi": series.indicator.code,
            "municipality": municipality.name if municipality else None,
            "period": year,
            "values": [
                {
                    "value": number(result.value),
                    "status": result.status,
                    "numerator": number(result.numerator) if result.numerator is not None else None,
                    "denominator": number(result.denominator) if result.denominator is not None else None,
                    "origin": result.origin,
                    "to_date": result.to_date,
                    "target": target_data(result.target),
                }
            ],
            "kpi_meta": {"name": series.indicator.name, "unit": series.indicator.unit,
                         "goal": series.indicator.goal.number},
        }

    def _until(self, raw, plan):
        """The cut-off date; a day of a year the plan has no values for is refused (it is also the default year)."""
        if not raw:
            return timezone.localdate()
        until = parse_iso_date(raw)
        if until is None:
            raise ValidationError({"until": "Ogiltigt datum: skriv YYYY-MM-DD."})
        if until.year not in plan.all_years:
            raise ValidationError({"until": f"Datumet ligger utanför planens år {plan.history_from}–{plan.end_year}."})
        return until

    def _years(self, raw, plan, until):
        if not raw:
            return [until.year]
        try:
            years = [int(part) for part in _split(raw)]
        except ValueError as exc:
            raise ValidationError({"year": "År anges som heltal, t.ex. year=2025,2026."}) from exc
        outside = [y for y in years if y not in plan.all_years]
        if outside:
            raise ValidationError({"year": f"År utanför planen: {outside}."})
        return years

    def _municipalities(self, raw):
        names = _split(raw)
        if not names:
            return [None]
        found = {m.name.lower(): m for m in Municipality.objects.all()}
        unknown = [n for n in names if n.lower() not in found]
        if unknown:
            raise ValidationError({"municipality": f"Okända kommuner: {unknown}."})
        return [found[n.lower()] for n in names]
