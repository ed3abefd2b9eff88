# Two commands for a newcomer: `make demo` and `make test`.
# Each bootstraps .venv from nothing with everything (the analysis, the lab
# extra that runs sessions, the test tools); as root it also installs the
# Debian packages the presentation layer needs (otherwise it prints the apt line).
# An analysis-only install is `pip install attentionlab` (README, "Install").

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
SYSTEM_PACKAGES := xvfb xauth x11-utils xdotool libgl1-mesa-dri libglu1-mesa \
	fonts-dejavu-core pulseaudio pulseaudio-utils libasound2-plugins libportaudio2 \
	espeak-ng sox flite chromium

.PHONY: demo test system-packages clean-venv

demo: $(STAMP)
	$(PY) -m attentionlab.experiments.quick_demo

# Three pytest-xdist workers: most of the suite is real-time sessions on Xvfb that wait
# rather than compute, so three beat two cores; groups: tests/conftest.py; figures:
# docs/contributing.md.
test: $(STAMP)
	$(PY) -m pytest -n 3 --dist loadgroup

$(STAMP): pyproject.toml
	@$(MAKE) --no-print-directory system-packages
	@$(PYTHON) -c 'import sys; v = sys.version_info[:2]; sys.exit(0 if (3, 11) <= v <= (3, 12) else \
	    "make: running sessions needs Python 3.11 or 3.12 (PsychoPy supports up to 3.12); $(PYTHON) is %d.%d: use e.g. make PYTHON=python3.12 ..." % v)'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --prefer-binary -e '.[lab,test]'  # binary: pocketsphinx on 3.12
	touch $(STAMP)

system-packages:
	@missing=$$(for p in $(SYSTEM_PACKAGES); do \
	    dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done); \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing system packages: $$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	else \
	    echo "Missing system packages; run:  sudo apt-get install -y $$missing"; \
	fi

clean-venv:
	rm -rf $(VENV)
