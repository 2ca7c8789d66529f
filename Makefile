# Two commands on a fresh clone: `make run` (set up, demo data, start the app) and `make test` (set up, all tests).
# Variables (README): DB=path of the database file; PORT= and ADDRESS= override .streamlit/config.toml's
# server.port and server.address (e.g. `make run ADDRESS=0.0.0.0 PORT=8080` for the Center's LAN); left empty,
# config.toml decides (127.0.0.1:8501).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
DB ?= data/planboard.duckdb
PORT ?=
ADDRESS ?=
SERVER_FLAGS := $(if $(ADDRESS),--server.address $(ADDRESS)) $(if $(PORT),--server.port $(PORT))

.PHONY: setup run test test-fast e2e demo bench lint clean

setup: $(VENV)/.installed

$(VENV)/.installed: requirements.txt
	@echo "==> [1/3] Tạo môi trường Python $(VENV) bằng $(PYTHON) (creating the virtualenv)"
	$(PYTHON) -m venv $(VENV)
	@echo "==> [2/3] Cập nhật pip (upgrading pip)"
	$(PY) -m pip install --quiet --upgrade pip
	@echo "==> [3/3] Cài các thư viện đã ghim phiên bản trong requirements.txt, lần đầu mất vài phút (installing pinned requirements)"
	$(PY) -m pip install --progress-bar off -r requirements.txt
	@echo "==> Đã cài xong (setup done)"
	touch $@

$(DB): | setup
	@echo "==> Chưa có cơ sở dữ liệu $(DB): tạo tỉnh mẫu Bạc Liêu, 3 cơ sở, 2024–2025 (building the demo province)"
	$(PY) -m planboard demo --db $(DB)

demo: setup
	$(PY) -m planboard demo --db $(DB)

run: setup $(DB)
	@echo "==> Khởi động ứng dụng trên $(DB); địa chỉ in ở dòng URL bên dưới, Ctrl+C để dừng (starting the app)"
	PLANBOARD_DB=$(DB) $(PY) -m planboard.ui.serve $(SERVER_FLAGS)

# pytest exits 5 when it ran no test: that is a failure here.
test: setup
	$(PY) -m pytest -q; status=$$?; if [ $$status -eq 5 ]; then echo "pytest ran no test"; exit 1; fi; exit $$status

test-fast: setup
	$(PY) -m pytest -q -m "not e2e and not slow"

e2e: setup
	$(PY) -m pytest -q -m e2e

# The single-process measures (bench/RESULTS.md), then concurrent signed-in sessions on a real server (bench/LOAD.md).
bench: setup
	$(PY) -m bench
	$(PY) -m bench.load

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

clean:
	rm -rf $(VENV) .pytest_cache
