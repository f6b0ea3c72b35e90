"""The gain of `gaitpose finetune` after 5, 10, 20 and 40 labelled frames (issue 12), in one run.

Two settings, each a labelling session whose clicks are stood in for by known labels:

* `synth` — an exoskeleton the bundled model has never seen: `gaitpose synth --video --preset exo-shell`
  (the held-out `shell` design) under a seed no training set uses. Walks 1–2 are labelled (the frames
  the bundled model proposes, in its order; the synthetic truth as the clicks). Two tests, each PCKs on
  every 5th frame (cut around the person as `analyze` feeds the network) and the hip/knee angle RMSE of
  the whole `analyze` + gait analysis against the true angles (`gaitpose.walk_accuracy`):
  `same walks` — the frames of walks 1–2 that were not labelled (none within 3 frames of any of the 40
  frames offered), the issue's protocol; `other walkers` — walks 3–4, people the labels never showed.
* `real` — CASIA-B (one gait lab, side view): the held-out clip `casia-b/003-nm-01` is labelled with
  the MediaPipe teacher standing in for a person's clicks (only the joints the teacher sees); the
  test is the teacher's labels of the other held-out CASIA-B clip, `subjects-1-3`
  (`data/teacher/val/annotations.json`, `make teacher-data`). Neither clip was ever trained on.

Each count is a separate `finetune` from the bundled model with the default replay (data/**/train.json)
and no labelled frame held out (the test sets above measure the gain). Writes OUT/gain.json and
prints a line per run.

    .venv/bin/python scripts/finetune_gain.py --out out/gain [--settings synth,real] [--counts 5,10,20,40]
"""
import argparse
import csv
import json
import subprocess
import sys
import time
from pathlib import Path

import cv2
import numpy as np

from gaitpose.data.coco import Sample, load_coco_keypoints, write_coco_keypoints
from gaitpose.formats import write_json_atomic
from gaitpose.label.propose import TeacherPrefill
from gaitpose.label.server import LabelOptions, prepare_session
from gaitpose.predict.analyze import AnalyzeOptions
from gaitpose.skeleton import JOINTS
from gaitpose.train.checkpoint import bundled_weights
from gaitpose.train.finetune import FinetuneRequest, crop_to_subject, finetune, holdout_metrics
from gaitpose.walk_accuracy import ANGLES, walk_accuracy

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"
SYNTH_SEED = 777          # no training set uses it (make data: 0, 1001, 2026)
REAL_LABEL_CLIP = SHARED / "walking" / "casia-b" / "003-nm-01.avi"
REAL_TEST_SUBJECT = "subjects-1-3"


def truth(walk: Path) -> np.ndarray:
    """keypoints.csv of the synthetic truth → T×8×3 [x, y, v]: v = 2 where the joint is in the picture
    (the truth does not say which joints the body or the exoskeleton hides; both count as labelled)."""
    rows = list(csv.DictReader(open(walk / "keypoints.csv")))
    kp = np.zeros((len(rows), 8, 3))
    for t, row in enumerate(rows):
        for k, name in enumerate(JOINTS):
            x, y = row[f"{name}_x"], row[f"{name}_y"]
            if x and y:
                kp[t, k] = (float(x), float(y), 2)
    return kp


def synth_setting(out: Path, n_label: int) -> tuple[list[Sample], Path, list[Path]]:
    """Labelled frames (in the order offered), the test crops' annotation file, the test walks."""
    videos = out / "shell" / "videos"
    if not videos.is_dir():
        subprocess.run([str(Path(sys.executable).parent / "gaitpose"), "synth", "--out", str(out / "shell"), "--subjects", "4",
                        "--frames-per-subject", "1", "--size", "256", "--video", "--preset", "exo-shell",
                        "--seed", str(SYNTH_SEED), "--video-seconds", "8"], check=True)
    walks = sorted(p for p in videos.iterdir() if (p / "keypoints.csv").is_file())
    label_walks, test_walks = walks[:2], walks[2:]
    store, _ = prepare_session([str(w / "video.mp4") for w in label_walks], out / "synth_labels",
                               LabelOptions(n_frames=n_label, prefill="model"))
    gts = {str((w / "video.mp4").resolve()): truth(w) for w in label_walks}
    labelled = []
    for n, frame in enumerate(store.frames):
        gt = gts[str(Path(frame.video).resolve())][frame.frame]
        store.update(n, gt.tolist())
        labelled.append(Sample(store.out_dir / frame.image, frame.width, frame.height, gt, subject=Path(frame.video).parent.name))
    offered = {(Path(f.video).resolve().parent.name, f.frame) for f in store.frames}
    write_coco_keypoints(out / "synth_test.json", _test_crops(test_walks, out, set()))
    write_coco_keypoints(out / "synth_same_test.json", _test_crops(label_walks, out, offered))
    return labelled, out / "synth_test.json", test_walks


def _test_crops(walks: list[Path], out: Path, offered: set[tuple[str, int]]) -> list[Sample]:
    """Every 5th frame with at least 6 joints in the picture, cut around the person; none within 3 frames
    of an offered (labelled or labellable) frame."""
    tests = []
    for walk in walks:
        gt = truth(walk)
        cap = cv2.VideoCapture(str(walk / "video.mp4"))
        index = 0
        while True:
            ok, image = cap.read()
            if not ok:
                break
            near = any(name == walk.name and abs(frame - index) <= 3 for name, frame in offered)
            if index % 5 == 0 and index < len(gt) and (gt[index, :, 2] > 0).sum() >= 6 and not near:
                path = out / "synth_test" / f"{walk.name}_f{index:05d}.png"
                path.parent.mkdir(parents=True, exist_ok=True)
                cv2.imwrite(str(path), image)
                full = Sample(path, image.shape[1], image.shape[0], gt[index], subject=walk.name)
                tests.append(crop_to_subject(full, out / "synth_test_crops" / path.name))
            index += 1
    return tests


