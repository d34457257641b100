"""Seeded wave-planning instances for the planner benchmark, an independent checker and the
greedy fill of today's migration tools.

Planted instances have an optimum known by construction: every system gets a planted wave;
systems of a wave form clusters joined only by "organic" interfaces inside the cluster; a few
systems are pinned to their planted wave and "forced" interfaces join pinned systems of different
waves. Any plan must cut every forced interface (their ends are pinned apart) and the planted plan
cuts nothing else, so the optimum is exactly the forced weight. Capacity per wave and resource is
the planted load plus `slack` (3 %), so packing is tight.
"""
import math
import random


def planted(n, waves=12, seed=1, slack=0.03, pinned_share=0.05):
    rng = random.Random(seed)
    teams = max(4, n // 150)
    resources = [f"team-{t:02d}" for t in range(teams)] + ["infra"]
    systems, interfaces = [], []
    planted_wave = {}
    load = {r: [0.0] * waves for r in resources}
    ids = [f"S{i:05d}" for i in range(1, n + 1)]
    rng.shuffle(ids)
    by_wave = {k: [] for k in range(1, waves + 1)}
    for sid in ids:
        k = rng.randint(1, waves)
        by_wave[k].append(sid)
        planted_wave[sid] = k
    group_of = {}
    group_no = 0
    for k, members in by_wave.items():
        i = 0
        while i < len(members):
            size = rng.randint(2, 12)
            cluster = members[i:i + size]
            i += size
            for a in range(1, len(cluster)):                      # a random tree ...
                b = rng.randrange(a)
                interfaces.append(organic(rng, cluster[a], cluster[b]))
            for _ in range(len(cluster) // 3):                    # ... and a few more edges
                a, b = rng.sample(cluster, 2) if len(cluster) > 1 else (None, None)
                if a:
                    interfaces.append(organic(rng, a, b))
            if len(cluster) >= 3 and rng.random() < 0.3:          # a move group inside the cluster
                group_no += 1
                for sid in cluster[:2]:
                    group_of[sid] = f"G{group_no:04d}"
    pinned = set(rng.sample(ids, max(2, int(n * pinned_share))))
    for sid in sorted(ids):
        k = planted_wave[sid]
        team = resources[rng.randrange(teams)]
        effort = {team: float(rng.randint(2, 20))}
        if rng.random() < 0.4:
            effort["infra"] = float(rng.randint(1, 5))
        for r, e in effort.items():
            load[r][k - 1] += e
        system = {"id": sid, "effort": effort}
        if sid in group_of:
            system["group"] = group_of[sid]
        if sid in pinned:
            system["fixedWave"] = k
        elif rng.random() < 0.7:
            system["release"] = max(1, k - rng.randint(0, 4))
            system["deadline"] = min(waves, k + rng.randint(0, 4))
        systems.append(system)
    forced = 0.0
    pinned_list = sorted(pinned)
    for _ in range(max(1, n // 15)):
        a, b = rng.sample(pinned_list, 2)
        if planted_wave[a] == planted_wave[b]:
            continue
        w = float(rng.randint(1, 10))
        # provider in the earlier wave, so a hard forced interface is kept by the planted plan
        provider, consumer = (a, b) if planted_wave[a] < planted_wave[b] else (b, a)
        interfaces.append({"consumer": consumer, "provider": provider, "weight": w, "hard": rng.random() < 0.3})
        forced += w
    capacity = {r: [math.ceil(l * (1 + slack)) for l in load[r]] for r in resources}
    return {"waves": waves, "resources": capacity, "systems": systems, "interfaces": interfaces}, forced


def organic(rng, a, b):
    return {"consumer": a, "provider": b, "weight": float(rng.randint(1, 10)), "hard": rng.random() < 0.1}


def random_instance(n, waves=12, seed=1, headroom=0.15):
    """No planted structure: interfaces mostly within a bureau, windows and pins at random."""
    rng = random.Random(seed)
    bureaus = max(4, n // 150)
    resources = [f"team-{t:02d}" for t in range(bureaus)] + ["infra"]
    systems, total = [], {r: 0.0 for r in resources}
    bureau_of = {}
    for i in range(1, n + 1):
        sid = f"S{i:05d}"
        b = rng.randrange(bureaus)
        bureau_of[sid] = b
        effort = {resources[b]: float(rng.randint(2, 20))}
        if rng.random() < 0.4:
            effort["infra"] = float(rng.randint(1, 5))
        for r, e in effort.items():
            total[r] += e
        system = {"id": sid, "effort": effort}
        roll = rng.random()
        if roll < 0.03:
            system["fixedWave"] = rng.randint(1, waves)
        elif roll < 0.6:
            centre = rng.randint(1, waves)
            system["release"] = max(1, centre - rng.randint(1, 4))
            system["deadline"] = min(waves, centre + rng.randint(1, 4))
        systems.append(system)
    ids = [s["id"] for s in systems]
    by_bureau = {}
    for sid in ids:
        by_bureau.setdefault(bureau_of[sid], []).append(sid)
    interfaces = []
    for _ in range(int(n * 1.5)):
        a = rng.choice(ids)
        pool = by_bureau[bureau_of[a]] if rng.random() < 0.8 else ids
        b = rng.choice(pool)
        if a != b:
            interfaces.append({"consumer": a, "provider": b, "weight": float(rng.randint(1, 10)), "hard": False})
    capacity = {r: [math.ceil(total[r] / waves * (1 + headroom))] * waves for r in resources}
    return {"waves": waves, "resources": capacity, "systems": systems, "interfaces": interfaces}


def check(instance, assignment):
    """Objective and violations of an assignment, computed here independently of the planner."""
    waves = instance["waves"]
    violations = []
    load = {r: [0.0] * waves for r in instance["resources"]}
    groups = {}
    for s in instance["systems"]:
        k = assignment.get(s["id"])
        if k is None or not 1 <= k <= waves:
            violations.append(f"{s['id']} unassigned")
            continue
        if k < s.get("release", 1) or k > s.get("deadline", waves):
            violations.append(f"{s['id']} outside window")
        if s.get("fixedWave") not in (None, k):
            violations.append(f"{s['id']} not in pinned wave")
        if s.get("group"):
            groups.setdefault(s["group"], set()).add(k)
        for r, e in s.get("effort", {}).items():
            load[r][k - 1] += e
    violations += [f"group {g} split" for g, ks in groups.items() if len(ks) > 1]
    for r, per in load.items():
        for k, used in enumerate(per):
            if used > instance["resources"][r][k] + 1e-9:
                violations.append(f"{r} over in wave {k + 1}")
    objective = 0.0
    for i in instance["interfaces"]:
        a, b = assignment.get(i["consumer"]), assignment.get(i["provider"])
        if a != b:
            objective += i.get("weight", 1)
        if i.get("hard") and a is not None and b is not None and b > a:
            violations.append(f"hard {i['provider']}->{i['consumer']} broken")
    return objective, violations


def greedy(instance):
    """The fill of today's tools: systems in list order (pinned first), each (with its move group)
    into the earliest wave of its window with room; if none has room, the least loaded one."""
    waves = instance["waves"]
    cap = instance["resources"]
    load = {r: [0.0] * waves for r in cap}
    members = {}
    for s in instance["systems"]:
        members.setdefault(s.get("group") or s["id"], []).append(s)
    units = sorted(members.values(), key=lambda ss: (not any("fixedWave" in s for s in ss), ss[0]["id"]))
    assignment = {}
    for ss in units:
        lo = max(s.get("fixedWave") or s.get("release", 1) for s in ss)
        hi = min(s.get("fixedWave") or s.get("deadline", waves) for s in ss)
        hi = max(lo, hi)
        need = {}
        for s in ss:
            for r, e in s.get("effort", {}).items():
                need[r] = need.get(r, 0) + e
        choice = None
        for k in range(lo, hi + 1):
            if all(load[r][k - 1] + e <= cap[r][k - 1] for r, e in need.items()):
                choice = k
                break
        if choice is None:
            choice = min(range(lo, hi + 1), key=lambda k: sum(max(0, load[r][k - 1] + e - cap[r][k - 1]) for r, e in need.items()))
        for r, e in need.items():
            load[r][choice - 1] += e
        for s in ss:
            assignment[s["id"]] = choice
    return assignment
