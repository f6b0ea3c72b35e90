"""Renderer geometry: exact depth, joints on their limbs, occlusion by other solids."""
import numpy as np

from gaitpose.data.camera import PinholeCamera
from gaitpose.data.synth.bodies import LEG_RADII_M, ArmStyle, arm_points, body_solids, joint_margins_m, sample_subject
from gaitpose.data.synth.depth_sensor import exact_depth_mm
from gaitpose.data.synth.exoskeleton import FRAME_COLOURS, exoskeleton_solids, sample_exoskeleton
from gaitpose.data.synth.labels import OCCLUDED, VISIBLE, joint_labels
from gaitpose.data.synth.materials import Material
from gaitpose.data.synth.presets import sample_style
from gaitpose.data.synth.raycast import FrameBuffers, Light, pixel_rays, render_solids
from gaitpose.data.synth.scene import render_room, sample_room
from gaitpose.data.synth.solids import Box, Capsule, Ellipsoid, to_camera
from gaitpose.skeleton import JOINT_INDEX, JOINTS

from synth_poses import mid_stance_pose

SIZE, FOCAL = 160, 200.0
K = (FOCAL, FOCAL, (SIZE - 1) / 2, (SIZE - 1) / 2)
LIGHT = Light(np.array([0.0, -1.0, 0.0]))
GREY = Material((0.5, 0.5, 0.5))


def _render(solids_cam):
    buffers = FrameBuffers.empty(SIZE, SIZE)
    render_solids(buffers, solids_cam, pixel_rays(*K, SIZE, SIZE), K, LIGHT)
    return buffers


def _side_camera():
    """Camera 3 m to the subject's right (y = -3), 0.9 m high, looking horizontally at +y → (R, t)."""
    cam = PinholeCamera.look_at(*K, np.array([0.0, -3.0, 0.9]), np.array([0.0, 0.0, 0.9]))
    return cam.rotation, cam.translation


def test_sphere_depth_is_exact_to_a_millimetre():
    centre, radius = np.array([0.2, -0.1, 2.5]), 0.3
    depth = _render([Ellipsoid(GREY, "", centre, np.eye(3), np.full(3, radius))]).depth_m
    rays = pixel_rays(*K, SIZE, SIZE).reshape(-1, 3)
    # Ray-sphere by hand: |t d - c| = r, nearest root; z-depth = t because d_z = 1.
    dc, dd = rays @ centre, np.einsum("ij,ij->i", rays, rays)
    disc = dc ** 2 - dd * (centre @ centre - radius ** 2)
    hit = disc > 0
    t = (dc[hit] - np.sqrt(disc[hit])) / dd[hit]
    assert hit.sum() > 500
    np.testing.assert_allclose(depth.reshape(-1)[hit], t, atol=1e-3)
    assert np.isinf(depth.reshape(-1)[~hit]).all()
    mm = exact_depth_mm(depth).reshape(-1)
    assert np.abs(mm[hit] - t * 1000).max() <= 0.5 + 1e-3


