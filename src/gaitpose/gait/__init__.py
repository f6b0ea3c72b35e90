"""Gait post-processing: keypoint tracks from any tool → angles, events, strides, symmetry, report.

Public entry points (used by `gaitpose gait` and `gaitpose analyze`):

* `gaitpose.gait.pipeline.analyze_keypoints(keypoints_tx8x3, fps, options) -> GaitResult`
* `gaitpose.gait.pipeline.write_gait_outputs(result, out_dir)`

Nothing here imports torch.
"""
