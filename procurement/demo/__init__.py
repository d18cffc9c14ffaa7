"""A deterministic, realistic demo register: `python manage.py generate_demo_data`.

The same seed, years, scale and "today" always give the same register: one `random.Random(seed)`
drives everything, in a fixed order, over lists (never over sets or unordered query results).
generator.py keeps that order: the parts are drawn one after the other, each from the same random
source (chance.py), and reordering any two draws changes everything drawn after them.

The register is shaped so that the indicators computed from it (indicators/definitions.py) land
near the plan's history (bilaga 3, read from the plan's fixture) for 2021–2024 and near the 2024
values afterwards (profile.py). Shares and averages are not left to chance: within each year's
cohort (procurements advertised in the year, or completed in the year) exactly the planned share
gets the flag, chosen at random, so the computed value is the seed's value up to rounding. Counts
per year (reserved procurements, appeals…) are drawn the same way; in the current year they are cut
at "today".

So that the first year looks like any other, procurements advertised in the autumn before the first
year that were still running on 1 January are included, and so are contracts from procurements
completed before the first year that were still in force (without a procurement in the register).
Nothing is dated after "today" except the planned dates of the future: contracts' end dates and
planned completion dates (of planned procurements, and of running ones). When the last year is over,
the register stops at its end: what was still running on 31 December stays running.

Records are written with bulk_create in batches (writing.py), so django-simple-history records no
history for them (demo data has none to show), and created_at/updated_at are the time of generation.
"""

from procurement.demo.generator import RegisterNotEmpty, generate
from procurement.demo.writing import delete_register

__all__ = ["RegisterNotEmpty", "delete_register", "generate"]
