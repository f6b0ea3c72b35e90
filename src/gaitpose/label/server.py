"""`gaitpose label VIDEO… --out DIR`: propose frames, then serve the labelling page on 127.0.0.1.

Standard library only (http.server): the page is plain HTML/JS/CSS shipped in the package
(`label/static/`), nothing is fetched from the internet and nothing is installed in the browser.
A user mistake (unreadable video, folder without videos, a labels file of another skeleton) is
printed in the terminal and shown on the page.
"""
from __future__ import annotations

import json
import re
import sys
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from typing import Any, Callable

import cv2
import numpy as np

from gaitpose.errors import GaitposeError
from gaitpose.formats import write_bytes_atomic
from gaitpose.label.propose import PROPOSERS, Pick, Proposer, choose_frames, gait_phase_bins, make_prefill, merge_prefill
from gaitpose.label.store import Frame, LabelStore, find_videos, initial_keypoints
from gaitpose.predict.video import VideoInfo, iter_frames, probe_video
from gaitpose.report.overlay import SKELETON_COLOURS_BGR
from gaitpose.skeleton import BONES, FLIP_PAIRS, JOINTS

_STATIC = {"index.html": "text/html", "label.js": "text/javascript", "label.css": "text/css"}
_IMAGE_NAME = re.compile(r"^[\w.-]+\.png$")


@dataclass
class LabelOptions:
    n_frames: int = 40              # frames proposed (over all new videos)
    step_s: float = 0.1             # one candidate frame every step_s seconds
    min_gap_s: float = 0.3          # proposed frames of one video at least this far apart
    phase_bins: int = 8             # gait-cycle bins the proposals are spread over
    proposer: str = "model"
    weights: str | None = None      # the model proposer's checkpoint (None: the bundled model)
    prefill: str = "auto"           # what a frame opens with: auto (teacher where installed) | model | teacher


def prepare_session(videos: list[str], out_dir: str | Path, options: LabelOptions = LabelOptions(),
                    proposer: Proposer | None = None, log: Callable[[str], None] = print,
                    prefill: Callable[[np.ndarray, np.ndarray], np.ndarray] | None = None
                    ) -> tuple[LabelStore, list[str]]:
    """Open (or continue) the session in `out_dir`, proposing frames for videos it has not seen yet.

    `prefill` (frame BGR, the proposer's guess → 8×3 joints, NaN where unseen) gives the joints a frame
    opens with where it sees them; None: as `options.prefill` says.
    Returns the store and warnings (videos that could not be read and were left out). Raises
    GaitposeError when nothing can be labelled or the folder holds another skeleton's labels.
    """
    store = LabelStore(out_dir)
    store.load()
    paths = find_videos(videos)
    warnings: list[str] = []
    infos: list[VideoInfo] = []
    for path in paths:
        if str(path.resolve()) in store.videos:
            continue
        try:
            infos.append(probe_video(path))
        except GaitposeError as exc:
            warnings.append(f"left out: {exc}")
    if not infos and not store.frames:
        raise GaitposeError("no readable video to label (" + "; ".join(warnings) + ")")
    if infos:
        proposer = proposer or PROPOSERS[options.proposer](options.weights)
        prefill = make_prefill(options.prefill) if prefill is None else prefill
        prefill_name = getattr(prefill, "name", "given pre-fill")
        if prefill is not None:
            log(f"frames open with the joints of the {prefill_name}")
        store.add(_propose(infos, Path(out_dir), options, proposer, log, {f.key for f in store.frames},
                           {_stem(v) for v in store.videos}, prefill),
                  [str(Path(i.path).resolve()) for i in infos],
                  proposer.name + (f"; pre-filled by the {prefill_name}" if prefill is not None else ""))
    return store, warnings


def _propose(infos: list[VideoInfo], out_dir: Path, options: LabelOptions, proposer: Proposer,
             log: Callable[[str], None], taken_keys: set[str], taken_stems: set[str],
             prefill: Callable[[np.ndarray, np.ndarray], np.ndarray] | None = None) -> list[Frame]:
    """Frames of new videos, in the order to offer them; a frame already in the session is not offered twice."""
    candidates, picks = [], []
    for v, info in enumerate(infos):
        log(f"proposing frames of {info.path} ({proposer.name})")
        cand = proposer(info, max(1, int(round(options.step_s * info.fps))))
        candidates.append(cand)
        bins = gait_phase_bins(cand.keypoints, options.phase_bins)
        picks += [Pick(v, int(f), int(b), float(u)) for f, b, u in zip(cand.frames, bins, cand.uncertainty)]
    min_gap = max(1, int(round(options.min_gap_s * min(i.fps for i in infos))))
    chosen = choose_frames(picks, options.n_frames, min_gap)
    stems = _unique_stems(infos, taken_stems)
    frames: list[Frame] = []
    for v, info in enumerate(infos):
        row = {int(f): n for n, f in enumerate(candidates[v].frames)}
        wanted = {p.frame: p for p in chosen if p.video == v and f"{stems[v]}_f{p.frame:06d}" not in taken_keys}
        images = _write_images(info, sorted(wanted), out_dir, stems[v])
        for index, image in images.items():
            guess = candidates[v].keypoints[row[index]]
            if prefill is None:
                opens = guess
            else:                             # the frame as written: no frames held in memory meanwhile
                opens = merge_prefill(guess, prefill(cv2.imread(str(out_dir / image)), guess))
            frames.append(Frame(f"{stems[v]}_f{index:06d}", info.path, index, image, info.width, info.height,
                                wanted[index].uncertainty, guess, initial_keypoints(opens)))
    order = {(infos[p.video].path, p.frame): n for n, p in enumerate(chosen)}
    frames.sort(key=lambda f: order[(f.video, f.frame)])
    return frames


