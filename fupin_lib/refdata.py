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
from .tabular import read_yaml

_BRACKETS = str.maketrans({"（": "(", "）": ")", "　": " "})


def _read(name: str) -> pd.DataFrame:
    return pd.read_csv(REFERENCE_DIR / name, dtype=str, keep_default_na=False)


@lru_cache(maxsize=None)
def districts() -> pd.DataFrame:
    """The city's districts (16 in Beijing) and their functional category."""
    return _read("districts.csv")


def district_count() -> int:
    """How many districts the city's assessment compares (the rows of districts.csv)."""
    return len(districts())


@lru_cache(maxsize=None)
def paired_areas() -> pd.DataFrame:
    """The five paired areas: area, full_name, province, aliases (list), townships (list)."""
    df = _read("paired_areas.csv")
    df["aliases"] = df["aliases"].str.split("|")
    df["townships"] = df["townships"].apply(lambda s: [t for t in s.split("|") if t])
    return df


def area_names() -> list[str]:
    return paired_areas()["area"].tolist()


@lru_cache(maxsize=None)
def _provinces() -> dict[str, str]:
    return dict(zip(*(_read("paired_areas.csv")[c] for c in ("area", "province"))))


def province_of(area: str) -> str:
    """内蒙古 / 新疆 / 新疆兵团 for a canonical area name (KeyError for any other)."""
    return _provinces()[area]


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


TARGET_COLUMNS = ("target", "label_zh", "scope", "minimum", "unit", "due")


class PlanError(ValueError):
    """A plan file that cannot be used; the message is Chinese and names the file, row and column."""


def plan_folders() -> list[Path]:
    """Where plans are looked for, first found first: the office's own (data/plans/<year>/, in
    the project's data) before the shipped ones (fupin_lib/reference/plans/<year>/)."""
    return [config.PLANS_DATA_DIR, config.SHIPPED_PLANS_DIR]


@dataclass(frozen=True)
class Plan:
    """One year's plan and assessment scheme: a folder of reference data (plans/<year>/)."""

    year: int
    folder: Path
    title: str
    peers_file: Path  # the peers table the scheme compares with

    def _csv(self, name: str) -> pd.DataFrame:
        return _plan_csv(self.folder, name).copy()

    def targets(self) -> pd.DataFrame:
        """The plan's quantified targets (section 二); `minimum` a number (28% read as 0.28)."""
        return _plan_targets(self.folder).copy()

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
        return list(_owing(self.folder, ledger, category))

    @property
    def rules_file(self) -> Path:
        return self.folder / "rules.yml"

    @property
    def banding_file(self) -> Path:
        return self.folder / "banding.yml"


def _table_file(folder: Path, name: str) -> Path:
    """A plan table as the office saved it: name.csv, else name.xlsx."""
    stem = Path(name).stem
    for candidate in (folder / f"{stem}.csv", folder / f"{stem}.xlsx"):
        if candidate.is_file():
            return candidate
    raise PlanError(f"计划文件夹 {folder} 中缺少 {stem}.csv（或 {stem}.xlsx）")


@lru_cache(maxsize=None)
def _plan_csv(folder: Path, name: str) -> pd.DataFrame:
    from .tabular import TableFileError, read_table_any

    path = _table_file(folder, name)
    try:
        return read_table_any(path)
    except TableFileError as exc:
        raise PlanError(str(exc)) from exc


def plan_number(text: object) -> float | None:
    """A target as typed: 7600, 7,600, 0.30, 30%, 28%, ３０％; None when it is not a number."""
    value = str(text).strip().translate(str.maketrans("０１２３４５６７８９．，％", "0123456789.,%")).replace(",", "")
    percent = value.endswith("%")
    try:
        number = float(value.rstrip("%"))
    except ValueError:
        return None
    if number != number or number in (float("inf"), float("-inf")):
        return None
    return number / 100 if percent else number


@lru_cache(maxsize=None)
def _plan_targets(folder: Path) -> pd.DataFrame:
    from .periods import PeriodError, parse_period

    df = _plan_csv(folder, "targets.csv").copy()
    path = _table_file(folder, "targets.csv")
    missing = [c for c in TARGET_COLUMNS if c not in df]
    if missing:
        raise PlanError(f"{path}：缺少列 {'、'.join(missing)}（应有 {', '.join(TARGET_COLUMNS)}）")
    values = []
    for i, (target, text) in enumerate(zip(df["target"], df["minimum"]), start=2):
        number = plan_number(text)
        if number is None:
            raise PlanError(f"{path} 第{i}行 minimum 列：“{text}”不是数值（目标 {target}；可写 7600、7,600 或 30%）")
        values.append(number)
    for i, (target, due) in enumerate(zip(df["target"], df["due"]), start=2):
        try:
            parse_period(due)
        except PeriodError:
            raise PlanError(f"{path} 第{i}行 due 列：“{due}”不是期间（目标 {target}；应写 2021 或 2021Q1）") from None
    df["minimum"] = values
    return df


