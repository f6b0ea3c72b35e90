"""Frame and video inference, subject following, ONNX export and runtime."""