def test_floor_depth_follows_camera_height():
    # A level camera h above the floor sees the floor at row v with z = h * fy / (v - cy).
    rng = np.random.default_rng(0)
    room = sample_room(rng, camera_side=-1.0, walk_centre_x_m=0.0)
    R, t = _side_camera()
    bg = render_room(room, pixel_rays(*K, SIZE, SIZE), R, t)
    rows = np.arange(SIZE)
    floor_rows = rows[rows > K[3] + 25]
    expected = 0.9 * FOCAL / (floor_rows - K[3])
    expected_visible = expected < 3.0 + abs(room.wall_y_m)  # nearer than the wall
    got = bg.buffers.depth_m[floor_rows, SIZE // 2]
    np.testing.assert_allclose(got[expected_visible], expected[expected_visible], atol=1e-3)


def _body(exo: bool = False, design: str = "frame"):
    rng = np.random.default_rng(1)
    pose = mid_stance_pose()
    subject = sample_subject(rng, 1.75)
    solids = body_solids(pose, subject, arm_points(pose, subject, ArmStyle(swing_gain=0.0)))
    if exo:
        solids += exoskeleton_solids(pose, subject, sample_exoskeleton(rng, design))
    return pose, subject, solids


def test_near_joints_land_on_their_limb_surface():
    pose, subject, solids = _body()
    R, t = _side_camera()
    cam = to_camera(solids, R, t)
    buffers = _render(cam)
    r_thigh, r_knee, _, r_ankle = (subject.radius_m(r) for r in LEG_RADII_M)
    # The joint sits at the centre of its largest sphere cap, so along its pixel ray the first surface
    # lies r before the centre: z-depth = z (1 - r / |c|).
    for joint, radius, limb in (("right_knee", 0.5 * (r_thigh + r_knee), "right_"),
                                ("right_ankle", r_ankle, "right_"), ("left_ankle", r_ankle, "left_")):
        c = R @ pose[joint] + t
        u, v = np.round(FOCAL * c[:2] / c[2] + K[2:]).astype(int)
        hit_part = cam[buffers.solid_id[v, u]].part
        assert hit_part.startswith(limb), (joint, hit_part)
        expected = c[2] * (1 - radius / np.linalg.norm(c))
        # The pixel centre is within half a pixel of the joint: allow the sphere's slope over it.
        assert abs(buffers.depth_m[v, u] - expected) < 2e-3, joint
    labels = joint_labels(np.array([R @ pose[j] + t for j in JOINTS]), buffers.depth_m, K, joint_margins_m(subject))
    for joint in ("right_knee", "right_ankle", "right_hip"):
        assert labels[JOINT_INDEX[joint], 2] == VISIBLE, joint


def test_joint_behind_another_solid_is_occluded():
    pose, subject, solids = _body()
    R, t = _side_camera()
    knee = pose["right_knee"]
    board = Box(GREY, "prop", knee + np.array([0.0, -0.4, 0.0]), np.eye(3), np.array([0.05, 0.01, 0.05]))
    cam = to_camera(solids + [board], R, t)
    buffers = _render(cam)
    labels = joint_labels(np.array([R @ pose[j] + t for j in JOINTS]), buffers.depth_m, K, joint_margins_m(subject))
    assert labels[JOINT_INDEX["right_knee"], 2] == OCCLUDED
    assert labels[JOINT_INDEX["right_ankle"], 2] == VISIBLE
    # The far hip and shoulder are behind the pelvis and trunk.
    assert labels[JOINT_INDEX["left_hip"], 2] == OCCLUDED
    assert labels[JOINT_INDEX["left_shoulder"], 2] == OCCLUDED


def test_exoskeleton_knee_motor_hides_the_near_knee():
    pose, subject, solids = _body(exo=True)
    R, t = _side_camera()
    buffers = _render(to_camera(solids, R, t))
    labels = joint_labels(np.array([R @ pose[j] + t for j in JOINTS]), buffers.depth_m, K, joint_margins_m(subject))
    assert labels[JOINT_INDEX["right_knee"], 2] == OCCLUDED
    assert labels[JOINT_INDEX["right_ankle"], 2] == VISIBLE


def test_held_out_shell_exoskeleton_hides_the_near_knee_and_shares_no_part_with_the_frame_design():
    pose, subject, solids = _body(exo=True, design="shell")
    R, t = _side_camera()
    cam = to_camera(solids, R, t)
    buffers = _render(cam)
    labels = joint_labels(np.array([R @ pose[j] + t for j in JOINTS]), buffers.depth_m, K, joint_margins_m(subject))
    assert labels[JOINT_INDEX["right_knee"], 2] == OCCLUDED
    assert labels[JOINT_INDEX["right_ankle"], 2] == VISIBLE
    # The near knee's pixel shows the square housing (the camera looks along −y at the right side).
    c = R @ pose["right_knee"] + t
    u, v = np.round(FOCAL * c[:2] / c[2] + K[2:]).astype(int)
    assert cam[buffers.solid_id[v, u]].part == "right_exo_housing"
    frame_parts = {s.part for s in _body(exo=True)[2]} - {s.part for s in _body()[2]}
    shell_parts = {s.part for s in solids} - {s.part for s in _body()[2]}
    assert frame_parts.isdisjoint(shell_parts)
    assert {"left_exo_plate", "right_exo_footplate", "exo_waist_unit"} <= shell_parts


def test_shell_design_is_never_drawn_for_training_presets():
    rng = np.random.default_rng(0)
    for preset in ("mixed", "exo", "hemiparetic", "normal"):
        assert all(sample_style(rng, preset).exo_design == "frame" for _ in range(200)), preset
    style = sample_style(rng, "exo-shell")
    assert (style.exo_design, style.exoskeleton) == ("shell", True)
    # The frame design draws what it always drew: the design argument adds no random draw.
    a, b = np.random.default_rng(3), np.random.default_rng(3)
    assert sample_exoskeleton(a) == sample_exoskeleton(b, "frame") and a.random() == b.random()
    # The two designs share no colour of frame or housing.
    shell = {sample_exoskeleton(rng, "shell").frame.colour for _ in range(50)}
    assert shell.isdisjoint(FRAME_COLOURS) and len(shell) > 1


def test_joint_outside_the_image_is_unlabelled():
    depth = np.full((SIZE, SIZE), np.inf, np.float32)
    joints = np.tile([0.0, 0.0, 3.0], (8, 1))
    joints[0] = [5.0, 0.0, 3.0]  # far to the right, off screen
    labels = joint_labels(joints, depth, K, np.full(8, 0.05))
    assert labels[0].tolist() == [0.0, 0.0, 0.0]
    assert (labels[1:, 2] == VISIBLE).all()


def test_capsule_silhouette_width_matches_its_radius():
    # A horizontal capsule 3 m away, radius 0.1 m: 2 r f / z = 13.3 px tall at its middle.
    cap = Capsule(GREY, "", np.array([-0.5, 0.0, 3.0]), np.array([0.5, 0.0, 3.0]), 0.1)
    ids = _render([cap]).solid_id
    column = ids[:, SIZE // 2]
    assert abs((column >= 0).sum() - 2 * 0.1 * FOCAL / 3.0) <= 1.5


def test_heels_and_toe_tips_are_labelled_where_they_project():
    # The synthetic walker's heels and toe tips (issue 13): pixels are the exact projection, and the
    # near (right) foot's heel and toe tip, on its shoe's sole, are visible with the ankle's margin.
    from gaitpose.data.synth.labels import point_labels
    from gaitpose.skeleton import FOOT_POINTS

    pose, subject, solids = _body()
    R, t = _side_camera()
    buffers = _render(to_camera(solids, R, t))
    feet_cam = np.array([R @ pose[p] + t for p in FOOT_POINTS])
    margin = joint_margins_m(subject)[JOINT_INDEX["right_ankle"]]
    labels = point_labels(feet_cam, buffers.depth_m, K, np.full(4, margin))
    np.testing.assert_allclose(labels[:, :2], FOCAL * feet_cam[:, :2] / feet_cam[:, 2:] + K[2:], atol=1e-9)
    for name in ("right_heel", "right_toe"):
        assert labels[FOOT_POINTS.index(name), 2] == VISIBLE, name
