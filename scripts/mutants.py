"""Mutation testing of the modules whose numbers reach a clinician: `make mutants` (not part of `make test`).

For each module, mutmut (https://mutmut.readthedocs.io) runs in a scratch copy of the tree under
out/mutants/<module>/ with only that module mutated and only the test files that exercise it
selected (mutmut then runs, per mutant, the selected tests that reach the mutated function). The
report, out/mutants/report.md, lists killed / survived per module and every surviving mutant's diff;
docs/testing.md says which survivors are equivalent (no test can tell them apart) and why.

    python scripts/mutants.py                       # every module below
    python scripts/mutants.py gait/events.py metrics.py
    python scripts/mutants.py --tests DIR ...       # tests taken from DIR instead of tests/ (a before/after comparison)
    python scripts/mutants.py --survivors gait/clean.py   # after adding tests: rerun only the mutants the
                                                          # last run (full or --survivors) left alive
    python scripts/mutants.py --max-children 1 ...  # one mutant at a time (default: one per core)
    python scripts/mutants.py --quick ...           # unit tests only (QUICK_SKIP): for a busy machine

Heavy: run it under `nice` on a shared machine (the make target does).
"""
from __future__ import annotations

import argparse
import difflib
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PKG = "src/gaitpose"
# Module (under src/gaitpose) → the test files that exercise it. Clinical modules first: they must reach
# 85 % killed (issue 17), the rest 70 %.
MODULES: dict[str, list[str]] = {
    "gait/events.py": ["tests/gait/test_events.py", "tests/gait/test_events_edges.py", "tests/gait/test_truth.py",
                       "tests/gait/test_properties.py", "tests/gait/test_accuracy_and_cli.py"],
    "gait/spatiotemporal.py": ["tests/gait/test_geometry_symmetry.py", "tests/gait/test_spatiotemporal.py",
                               "tests/gait/test_spatiotemporal_edges.py",
                               "tests/gait/test_truth.py", "tests/gait/test_properties.py",
                               "tests/gait/test_accuracy_and_cli.py"],
    "gait/geometry.py": ["tests/gait/test_geometry_symmetry.py", "tests/gait/test_geometry_edges.py",
                         "tests/gait/test_truth.py",
                         "tests/gait/test_properties.py", "tests/gait/test_accuracy_and_cli.py"],
    "gait/clean.py": ["tests/gait/test_clean.py", "tests/gait/test_clean_edges.py", "tests/gait/test_geometry_symmetry.py",
                      "tests/gait/test_feet.py", "tests/gait/test_clean_repair_edges.py", "tests/gait/test_truth.py",
                      "tests/gait/test_accuracy_and_cli.py"],
    "metrics.py": ["tests/test_metrics.py"],
    # cycles.py: `norms build` (test_readers) and the analyses' cycle curves (test_truth, test_passes_pipeline)
    "gait/cycles.py": ["tests/gait/test_cycles_edges.py", "tests/gait/test_readers.py", "tests/gait/test_truth.py"],
    "gait/similarity.py": ["tests/gait/test_similarity.py", "tests/gait/test_similarity_edges.py",
                           "tests/gait/test_readers.py"],
    "gait/readers.py": ["tests/gait/test_readers.py", "tests/gait/test_feet.py", "tests/gait/test_readers_edges.py",
                        "tests/report/test_trc_mot.py"],
    # commands.py: `compare`, `norms build` (test_readers) and the `gait` job's own parsing (test_commands_edges);
    # the CLI tests that run it in a child process cannot kill a mutant
    "gait/commands.py": ["tests/gait/test_readers.py", "tests/gait/test_commands_edges.py"],
    "gait/passes.py": ["tests/gait/test_passes.py", "tests/gait/test_passes_edges.py",
                       "tests/gait/test_passes_pipeline.py"],
    "gait/pipeline.py": ["tests/gait/test_pipeline_edges.py", "tests/gait/test_pipeline_survivors.py",
                         "tests/gait/test_rhythm.py",
                         "tests/gait/test_passes_pipeline.py",
                         "tests/gait/test_feet.py", "tests/gait/test_similarity.py", "tests/gait/test_properties.py",
                         "tests/gait/test_truth.py", "tests/gait/test_accuracy_and_cli.py"],
    "gait/validate.py": ["tests/gait/test_validate_edges.py", "tests/data/test_mocap.py", "tests/gait/test_feet.py",
                         "tests/gait/test_passes_pipeline.py", "tests/gait/test_similarity.py",
                         "tests/gait/test_properties.py", "tests/gait/test_truth.py",
                         "tests/gait/test_accuracy_and_cli.py"],
    "formats.py": ["tests/test_formats.py", "tests/test_formats_edges.py", "tests/gait/test_accuracy_and_cli.py"],
    "videowriter.py": ["tests/test_videowriter.py", "tests/test_videowriter_edges.py"],
    "predict/follow.py": ["tests/predict/test_video_and_follow.py", "tests/predict/test_follow_edges.py"],
}
# Left out of mutation runs (still part of `make test`): 48 whole analyses, about 10 s for every mutant
# of the gait core that reaches it; and the tests that run `gaitpose` in a child process, which imports
# the package unmutated, so they cannot kill a mutant.
SLOW = ("tests/gait/test_accuracy_and_cli.py::test_toe_off_error_stays_in_the_range_every_report_states",
        "tests/gait/test_accuracy_and_cli.py::test_cli_writes_outputs",
        "tests/gait/test_accuracy_and_cli.py::test_cli_bad_input_one_line_nothing_written")
