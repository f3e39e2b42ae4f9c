#!/usr/bin/python3
"""Optimal supervision plans for the instances in this folder, computed by an
exact solver outside the product (PuLP with CBC), for the optimality tests of
package analysis (plan_optimum_test.go).

The model is the pooling rules of shared/DESIGN.md, written from the rules and
not from the Go code:
  - a Kommune's persons who chose online (format 3) form online groups
    region-wide when poolOnline is on; everyone else is on site;
  - an on-site group meets in one of its member Kommunen (the anchor m), every
    member lies at most radiusKm (great circle between the Kommune centres,
    haversine on a sphere of 6371.0088 km) from m, and m has at least one
    person in it; a Kommune without coordinates (both 0, or out of range) can
    only meet at home;
  - every group has groupMin to groupMax persons; a Kommune's persons may be
    split across groups.
Variables: c[m] groups meeting at m, x[i,m] persons of i in groups meeting at
m (the online persons are one more such pool with a single place). The groups meeting at one place
can always be cut into c[m] groups of groupMin..groupMax persons with one of m
in each when c[m]*groupMin <= sum_i x[i,m] <= c[m]*groupMax and
x[m,m] >= c[m].

Lexicographic optimum, one solve after the other, the first optimum fixed for
the second: (1) most persons placed, (2) fewest groups. For the second the
model carries valid inequalities (rounded covers): at most u persons of a part
stay unplaced, so for a set S of Kommunen the groups meeting at N(S), the
places where persons of S may meet, number at least
ceil((persons of S - u) / groupMax). S runs over {j}, the Kommunen whose
places all lie among j's places, and those whose places all lie among the
places of j's places. They cut off nothing integral, and they let CBC prove
region-140-14 in seconds where it had not in 40 minutes without them
(--no-cuts solves without them, to check that both agree). (The third criterion,
travel, is left out: proving it optimal takes CBC far longer than the first
two, and the product promises only the first two.)

Commands (Debian: apt-get install python3-pulp coinor-cbc):
  /usr/bin/python3 analysis/testdata/optimum/solve.py --generate
      writes region-*.json (fixed seeds; overwrites)
  /usr/bin/python3 analysis/testdata/optimum/solve.py [NAME...]
      solves every *.json instance (or the named ones) and writes (updates)
      optima.json
  /usr/bin/python3 analysis/testdata/optimum/solve.py --check demo region-020-01
      re-solves the named instances and fails when optima.json differs
  --no-cuts (before the other arguments) leaves the valid inequalities out
"""

import glob
import json
import math
import os
import random
import sys
import time

import pulp

HERE = os.path.dirname(os.path.abspath(__file__))
EARTH_KM = 6371.0088
CUTS = True


def dist_km(a, b):
    p1, l1 = math.radians(a["lat"]), math.radians(a["lon"])
    p2, l2 = math.radians(b["lat"]), math.radians(b["lon"])
    sp, sl = math.sin((p2 - p1) / 2), math.sin((l2 - l1) / 2)
    h = min(sp * sp + math.cos(p1) * math.cos(p2) * sl * sl, 1.0)
    return 2 * EARTH_KM * math.asin(math.sqrt(h))


def geo_ok(k):
    return abs(k["lat"]) <= 90 and abs(k["lon"]) <= 180 and (k["lat"] != 0 or k["lon"] != 0)


