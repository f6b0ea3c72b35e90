"""Synthetic people over real backgrounds: compositing, plates, LSP regions, the held-out sources."""
from dataclasses import replace
from pathlib import Path

import cv2
import numpy as np
import pytest
import scipy.io

from gaitpose.cli import main
from gaitpose.data.augment import AugmentParams
from gaitpose.data.synth.backgrounds import (HeldOut, collect_sources, crop_square, extract_plate, median_plate,
                                             person_free_regions, read_held_out, sample_backdrop, upright)
from gaitpose.data.synth.composite import Backdrop, BackdropLook, composite
from gaitpose.data.synth.degrade import CameraLook
from gaitpose.data.synth.frame_renderer import FrameRenderer
from gaitpose.data.synth.recording import sample_recording
from gaitpose.errors import GaitposeError

PLAIN = BackdropLook(jitter=AugmentParams(brightness=0.0, contrast=0.0, saturation=0.0), tint=0.0, blur_prob=0.0)
RED, GREEN = (0, 0, 255), (0, 255, 0)  # BGR


# ---------------------------------------------------------------- compositing

def _square_scene():
    """30×30: person (red) in rows/cols 5–24, the renderer's room (green) elsewhere, a blue photograph."""
    mask = np.zeros((30, 30), bool)
    mask[5:25, 5:25] = True
    fg = np.zeros((30, 30, 3), np.float32)
    fg[mask] = (1.0, 0.0, 0.0)
    fg[~mask] = (0.0, 1.0, 0.0)
    bg = np.zeros((30, 30, 3), np.float32)
    bg[...] = (0.0, 0.0, 1.0)
    return fg, mask, bg


def test_hard_composite_is_person_on_the_mask_and_photograph_elsewhere():
    fg, mask, bg = _square_scene()
    out = composite(fg, mask, bg, edge_sigma_px=0.0)
    assert np.array_equal(out[mask], np.tile([1.0, 0.0, 0.0], (mask.sum(), 1)))
    assert np.array_equal(out[~mask], np.tile([0.0, 0.0, 1.0], ((~mask).sum(), 1)))


def test_soft_edge_mixes_person_and_photograph_never_the_room():
    fg, mask, bg = _square_scene()
    out = composite(fg, mask, bg, edge_sigma_px=1.0)
    assert np.abs(out[..., 1]).max() < 1e-6                          # no green: no cut-out halo of the room
    np.testing.assert_allclose(out[..., 0] + out[..., 2], 1.0, atol=1e-5)   # a convex mix of red and blue
    # OpenCV's Gaussian for sigma 1 is 9 taps wide (radius 4): 5 px from the edge nothing changes
    np.testing.assert_allclose(out[10:20, 10:20], np.broadcast_to([1.0, 0.0, 0.0], (10, 10, 3)), atol=1e-6)
    np.testing.assert_allclose(out[0, :], np.broadcast_to([0.0, 0.0, 1.0], (30, 3)), atol=1e-6)
    edge = out[15, 5, 0]                                              # on the mask's first column: partly blue
    assert 0.3 < edge < 0.9


def test_soft_edge_keeps_the_persons_texture_sharp():
    fg, mask, bg = _square_scene()
    fg[5:25:2, 5:25] = (0.5, 0.0, 0.0)                                # stripes on the person
    out = composite(fg, mask, bg, edge_sigma_px=1.0)
    np.testing.assert_allclose(out[10:20, 10:20], fg[10:20, 10:20], atol=1e-6)
    assert np.abs(out[..., 1]).max() < 1e-6


def test_renderer_puts_its_ray_hits_over_the_photograph():
    rec = sample_recording(np.random.default_rng(3), 0, (96, 96), "normal", 30.0)
    setup = replace(rec.setup, look=CameraLook(exposure=1.0, blur_px=0.0, noise_sigma=0.0, vignette=0.0))
    renderer = FrameRenderer(setup)
    pose = rec.walk.pose(int(rec.walk.frames_in_view(setup.view)[0]))
    plain = renderer.render(pose, np.random.default_rng(0))
    photo = np.full((96, 96, 3), 0.25, np.float32)
    over = renderer.render(pose, np.random.default_rng(0), backdrop=Backdrop(photo, 0.5, "grey"))
    solid = (plain.solid_id >= 0) | (renderer.background.buffers.solid_id >= 0)   # moving | static (props)
    far = cv2.dilate(solid.astype(np.uint8), np.ones((7, 7), np.uint8)) == 0   # ≥ 3 px from any solid
    near_solid = cv2.erode(solid.astype(np.uint8), np.ones((7, 7), np.uint8)) > 0
    floor = np.zeros(96 * 96, bool)
    floor[renderer.background.floor_index] = True
    wall = far & ~floor.reshape(96, 96)                             # no contact shadow there
    grey = int(0.25 ** (1 / 2.2) * 255 + 0.5)                         # finish_image's sRGB encoding
    assert wall.sum() > 500 and near_solid.sum() > 50
    assert np.all(over.bgr[wall] == grey)
    assert np.abs(over.bgr[near_solid].astype(int) - plain.bgr[near_solid]).max() <= 1   # float rounding only
    assert np.all(over.depth_mm[~solid] == 0) and np.any(over.depth_mm[solid] > 0)
    assert np.array_equal(over.keypoints_8x3, plain.keypoints_8x3)