# --quick (a machine shared with training): the whole-walk analyses are left out as well, so each mutant
# runs only the hand-worked unit tests and the cheap invariants; a lower bound of what the suite kills.
QUICK_SKIP = ("tests/gait/test_truth.py", "tests/gait/test_accuracy_and_cli.py",
              "tests/gait/test_properties.py::test_step_lengths_do_not_depend_on_the_walking_direction",
              "tests/gait/test_properties.py::test_events_shift_with_the_recording")
CLINICAL = ("gait/events.py", "gait/spatiotemporal.py", "gait/geometry.py", "gait/clean.py", "metrics.py")


def run_module(module: str, tests_dir: Path, work: Path, mutmut: str, max_children: int | None = None,
               only: list[str] | None = None, quick: bool = False) -> dict:
    """mutmut on one module in a scratch tree → {"killed", "survived", "total", "seconds", "survivors": {name: diff}}.

    `only`: run just these mutants (the others are generated but stay "not checked")."""
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    shutil.copytree(ROOT / "src", work / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    shutil.copytree(tests_dir, work / "tests", ignore=shutil.ignore_patterns("__pycache__"))
    selected = [t for t in MODULES[module] if (work / t).is_file() and not (quick and t in QUICK_SKIP)]
    skipped = SLOW + (QUICK_SKIP if quick else ())
    if not selected:
        return {"error": "no test file of this module exists in the tests given"}
    (work / "pyproject.toml").write_text(
        "[tool.mutmut]\n"
        'source_paths = ["src"]\n'
        f'only_mutate = ["{PKG}/{module}"]\n'
        f"pytest_add_cli_args_test_selection = {json.dumps(selected)}\n"
        f"pytest_add_cli_args = {json.dumps(['-p', 'no:cacheprovider'] + [f'--deselect={t}' for t in skipped if '::' in t])}\n"
        "\n[tool.pytest.ini_options]\n"
        'testpaths = ["tests"]\n')
    t0 = time.monotonic()
    cmd = [mutmut, "run"] + (["--max-children", str(max_children)] if max_children else []) + (only or [])
    with open(work / "mutmut.log", "w") as f:
        subprocess.run(cmd, cwd=work, stdout=f, stderr=subprocess.STDOUT, check=False)
    return {**collect(module, work, mutmut), "seconds": round(time.monotonic() - t0, 1), "tests": selected,
            "quick": quick}


def collect(module: str, work: Path, mutmut: str) -> dict:
    """Every mutant's status from a (finished or interrupted) mutmut tree → counts, statuses and the
    diffs of the mutants that were tried and not killed."""
    listing = subprocess.run([mutmut, "results", "--all", "true"], cwd=work, capture_output=True, text=True,
                             check=False).stdout
    statuses = {}
    for line in listing.splitlines():
        name, _, status = line.strip().rpartition(": ")
        if name:
            statuses[name] = status
    if not statuses:
        return {"error": f"no mutants found; see {work / 'mutmut.log'}"}
    mutated = (work / "mutants" / PKG / module).read_text()
    survivors = {name: f"{status}\n{_mutant_diff(mutated, name.rpartition('.')[2])}"
                 for name, status in statuses.items() if status not in ("killed", "not checked")}
    counts = {k: sum(1 for v in statuses.values() if v == k) for k in ("killed", "survived", "not checked")}
    return {"killed": counts["killed"], "survived": counts["survived"], "not_checked": counts["not checked"],
            "total": len(statuses), "statuses": statuses, "survivors": survivors}


def merge_rerun(before: dict, rerun: dict) -> dict:
    """A survivors-only rerun on top of the full run before it: a mutant killed then stays killed (tests
    were only added, so what killed it still does); every other mutant takes the rerun's status."""
    statuses = {name: ("killed" if status == "killed" else rerun["statuses"].get(name, status))
                for name, status in before["statuses"].items()}
    counts = {k: sum(1 for v in statuses.values() if v == k) for k in ("killed", "survived", "not checked")}
    survivors = {n: rerun["survivors"].get(n, before["survivors"].get(n, statuses[n]))
                 for n, st in statuses.items() if st not in ("killed", "not checked")}
    return {"killed": counts["killed"], "survived": counts["survived"], "not_checked": counts["not checked"],
            "total": len(statuses), "statuses": statuses, "survivors": survivors,
            "killed_before": before["killed"], "rerun": sorted(n for n, st in before["statuses"].items() if st != "killed"),
            "seconds": rerun.get("seconds"), "seconds_before": before.get("seconds"), "tests": rerun.get("tests")}


def _function_text(source: str, name: str) -> list[str]:
    """The lines of top-level `def name(` (or a method's `def name(`) up to the next definition at its indent."""
    lines = source.splitlines()
    for i, line in enumerate(lines):
        stripped = line.lstrip()
        if stripped.startswith(f"def {name}("):
            indent = len(line) - len(stripped)
            out = [line]
            for nxt in lines[i + 1:]:
                if nxt.strip() and len(nxt) - len(nxt.lstrip()) <= indent and not nxt.lstrip().startswith(")"):
                    break
                out.append(nxt)
            return out
    return []


def _mutant_diff(mutated_source: str, mutant: str) -> str:
    """Unified diff of a mutant's function against the original, both as mutmut wrote them
    (`x_<function>__mutmut_orig` and `x_<function>__mutmut_<n>`); faster than `mutmut show`."""
    orig = mutant.rsplit("__mutmut_", 1)[0] + "__mutmut_orig"
    a, b = _function_text(mutated_source, orig), _function_text(mutated_source, mutant)
    b = [line.replace(mutant, orig) for line in b]
    return "\n".join(difflib.unified_diff(a, b, lineterm="", n=1)) or "(no diff found)"


def write_report(results: dict[str, dict], path: Path, label: str) -> None:
    lines = [f"# Mutation testing ({label})", "",
             "| module | killed | survived | other | not run | total | killed % of run | target | seconds |",
             "|---|---|---|---|---|---|---|---|---|"]
    for module, r in results.items():
        if "error" in r:
            lines.append(f"| {module} | – | – | – | – | – | – | – | {r.get('seconds', '–')} ({r['error']}) |")
            continue
        tried = r["total"] - r["not_checked"]
        other = tried - r["killed"] - r["survived"]
        pct = 100 * r["killed"] / tried if tried else float("nan")
        target = 85 if module in CLINICAL else 70
        lines.append(f"| {module} | {r['killed']} | {r['survived']} | {other} | {r['not_checked']} | {r['total']} | "
                     f"{pct:.1f} | {target} | {r.get('seconds', '–')} |")
    for module, r in results.items():
        if r.get("survivors"):
            lines += ["", f"## {module}: not killed", ""]
            for name, text in r["survivors"].items():
                lines += [f"### {name}", "", "```diff", text, "```", ""]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("modules", nargs="*", help=f"modules under {PKG} (default: all)")
    ap.add_argument("--tests", type=Path, default=ROOT / "tests", help="the tests folder to use")
    ap.add_argument("--out", type=Path, default=ROOT / "out" / "mutants")
    ap.add_argument("--label", default="tests/ of this tree")
    ap.add_argument("--collect", action="store_true",
                    help="run nothing: report what the trees under --out hold (e.g. after an interrupted run)")
    ap.add_argument("--survivors", action="store_true",
                    help="rerun only the mutants not killed by the module's last full run (its result.json) and "
                         "merge: for checking tests added since, without rerunning what was already killed")
    ap.add_argument("--quick", action="store_true",
                    help="leave the whole-walk analyses out too (QUICK_SKIP): hand-worked unit tests only")
    ap.add_argument("--max-children", type=int, default=None, help="mutants run at once (mutmut's default: one per core)")
    args = ap.parse_args()
    unknown = [m for m in args.modules if m not in MODULES]
    if unknown:
        print(f"unknown module(s) {unknown}; known: {', '.join(MODULES)}", file=sys.stderr)
        return 2
    mutmut = shutil.which("mutmut", path=str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", ""))
    if mutmut is None:
        print("mutmut not found: pip install -e '.[dev]'", file=sys.stderr)
        return 2
    results: dict[str, dict] = {}
    summary = args.out / "summary.json"
    for module in args.modules or list(MODULES):
        work = args.out / module.replace("/", "_").removesuffix(".py")
        saved = args.out / (work.name + ".result.json")
        if args.collect:
            if not (work / "mutants").is_dir():
                continue
            r = collect(module, work, mutmut)
        elif args.survivors:
            if not saved.is_file():
                print(f"{module}: no earlier full run ({saved}); run it without --survivors first", file=sys.stderr)
                return 2
            before = json.loads(saved.read_text())
            after_path = args.out / (work.name + ".after.json")
            base = json.loads(after_path.read_text()) if after_path.is_file() else before   # an earlier rerun's
            alive = [n for n, st in base["statuses"].items() if st != "killed"]
            rerun = run_module(module, args.tests.resolve(), work, mutmut, args.max_children, alive,
                               quick=before.get("quick", False))
            r = rerun if "error" in rerun else merge_rerun(base, rerun)
            if "error" not in r:
                r.update(killed_before=before["killed"], seconds_before=before.get("seconds"))
                after_path.write_text(json.dumps(r, indent=1))
        else:
            r = run_module(module, args.tests.resolve(), work, mutmut, args.max_children, quick=args.quick)
            if "error" not in r:
                saved.write_text(json.dumps(r, indent=1))
        results[module] = r
        print(f"{module}: " + (r["error"] if "error" in r else
                                f"{r['killed']} killed, {r['survived']} survived, {r['not_checked']} not run "
                                f"of {r['total']}, {r.get('seconds', '–')} s"
                                + (f" (rerun of {len(r['rerun'])}; {r['killed_before']} killed before)"
                                   if "rerun" in r else "")), flush=True)
        write_report(results, args.out / "report.md", args.label)
        summary.write_text(json.dumps({m: {k: v for k, v in x.items() if k != "survivors"} for m, x in results.items()},
                                      indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
