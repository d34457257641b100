"""Compares `kakehashi check` with Checkov on the same folder, per (resource, Checkov check) pair
for every shipped rule that names a Checkov peer. Prints agreements and every disagreement.

Usage: baseline_parity.py KAKEHASHI_JSON CHECKOV_JSON"""
import json, sys
from collections import Counter


def main():
    ours = json.load(open(sys.argv[1]))
    theirs = json.load(open(sys.argv[2]))
    if isinstance(theirs, dict):
        theirs = [theirs]
    mine = {}
    peers = set()
    for r in ours["results"]:
        peer = (r.get("peer") or {}).get("checkov")
        if not peer:
            continue
        peers.add(peer)
        status = {"excepted": "failed"}.get(r["status"], r["status"])
        key = (r["file"].split("/")[-1], r["resource"], peer)
        # Several rules may reproduce one Checkov check; any failure is a failure.
        mine[key] = "failed" if mine.get(key) == "failed" or status == "failed" else status
    other = {}
    for report in theirs:
        results = report.get("results", {})
        for status, items in (("passed", results.get("passed_checks", [])), ("failed", results.get("failed_checks", []))):
            for c in items:
                if c["check_id"] not in peers:
                    continue
                other[(c["file_path"].split("/")[-1], c["resource"], c["check_id"])] = status
    agree, disagree = Counter(), []
    for key in sorted(set(mine) | set(other)):
        a, b = mine.get(key, "—"), other.get(key, "—")
        if a == b:
            agree[key[2]] += 1
        else:
            disagree.append((key, a, b))
    print(f"pairs compared: {len(set(mine) | set(other))}, agree: {sum(agree.values())}, disagree: {len(disagree)}")
    by_check = Counter(k[2] for k, _, _ in disagree)
    for check in sorted(peers):
        print(f"  {check:<14} agree {agree[check]:>6}  disagree {by_check[check]:>5}")
    for (file, resource, check), a, b in disagree[:40]:
        print(f"  DISAGREE {check} {resource} ({file}): kakehashi {a}, checkov {b}")


if __name__ == "__main__":
    main()
