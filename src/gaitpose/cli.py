"""The `gaitpose` command line: thin — parse, call one function per command, print.

Each command's implementation is imported lazily so that, e.g., `gaitpose gait` never loads torch.
A `GaitposeError` (a user mistake) is printed as one line on stderr with exit status 2.
"""
from __future__ import annotations

import argparse
import os
import sys
from typing import Callable, Sequence

from gaitpose.errors import GaitposeError

Runner = Callable[[argparse.Namespace], int]
_RUNNERS: dict[str, Runner] = {}


def _command(sub: argparse._SubParsersAction, name: str, help_text: str) -> Callable:
    """Decorator: `fn(parser)` adds the arguments and returns the runner for command `name`."""
    def register(add_arguments: Callable[[argparse.ArgumentParser], Runner]) -> Callable:
        parser = sub.add_parser(name, help=help_text, description=help_text)
        _RUNNERS[name] = add_arguments(parser)
        return add_arguments
    return register


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="gaitpose", description="Non-contact gait analysis from a side-view camera.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    @_command(sub, "bench", "params, GFLOPs and latency per model, input size, device and runtime")
    def _bench(p: argparse.ArgumentParser) -> Runner:
        p.add_argument("--models", default="lite,full", help="comma-separated model names (default: lite,full)")
        p.add_argument("--sizes", default="256,512", help="comma-separated input sizes (default: 256,512)")
        p.add_argument("--devices", default="auto", help="cpu, cuda or auto (cpu, plus cuda when present)")
        p.add_argument("--repeats", type=int, default=10, help="timed runs per row (median reported)")
        p.add_argument("--threads", type=int, default=0, help="torch CPU threads (0: library default)")
        p.add_argument("--json", dest="json_path", default="bench.json", help="where to write the JSON table")
        p.add_argument("--runtimes", default="pytorch,onnxruntime",
                       help="pytorch and/or onnxruntime (CPU, keypoint heads, via a temporary export)")

        def run(args: argparse.Namespace) -> int:
            from gaitpose.bench import run_bench
            run_bench(models=_csv(args.models), sizes=[int(s) for s in _csv(args.sizes)], devices=args.devices,
                      repeats=args.repeats, threads=args.threads, json_path=args.json_path,
                      runtimes=_csv(args.runtimes))
            return 0
        return run

    @_command(sub, "export", "ONNX export of the inference path (heatmap + offset), checked against PyTorch")
    def _export(p: argparse.ArgumentParser) -> Runner:
        p.add_argument("--weights", default=None, help="checkpoint (default: the bundled model)")
        p.add_argument("--onnx", required=True, help="ONNX file to write")
        p.add_argument("--decode", action="store_true", help="decode keypoints in the graph (output N×8×3; without the knee/ankle pair separation that analyze applies to heatmaps)")
        p.add_argument("--size", type=int, default=None, help="input size S (default: the checkpoint's)")

        def run(args: argparse.Namespace) -> int:
            from gaitpose.predict.export import export_checkpoint
            diff, meta = export_checkpoint(args.weights, args.onnx, decode=args.decode, input_size=args.size)
            print(f"wrote {args.onnx} ({meta['model']} at {args.size or meta['input_size']} px, "
                  f"{'keypoints' if args.decode else 'heatmap + offset'}); "
                  f"max abs difference ONNX Runtime vs PyTorch: {diff:.3g}")
            return 0
        return run

    @_command(sub, "import", "convert standard COCO 17-keypoint or LSP joints.mat annotations to our dataset format")
    def _import(p: argparse.ArgumentParser) -> Runner:
        sources = p.add_subparsers(dest="source", required=True, metavar="SOURCE")
        for source, what in (("coco", "COCO person-keypoints JSON"), ("lsp", "LSP joints.mat")):
            q = sources.add_parser(source, help=f"import a {what}")
            q.add_argument("annotations", help=what)
            q.add_argument("--images", required=True, help="folder holding the images it lists")
            q.add_argument("--out", required=True, help="output folder (annotations.json + images/)")
            q.add_argument("--min-joints", type=int, default=6, help="keep people with at least this many of the 8 joints labelled")
        sources.choices["lsp"].add_argument("--visible-flag", type=int, choices=(0, 1), default=None,
                                            help="value of the 3rd row meaning 'visible' (default: detect)")
        sources.choices["lsp"].add_argument("--val-every", type=int, default=0, metavar="N",
                                            help="also write train.json / val.json: images numbered by a multiple "
                                                 "of N are validation (the real validation set uses 20)")

        def run(args: argparse.Namespace) -> int:
            import warnings
            from gaitpose.data.importers import ImportParams, import_coco, import_lsp
            params = ImportParams(min_labelled_joints=args.min_joints)
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                if args.source == "coco":
                    report = import_coco(args.annotations, args.images, args.out, params)
                else:
                    report = import_lsp(args.annotations, args.images, args.out, params,
                                        visible_flag=args.visible_flag, val_every=args.val_every)
            for w in caught:
                print(f"gaitpose import: warning: {w.message}", file=sys.stderr)
            print(report.summary())
            return 0
        return run

    @_command(sub, "split", "subject-wise 4:1 train/validation split of a dataset JSON")
    def _split(p: argparse.ArgumentParser) -> Runner:
        p.add_argument("data", help="dataset JSON (our COCO-keypoints format)")
        p.add_argument("--out-train", required=True, help="where to write the training JSON")
        p.add_argument("--out-val", required=True, help="where to write the validation JSON")
        p.add_argument("--val-fraction", type=float, default=0.2, help="share of subjects (or frames) for validation")
        p.add_argument("--seed", type=int, default=0)

        def run(args: argparse.Namespace) -> int:
            import warnings
            from gaitpose.data.split import split_file
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                split = split_file(args.data, args.out_train, args.out_val, args.val_fraction, args.seed)
            for w in caught:
                print(f"gaitpose split: warning: {w.message}", file=sys.stderr)
            how = f"by subject (validation: {', '.join(split.val_subjects)})" if split.by_subject else "frame-wise"
            print(f"{len(split.train)} training and {len(split.val)} validation samples, split {how}")
            return 0
        return run

    @_command(sub, "train", "pre-train or fine-tune from a TOML config (SPEC §6)")
    def _train(p: argparse.ArgumentParser) -> Runner:
        p.add_argument("--config", required=True, help="TOML config, e.g. configs/pretrain.toml")
        p.add_argument("--resume", action="store_true", help="continue from last.pt in the run folder")
        p.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE",
                       help='override a config value (TOML syntax), e.g. --set model="lite" --set optim.lr=1e-4')

        def run(args: argparse.Namespace) -> int:
            from gaitpose.train.config import load_config_with_overrides
            from gaitpose.train.loop import train
            train(load_config_with_overrides(args.config, args.overrides), resume=args.resume)
            return 0
        return run

    @_command(sub, "label", "label the 8 joints on frames of your videos in a local web page (127.0.0.1)")
    def _label(p: argparse.ArgumentParser) -> Runner:
        p.add_argument("videos", nargs="+", metavar="VIDEO", help="videos, or folders of videos")
        p.add_argument("--out", required=True, help="folder for labels.json, the frame images and the session")
        p.add_argument("--frames", type=int, default=40, help="frames to propose (default 40)")
        p.add_argument("--weights", default=None, help="the model that proposes and pre-fills (default: bundled)")
        p.add_argument("--prefill", choices=("auto", "model", "teacher"), default="auto",
                       help="joints a frame opens with: the teacher's where `make teacher` installed it (auto, "
                            "the default), the model's, or the teacher's (an error if it is missing)")
        p.add_argument("--port", type=int, default=8765, help="port on 127.0.0.1 (default 8765; 0: any free one)")
        p.add_argument("--no-browser", action="store_true", help="do not open a browser, only print the address")

        def run(args: argparse.Namespace) -> int:
            from gaitpose.label.server import LabelOptions, run_label
            if args.frames <= 0:
                raise GaitposeError(f"--frames must be positive, got {args.frames}")
            return run_label(args.videos, args.out, LabelOptions(n_frames=args.frames, weights=args.weights,
                                                                      prefill=args.prefill),
                             port=args.port, open_browser=not args.no_browser)
        return run

    @_command(sub, "finetune", "fine-tune the model on your labelled frames (with replay of the training data)")
    def _finetune(p: argparse.ArgumentParser) -> Runner:
        p.add_argument("labels", nargs="+", metavar="LABELS", help="labels.json files from `gaitpose label`")
        p.add_argument("--out", required=True, help="checkpoint to write (MODEL.pt)")
        p.add_argument("--weights", default=None, help="checkpoint to start from (default: the bundled model)")
        p.add_argument("--replay", nargs="*", default=None, metavar="ANN",
                       help="training annotation files replayed beside the new frames (default: data/**/train.json "
                            "and data/**/*_train.json where they exist; give no file for none)")
        p.add_argument("--holdout", type=int, default=None,
                       help="labelled frames kept out to measure the gain (default: 1 in 5, at least 1 from 3 frames)")
        p.add_argument("--epochs", type=int, default=None, help="passes (default from the config: 10)")
        p.add_argument("--max-minutes", type=float, default=None, help="time budget (default from the config: 9)")
        p.add_argument("--config", default=None, help="fine-tuning TOML config (default: configs/finetune_labels.toml "
                                                       "as shipped)")
        p.add_argument("--seed", type=int, default=0)

        def run(args: argparse.Namespace) -> int:
            from gaitpose.train.finetune import FinetuneRequest, finetune
            finetune(FinetuneRequest(labels=args.labels, out=args.out, weights=args.weights, replay=args.replay,
                                     holdout=args.holdout, epochs=args.epochs, max_minutes=args.max_minutes,
                                     config=args.config, seed=args.seed))
            return 0
        return run

    @_command(sub, "eval", "PCKs@0.1 / @0.08 overall and per joint on a labelled dataset")
    def _eval(p: argparse.ArgumentParser) -> Runner:
        p.add_argument("--data", required=True, help="COCO-keypoints annotations JSON")
        p.add_argument("--weights", default=None, help="checkpoint (default: the bundled model)")
        p.add_argument("--json", dest="json_path", default=None, help="write the metrics here")
        p.add_argument("--flip", action="store_true", help="flip test: average with the mirrored image")
        p.add_argument("--batch-size", type=int, default=8)
        _add_keypoints_option(p)

        def run(args: argparse.Namespace) -> int:
            from gaitpose.jobs import evaluate
            evaluate(args.data, keypoints=args.keypoints, weights=args.weights, json_path=args.json_path,
                     flip=args.flip, batch_size=args.batch_size)
            return 0
        return run

    @_command(sub, "calibrate", "choose a checkpoint's default --min-score on labelled real images and store it in the checkpoint")
    def _calibrate(p: argparse.ArgumentParser) -> Runner:
        p.add_argument("--weights", required=True, help="checkpoint to calibrate (rewritten with the threshold)")
        p.add_argument("--data", nargs="+", required=True, help="COCO-keypoints JSON files of real validation images")

        def run(args: argparse.Namespace) -> int:
            from gaitpose.train.calibrate import calibrate_checkpoint
            result = calibrate_checkpoint(args.weights, args.data)
            print(f"min-score {result['min_score']:.3f} (F1 {result['f1']:.3f} of 'score ≥ threshold' against "
                  f"'found correctly' over {result['n_joints']} labelled joints; {result['kept_correct']:.0%} of the "
                  f"correct joints kept, {result['kept_precision']:.0%} of the kept correct); written to {args.weights}")
            return 0
        return run

    @_command(sub, "synth", "synthetic RGB-D walking data with exact ground truth (COCO keypoints, videos)")
    def _synth(p: argparse.ArgumentParser) -> Runner:
        p.add_argument("--out", required=True, help="output folder")
        p.add_argument("--subjects", type=int, default=4, help="number of subjects (one recording each)")
        p.add_argument("--frames-per-subject", type=int, default=16, help="dataset images per subject")
        p.add_argument("--size", type=int, default=512, help="image width and height in pixels")
        p.add_argument("--seed", type=int, default=0, help="random seed (same seed, same bytes)")
        p.add_argument("--video", action="store_true", help="also write a video and its ground truth per subject")
        p.add_argument("--preset", choices=("normal", "exo", "exo-shell", "hemiparetic", "mixed"), default="mixed",
                       help="kind of walking (exo-shell: an exoskeleton design held out of all training, "
                            "for measuring fine-tuning)")
        p.add_argument("--workers", type=int, default=1, help="processes rendering in parallel")
        p.add_argument("--video-size", default="960x540", help="video frame WIDTHxHEIGHT in pixels (default 960x540)")
        p.add_argument("--video-seconds", type=float, default=8.0, help="video length in seconds (default 8)")
        p.add_argument("--video-crf", type=int, default=23, help="H.264 quality of the video, lower is better (default 23)")
        p.add_argument("--fps", type=float, default=30.0, help="frame rate of the walks and videos (default 30)")
        p.add_argument("--backgrounds", nargs="+", default=(), metavar="PATH",
                       help="lay the dataset frames over real photographs: walking clips (static camera; their "
                            "background plates are extracted) and LSP folders (joints.mat + images/), or folders of them")
        p.add_argument("--plates-dir", default="data/plates",
                       help="cache of the clips' background plates (default data/plates)")
        p.add_argument("--held-out", default=None, metavar="TOML",
                       help="a TOML file (clips = [...], lsp_every = N) of sources never used as backgrounds "
                            "(default: the project's real validation set, gaitpose.data.real_split; 'none' for none)")

        def run(args: argparse.Namespace) -> int:
            from pathlib import Path

            from gaitpose.data.synth.backgrounds import REAL_VALIDATION, HeldOut, read_held_out
            from gaitpose.data.synth.generate import SynthConfig, generate
            try:
                width, height = (int(v) for v in args.video_size.lower().split("x"))
            except ValueError:
                raise GaitposeError(f"--video-size: expected WIDTHxHEIGHT such as 960x540, got {args.video_size!r}")
            held_out = HeldOut()
            if args.backgrounds and args.held_out != "none":
                held_out = REAL_VALIDATION if args.held_out is None else read_held_out(args.held_out)
            result = generate(SynthConfig(Path(args.out), args.subjects, args.frames_per_subject, args.size, args.seed,
                                          args.video, args.preset, args.workers, args.fps, (width, height),
                                          args.video_seconds, args.video_crf, tuple(args.backgrounds),
                                          Path(args.plates_dir), held_out))
            if result["backgrounds"]:
                print(result["backgrounds"])
            print(f"wrote {result['images']} images to {result['annotations']} and {len(result['videos'])} videos "
                  f"in {result['seconds']:.1f} s ({result['frames_rendered'] / result['seconds']:.1f} frames/s)")
            return 0
        return run

    @_command(sub, "demo", "analyse the bundled demo walk with the bundled model and compare with its truth")
    def _demo(p: argparse.ArgumentParser) -> Runner:
        p.add_argument("--out", default="gaitpose-demo", help="report folder (default: ./gaitpose-demo)")

        def run(args: argparse.Namespace) -> int:
            from gaitpose.jobs import demo
            demo(args.out)
            return 0
        return run

    @_command(sub, "analyze", "video → keypoints → gait analysis → report and overlay video")
    def _analyze(p: argparse.ArgumentParser) -> Runner:
        p.add_argument("video", help="side-view video of the walk")
        p.add_argument("--out", required=True, help="output folder")
        p.add_argument("--weights", default=None, help="checkpoint (default: the bundled model)")
        p.add_argument("--onnx", default=None, help="run this ONNX export with ONNX Runtime instead of PyTorch")
        p.add_argument("--device", default="auto", help="cpu, cuda or auto")
        p.add_argument("--threads", type=int, default=0, help="CPU threads for the network (0: default)")
        p.add_argument("--batch-size", type=int, default=8, help="frames per network call")
        p.add_argument("--start", type=float, default=0.0, help="start time in seconds")
        p.add_argument("--end", type=float, default=None, help="end time in seconds")
        p.add_argument("--fps", type=float, default=None, help="frame rate (default: from the video file)")
        p.add_argument("--no-follow", action="store_true", help="always give the network the whole frame")
        p.add_argument("--flip-test", action="store_true", help="average with the mirrored frame (slower)")
        p.add_argument("--size", type=int, default=None, help="network input size (default: the checkpoint's)")
        p.add_argument("--no-overlay", action="store_true", help="skip overlay.mp4")
        p.add_argument("--person", type=int, default=1, metavar="N",
                       help="with several people walking, analyse the N-th (1: the one who walks most; the "
                            "report lists them)")
        _add_keypoints_option(p)
        _add_gait_options(p)
        p.set_defaults(min_score=None)
        _set_help(p, "--min-score", "joints scoring below are treated as missing (default: the model's calibrated "
                                    "threshold from `gaitpose calibrate`, else 0.3)")
        _add_session_options(p)

        def run(args: argparse.Namespace) -> int:
            from gaitpose.gait.commands import gait_options_from_args, print_gait_summary, session_info
            from gaitpose.jobs import analyze
            from gaitpose.predict.analyze import AnalyzeOptions, stage_line
            _check_session_options(args)
            options = AnalyzeOptions(keypoints=args.keypoints, weights=args.weights, onnx=args.onnx,
                                     device=args.device, threads=args.threads, batch_size=args.batch_size,
                                     start_s=args.start, end_s=args.end, fps=args.fps, follow=not args.no_follow,
                                     flip=args.flip_test, overlay=not args.no_overlay, min_score=args.min_score,
                                     input_size=args.size, person=args.person)
            gait_options = gait_options_from_args(args)
            session = session_info(gait_options.camera, args.subject, args.session_label, args.date)
            record, result = analyze(args.video, args.out, options, gait_options, session)
            if record.get("ended_early"):
                print(f"gaitpose analyze: warning: {args.video}: {record['ended_early']}", file=sys.stderr)
            print_gait_summary(result, args.out)
            print(f"keypoints at {record['keypoint_frames_per_s']:.1f} frames/s ({record['backend']})")
            print(stage_line(record))
            return _add_to_record(args)
        return run

    @_command(sub, "teach", "label real images and video frames with the MediaPipe Pose teacher (needs `make teacher`)")
    def _teach(p: argparse.ArgumentParser) -> Runner:
        p.add_argument("inputs", nargs="+", metavar="IMAGE_VIDEO_OR_FOLDER",
                       help="images, videos, or folders of them (the files directly inside)")
        p.add_argument("--out", required=True, help="output folder: annotations.json, images/, teach_report.json")
        p.add_argument("--every", type=int, default=2, help="videos: write every N-th frame (default 2)")
        p.add_argument("--min-visibility", type=float, default=0.5,
                       help="drop joints the teacher sees less than this (default 0.5)")
        p.add_argument("--min-joints", type=int, default=6, help="write frames with at least this many of 8 joints")
        p.add_argument("--no-follow", action="store_true", help="videos: give the teacher the whole frame")
        p.add_argument("--progress", action="store_true", help="progress bar per video")

        def run(args: argparse.Namespace) -> int:
            from gaitpose.teach import TeachOptions, summary_line, teach
            options = TeachOptions(every=args.every, min_visibility=args.min_visibility, min_joints=args.min_joints,
                                   follow=not args.no_follow, progress=args.progress)
            report = teach(args.inputs, args.out, options, on_source=lambda source: print(source.line(), flush=True))
            print(summary_line(report))
            print(f"wrote {args.out}/annotations.json and {args.out}/teach_report.json")
            return 0
        return run

    @_command(sub, "gait", "gait analysis from keypoint tracks (keypoints.csv, OpenPose JSON folder or .trc)")
    def _gait(p: argparse.ArgumentParser) -> Runner:
        p.add_argument("keypoints", help="keypoints.csv (SPEC §9), a folder of OpenPose *.json, or a .trc file")
        p.add_argument("--out", required=True, help="output folder")
        p.add_argument("--fps", type=float, default=None, help="frame rate (required unless the file has time_s)")
        _add_gait_options(p)
        p.set_defaults(min_score=None)
        _set_help(p, "--min-score", "joints scoring below are treated as missing (default: the threshold `analyze` "
                                    "used, from the analysis.json beside the keypoints file, else 0.3)")
        _add_session_options(p)

        def run(args: argparse.Namespace) -> int:
            from gaitpose.gait.commands import run_gait
            _check_session_options(args)
            run_gait(args)
            return _add_to_record(args)
        return run

    @_command(sub, "compare", "curve similarity (S, RMSE, MAE, r, lag) of two angles.csv files, per angle")
    def _compare(p: argparse.ArgumentParser) -> Runner:
        p.add_argument("angles", help="angles.csv (measured)")
        p.add_argument("reference", help="angles.csv (reference, e.g. a motion tracker)")
        p.add_argument("--fps", type=float, default=None, help="frame rate when the files have no time_s")
        p.add_argument("--json", dest="json_path", default=None, help="also write the table as JSON")

        def run(args: argparse.Namespace) -> int:
            from gaitpose.gait.commands import run_compare
            return run_compare(args)
        return run

    @_command(sub, "norms", "normative reference bands from healthy recordings")
    def _norms(p: argparse.ArgumentParser) -> Runner:
        actions = p.add_subparsers(dest="action", required=True, metavar="ACTION")
        q = actions.add_parser("build", help="build norms.json from summary.json files of `gaitpose gait`")
        q.add_argument("summaries", nargs="+", help="summary.json files")
        q.add_argument("--out", required=True, help="norms.json to write")

        def run(args: argparse.Namespace) -> int:
            from gaitpose.gait.commands import run_norms_build
            from gaitpose.report.keynumbers import lab_scalars
            return run_norms_build(args, scalars_from=lab_scalars)
        return run

    @_command(sub, "record", "the patient's record: sessions of a subject kept together, and their trend")
    def _record(p: argparse.ArgumentParser) -> Runner:
        actions = p.add_subparsers(dest="action", required=True, metavar="ACTION")
        db_help = "record file (default: gaitpose/record.sqlite in the user's data folder)"
        q = actions.add_parser("add", help="add an analysis folder as a session of a subject")
        q.add_argument("folder", help="output folder of gaitpose analyze/gait")
        q.add_argument("--subject", required=True, help="subject id (a code, not the patient's name)")
        q.add_argument("--session-label", default=None, help="e.g. 'week 3, exoskeleton, 40 %% assistance'")
        q.add_argument("--date", default=None, help="session date YYYY-MM-DD (default: the analysis date)")
        q = actions.add_parser("list", help="subjects in the record, or one subject's sessions")
        q.add_argument("--subject", default=None, help="list this subject's sessions")
        q = actions.add_parser("show", help="one subject's sessions with their key numbers and folder checks")
        q.add_argument("subject", help="subject id")
        q = actions.add_parser("trend", help="HTML page of one subject's key numbers and angle curves over sessions")
        q.add_argument("subject", help="subject id")
        q.add_argument("--out", required=True, help="folder for trend.html")
        q.add_argument("--norms", default=None, help="norms.json from `gaitpose norms build` (lab normal ranges)")
        for q in actions.choices.values():
            q.add_argument("--db", default=None, help=db_help)

        def run(args: argparse.Namespace) -> int:
            from gaitpose.report.commands import run_record
            return run_record(args)
        return run

    return parser


