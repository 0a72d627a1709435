"""Every path the project uses, in one place (cookiecutter-data-science style).

The project root is found from this file (an editable install keeps the package inside the
checkout); `FUPIN_ROOT` overrides it, e.g. to run against another copy of the data.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

VERSION = "0.1.0"  # the product's version (fupin_lib.__version__, run records)
PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = Path(os.environ.get("FUPIN_ROOT", PACKAGE_DIR.parent)).resolve()

REFERENCE_DIR = PACKAGE_DIR / "reference"
TEMPLATES_DIR = PACKAGE_DIR / "render" / "templates"  # nbconvert and Typst templates of the documents
TYPST_TEMPLATE = TEMPLATES_DIR / "typst" / "report.typ"
# Where Debian puts the faces of the PDF's type roles (fonts-noto-cjk, fonts-lxgw-wenkai; `make setup`
# installs them): render/fonts.py ROLE_FILES.
SYSTEM_FONT_DIR = Path(os.environ.get("FUPIN_SYSTEM_FONTS", "/usr/share/fonts"))
REPORT_STYLESHEET = TEMPLATES_DIR / "fupin_report" / "report.css"  # the HTML reports and the overview page
SHIPPED_PLANS_DIR = REFERENCE_DIR / "plans"  # the plans shipped with the program (refdata.py)
DEPARTMENTS_FILE = REFERENCE_DIR / "departments.yml"  # the one directory of department names and duties

DATA_DIR = PROJECT_ROOT / "data"
RAW_DIR = DATA_DIR / "raw"  # immutable: what departments sent
PROCESSED_DIR = DATA_DIR / "processed"  # the store of data/raw: clean tables (store.py)
SAMPLE_MANIFEST = DATA_DIR / "sample_manifest.json"
EXTERNAL_DIR = DATA_DIR / "external"  # data from outside the district: the peers table
# The office's own files, beside the ledgers (not inside the program): plans of the years it adds
# (data/plans/<year>/, taking precedence over the shipped fupin_lib/reference/plans/<year>/), and
# the implausible rows it has checked and confirmed (figures/plausibility.py).
PLANS_DATA_DIR = DATA_DIR / "plans"
CONFIRMATIONS_FILE = DATA_DIR / "核对确认.csv"
# The previous year's figures the office types when the raw folder has no ledgers of that year
# (figures/previous_year.py): one sheet per year, 指标, 数值, 来源.
PREVIOUS_YEAR_DIR = DATA_DIR / "上年数据"
# The evidence pack (evidence/): the documents the office collects per assessment item
# (data/证明材料/<item>/), and the pack made from them and the raw ledgers, which holds names
# and ID numbers in clear: owner-only, outside reports/, ignored by git.
EVIDENCE_DOCS_DIR = DATA_DIR / "证明材料"
EVIDENCE_DIR = PROJECT_ROOT / "证明材料"
# The report notebooks are the program's, beside its package: a project folder of the office's
# own (FUPIN_ROOT) holds data, not notebooks (with it, the batch used to find none and make
# only the brief and the progress table).
NOTEBOOKS_DIR = PACKAGE_DIR.parent / "notebooks"
REPORTS_DIR = PROJECT_ROOT / "reports"
FEEDBACK_DIR = REPORTS_DIR / "反馈"  # `fupin feedback`: one workbook per department
CITY_EXPORT_DIR = REPORTS_DIR / "报市数据"  # `fupin export-city`: the district's row for the city
DICTIONARY_FILE = PROJECT_ROOT / "docs" / "数据字典.md"  # `fupin dictionary`
# Lookups of persons (analyst/lookup.py): the access log every lookup is written to, and the
# allow-list of users the office may keep. The environment variables are read again at each lookup.
ACCESS_LOG = Path(os.environ.get("FUPIN_ACCESS_LOG", PROJECT_ROOT / "查询记录" / "个人信息查询记录.csv"))
LOOKUP_USERS = Path(os.environ.get("FUPIN_LOOKUP_USERS", PROJECT_ROOT / ".fupin-lookup-users"))
# Inside a reports folder: the provenance record of each period (<reports>/运行记录/<period>/, its
# executed notebooks and manifest) and the overview page of every period (reports/batch.py,
# reports/overview.py).
RECORD_DIR_NAME = "运行记录"
RECORD_MANIFEST = "manifest.json"
OVERVIEW_PAGE = "index.html"
CACHE_DIR = Path(os.environ.get("FUPIN_CACHE", PROJECT_ROOT / ".cache")).resolve()
# What the product derives from its own installed code and packages, once (program assets, not
# data): the faces cut from the font package (render/fonts.py, built by `make setup`, a minute
# and a half of work) and the index of its own wording (privacy.py, a few seconds). They live
# beside the venv's packages, not in the cache a run may be given (FUPIN_CACHE) or that
# `make clean` empties. Where the venv is not writable, the cache folder.
BUILD_DIR = Path(sys.prefix) / "share" / "fupin" if os.access(sys.prefix, os.W_OK) else CACHE_DIR
# Executed notebooks of failed reports, kept for debugging outside reports/: they were not
# privacy-checked and may hold personal data.
FAILED_DIR = CACHE_DIR / "failed"
STORE_CACHE_DIR = CACHE_DIR / "store"  # the store of a raw folder other than data/raw (store.py)
LOCKS_DIR = CACHE_DIR / "locks"  # the store's advisory locks
OWN_WORDING_DIR = BUILD_DIR / "own_wording"  # the index of the product's own wording (privacy.py)

REJECTIONS_FILE = "被拒绝行.xlsx"  # written next to the clean tables
HOME_DISTRICT = "大兴区"
KERNEL_NAME = "fupin"  # registered by `make setup`
# The key of the keyed hashes that stand for personal data in the clean tables (secret.py):
# created by `make setup`, mode 0600, never in git.
SECRET_FILE = Path(os.environ.get("FUPIN_SECRET", PROJECT_ROOT / ".fupin-secret.key")).resolve()


def shown(path: Path | str) -> Path:
    """A path as the office reads it in a message: relative to the project folder when inside
    it, else in full (a cache or an output folder elsewhere, FUPIN_CACHE)."""
    path = Path(path)
    return path.relative_to(PROJECT_ROOT) if path.is_absolute() and path.is_relative_to(PROJECT_ROOT) else path
