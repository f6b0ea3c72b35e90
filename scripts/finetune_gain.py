"""The gain of `gaitpose finetune` on a synthetic exoskeleton walk the bundled model has not seen.

Two walks rendered with `gaitpose synth --video --preset exo` under a seed no training set uses:
the first is labelled through the labelling session (frames proposed by the bundled model, in its
order; the labels are the synthetic truth instead of a person's clicks), the second is the test
set (every 5th frame, cut around the person as `analyze` feeds the network). PCKs on the test walk
before fine-tuning and after 5, 10 and 20 labelled frames, with the wall time of each run.

    .venv/bin/python scripts/finetune_gain.py out/gain/synth/videos --out out/gain [--replay FILE ...]
"""
import argparse
import csv
import json
import time
from pathlib import Path

import cv2
import numpy as np

from gaitpose.data.coco import Sample, write_coco_keypoints
from gaitpose.formats import write_json_atomic
from gaitpose.label.server import LabelOptions, prepare_session
from gaitpose.skeleton import JOINTS
from gaitpose.train.checkpoint import bundled_weights
from gaitpose.train.finetune import FinetuneRequest, crop_to_subject, finetune, holdout_metrics


def truth(walk: Path) -> np.ndarray:
    """keypoints.csv of the synthetic truth → T×8×3 [x, y, v]: v = 2 where the joint is in view, else 0
    (the truth does not say which joints the body or the exoskeleton hides; both count as labelled)."""
    rows = list(csv.DictReader(open(walk / "keypoints.csv")))
    kp = np.zeros((len(rows), 8, 3))
    for t, row in enumerate(rows):
        for k, name in enumerate(JOINTS):
            x, y = row[f"{name}_x"], row[f"{name}_y"]
            if x and y:
                kp[t, k] = (float(x), float(y), 2)
    return kp


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("videos", help="folder of synth walks (each with video.mp4 and keypoints.csv)")
    parser.add_argument("--out", required=True)
    parser.add_argument("--replay", nargs="*", default=[])
    parser.add_argument("--counts", default="5,10,20")
    args = parser.parse_args()
    out = Path(args.out)
    walks = sorted(p for p in Path(args.videos).iterdir() if (p / "keypoints.csv").is_file())
    label_walk, test_walk = walks[0], walks[1]
    counts = [int(c) for c in args.counts.split(",")]

    # labelling session on the first walk; the truth stands in for the person's clicks
    t0 = time.perf_counter()
    store, _ = prepare_session([str(next(label_walk.glob("*.mp4")))], out / "labels", LabelOptions(n_frames=max(counts)))
    propose_s = time.perf_counter() - t0
    gt = truth(label_walk)
    for n, frame in enumerate(store.frames):
        store.update(n, gt[frame.frame].tolist())
    labelled = [Sample(store.out_dir / f.image, f.width, f.height, gt[f.frame], subject=label_walk.name)
                for f in store.frames]

    # test set: every 5th frame of the second walk with at least 6 joints in view
    gt_test = truth(test_walk)
    cap = cv2.VideoCapture(str(next(test_walk.glob("*.mp4"))))
    tests, index = [], 0
    while True:
        ok, frame = cap.read()
        if not ok:
            break
        if index % 5 == 0 and index < len(gt_test) and (gt_test[index, :, 2] > 0).sum() >= 6:
            path = out / "test" / f"{test_walk.name}_f{index:05d}.png"
            path.parent.mkdir(parents=True, exist_ok=True)
            cv2.imwrite(str(path), frame)
            full = Sample(path, frame.shape[1], frame.shape[0], gt_test[index], subject=test_walk.name)
            tests.append(crop_to_subject(full, out / "test_crops" / path.name))
        index += 1
    write_coco_keypoints(out / "test_crops.json", tests)

    results = {"label_walk": str(label_walk), "test_walk": str(test_walk), "n_test_frames": len(tests),
               "propose_seconds": round(propose_s, 1), "replay": args.replay, "runs": []}
    before = holdout_metrics(bundled_weights(), out / "test_crops.json", 256)
    results["before"] = {k: before[k] for k in ("pcks@0.1", "pcks@0.08", "mean_px_error")}
    print(f"before: {results['before']}", flush=True)
    for count in counts:
        labels = out / f"labels_{count}.json"
        write_coco_keypoints(labels, labelled[:count])
        t = time.perf_counter()
        record = finetune(FinetuneRequest(labels=[str(labels)], out=str(out / f"tuned_{count}.pt"), replay=args.replay))
        seconds = time.perf_counter() - t
        after = holdout_metrics(out / f"tuned_{count}.pt", out / "test_crops.json", 256)
        run = {"labelled": count, "seconds": round(seconds, 1), "epochs_run": record["epochs_run"],
               "test": {k: after[k] for k in ("pcks@0.1", "pcks@0.08", "mean_px_error")},
               "own_holdout_before": record["holdout_before"] and record["holdout_before"]["pcks@0.1"],
               "own_holdout_after": record["holdout_after"] and record["holdout_after"]["pcks@0.1"]}
        results["runs"].append(run)
        print(json.dumps(run), flush=True)
        write_json_atomic(out / "gain.json", results)


if __name__ == "__main__":
    main()