def real_setting(out: Path, n_label: int) -> tuple[list[Sample], Path]:
    """Teacher-labelled frames of the held-out CASIA-B clip, and the teacher's test frames of the other."""
    store, _ = prepare_session([str(REAL_LABEL_CLIP)], out / "real_labels",
                               LabelOptions(n_frames=n_label, step_s=0.08, min_gap_s=0.08, prefill="model"))
    teacher = TeacherPrefill()
    labelled = []
    for n, frame in enumerate(store.frames):
        image = cv2.imread(str(store.out_dir / frame.image))
        seen = teacher(image, frame.proposal)
        kp = np.zeros((8, 3))
        ok = np.isfinite(seen[:, :2]).all(axis=1)
        kp[ok, :2], kp[ok, 2] = seen[ok, :2], 2
        shown = kp.copy()
        shown[~ok, :2] = np.nan                      # the page shows an unseen joint as "no position yet"
        store.update(n, shown.tolist())
        if ok.sum() >= 2:
            labelled.append(Sample(store.out_dir / frame.image, frame.width, frame.height, kp, subject="003-nm-01"))
    val = Path("data/teacher/val/annotations.json")
    tests = [s for s in load_coco_keypoints(val) if s.subject == REAL_TEST_SUBJECT]
    if not tests:
        raise SystemExit(f"{val}: no frame of {REAL_TEST_SUBJECT}; run `make teacher-data` first")
    write_coco_keypoints(out / "real_test.json", tests)
    return labelled, out / "real_test.json"


def angle_rmse(weights: Path | None, walks: list[Path]) -> dict[str, float]:
    """Mean over the test walks of each angle's RMSE (°) in the whole analysis (NaN where it failed)."""
    options = AnalyzeOptions(weights=str(weights) if weights else None, overlay=False, progress=False)
    results = [walk_accuracy(w, options) for w in walks]
    out = {a: float(np.nanmean([r["angles"].get(a, {}).get("rmse", np.nan) for r in results])) for a in ANGLES}
    out["failed"] = [r["sequence"] for r in results if "failed" in r]
    return out


def same_walks(weights: Path | None, out: Path, walks: list[Path]) -> dict:
    """PCKs on the labelled walks' unlabelled frames and the angle RMSE of their whole analysis."""
    result = pcks(holdout_metrics(weights or bundled_weights(), out / "synth_same_test.json", 256))
    result["angles_rmse_deg"] = angle_rmse(weights, walks)
    return result


def pcks(metrics: dict) -> dict:
    return {k: round(float(metrics[k]), 4) for k in ("pcks@0.1", "pcks@0.08", "mean_px_error")}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("--settings", default="synth,real")
    parser.add_argument("--counts", default="5,10,20,40")
    args = parser.parse_args()
    out = Path(args.out)
    counts = [int(c) for c in args.counts.split(",")]
    path = out / "gain.json"
    results = json.loads(path.read_text()) if path.is_file() else {}
    for setting in args.settings.split(","):
        t0 = time.perf_counter()
        if setting == "synth":
            labelled, test_json, test_walks = synth_setting(out, max(counts))
            label_walks = sorted(p for p in (out / "shell" / "videos").iterdir() if (p / "keypoints.csv").is_file())[:2]
        else:
            (labelled, test_json), test_walks = real_setting(out, max(counts)), []
        res = results.setdefault(setting, {"runs": {}})
        res.update({"n_labels_available": len(labelled), "n_test_frames": len(load_coco_keypoints(test_json)),
                    "prepare_seconds": round(time.perf_counter() - t0, 1)})
        res["before"] = pcks(holdout_metrics(bundled_weights(), test_json, 256))
        if test_walks:
            res["before"]["angles_rmse_deg"] = angle_rmse(None, test_walks)
            res["before"]["same_walks"] = same_walks(None, out, label_walks)
        print(f"{setting} before: {json.dumps(res['before'])}", flush=True)
        write_json_atomic(path, results)
        for count in counts:
            done = res["runs"].get(str(count))
            if done is not None and test_walks and "same_walks" not in done:     # a run made before that test
                done["same_walks"] = same_walks(out / f"{setting}_tuned_{count}.pt", out, label_walks)
                print(f"{setting} {count} frames, same walks: {json.dumps(done['same_walks'])}", flush=True)
                write_json_atomic(path, results)
            if done is not None or count > len(labelled):
                continue
            labels = out / f"{setting}_labels_{count}.json"
            write_coco_keypoints(labels, labelled[:count])
            t = time.perf_counter()
            tuned = out / f"{setting}_tuned_{count}.pt"
            record = finetune(FinetuneRequest(labels=[str(labels)], out=str(tuned), holdout=0), progress=False)
            run = {"seconds": round(time.perf_counter() - t, 1), "epochs_run": record["epochs_run"],
                   "steps": record["steps"], "replay_samples": record["replay_samples"],
                   **pcks(holdout_metrics(tuned, test_json, 256))}
            if test_walks:
                run["angles_rmse_deg"] = angle_rmse(tuned, test_walks)
                run["same_walks"] = same_walks(tuned, out, label_walks)
            res["runs"][str(count)] = run
            print(f"{setting} {count} frames: {json.dumps(run)}", flush=True)
            write_json_atomic(path, results)


if __name__ == "__main__":
    main()