# ---------------------------------------------------------------- plates

def _walk_frames() -> tuple[np.ndarray, np.ndarray]:
    """7 frames 16×24 of a fixed background with a white block (rows 4–9, 3 columns) moving 1 px a frame:
    columns 2–6 are covered in 3 frames, 1 and 7 in 2, 0 and 8 in 1 — never in 4 of the 7."""
    y, x = np.mgrid[:16, :24]
    background = np.stack([10 * x % 250, 12 * y % 250, (x + y) % 250], axis=-1).astype(np.uint8)
    frames = np.repeat(background[None], 7, axis=0)
    for t in range(7):
        frames[t, 4:10, t:t + 3] = 255
    return frames, background


def test_median_plate_removes_a_moving_block_exactly():
    frames, background = _walk_frames()
    # each pixel is covered in at most 3 of the 7 frames, so its median is the background's value
    assert np.array_equal(median_plate(frames), background)
    assert median_plate(np.array([[[5]], [[200]], [[7]], [[9]], [[6]]], np.uint8))[0, 0] == 7


def test_plate_of_a_small_video_is_its_background_and_the_floor_line_is_the_walkers_feet(tmp_path):
    frames, background = _walk_frames()
    clip = tmp_path / "walking" / "lab.avi"
    clip.parent.mkdir()
    writer = cv2.VideoWriter(str(clip), cv2.VideoWriter_fourcc(*"FFV1"), 25, (24, 16))   # lossless
    for frame in frames:
        writer.write(frame)
    writer.release()
    result = extract_plate(clip, tmp_path / "plates")
    assert result.reason == "" and result.frames == 7
    assert np.array_equal(cv2.imread(result.plate), background)
    # ≥ 2 differing frames: rows 4–9 × columns 1–7, a 6×7 block that a 5×5 opening keeps whole;
    # its 99th-percentile row is 9 → 9 / 16
    assert result.ground_frac == pytest.approx(9 / 16)
    assert extract_plate(clip, tmp_path / "plates") == result                        # from the cache


# ---------------------------------------------------------------- LSP regions

def test_person_free_regions_leave_the_person_box_and_its_margin_out():
    # box 20 wide, 60 high: margin max(8, 0.15 × 60) = 9 → x < 31, x ≥ 70, y ≥ 90 (nothing above)
    assert person_free_regions((40, 20, 60, 80), 100, 100) == [(0, 0, 31, 100), (70, 0, 100, 100), (0, 90, 100, 100)]
    assert person_free_regions((5, 5, 95, 95), 100, 100) == []


def test_crop_puts_the_sources_floor_line_at_the_walkers_feet():
    rows = np.repeat(np.arange(100, dtype=np.uint8)[:, None, None], 100, axis=1).repeat(3, axis=2)
    for seed in range(5):
        crop = crop_square(rows, (0, 0, 100, 100), np.random.default_rng(seed), ground_row=60, frame_ground_frac=0.75)
        side = crop.shape[0]
        assert crop.shape[:2] == (side, side) and side <= 80      # 60 / 0.75 = 80 px above the line at most
        assert abs(int(crop[int(round(0.75 * side)), 0, 0]) - 60) <= 1


def test_upright_needs_ankles_below_hips_below_shoulders():
    standing = np.zeros((14, 2))
    standing[:, 0] = 50
    standing[[0, 5], 1], standing[[1, 4], 1], standing[[2, 3], 1] = 100, 80, 60
    standing[[8, 9], 1], standing[13, 1] = 30, 10
    standing[[6, 7, 10, 11, 12], 1] = 40
    assert upright(standing)
    assert not upright(standing * [1, -1] + [0, 120])                   # upside down
    no_ankles = standing.copy()
    no_ankles[[0, 5]] = (-1, 0)                                        # LSP's placeholders
    assert not upright(no_ankles)


# ---------------------------------------------------------------- the validation sources are never used

