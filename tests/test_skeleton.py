from gaitpose import BONES, FLIP_PAIRS, JOINTS
from gaitpose.skeleton import bone_flip_permutation, coco_category, flip_permutation


def test_joint_order_is_spec():
    assert JOINTS == ("left_shoulder", "right_shoulder", "left_hip", "right_hip",
                      "left_knee", "right_knee", "left_ankle", "right_ankle")


def test_bones_are_spec_order():
    names = [(JOINTS[i].split("_")[0][0] + JOINTS[i].split("_")[1][0]).upper() + "-"
             + (JOINTS[j].split("_")[0][0] + JOINTS[j].split("_")[1][0]).upper() for i, j in BONES]
    assert names == ["LS-RS", "LH-RH", "LS-LH", "RS-RH", "LH-LK", "LK-LA", "RH-RK", "RK-RA"]


def test_flip_swaps_left_and_right():
    assert FLIP_PAIRS == ((0, 1), (2, 3), (4, 5), (6, 7))
    assert flip_permutation() == [1, 0, 3, 2, 5, 4, 7, 6]
    # LS-RS and LH-RH map to themselves; LS-LH <-> RS-RH; LH-LK <-> RH-RK; LK-LA <-> RK-RA
    assert bone_flip_permutation() == [0, 1, 3, 2, 6, 7, 4, 5]


def test_coco_category_is_one_based():
    cat = coco_category()
    assert cat["keypoints"] == list(JOINTS)
    assert cat["skeleton"][0] == [1, 2] and cat["skeleton"][-1] == [6, 8]