def _stem(video: str) -> str:
    return re.sub(r"[^\w.-]", "_", Path(video).stem)


def _unique_stems(infos: list[VideoInfo], taken_stems: set[str]) -> list[str]:
    """Image-name stems of the new videos, distinct from each other and from the session's videos'."""
    taken_stems = set(taken_stems)
    stems = []
    for info in infos:
        stem = _stem(info.path)
        name, n = stem, 2
        while name in taken_stems:
            name, n = f"{stem}-{n}", n + 1
        taken_stems.add(name)
        stems.append(name)
    return stems


def _write_images(info: VideoInfo, frames: list[int], out_dir: Path, stem: str) -> dict[int, str]:
    """The chosen frames as PNG files in out_dir/images (frame index → path relative to out_dir)."""
    wanted, written = set(frames), {}
    if not wanted:
        return written
    for index, frame in iter_frames(info, 0.0, (max(wanted) + 1) / info.fps):
        if index in wanted and frame is not None:
            name = f"images/{stem}_f{index:06d}.png"
            ok, png = cv2.imencode(".png", frame)
            if ok:
                write_bytes_atomic(out_dir / name, png.tobytes())
                written[index] = name
    return written


def page_config() -> dict[str, Any]:
    """What the page draws with: the skeleton (one definition) and the overlay video's colours."""
    def css(bgr: tuple[int, int, int]) -> str:
        return f"rgb({bgr[2]},{bgr[1]},{bgr[0]})"
    return {"joints": list(JOINTS), "bones": [list(b) for b in BONES], "flip_pairs": [list(p) for p in FLIP_PAIRS],
            "colours": {side: css(bgr) for side, bgr in SKELETON_COLOURS_BGR.items()}}


def make_server(store: LabelStore | None, warnings: list[str], error: str | None = None,
                host: str = "127.0.0.1", port: int = 8765, log: Callable[[str], None] = print) -> ThreadingHTTPServer:
    """The HTTP server of the page (not yet serving). With `error`, the page shows only that message."""
    static = resources.files("gaitpose") / "label" / "static"

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:        # quiet: one line per problem only
            pass

        def _send(self, status: int, body: bytes, content_type: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def _json(self, status: int, value: Any) -> None:
            self._send(status, json.dumps(value).encode(), "application/json")

        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            path = self.path.split("?", 1)[0]
            if path in ("/", "/index.html"):
                path = "/static/index.html"
            if path.startswith("/static/") and path[8:] in _STATIC:
                self._send(200, (static / path[8:]).read_bytes(), _STATIC[path[8:]] + "; charset=utf-8")
            elif path.startswith("/images/") and _IMAGE_NAME.match(path[8:]) and store is not None \
                    and (store.out_dir / "images" / path[8:]).is_file():
                self._send(200, (store.out_dir / "images" / path[8:]).read_bytes(), "image/png")
            elif path == "/api/state":
                state = {"error": error, "warnings": warnings, "skeleton": page_config()}
                if store is not None:
                    state.update(store.state())
                self._json(200, state)
            else:
                self._send(404, b"not found", "text/plain")

        def do_POST(self) -> None:  # noqa: N802
            try:
                if store is None:
                    raise GaitposeError(error or "no session")
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))) or b"{}")
                if self.path == "/api/frame":
                    store.update(int(body["index"]), body["keypoints"], body.get("position"))
                elif self.path == "/api/position":
                    store.move(int(body["position"]))
                else:
                    self._send(404, b"not found", "text/plain")
                    return
                self._json(200, {"saved": True, "labelled": sum(f.labelled for f in store.frames)})
            except (GaitposeError, KeyError, TypeError, ValueError, json.JSONDecodeError) as exc:
                message = str(exc) if isinstance(exc, GaitposeError) else f"bad request ({type(exc).__name__}: {exc})"
                log(f"gaitpose label: not saved: {message}")
                self._json(400, {"error": message})
            except OSError as exc:          # disk full, folder gone: the page must say it was not saved
                log(f"gaitpose label: not saved: {exc}")
                self._json(500, {"error": f"could not write: {exc}"})

    try:
        return ThreadingHTTPServer((host, port), Handler)
    except OSError as exc:
        raise GaitposeError(f"cannot serve on {host}:{port} ({exc.strerror}); try another --port") from None


def run_label(videos: list[str], out_dir: str, options: LabelOptions, port: int = 8765,
              open_browser: bool = True) -> int:
    """The command: prepare, serve until Ctrl-C. Bad input is printed and served as the page's message;
    the exit status is then 2."""
    error, store, warnings = None, None, []
    try:
        store, warnings = prepare_session(videos, out_dir, options)
    except GaitposeError as exc:
        error = str(exc)
        print(f"gaitpose label: error: {error}", file=sys.stderr)
    for w in warnings:
        print(f"gaitpose label: warning: {w}", file=sys.stderr)
    server = make_server(store, warnings, error, port=port,
                         log=lambda line: print(line, file=sys.stderr))
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    if store is not None:
        done = sum(f.labelled for f in store.frames)
        print(f"{len(store.frames)} frames to label ({done} done), saved to {store.labels_path} at every change")
    print(f"labelling page: {url}  (Ctrl-C to stop; nothing is lost)")
    if open_browser:
        import webbrowser
        threading.Thread(target=webbrowser.open, args=(url,), daemon=True).start()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 2 if error else 0

