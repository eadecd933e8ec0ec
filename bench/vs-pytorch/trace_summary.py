#!/usr/bin/python3
"""Summarises a Chrome trace written by libtorch's profiler (TrainBenchMain --profile, or
torch.autograd.profiler's export_chrome_trace): self time per op name, top N.

    trace_summary.py trace.json [N]
"""
import collections
import json
import sys


def main():
    events = json.load(open(sys.argv[1]))
    if isinstance(events, dict):
        events = events.get("traceEvents", [])
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 25
    spans = [e for e in events if e.get("ph") == "X" and "dur" in e]
    # self time: subtract the time of directly nested spans on the same thread
    by_thread = collections.defaultdict(list)
    for e in spans:
        by_thread[e.get("tid")].append(e)
    self_time = collections.Counter()
    calls = collections.Counter()
    total = 0.0
    for tid, evs in by_thread.items():
        evs.sort(key=lambda e: (e["ts"], -e["dur"]))
        stack = []
        for e in evs:
            while stack and stack[-1]["ts"] + stack[-1]["dur"] <= e["ts"]:
                stack.pop()
            if stack:
                self_time[stack[-1]["name"]] -= e["dur"]
            else:
                total += e["dur"]
            self_time[e["name"]] += e["dur"]
            calls[e["name"]] += 1
            stack.append(e)
    print(f"top-level time {total / 1e3:.1f} ms in {len(spans)} ops")
    print(f"{'op':50s} {'self ms':>10s} {'%':>6s} {'calls':>7s}")
    for name, t in self_time.most_common(top):
        print(f"{name[:50]:50s} {t / 1e3:10.1f} {100 * t / max(total, 1):6.1f} {calls[name]:7d}")
    print(f"{'(ops)':50s} {sum(calls.values()):>25d}")


if __name__ == "__main__":
    main()
