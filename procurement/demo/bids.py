"""Bids: how many each procurement got, from which suppliers, and which were awarded or disqualified."""

from procurement.demo.procurements import Status, by_year


def awarded_count(rng):
    """How many suppliers share an award (one contract each): 1–3."""
    return rng.choices([1, 2, 3], weights=[40, 25, 35])[0]


def draw_bids(world, procs):
    """Bids per completed procurement and regional shares of bids and awards exactly as the year's profile;
    bids of the procurements awarded but not completed, and of some cancelled ones, by chance."""
    chance = world.chance
    for year, group in sorted(by_year(procs, lambda p: p.completed).items()):
        profile = world.profiles[year]
        sizes = _bid_counts(chance.rng, group, profile.bids_per_procurement)
        awarded = [min(awarded_count(chance.rng), k) for k in sizes]
        regional_awarded = round(sum(awarded) * profile.awarded_regional / 100)
        regional_other = min(max(0, round(sum(sizes) * profile.bids_regional / 100) - regional_awarded),
                             sum(sizes) - sum(awarded))
        award_flags = chance.shuffled(regional_awarded, sum(awarded))
        other_flags = chance.shuffled(regional_other, sum(sizes) - sum(awarded))
        for proc, k, a in zip(group, sizes, awarded, strict=True):
            _bids_for(world, proc, [award_flags.pop() for _ in range(a)], [other_flags.pop() for _ in range(k - a)])
    for proc in procs:
        if proc.status == Status.AWARDED or (proc.status == Status.CANCELLED and chance.rng.random() < 0.6):
            k = max(1, round(chance.rng.gammavariate(3, 4.2 / 3)))
            a = 0 if proc.status == Status.CANCELLED else min(k, chance.rng.choice([1, 1, 2, 3]))
            flags = [chance.rng.random() < 0.58 for _ in range(k)]
            _bids_for(world, proc, flags[:a], flags[a:])


def _bid_counts(rng, group, average):
    """Bids per procurement, skewed, adding up to exactly `average` per procurement."""
    limit = [3 if p.flags.get("reserved") else 12 for p in group]
    target = min(max(round(average * len(group)), len(group)), sum(limit))
    sizes = [min(lim, max(1, round(rng.gammavariate(3, average / 3)))) for lim in limit]
    total = sum(sizes)
    while total != target:
        i = rng.randrange(len(group))
        if total > target and sizes[i] > 1:
            sizes[i], total = sizes[i] - 1, total - 1
        elif total < target and sizes[i] < limit[i]:
            sizes[i], total = sizes[i] + 1, total + 1
    return sizes


def _bids_for(world, proc, awarded_flags, other_flags):
    """Distinct suppliers for the bids: regional or not as flagged; the awarded ones first."""
    rng, suppliers = world.chance.rng, world.suppliers
    flags = awarded_flags + other_flags
    if proc.flags.get("reserved"):  # only social enterprises may bid
        social = rng.sample(suppliers.social[True] + suppliers.social[False], len(flags))
        chosen = {True: social[: flags.count(True)], False: social[flags.count(True):]}
    else:
        chosen = {True: _pick_suppliers(world, proc, True, flags.count(True)),
                  False: _pick_suppliers(world, proc, False, flags.count(False))}
    disqualify = proc.flags.get("tenders_disqualified_welfare", 0)
    if len(other_flags) > disqualify and rng.random() < 0.08:
        disqualify += 1
    disqualify = min(disqualify, len(other_flags))
    proc.flags["tenders_disqualified_welfare"] = min(proc.flags.get("tenders_disqualified_welfare", 0),
                                                     disqualify)
    for position, regional in enumerate(flags):
        is_awarded = position < len(awarded_flags)
        disqualified = position >= len(flags) - disqualify
        proc.bids.append((chosen[regional].pop(), disqualified, is_awarded))


def _pick_suppliers(world, proc, regional, k):
    """k distinct suppliers of the procurement's category (others when the category has too few)."""
    pools = world.suppliers.pools
    pool = pools[proc.category][regional]
    if len(pool) < k:
        pool = pool + [s for c, others in enumerate(pools) if c != proc.category for s in others[regional]]
    return world.chance.rng.sample(pool, k)