@lru_cache(maxsize=None)
def _owing(folder: Path, ledger: str, category: str | None) -> tuple[str, ...]:
    df = _plan_csv(folder, "obligations.csv")
    kinds = df["category"] if "category" in df else pd.Series("", index=df.index)
    rows = df[(df["ledger"] == ledger) & ((kinds == "") | (category is None) | (kinds == category))]
    return tuple(dict.fromkeys(d for cell in rows["departments"] for d in cell.split("|") if d))


def _plan_folder(year: int) -> Path | None:
    for root in plan_folders():
        if (root / str(year) / "plan.yml").is_file():
            return root / str(year)
    return None


@lru_cache(maxsize=None)
def plan(year: int) -> Plan | None:
    """The plan of a year, or None when no plans/<year>/ exists (data/plans/ first, then the
    shipped reference/plans/): a year without a plan has no targets and no assessment scheme,
    and another year's are never used. A plan whose plan.yml names another year is refused."""
    folder = _plan_folder(year)
    if folder is None:
        return None
    path = folder / "plan.yml"
    try:
        doc = read_yaml(path.read_bytes().decode("utf-8-sig")) or {}
    except UnicodeDecodeError:
        try:
            doc = read_yaml(path.read_bytes().decode("gb18030")) or {}
        except (UnicodeDecodeError, yaml.YAMLError) as exc:
            raise PlanError(f"{path}：无法读取（{exc}）；请保存为 UTF-8 编码") from exc
    except yaml.YAMLError as exc:
        raise PlanError(f"{path}：格式有误，无法读取（{exc}）") from exc
    stated = doc.get("year") if isinstance(doc, dict) else None
    if str(stated) != str(year):
        raise PlanError(f"{path}：year 写的是 {stated}，与所在文件夹 {year} 不符；请改为 year: {year}")
    for key in ("title", "peers"):
        if not doc.get(key):
            raise PlanError(f"{path}：缺少 {key}")
    _plan_targets(folder)  # a target file that cannot be read stops here, naming file, row and column
    return Plan(int(stated), folder, doc["title"], config.PROJECT_ROOT / doc["peers"])


def plan_years() -> list[int]:
    years = {
        int(p.name)
        for root in plan_folders()
        if root.is_dir()
        for p in root.iterdir()
        if p.name.isdigit() and (p / "plan.yml").is_file()
    }
    return sorted(years)


def clear_caches() -> None:
    """Forget the plans read so far (after the office edits a plan folder)."""
    for cached in (plan, _plan_csv, _plan_targets, _owing):
        cached.cache_clear()


def latest_plan() -> Plan:
    """The most recent year's plan (the default of the assessment engine's loaders)."""
    return plan(plan_years()[-1])


@lru_cache(maxsize=None)
def _department_spellings() -> dict[str, str]:
    doc = read_yaml(config.DEPARTMENTS_FILE.read_text(encoding="utf-8"))
    return {
        department_spelling(spelling): name
        for name, aliases in doc["departments"].items()
        for spelling in [name, *(aliases or [])]
    }


def department_spelling(text: str) -> str:
    """A department name as matched: no spaces, ASCII brackets, 大兴区 read as 区."""
    text = re.sub(r"\s+", "", str(text).translate(_BRACKETS))
    return "区" + text[3:] if text.startswith("大兴区") else text


def canonical_department(text: str) -> str | None:
    """The department a name means, as the assessment scheme writes it (departments.yml):
    区人力社保局 -> 区人保局, 人保局 -> 区人保局; None for a name the directory does not know."""
    key, spellings = department_spelling(text), _department_spellings()
    return spellings.get(key) or (None if key.startswith("区") else spellings.get("区" + key))


def department_name(text: str) -> str:
    """A department as every document names it: the directory's name (departments.yml), so that
    区农业农村局 and 区农委, 区卫生健康委 and 区卫健委 read the same everywhere; a name the
    directory does not know is kept as written."""
    return canonical_department(text) or str(text).strip()


def same_department(text: str) -> str:
    """The key two spellings of one department share (the canonical name, else the name)."""
    return canonical_department(text) or department_spelling(text)


@lru_cache(maxsize=None)
def figure_sources() -> dict[str, dict[str, tuple[str, ...]]]:
    """figures.yml: for each kind (metrics, targets, headline), figure -> its sources, each
    "ledger" or "ledger:category"."""
    doc = read_yaml((REFERENCE_DIR / "figures.yml").read_text(encoding="utf-8"))
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
