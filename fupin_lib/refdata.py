"""Reference data shipped inside the package: districts, paired areas and their spellings,
townships, the 2020 targets, the pairing task list, the metric keys.

Source: shared/spec/ and the 2020 work plan (shared/seed); copied into fupin_lib/reference/ so
that the project never reads ../shared at run time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd
import yaml

from . import config
from .config import REFERENCE_DIR

_BRACKETS = str.maketrans({"（": "(", "）": ")", "　": " "})


def _read(name: str) -> pd.DataFrame:
    return pd.read_csv(REFERENCE_DIR / name, dtype=str, keep_default_na=False)


@lru_cache(maxsize=None)
def districts() -> pd.DataFrame:
    """The 16 districts and their functional category."""
    return _read("districts.csv")


@lru_cache(maxsize=None)
def paired_areas() -> pd.DataFrame:
    """The five paired areas: area, full_name, province, aliases (list), townships (list)."""
    df = _read("paired_areas.csv")
    df["aliases"] = df["aliases"].str.split("|")
    df["townships"] = df["townships"].apply(lambda s: [t for t in s.split("|") if t])
    return df


def area_names() -> list[str]:
    return paired_areas()["area"].tolist()


def province_of(area: str) -> str:
    """内蒙古 / 新疆 / 新疆兵团 for a canonical area name."""
    return paired_areas().set_index("area").loc[area, "province"]


def region_of(area: str) -> str:
    """内蒙古 or 新疆 (the 224 Regiment counts with 新疆, as in the plan's targets)."""
    return "内蒙古" if province_of(area) == "内蒙古" else "新疆"


def _key(text: str) -> str:
    return re.sub(r"\s+", "", str(text).translate(_BRACKETS))


@lru_cache(maxsize=None)
def _area_lookup() -> dict[str, str]:
    lookup: dict[str, str] = {}
    for row in paired_areas().itertuples():
        for spelling in [row.area, row.full_name, *row.aliases]:
            lookup[_key(spelling)] = row.area
    return lookup


def canonical_area(text: object) -> str | None:
    """The canonical name of a paired area written any known way, or None if unknown."""
    if text is None or (isinstance(text, float) and pd.isna(text)):
        return None
    return _area_lookup().get(_key(text))


@lru_cache(maxsize=None)
def township_aliases() -> pd.DataFrame:
    """Spellings of townships met in the source that differ from the official name."""
    return _read("township_aliases.csv")


@lru_cache(maxsize=None)
def _township_lookup() -> dict[str, tuple[str, str, str | None]]:
    """spelling -> (official township, area, note when the spelling is a known slip)."""
    lookup: dict[str, tuple[str, str, str | None]] = {}
    for row in paired_areas().itertuples():
        for town in row.townships:
            lookup[_key(town)] = (town, row.area, None)
    for row in township_aliases().itertuples():
        lookup[_key(row.as_written)] = (row.township, row.area, row.note)
    return lookup


def canonical_township(text: object) -> tuple[str, str, str | None] | None:
    """(official township, its area, note) for a township written any known way, else None."""
    if text is None or (isinstance(text, float) and pd.isna(text)):
        return None
    return _township_lookup().get(_key(text))


PLANS_DIR = REFERENCE_DIR / "plans"


@dataclass(frozen=True)
class Plan:
    """One year's plan and assessment scheme: a folder of reference data (plans/<year>/)."""
    year: int
    folder: Path
    title: str
    peers_file: Path          # the peers table the scheme compares with

    def _csv(self, name: str) -> pd.DataFrame:
        return pd.read_csv(self.folder / name, dtype=str, keep_default_na=False)

    def targets(self) -> pd.DataFrame:
        """The plan's quantified targets (section 二)."""
        df = self._csv("targets.csv")
        df["minimum"] = df["minimum"].astype(float)
        return df

    def pairing_tasks(self) -> pd.DataFrame:
        """The pairing task list (结对任务清单): which town pairs with which township."""
        df = self._csv("pairing_tasks.csv")
        df["deep_poor_villages"] = pd.to_numeric(df["deep_poor_villages"], errors="coerce").astype("Int64")
        return df

    def sections(self) -> pd.DataFrame:
        """The plan's sections with their responsible departments (| separated)."""
        return self._csv("plan_sections.csv")

    def obligations(self) -> pd.DataFrame:
        """Which departments owe which ledger (| separated), for which rows (`category`, empty for
        all the ledger's rows), and the plan section it comes from."""
        df = self._csv("obligations.csv")
        if "category" not in df:
            df.insert(1, "category", "")
        return df

    def owing(self, ledger: str, category: str | None = None) -> list[str]:
        """The departments (as the plan writes them) that owe a ledger, or the rows of one
        category of it; every category's when `category` is None."""
        df = self.obligations()
        rows = df[(df["ledger"] == ledger) & ((df["category"] == "") | (category is None) | (df["category"] == category))]
        return list(dict.fromkeys(d for cell in rows["departments"] for d in cell.split("|") if d))

    @property
    def rules_file(self) -> Path:
        return self.folder / "rules.yml"

    @property
    def banding_file(self) -> Path:
        return self.folder / "banding.yml"


@lru_cache(maxsize=None)
def plan(year: int) -> Plan | None:
    """The plan of a year, or None when reference/plans/<year>/ does not exist: a year without a
    plan has no targets and no assessment scheme, and another year's are never used."""
    folder = PLANS_DIR / str(year)
    if not (folder / "plan.yml").is_file():
        return None
    doc = yaml.safe_load((folder / "plan.yml").read_text(encoding="utf-8"))
    return Plan(int(doc["year"]), folder, doc["title"], config.PROJECT_ROOT / doc["peers"])


def plan_years() -> list[int]:
    return sorted(int(p.name) for p in PLANS_DIR.iterdir() if p.name.isdigit() and (p / "plan.yml").is_file())


def latest_plan() -> Plan:
    """The most recent year's plan (the default of the assessment engine's loaders)."""
    return plan(plan_years()[-1])


@lru_cache(maxsize=None)
def _department_spellings() -> dict[str, str]:
    doc = yaml.safe_load((REFERENCE_DIR / "departments.yml").read_text(encoding="utf-8"))
    return {department_spelling(spelling): name for name, aliases in doc["departments"].items()
            for spelling in [name, *(aliases or [])]}


def department_spelling(text: str) -> str:
    """A department name as matched: no spaces, ASCII brackets, 大兴区 read as 区."""
    text = re.sub(r"\s+", "", str(text).translate(_BRACKETS))
    return "区" + text[3:] if text.startswith("大兴区") else text


def canonical_department(text: str) -> str | None:
    """The department a name means, as the assessment scheme writes it (departments.yml):
    区人力社保局 -> 区人保局, 人保局 -> 区人保局; None for a name the directory does not know."""
    key, spellings = department_spelling(text), _department_spellings()
    return spellings.get(key) or (None if key.startswith("区") else spellings.get("区" + key))


def same_department(text: str) -> str:
    """The key two spellings of one department share (the canonical name, else the name)."""
    return canonical_department(text) or department_spelling(text)


@lru_cache(maxsize=None)
def figure_sources() -> dict[str, dict[str, tuple[str, ...]]]:
    """figures.yml: for each kind (metrics, targets, headline), figure -> its sources, each
    "ledger" or "ledger:category"."""
    doc = yaml.safe_load((REFERENCE_DIR / "figures.yml").read_text(encoding="utf-8"))
    return {kind: {str(k): tuple(v) for k, v in entries.items()} for kind, entries in doc.items()}


def sources_of(kind: str, figure: str) -> tuple[str, ...]:
    """The sources of one figure (figures.yml), () when it declares none."""
    return figure_sources().get(kind, {}).get(figure, ())


@lru_cache(maxsize=None)
def metrics() -> pd.DataFrame:
    """The metric keys (columns of a peers table) with their Chinese labels and units."""
    return _read("metrics.csv")


def metric_label(key: str) -> str:
    return metrics().set_index("key").loc[key, "label_zh"]
