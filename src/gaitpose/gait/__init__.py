"""Gait post-processing: keypoint tracks from any tool → angles, events, strides, symmetry, report.

Public entry points (used by `gaitpose gait` and `gaitpose analyze`):

* `gaitpose.gait.pipeline.analyze_keypoints(keypoints_tx8x3, fps, options) -> GaitResult`
* `gaitpose.gait.pipeline.write_gait_outputs(result, out_dir)`
* `gaitpose.gait.passes.find_passes(pelvis_x_t, time_s_t, leg_length, …) -> Segmentation`: the walking
  passes of a track (walks in one direction; turns, standing and half-visible stretches left out), which
  the pipeline analyses one by one and pools

Nothing here imports torch.
"""