def _lsp_folder(root: Path, n: int) -> None:
    """n upright people in 200×200 images; images whose number is a multiple of 20 are red, others green."""
    (root / "images").mkdir(parents=True)
    joints = np.zeros((14, 3, n))
    for i in range(n):
        image = np.zeros((200, 200, 3), np.uint8)
        image[...] = RED if (i + 1) % 20 == 0 else GREEN
        cv2.imwrite(str(root / "images" / f"im{i + 1:05d}.jpg"), image)
        ys = np.array([40, 35, 25, 25, 35, 40, 15, 18, 10, 10, 18, 15, 8, 4], float)   # upright, rows 4–40
        joints[:, 0, i], joints[:, 1, i], joints[:, 2, i] = 100 + np.arange(14) % 3, ys, 1
    scipy.io.savemat(root / "joints.mat", {"joints": joints})


def _clip(path: Path, colour: tuple[int, int, int]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"FFV1"), 25, (64, 48))
    for _ in range(5):
        writer.write(np.full((48, 64, 3), colour, np.uint8))
    writer.release()


def test_validation_images_and_clips_are_never_used(tmp_path):
    _lsp_folder(tmp_path / "lspet", 40)
    _clip(tmp_path / "walking" / "train.avi", GREEN)
    _clip(tmp_path / "walking" / "held" / "val.avi", RED)
    held_out = HeldOut(clips=("walking/held/val.avi",), lsp_every=20)
    sources, report = collect_sources([tmp_path], held_out, tmp_path / "plates")
    names = {Path(e.path).name for e in sources.lsp}
    assert len(names) == 38 and "im00020.jpg" not in names and "im00040.jpg" not in names
    assert [p.clip for scene in sources.plate_scenes for p in scene] == [str(tmp_path / "walking" / "train.avi")]
    assert str(tmp_path / "walking" / "held" / "val.avi") in report.held_out
    assert not list((tmp_path / "plates").glob("*val*"))              # not even its plate was made
    rng = np.random.default_rng(0)
    for _ in range(60):
        backdrop = sample_backdrop(sources, rng, 32, feet_frac=0.9, look=PLAIN)
        mean_rgb = backdrop.rgb_linear.reshape(-1, 3).mean(axis=0)
        assert mean_rgb[1] > 0.9 and mean_rgb[0] < 0.05, backdrop.source   # green sources only


def test_held_out_list_file(tmp_path):
    path = tmp_path / "held.toml"
    path.write_text('lsp_every = 20\nclips = ["walking/stage.mp4"]\n')
    held = read_held_out(path)
    assert held.lsp_held_out(40) and not held.lsp_held_out(41)
    assert held.clip_held_out(tmp_path / "data" / "walking" / "stage.mp4")
    assert not held.clip_held_out(tmp_path / "data" / "other" / "stage.mp4")
    path.write_text('clips = "walking/stage.mp4"\n')
    with pytest.raises(GaitposeError, match="'clips' must be a list"):
        read_held_out(path)


# ---------------------------------------------------------------- user mistakes

def test_a_folder_without_clips_or_lsp_is_one_line_with_status_2(tmp_path, capsys):
    (tmp_path / "photos").mkdir()
    (tmp_path / "photos" / "notes.txt").write_text("no images here")
    code = main(["synth", "--out", str(tmp_path / "out"), "--subjects", "1", "--frames-per-subject", "1", "--size", "64",
                 "--backgrounds", str(tmp_path / "photos"), "--held-out", "none", "--plates-dir", str(tmp_path / "p")])
    err = capsys.readouterr().err.strip()
    assert code == 2 and "\n" not in err
    assert "photos: no walking clips" in err and "no LSP folder" in err
    assert not (tmp_path / "out").exists()


def test_missing_held_out_list_is_one_line(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _clip(tmp_path / "walking" / "train.avi", GREEN)
    code = main(["synth", "--out", str(tmp_path / "out"), "--backgrounds", str(tmp_path / "walking"),
                 "--held-out", "mine.toml"])
    err = capsys.readouterr().err.strip()
    assert code == 2 and "\n" not in err and "mine.toml: held-out list not found" in err


def test_default_held_out_list_is_the_real_validation_set():
    from pathlib import Path

    from gaitpose.data.synth.backgrounds import REAL_VALIDATION
    assert REAL_VALIDATION.clip_held_out(Path("/x/shared/data/walking/stage.mp4"))
    assert not REAL_VALIDATION.clip_held_out(Path("/x/shared/data/walking/casia-b/001-nm-01.avi"))
    assert REAL_VALIDATION.lsp_held_out(420) and not REAL_VALIDATION.lsp_held_out(421)
