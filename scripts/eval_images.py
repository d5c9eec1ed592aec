#!/usr/bin/env python3
"""The screenshot dev set broken down (issue 13): each image through `BIN --json --image FILE`,
one process per image, scored as ../shared/tools/score_screens.py scores it (right: the expected
entry among the matches; wrong: matches, none expected; confident-wrong: a wrong answer at
>= 0.8), then per group: style (modal, toast, result, sheet), dark, chat-compressed, photo.

usage: eval_images.py DIR IDS.json BIN [--show N] [--jsonl OUT]
IDS.json maps each key to a list of ids (scripts/eval-images.sh makes it from
fixtures/dev-expected.json). Times are whole process (wall), with the child's CPU time
(user + system) and its peak memory (max RSS) from wait4.
"""
import json, os, statistics, subprocess, sys, threading, time


def run(cmd):
    """Runs cmd: exit code, stdout, stderr, wall seconds, CPU seconds, max RSS in MB."""
    t = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    got = {}
    readers = [threading.Thread(target=lambda k=k, s=s: got.__setitem__(k, s.read()))
               for k, s in (("out", p.stdout), ("err", p.stderr))]
    for th in readers:
        th.start()
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t
    for th in readers:
        th.join()
    p.returncode = os.waitstatus_to_exitcode(status)
    return p.returncode, got["out"], got["err"], wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss / 1024


def main():
    a = sys.argv[1:]
    def opt(name, default=None):
        if name in a:
            i = a.index(name); v = a[i + 1]; del a[i:i + 2]; return v
        return default
    show = int(opt("--show", "0")); dump = opt("--jsonl")
    d, ids_file, binary = a
    ids = json.load(open(ids_file))
    rows = [json.loads(l) for l in open(os.path.join(d, "index.jsonl"), encoding="utf-8")]
    results = []
    for r in rows:
        f = os.path.join(d, r["file"])
        code, out, err, wall, cpu, rss = run([binary, "--json", "--image", f])
        try:
            j = json.loads(out.decode() or "{}")
        except json.JSONDecodeError:
            j = {}
        ms = j.get("matches", [])
        ok = [m for m in ms if m.get("id") in ids.get(r["key"], [])]
        verdict = "right" if ok else ("wrong" if ms else "none")
        cw = verdict == "wrong" and any(m.get("confidence", 0) >= 0.8 for m in ms)
        results.append(dict(r, verdict=verdict, cw=cw, wall=wall, cpu=cpu, rss=rss, code=code,
                            got=[m.get("id") for m in ms],
                            ocr=j.get("ocr", {}).get("text"), err=err.decode(errors="replace").strip()))
    if dump:
        with open(dump, "w", encoding="utf-8") as o:
            for x in results:
                o.write(json.dumps(x, ensure_ascii=False) + "\n")

    def line(name, xs):
        if not xs:
            return
        right = sum(x["verdict"] == "right" for x in xs)
        wrong = sum(x["verdict"] == "wrong" for x in xs)
        cw = sum(x["cw"] for x in xs)
        print(f"{name:<18} {len(xs):>3}  right {right:>3} ({100 * right / len(xs):5.1f}%)  "
              f"wrong {wrong:>2}  conf-wrong {cw}  median {statistics.median(x['wall'] for x in xs):.2f} s"
              f"  cpu {statistics.median(x['cpu'] for x in xs):.2f} s"
              f"  rss {statistics.median(x['rss'] for x in xs):.0f}/{max(x['rss'] for x in xs):.0f} MB")

    line("all", results)
    for style in ("modal", "toast", "result", "sheet"):
        line(f"style={style}", [x for x in results if x["style"] == style])
    for key in ("dark", "chat", "photo"):
        line(f"{key}", [x for x in results if x[key]])
        line(f"not {key}", [x for x in results if not x[key]])
    walls = sorted(x["wall"] for x in results)
    print(f"wall: min {walls[0]:.2f}  median {statistics.median(walls):.2f}  "
          f"p90 {walls[int(0.9 * (len(walls) - 1))]:.2f}  max {walls[-1]:.2f} s")
    misses = [x for x in results if x["verdict"] != "right"]
    for x in misses[:show]:
        print(" ", x["verdict"], x["file"], x["zh"][:40], x["got"], repr((x["ocr"] or x["err"])[:80]))


if __name__ == "__main__":
    main()
