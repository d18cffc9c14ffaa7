"""The generator's one random source, with the calendar it draws dates from."""

import datetime
import random

ONE_DAY = datetime.timedelta(days=1)
MONTH_WEIGHTS = [0.85, 1.1, 1.2, 1.1, 1.1, 1.0, 0.25, 0.6, 1.2, 1.2, 1.1, 0.8]


def year_start(year):
    return datetime.date(year, 1, 1)


def year_end(year):
    return datetime.date(year, 12, 31)


def add_years(day, years):
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


class Chance:
    """`random.Random(seed)` and what the register's draws are made of.

    `scale` multiplies the yearly volumes; `horizon` is the last day of the register (today, or the end
    of the last year), after which nothing has happened yet.
    """

    def __init__(self, seed, scale, horizon):
        self.rng = random.Random(seed)
        self.scale = scale
        self.horizon = horizon

    def scaled(self, value):
        """A yearly count at this scale, for the whole year."""
        return round(value * self.scale)

    def count(self, value, year):
        """A yearly count at this scale, pro rata for the part of the year up to the horizon."""
        return round(value * self.scale * self.fraction(year))

    def fraction(self, year):
        if year != self.horizon.year:
            return 1.0
        return ((self.horizon - year_start(year)).days + 1) / ((year_end(year) - year_start(year)).days + 1)

    def date_between(self, low, high):
        """A working day in [low, high], rarer in July and at Christmas."""
        span = (high - low).days
        if span <= 0:
            return low
        while True:
            day = low + datetime.timedelta(days=self.rng.randint(0, span))
            if self.rng.random() * 1.2 < MONTH_WEIGHTS[day.month - 1]:
                break
        if day.weekday() == 5 and day - ONE_DAY >= low:
            day -= ONE_DAY
        elif day.weekday() == 6 and day + ONE_DAY <= high:
            day += ONE_DAY
        return day

    def after(self, day, low_days, high_days):
        """A working day `low_days`–`high_days` after `day`."""
        later = day + datetime.timedelta(days=self.rng.randint(low_days, high_days))
        return later + datetime.timedelta(days=(7 - later.weekday()) % 7 if later.weekday() >= 5 else 0)

    def up_to(self, items, k):
        """k distinct items chosen at random, or all of them (in random order) when there are fewer."""
        return self.rng.sample(items, min(len(items), k))

    def quota(self, items, share):
        """Exactly round(share % of items), chosen at random."""
        return self.up_to(items, round(len(items) * share / 100))

    def weighted_sample(self, items, k, weights):
        """k distinct items, those with larger weights more likely (Efraimidis–Spirakis)."""
        keyed = [(self.rng.random() ** (1.0 / weights(item)), position) for position, item in enumerate(items)]
        keyed.sort(reverse=True)
        return [items[position] for _key, position in keyed[: max(0, min(k, len(items)))]]

    def shuffled(self, true_count, total):
        """`total` flags of which `true_count` are true, in random order."""
        flags = [True] * true_count + [False] * (total - true_count)
        self.rng.shuffle(flags)
        return flags
