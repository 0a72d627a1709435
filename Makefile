# fupin analytics: `make help` lists the targets.
# The venv lives in .venv; every target that needs it runs the set-up first (idempotent).

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
FUPIN := $(VENV)/bin/fupin
PERIOD ?= 2020Q2
YEAR ?= 2020
STAMP := $(VENV)/.installed
# JupyterLab as the project sets it up (copied into the venv by setup): the fupin kernel by
# default, the interface in Chinese.
LAB_CONFIG := jupyter/jupyter_server_config.json jupyter/overrides.json
LAB_ARGS ?=
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)

.DEFAULT_GOAL := help
.PHONY: help setup report ingest metrics score evidence test lint format bench sample-data lab clean

help: ## 列出所有命令
	@grep -hE '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-12s %s\n", $$1, $$2}'

$(STAMP): requirements.txt pyproject.toml $(LAB_CONFIG) scripts/debian-fonts
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-deps -e .
	$(PY) -m ipykernel install --sys-prefix --name fupin --display-name "Python (fupin)" \
		--env PATH '$(abspath $(VENV))/bin:$${PATH}'
	mkdir -p $(VENV)/etc/jupyter $(VENV)/share/jupyter/lab/settings
	cp jupyter/jupyter_server_config.json $(VENV)/etc/jupyter/jupyter_server_config.json
	cp jupyter/overrides.json $(VENV)/share/jupyter/lab/settings/overrides.json
	$(PY) -c "from fupin_lib.render.fonts import web_font_path; web_font_path()"
	scripts/debian-fonts $(PY)
	$(PY) -c "from fupin_lib.secret import ensure; print('密钥文件：', ensure())"
	touch $(STAMP)

setup: $(STAMP) ## 建立环境：.venv、依赖、Jupyter 内核 fupin、中文字体（含 Debian 的宋、黑、楷体）、个人信息加密密钥

report: setup ## 主任务：用示例数据生成季度报告（PERIOD=2020Q2）到 reports/
	$(FUPIN) report --period $(PERIOD)

ingest: setup ## 清洗 data/raw/ 到 data/processed/，并写出被拒绝行工作簿
	$(FUPIN) ingest

metrics: setup ## 以 JSON 输出本区指标（PERIOD=2020Q2）
	$(FUPIN) metrics --period $(PERIOD) --json

score: setup ## 考核得分预估：本区取自台账，其他区取自示例数据表
	$(FUPIN) score --peers data/external/peers_2020_示例数据.csv --own-from-ledgers --all

evidence: setup ## 考核证明材料包（YEAR=2020）到 证明材料/<年度>/（内部资料 含个人信息，仅本人可读）
	$(FUPIN) evidence --year $(YEAR)

test: setup lint ## 代码检查后运行全部测试（缺少 Chromium、poppler-utils、LibreOffice 时先用 apt-get 安装）
	scripts/debian-tools
	$(PY) -m pytest -q --numprocesses=auto --dist=loadfile --durations=15

lint: setup ## 代码检查（ruff：错误、行长 ≤ 140）和格式检查（行宽 120）；make format 自动整理格式
	$(PY) -m ruff check fupin_lib fupin_dev tests
	$(PY) -m ruff format --check fupin_lib fupin_dev tests

format: setup ## 按项目格式整理代码（ruff format）
	$(PY) -m ruff format fupin_lib fupin_dev tests

bench: setup ## 性能基准（约 20 分钟），结果写入 docs/benchmarks.md
	$(FUPIN) bench

sample-data: setup ## 重新生成示例数据到 data/raw/（固定随机种子）
	$(FUPIN) sample-data

lab: setup ## 启动 JupyterLab：项目根目录，默认内核 fupin，中文界面，可直接运行 !fupin 命令
	PATH="$(abspath $(VENV))/bin:$$PATH" $(VENV)/bin/jupyter lab --ServerApp.root_dir="$(CURDIR)" $(ALLOW_ROOT) $(LAB_ARGS)

clean: ## 删除生成的报告、清洗后的数据和缓存（不删除 .venv 与 data/raw）
	rm -rf reports/20* reports/运行记录 data/processed/*.parquet data/processed/*.xlsx .cache .pytest_cache .fupin-staging data/.fupin-staging
