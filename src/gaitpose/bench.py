"""`gaitpose bench`: parameters, GFLOPs and median latency per model, input size, heads, device and
runtime (PyTorch; ONNX Runtime on the CPU for the keypoint path, via a temporary export).

Benchmarks are not tests: this measures and writes a table; it asserts nothing.
"""
from __future__ import annotations

import platform
import statistics
import time
from dataclasses import asdict, dataclass
from typing import Sequence

import numpy as np
import torch
from torch.utils.flop_counter import FlopCounterMode

from gaitpose.errors import GaitposeError
from gaitpose.formats import write_json_atomic
from gaitpose.model import ALL_HEADS, KEYPOINT_HEADS, build_model


RUNTIMES: tuple[str, ...] = ("pytorch", "onnxruntime")


@dataclass
class BenchRow:
    model: str
    size: int
    heads: str            # "keypoints" (heatmap + offset) or "all"
    device: str
    runtime: str
    params_m: float
    gflops: float         # floating-point operations (2 × multiply-adds), batch 1
    ms_per_frame: float   # median over repeats, batch 1


def count_params(model: torch.nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


def count_gflops(model: torch.nn.Module, size: int, heads: tuple[str, ...]) -> float:
    x = torch.zeros(1, 3, size, size)
    with torch.no_grad(), FlopCounterMode(display=False) as counter:
        model(x, heads=heads)
    return counter.get_total_flops() / 1e9


def median_latency_ms(model: torch.nn.Module, size: int, heads: tuple[str, ...], device: str,
                      repeats: int, warmup: int = 3) -> float:
    x = torch.rand(1, 3, size, size, device=device)
    times = []
    with torch.inference_mode():
        for i in range(warmup + repeats):
            if device == "cuda":
                torch.cuda.synchronize()
            t0 = time.perf_counter()
            model(x, heads=heads)
            if device == "cuda":
                torch.cuda.synchronize()
            if i >= warmup:
                times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def median_onnxruntime_ms(model: torch.nn.Module, size: int, threads: int, repeats: int, warmup: int = 3) -> float:
    """Median ONNX Runtime (CPU) latency of the exported keypoint path (heatmap + offset), batch 1."""
    from gaitpose.predict.export import onnx_bytes
    from gaitpose.predict.onnx_runtime import OnnxKeypointModel

    runner = OnnxKeypointModel(onnx_bytes(model, size), threads=threads)
    x = np.random.default_rng(0).random((1, 3, size, size), dtype=np.float32)
    times = []
    for i in range(warmup + repeats):
        t0 = time.perf_counter()
        runner(x)
        if i >= warmup:
            times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def _devices(spec: str) -> list[str]:
    if spec == "auto":
        return ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
    return [d.strip() for d in spec.split(",") if d.strip()]


def run_bench(models: list[str], sizes: list[int], devices: str = "auto", repeats: int = 10,
              threads: int = 0, json_path: str | None = "bench.json",
              runtimes: Sequence[str] = ("pytorch",)) -> list[BenchRow]:
    """Measure every (model, size, heads, device, runtime) combination; print a table, write JSON.

    "onnxruntime" rows: the keypoint heads on the CPU, with as many threads as PyTorch uses.
    """
    unknown = set(runtimes) - set(RUNTIMES)
    if unknown:
        raise GaitposeError(f"unknown runtime {sorted(unknown)[0]!r}; expected one of {', '.join(RUNTIMES)}")
    if threads > 0:
        torch.set_num_threads(threads)
    rows: list[BenchRow] = []

    def add(row: BenchRow) -> None:
        rows.append(row)
        if len(rows) == 1:
            print(_table_header())
        print(_format_row(row), flush=True)

    for name in models:
        model = build_model(name).eval()
        params_m = count_params(model) / 1e6
        for size in sizes:
            for heads_name, heads in (("keypoints", KEYPOINT_HEADS), ("all", ALL_HEADS)):
                gflops = count_gflops(model, size, heads)
                if "pytorch" in runtimes:
                    for device in _devices(devices):
                        model.to(device)
                        ms = median_latency_ms(model, size, heads, device, repeats)
                        add(BenchRow(name, size, heads_name, device, "pytorch", params_m, gflops, ms))
                    model.to("cpu")
                if "onnxruntime" in runtimes and heads_name == "keypoints" and "cpu" in _devices(devices):
                    ms = median_onnxruntime_ms(model, size, torch.get_num_threads(), repeats)
                    add(BenchRow(name, size, heads_name, "cpu", "onnxruntime", params_m, gflops, ms))
    if json_path:
        write_json_atomic(json_path, {
            "machine": {"platform": platform.platform(), "processor": platform.processor(),
                        "torch": torch.__version__, "threads": torch.get_num_threads(),
                        "onnxruntime": _onnxruntime_version() if "onnxruntime" in runtimes else None,
                        "cuda": torch.cuda.get_device_name(0) if torch.cuda.is_available() else None},
            "rows": [asdict(r) for r in rows],
        })
        print(f"wrote {json_path}")
    return rows


def _onnxruntime_version() -> str:
    import onnxruntime

    return onnxruntime.__version__


def _table_header() -> str:
    return (f"{'model':<11}{'size':>6} {'heads':<10}{'device':<7}{'runtime':<12}"
            f"{'params(M)':>10}{'GFLOPs':>9}{'ms/frame':>10}")


def _format_row(r: BenchRow) -> str:
    return (f"{r.model:<11}{r.size:>6} {r.heads:<10}{r.device:<7}{r.runtime:<12}"
            f"{r.params_m:>10.3f}{r.gflops:>9.3f}{r.ms_per_frame:>10.2f}")
