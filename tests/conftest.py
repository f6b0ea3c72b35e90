"""`make test` runs the test files in parallel workers (pytest-xdist), one per core. Each worker's PyTorch
then uses one thread: two workers with two threads each on two cores ran the tiny training test 4× slower."""
import os

if os.environ.get("PYTEST_XDIST_WORKER"):
    import torch

    torch.set_num_threads(1)
