import json
import subprocess
import sys


def test_bench_writes_a_table(tmp_path):
    out = tmp_path / "bench.json"
    proc = subprocess.run([sys.executable, "-m", "gaitpose.cli", "bench", "--models", "lite", "--sizes", "64",
                           "--repeats", "1", "--json", str(out)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "ms/frame" in proc.stdout
    rows = json.loads(out.read_text())["rows"]
    assert {(r["heads"], r["device"]) for r in rows} >= {("keypoints", "cpu"), ("all", "cpu")}
    keypoints = next(r for r in rows if r["heads"] == "keypoints")
    everything = next(r for r in rows if r["heads"] == "all")
    assert 0 < keypoints["gflops"] < everything["gflops"]    # the depth/JGS heads cost compute
    assert keypoints["params_m"] > 0.1 and keypoints["ms_per_frame"] > 0
