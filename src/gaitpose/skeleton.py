"""The 8-joint side-view skeleton (SPEC §1): the one definition every module imports."""
from __future__ import annotations

JOINTS: tuple[str, ...] = (
    "left_shoulder", "right_shoulder",
    "left_hip", "right_hip",
    "left_knee", "right_knee",
    "left_ankle", "right_ankle",
)
NUM_JOINTS = len(JOINTS)
JOINT_INDEX: dict[str, int] = {name: i for i, name in enumerate(JOINTS)}

# JGS channels, in this order: LS-RS, LH-RH, LS-LH, RS-RH, LH-LK, LK-LA, RH-RK, RK-RA (0-based joint ids).
BONES: tuple[tuple[int, int], ...] = (
    (0, 1), (2, 3), (0, 2), (1, 3), (2, 4), (4, 6), (3, 5), (5, 7),
)
NUM_BONES = len(BONES)

# Left/right pairs swapped when an image is mirrored.
FLIP_PAIRS: tuple[tuple[int, int], ...] = ((0, 1), (2, 3), (4, 5), (6, 7))

SIDES: tuple[str, ...] = ("left", "right")

# Optional foot points (issue 13): not part of the 8-joint network, read from other tools' tracks
# (and the teacher) so that heel strike comes from the heel and toe off from the toe.
FOOT_POINTS: tuple[str, ...] = ("left_heel", "right_heel", "left_toe", "right_toe")
FOOT_INDEX: dict[str, dict[str, int]] = {side: {part: FOOT_POINTS.index(f"{side}_{part}") for part in ("heel", "toe")}
                                         for side in ("left", "right")}
# Per side, the joint index of each segment end: side -> {"shoulder","hip","knee","ankle"}.
SIDE_JOINTS: dict[str, dict[str, int]] = {
    side: {part: JOINT_INDEX[f"{side}_{part}"] for part in ("shoulder", "hip", "knee", "ankle")}
    for side in SIDES
}


def flip_permutation() -> list[int]:
    """Channel order that swaps left and right joints: new[k] = old[perm[k]]."""
    perm = list(range(NUM_JOINTS))
    for a, b in FLIP_PAIRS:
        perm[a], perm[b] = b, a
    return perm


def bone_flip_permutation() -> list[int]:
    """Bone-channel order after a left/right swap of the joints (bone (i,j) -> (perm i, perm j))."""
    perm = flip_permutation()
    lookup = {frozenset(b): k for k, b in enumerate(BONES)}
    return [lookup[frozenset((perm[i], perm[j]))] for i, j in BONES]


def coco_category() -> dict:
    """The COCO-keypoints category of our datasets (SPEC §9): 8 names, bones 1-based."""
    return {
        "id": 1,
        "name": "person",
        "supercategory": "person",
        "keypoints": list(JOINTS),
        "skeleton": [[i + 1, j + 1] for i, j in BONES],
    }