def _add_keypoints_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--keypoints", choices=("gaitposenet", "mediapipe"), default="gaitposenet",
                   help="keypoint source: the bundled network (default) or the MediaPipe teacher (`make teacher`)")


def _add_session_options(p: argparse.ArgumentParser) -> None:
    """Who and when (the report's header); with --subject the analysis is also added to the record."""
    p.add_argument("--subject", default=None, help="subject id (a code, not a name); adds the analysis to the record")
    p.add_argument("--session-label", default=None, help="free text for the report and the record")
    p.add_argument("--date", default=None, help="session date YYYY-MM-DD (default: today)")
    p.add_argument("--db", default=None, help="record file for --subject (default: in the user's data folder)")


def _check_session_options(args: argparse.Namespace) -> None:
    """Refuse a bad subject id or date before the analysis runs, not after."""
    from gaitpose.report.record import check_date, check_subject
    if args.subject is not None:
        args.subject = check_subject(args.subject)
    if args.date is not None:
        args.date = check_date(args.date)


def _add_to_record(args: argparse.Namespace) -> int:
    if args.subject is not None:
        from gaitpose.report.commands import add_to_record
        print(add_to_record(args.out, args.subject, args.session_label, args.date, args.db))
    return 0


def _add_gait_options(p: argparse.ArgumentParser) -> None:
    """The options `gait` and `analyze` share (SPEC §9)."""
    p.add_argument("--height-m", type=float, default=None, help="body height; segment lengths from Winter (2009) ratios")
    p.add_argument("--thigh-m", default=None, help="thigh length L[,R] in metres")
    p.add_argument("--shank-m", default=None, help="shank length L[,R] in metres")
    p.add_argument("--camera", default=None, help='CAMERA.json {"fx":…, "fy":…, "cx":…, "cy":…, optional "dist"}')
    p.add_argument("--direction", choices=("auto", "left", "right"), default="auto", help="the way the subject faces")
    p.add_argument("--reference", default=None, help="reference angles.csv for the similarity table")
    p.add_argument("--norms", default=None, help="norms.json from `gaitpose norms build`")
    p.add_argument("--floor-angle", type=float, default=None,
                   help="floor angle in the image, deg, counter-clockwise + (default: estimated)")
    p.add_argument("--treadmill-speed", type=float, default=None, help="belt speed m/s (treadmill)")
    p.add_argument("--cutoff-hz", type=float, default=6.0, help="low-pass cutoff (default 6 Hz)")
    p.add_argument("--max-gap-s", type=float, default=0.2, help="longest gap filled by interpolation (s)")
    p.add_argument("--min-score", type=float, default=0.3, help="joints scoring below are treated as missing")


def _set_help(p: argparse.ArgumentParser, option: str, text: str) -> None:
    """Reword one option's help (a shared option whose default differs in this command)."""
    for action in p._actions:
        if option in action.option_strings:
            action.help = text


def _csv(text: str) -> list[str]:
    return [t.strip() for t in text.split(",") if t.strip()]


def main(argv: Sequence[str] | None = None) -> int:
    # FFmpeg inside OpenCV prints its own complaints about bad files; ours is the one line that counts.
    os.environ.setdefault("OPENCV_FFMPEG_LOGLEVEL", "-8")
    os.environ.setdefault("OPENCV_LOG_LEVEL", "ERROR")
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return _RUNNERS[args.command](args)
    except GaitposeError as exc:
        print(f"gaitpose {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"gaitpose {args.command}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