def solve(inst):
    """The lexicographic optimum of the instance: the online persons and
    each cluster of on-site Kommunen that can share a group (connected
    through possible meeting places) are independent, so each is solved on
    its own and the optima add up."""
    p = inst["params"]
    lo, hi, radius = p["groupMin"], p["groupMax"], p["radiusKm"]
    ks = inst["kommunen"]
    online = sum(k["persons"] for k in ks if k["format"] == 3 and p["poolOnline"])
    onsite = {i: k["persons"] for i, k in enumerate(ks)
              if k["persons"] > 0 and not (k["format"] == 3 and p["poolOnline"])}
    # Pairs (i, m): persons of i may meet at m.
    pairs = []
    for m in onsite:
        for i in onsite:
            if i != m:
                if not (geo_ok(ks[i]) and geo_ok(ks[m])):
                    continue
                # The radius test with a tolerance far below the data's
                # precision (coordinates have 4 decimals, about 10 m).
                if dist_km(ks[i], ks[m]) > radius + 1e-9:
                    continue
            pairs.append((i, m))
    parent = {i: i for i in onsite}

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i
    for (i, m) in pairs:
        parent[find(i)] = find(m)
    clusters = {}
    for i in onsite:
        clusters.setdefault(find(i), []).append(i)

    # Online: one pool, the same model with a single place.
    placed_on, groups_on = solve_part(inst["name"] + " online", {0: online} if online else {}, [(0, 0)] if online else [], lo, hi)
    placed, groups = placed_on, groups_on
    for root in sorted(clusters):
        members = set(clusters[root])
        part = {i: onsite[i] for i in members}
        a, b = solve_part("%s cluster %d" % (inst["name"], root), part, [(i, m) for (i, m) in pairs if i in members], lo, hi, cuts=CUTS)
        placed += a
        groups += b
    persons = sum(k["persons"] for k in ks)
    return {
        "persons": persons,
        "placed": placed,
        "unplaced": persons - placed,
        "groups": groups,
        "onSiteGroups": groups - groups_on,
        "onlineGroups": groups_on,
    }


def cover_sets(onsite, pairs):
    """Sets S of Kommunen, each with N(S), the places where persons of S
    may meet: S = {j}, the Kommunen whose places all lie among j's, and
    those whose places all lie among the places of j's places."""
    places = {i: set() for i in onsite}
    for (i, m) in pairs:
        places[i].add(m)
    out = set()
    for j in onsite:
        one = places[j]
        two = set().union(*(places[m] for m in one))
        for cover in (None, one, two):
            s = frozenset([j]) if cover is None else frozenset(i for i in onsite if places[i] <= cover)
            n = frozenset().union(*(places[i] for i in s))
            out.add((s, n))
    return sorted(out, key=lambda sn: (sorted(sn[0]), sorted(sn[1])))


