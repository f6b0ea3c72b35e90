"""Synthetic RGB-D walking data with exact ground truth (issue 3, `gaitpose synth`)."""
