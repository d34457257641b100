"""Planner quality benchmark: `kakehashi plan-waves` against the known optimum of planted
instances, the greedy fill of today's tools and OR-Tools CP-SAT, at 300, 1,000 and 3,000 systems
and 12 waves. Prints one row per (instance, solver): objective, ratio to the optimum (or, for random
instances, to the best bound known), seconds and violations. Every plan is re-checked here.

usage: python3 wave_planner_bench.py KAKEHASHI_BINARY [--sizes 300,1000,3000] [--seeds 3]
                                     [--seconds 10] [--cpsat-seconds 90] [--no-cpsat]
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import wave_instances  # noqa: E402


def run_kakehashi(binary, instance, seconds):
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(instance, f)
        path = f.name
    try:
        started = time.perf_counter()
        out = subprocess.run([binary, "plan-waves", "--input", path, "--format", "json", "--seconds", str(seconds)],
                             capture_output=True, text=True, check=True)
        wall = time.perf_counter() - started
    finally:
        os.unlink(path)
    result = json.loads(out.stdout)
    return result["assignment"], wall, result


def run_cpsat(instance, seconds, workers=2):
    from ortools.sat.python import cp_model
    waves = instance["waves"]
    m = cp_model.CpModel()
    x, wave_of = {}, {}
    for s in instance["systems"]:
        lo = s.get("fixedWave") or s.get("release", 1)
        hi = s.get("fixedWave") or s.get("deadline", waves)
        ks = range(lo, hi + 1)
        for k in ks:
            x[s["id"], k] = m.NewBoolVar("")
        m.AddExactlyOne(x[s["id"], k] for k in ks)
        wave_of[s["id"]] = sum(k * x[s["id"], k] for k in ks)
    def var(sid, k):
        return x.get((sid, k), 0)
    groups = {}
    for s in instance["systems"]:
        if s.get("group"):
            groups.setdefault(s["group"], []).append(s["id"])
    for members in groups.values():
        for other in members[1:]:
            for k in range(1, waves + 1):
                a, b = var(members[0], k), var(other, k)
                if not (isinstance(a, int) and isinstance(b, int)):
                    m.Add(a == b)
    for r, caps in instance["resources"].items():
        for k in range(1, waves + 1):
            terms = [int(round(s["effort"][r] * 100)) * x[s["id"], k] for s in instance["systems"]
                     if r in s.get("effort", {}) and (s["id"], k) in x]
            if terms:
                m.Add(sum(terms) <= int(round(caps[k - 1] * 100)))
    objective = []
    for i in instance["interfaces"]:
        a, b = i["consumer"], i["provider"]
        if i.get("hard"):
            m.Add(wave_of[b] <= wave_of[a])
        y = m.NewBoolVar("")
        for k in range(1, waves + 1):
            if (a, k) in x or (b, k) in x:
                m.Add(y >= var(a, k) - var(b, k))
        objective.append(int(i.get("weight", 1)) * y)
    m.Minimize(sum(objective))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.num_workers = workers
    started = time.perf_counter()
    status = solver.Solve(m)
    wall = time.perf_counter() - started
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, wall, None, solver.StatusName(status)
    assignment = {sid: k for (sid, k), v in x.items() if solver.Value(v)}
    return assignment, wall, solver.BestObjectiveBound(), solver.StatusName(status)


def row(kind, n, seed, solver, objective, reference, seconds, violations, note=""):
    ratio = f"{objective / reference:.3f}" if reference else "-"
    print(f"{kind:8} {n:6} {seed:4}  {solver:10} {objective:10.0f} {reference:10.0f} {ratio:>7} {seconds:8.2f} {violations:5}  {note}",
          flush=True)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("binary")
    p.add_argument("--sizes", default="300,1000,3000")
    p.add_argument("--seeds", type=int, default=3)
    p.add_argument("--seconds", type=float, default=10)
    p.add_argument("--cpsat-seconds", type=float, default=90)
    p.add_argument("--cpsat-seeds", type=int, default=1, help="run CP-SAT on the first N seeds of each size")
    p.add_argument("--no-cpsat", action="store_true")
    args = p.parse_args()
    print("kind        n seed  solver      objective  reference   ratio  seconds  viol  (reference: planted optimum, or best known bound for random)")
    for n in [int(s) for s in args.sizes.split(",")]:
        for kind in ("planted", "random"):
            for seed in range(1, args.seeds + 1):
                if kind == "planted":
                    instance, optimum = wave_instances.planted(n, seed=seed * 1000 + n)
                else:
                    instance, optimum = wave_instances.random_instance(n, seed=seed * 1000 + n), None
                bound = optimum
                cpsat = None
                if not args.no_cpsat and seed <= args.cpsat_seeds:
                    assignment, wall, cp_bound, status = run_cpsat(instance, args.cpsat_seconds)
                    if assignment is not None:
                        obj, viol = wave_instances.check(instance, assignment)
                        cpsat = (obj, wall, len(viol), status, cp_bound)
                        if optimum is None:
                            bound = cp_bound
                    else:
                        cpsat = (float("nan"), wall, -1, status, None)
                assignment, wall, result = run_kakehashi(args.binary, instance, args.seconds)
                obj, viol = wave_instances.check(instance, assignment)
                if optimum is None:
                    bound = max(bound or 0, result["lowerBound"])
                note = ("proved optimal" if result["optimal"] else "") + ("" if optimum is not None or cpsat else " ref = own lower bound")
                row(kind, n, seed, "kakehashi", obj, bound, wall, len(viol), note.strip())
                g_obj, g_viol = wave_instances.check(instance, wave_instances.greedy(instance))
                row(kind, n, seed, "greedy", g_obj, bound, 0, len(g_viol))
                if cpsat:
                    row(kind, n, seed, "cp-sat", cpsat[0], bound, cpsat[1], cpsat[2], f"{cpsat[3]}, bound {cpsat[4]}")


if __name__ == "__main__":
    main()