def solve_part(name, onsite, pairs, lo, hi, cuts=True):
    """Most persons placed, then fewest groups, for the Kommunen onsite
    (index: persons) that may meet as pairs (i, m) say."""
    if not onsite or sum(onsite.values()) < lo:
        return 0, 0
    prob = pulp.LpProblem("plan", pulp.LpMaximize)
    c = {m: pulp.LpVariable("c_%d" % m, 0, None, pulp.LpInteger) for m in onsite}
    x = {(i, m): pulp.LpVariable("x_%d_%d" % (i, m), 0, onsite[i], pulp.LpInteger) for (i, m) in pairs}
    into = {m: [] for m in onsite}
    out = {i: [] for i in onsite}
    for (i, m) in pairs:
        into[m].append(x[i, m])
        out[i].append(x[i, m])
        # Strengthening (implied): no persons where no group meets.
        prob += x[i, m] <= min(onsite[i], hi) * c[m]
    for i in onsite:
        prob += pulp.lpSum(out[i]) <= onsite[i]
    for m in onsite:
        prob += pulp.lpSum(into[m]) >= lo * c[m]
        prob += pulp.lpSum(into[m]) <= hi * c[m]
        prob += x[m, m] >= c[m]
    placed = pulp.lpSum(x.values())
    groups = pulp.lpSum(c.values())
    solver = pulp.COIN_CMD(msg=False, threads=1)

    def run(sense, objective):
        prob.sense = sense
        prob.setObjective(objective)
        t = time.time()
        status = prob.solve(solver)
        print("  %s (%d Kommunen): %s in %.1f s" % (name, len(onsite), pulp.LpStatus[status], time.time() - t), file=sys.stderr, flush=True)
        # Proven optimal only: CBC stopped by a limit also says "Optimal"
        # with a feasible solution, which sol_status tells apart.
        if pulp.LpStatus[status] != "Optimal" or prob.sol_status != pulp.LpSolutionOptimal:
            raise SystemExit("%s: solver status %s" % (name, pulp.LpStatus[status]))
        return round(pulp.value(objective))

    best_placed = run(pulp.LpMaximize, placed)
    prob += placed >= best_placed
    if cuts:
        # Valid inequalities (rounded covers): at most u persons of the
        # part stay unplaced, so the persons of a set S less u sit in
        # groups meeting in N(S), each with at most hi of them.
        u = sum(onsite.values()) - best_placed
        for s_, n_ in cover_sets(onsite, pairs):
            need = -(-(sum(onsite[i] for i in s_) - u) // hi)
            if need > 1:
                prob += pulp.lpSum(c[m] for m in n_) >= need
    best_groups = run(pulp.LpMinimize, groups)
    return best_placed, best_groups


def generate():
    """Regions of 20 to 200 Kommunen, about 80 km² each (Region Hannover has
    109, Niedersachsen 51), centred near Hannover; demand like the demo's:
    some not answering, mostly small numbers, a few towns and one city with
    many persons, a quarter online; a few Kommunen without coordinates; some
    regions with other group sizes and radii."""
    sizes = [20, 25, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120, 130, 140, 150, 160, 170, 180, 190, 200]
    other = {3: (4, 6, 10.0), 8: (6, 10, 20.0), 13: (3, 5, 8.0), 17: (5, 8, 25.0)}
    for n, size in enumerate(sizes, start=1):
        rng = random.Random(2026_12_07 + n)
        lo, hi, radius = other.get(n, (5, 8, 15.0))
        side = math.sqrt(size * 80.0)
        dlat = side / 111.2
        dlon = side / (111.2 * math.cos(math.radians(52.4)))
        ks = []
        for j in range(size):
            lat = round(52.4 + (rng.random() - 0.5) * dlat, 4)
            lon = round(9.8 + (rng.random() - 0.5) * dlon, 4)
            if rng.random() < 0.02:
                lat, lon = 0.0, 0.0
            u = rng.random()
            if j == 0:
                persons = rng.randint(30, 80)
            elif u < 0.2:
                persons = 0
            elif u < 0.85:
                persons = rng.randint(1, 6)
            else:
                persons = rng.randint(7, 25)
            ks.append({"ags": "0999%04d" % (j + 1), "name": "K%03d" % (j + 1),
                       "lat": lat, "lon": lon, "persons": persons, "format": rng.randrange(4)})
        name = "region-%03d-%02d" % (size, n)
        inst = {"name": name,
                "source": "solve.py --generate (seed %d)" % (2026_12_07 + n),
                "params": {"groupMin": lo, "groupMax": hi, "radiusKm": radius, "poolOnline": True},
                "kommunen": ks}
        with open(os.path.join(HERE, name + ".json"), "w") as f:
            json.dump(inst, f, indent=1)
            f.write("\n")


def instances(names):
    files = sorted(glob.glob(os.path.join(HERE, "*.json")))
    files = [f for f in files if os.path.basename(f) != "optima.json"]
    if names:
        files = [os.path.join(HERE, n + ".json") for n in names]
    for f in files:
        with open(f) as fh:
            yield json.load(fh)


def main(args):
    global CUTS
    if args[:1] == ["--no-cuts"]:
        CUTS, args = False, args[1:]
    if args[:1] == ["--generate"]:
        generate()
        return
    path = os.path.join(HERE, "optima.json")
    if args[:1] == ["--check"]:
        with open(path) as f:
            stored = json.load(f)["instances"]
        bad = 0
        for inst in instances(args[1:]):
            got = solve(inst)
            want = stored.get(inst["name"])
            ok = want is not None and all(
                got[k] == want[k] for k in ("placed", "unplaced", "groups", "onSiteGroups", "onlineGroups")
            )
            print("%-16s %s %s" % (inst["name"], "ok  " if ok else "DIFF", got))
            bad += not ok
        if bad:
            raise SystemExit("%d instance(s) differ from optima.json" % bad)
        return
    out = {}
    if args and os.path.exists(path):
        with open(path) as f:
            out = json.load(f)["instances"]
    for inst in instances(args):
        out[inst["name"]] = solve(inst)
        print(inst["name"], out[inst["name"]], flush=True)
    doc = {
        "solver": "CBC %s via PuLP %s" % (os.popen("cbc -quit 2>/dev/null | sed -n 's/^Version: //p'").read().strip(), pulp.__version__),
        "command": "/usr/bin/python3 analysis/testdata/optimum/solve.py",
        "instances": out,
    }
    with open(path, "w") as f:
        json.dump(doc, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main(sys.argv[1:])
