# Every target creates .venv on first use and installs the package into it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup test demo bench data data-stage2 data-synth-real train-cpu clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	# torch first and pinned, so nothing resolves an unpinned CUDA build
	$(BIN)/python -m pip install --quiet torch==2.13.0
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

test: $(STAMP)
	$(BIN)/python -m pytest

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
# real validation sources of configs/real_validation.toml are never used. About 3,000 images, seed 2026,
# split subject-wise 4:1.
data-synth-real: $(STAMP)
	$(BIN)/gaitpose synth --out data/synth_real --subjects 120 --frames-per-subject 25 --size $(SYNTH_SIZE) --preset mixed --seed 2026 --workers 2 \
		--backgrounds $(SHARED)/walking $(SHARED)/lspet $(SHARED)/lsp --plates-dir data/plates --held-out configs/real_validation.toml
	$(BIN)/gaitpose split data/synth_real/annotations.json --out-train data/synth_real/train.json --out-val data/synth_real/val.json

# The bundled model's recipe on CPU (see docs/model-card.md): two stages, about 40 + 140 min on 2 cores.
train-cpu: $(STAMP)
	$(BIN)/gaitpose train --config configs/cpu_lite_synth.toml
	$(BIN)/gaitpose train --config configs/cpu_lite_synth_stage2.toml

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info
