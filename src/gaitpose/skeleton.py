"""The 8-joint side-view skeleton (SPEC §1): the one definition every module imports.

The paper's network predicts the 8 joints (`JOINTS`, `BONES`, `FLIP_PAIRS` below). A network may also
predict the heels and toe tips (issue 13): `SKELETON_FEET`, the 8 joints followed by `FOOT_POINTS`.
A checkpoint records its joint names; `skeleton_for(names)` gives back the skeleton they belong to.
"""
from __future__ import annotations

from dataclasses import dataclass

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


@dataclass(frozen=True)
class Skeleton:
    """The points a network predicts, in channel order, its JGS bones (0-based point pairs) and the
    left/right pairs a mirror swaps. Its first 8 points are always `JOINTS`."""

    joints: tuple[str, ...]
    bones: tuple[tuple[int, int], ...]
    flip_pairs: tuple[tuple[int, int], ...]

    @property
    def num_joints(self) -> int:
        return len(self.joints)

    @property
    def num_bones(self) -> int:
        return len(self.bones)

    @property
    def has_feet(self) -> bool:
        return self.joints[NUM_JOINTS:] == FOOT_POINTS

    def flip_permutation(self) -> list[int]:
        """Channel order that swaps left and right points: new[k] = old[perm[k]]."""
        perm = list(range(self.num_joints))
        for a, b in self.flip_pairs:
            perm[a], perm[b] = b, a
        return perm

    def bone_flip_permutation(self) -> list[int]:
        """Bone-channel order after a left/right swap of the points (bone (i,j) -> (perm i, perm j))."""
        perm = self.flip_permutation()
        lookup = {frozenset(b): k for k, b in enumerate(self.bones)}
        return [lookup[frozenset((perm[i], perm[j]))] for i, j in self.bones]

    def coco_category(self) -> dict:
        """The COCO-keypoints category (SPEC §9): the point names, bones 1-based."""
        return {
            "id": 1,
            "name": "person",
            "supercategory": "person",
            "keypoints": list(self.joints),
            "skeleton": [[i + 1, j + 1] for i, j in self.bones],
        }


SKELETON_8 = Skeleton(JOINTS, BONES, FLIP_PAIRS)

_HEEL = {side: NUM_JOINTS + FOOT_POINTS.index(f"{side}_heel") for side in SIDES}
_TOE = {side: NUM_JOINTS + FOOT_POINTS.index(f"{side}_toe") for side in SIDES}
# The 12 points: the 8 joints, then left heel, right heel, left toe, right toe (ids 8-11). Its JGS
# channels: the 8 bones, then per side (left, then right) ankle–heel, ankle–toe, heel–toe.
SKELETON_FEET = Skeleton(
    JOINTS + FOOT_POINTS,
    BONES + tuple(bone for side in SIDES for bone in ((SIDE_JOINTS[side]["ankle"], _HEEL[side]),
                                                       (SIDE_JOINTS[side]["ankle"], _TOE[side]),
                                                       (_HEEL[side], _TOE[side]))),
    FLIP_PAIRS + ((_HEEL["left"], _HEEL["right"]), (_TOE["left"], _TOE["right"])),
)
SKELETONS: tuple[Skeleton, ...] = (SKELETON_8, SKELETON_FEET)


def skeleton_for(joint_names: list[str] | tuple[str, ...]) -> Skeleton | None:
    """The skeleton whose points are exactly these names, in this order (None: no such skeleton)."""
    return next((sk for sk in SKELETONS if list(sk.joints) == list(joint_names)), None)


def flip_permutation() -> list[int]:
    """The 8 joints' channel order that swaps left and right: new[k] = old[perm[k]]."""
    return SKELETON_8.flip_permutation()


def bone_flip_permutation() -> list[int]:
    """The 8 bones' channel order after a left/right swap of the joints."""
    return SKELETON_8.bone_flip_permutation()


def coco_category() -> dict:
    """The COCO-keypoints category of our datasets (SPEC §9): 8 names, bones 1-based."""
    return SKELETON_8.coco_category()
