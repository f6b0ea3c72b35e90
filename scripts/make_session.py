"""Build the whole-session recordings of issue 16 from the bundled demo walk (8 s, 960×540, 30 fps).

    python scripts/make_session.py OUT.mp4 [--passes 6] [--pause-s 0] [--minutes 0]

The walk is played forwards, then mirrored (the walker comes back the other way), and so on, `--passes`
times; with `--pause-s` the last frame of each pass is held that long (the patient standing at the
end of the walkway). `--minutes` repeats the whole pattern until the recording is at least that long.
Issue 16's two recordings:

    python scripts/make_session.py session_48s.mp4                       # 6 passes, 48 s, 1,440 frames
    python scripts/make_session.py session_10min.mp4 --pause-s 3 --minutes 10

A real person walking there and back (issue 16's CASIA-B measurement): `--clips` joins the given clips
in order, every other one mirrored, at the first clip's frame rate (all clips the same frame size):

    python scripts/make_session.py casia_001.mp4 --clips ../shared/data/walking/casia-b/001-nm-0{1,2,3,4,5,6}.avi

Uses the ffmpeg that imageio-ffmpeg ships (libx264, yuv420p). The truth per pass is the demo's
(assets/demo/summary.json: cycle 1.949 s), mirrored passes included.
"""
from __future__ import annotations

import argparse
import math
import subprocess
import sys
from pathlib import Path

import imageio_ffmpeg

DEMO = Path(__file__).resolve().parents[1] / "src" / "gaitpose" / "assets" / "demo" / "video.mp4"
DEMO_S = 8.0


def filter_graph(passes: int, pause_s: float) -> str:
    """ffmpeg filter_complex: `passes` copies of input 0, every other one mirrored, each followed by a
    hold of its last frame for `pause_s`, concatenated into [out]."""
    parts = [f"[0:v]split={passes}" + "".join(f"[s{k}]" for k in range(passes))]
    for k in range(passes):
        chain = "hflip," if k % 2 else ""
        hold = f"tpad=stop_mode=clone:stop_duration={pause_s}," if pause_s > 0 else ""
        parts.append(f"[s{k}]{chain}{hold}setpts=PTS-STARTPTS[p{k}]")
    parts.append("".join(f"[p{k}]" for k in range(passes)) + f"concat=n={passes}:v=1:a=0[out]")
    return ";".join(parts)


def join_graph(n_clips: int) -> str:
    """ffmpeg filter_complex: inputs 0 … n−1 in order, every other one mirrored, concatenated into [out]."""
    parts = [f"[{k}:v]{'hflip,' if k % 2 else ''}setpts=PTS-STARTPTS[p{k}]" for k in range(n_clips)]
    parts.append("".join(f"[p{k}]" for k in range(n_clips)) + f"concat=n={n_clips}:v=1:a=0[out]")
    return ";".join(parts)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("--passes", type=int, default=6)
    ap.add_argument("--pause-s", type=float, default=0.0)
    ap.add_argument("--minutes", type=float, default=0.0)
    ap.add_argument("--clips", nargs="+", default=None, help="join these clips, every other one mirrored")
    args = ap.parse_args(argv)
    if args.clips:
        missing = [c for c in args.clips if not Path(c).is_file()]
        if missing:
            print(f"make_session: {missing[0]}: no such file", file=sys.stderr)
            return 2
        out = Path(args.out)
        tmp = out.with_name(out.stem + ".part" + out.suffix)
        cmd = [imageio_ffmpeg.get_ffmpeg_exe(), "-y", "-loglevel", "error"]
        for clip in args.clips:
            cmd += ["-i", str(clip)]
        cmd += ["-filter_complex", join_graph(len(args.clips)), "-map", "[out]",
                "-c:v", "libx264", "-pix_fmt", "yuv420p", "-crf", "18", str(tmp)]
        subprocess.run(cmd, check=True)
        tmp.replace(out)
        print(f"{out}: {len(args.clips)} clips joined, every other one mirrored")
        return 0
    if args.passes < 1 or args.pause_s < 0 or args.minutes < 0:
        print("make_session: --passes ≥ 1, --pause-s ≥ 0 and --minutes ≥ 0 expected", file=sys.stderr)
        return 2
    passes = args.passes
    if args.minutes > 0:                       # whole there-and-back pairs until long enough
        per_pass = DEMO_S + args.pause_s
        passes = max(passes, 2 * math.ceil(args.minutes * 60 / (2 * per_pass)))
    out = Path(args.out)
    tmp = out.with_name(out.stem + ".part" + out.suffix)
    cmd = [imageio_ffmpeg.get_ffmpeg_exe(), "-y", "-loglevel", "error", "-i", str(DEMO),
           "-filter_complex", filter_graph(passes, args.pause_s), "-map", "[out]",
           "-c:v", "libx264", "-pix_fmt", "yuv420p", "-crf", "20", "-r", "30", str(tmp)]
    subprocess.run(cmd, check=True)
    tmp.replace(out)                           # atomic: a killed run leaves no half-written OUT
    print(f"{out}: {passes} passes of {DEMO_S:.0f} s" + (f", each held {args.pause_s:g} s" if args.pause_s else ""))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
