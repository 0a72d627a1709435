"""The 67 assessment items as data: reference/rules.yml, checked and typed.

A rule file that does not hold together (an unknown metric key in a formula, band points that
do not match the bands, maxima that do not add up to 100 + 5) is refused when it is loaded,
with a Chinese message naming the item.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Mapping, Sequence


from .. import refdata
from . import formula as fx
from . import keys
from .banding import load_banding
from .errors import AssessmentError
from ..tabular import read_yaml

RULES_FILE = refdata.latest_plan().rules_file  # the latest year's scheme (plans/<year>/rules.yml)
RULE_TYPES = ("per_unit", "weighted_sum", "flag", "grade", "deduct", "band", "bonus")
COMPARE_TO = {"all": "全市各区", "category": "同类功能区"}
ROLES = ("lead", "responsible", "support")
_TOLERANCE = 1e-9


class RulesError(AssessmentError):
    """A rules file that cannot be used; the message is Chinese and names the item."""


@dataclass(frozen=True)
class Item:
    id: str
    indicator: int
    section: str
    name: str
    max: float
    rule: str
    formula: fx.Formula
    params: Mapping[str, float] = field(default_factory=dict)
    per_unit: float | None = None
    per_unit_text: str = ""
    grades: Mapping[str, float] = field(default_factory=dict)
    band_points: tuple[float, ...] = ()
    compare_to: str | None = None
    unit: str = ""
    lead: tuple[str, ...] = ()
    responsible: tuple[str, ...] = ()
    support: tuple[str, ...] = ()
    evidence: str = ""
    statistics: str = ""
    note: str = ""

    @property
    def is_band(self) -> bool:
        return self.rule == "band"

    @property
    def is_bonus(self) -> bool:
        return self.rule == "bonus"

    @property
    def metric_keys(self) -> tuple[str, ...]:
        """The metrics.csv keys the formula reads (its parameters left out)."""
        return tuple(n for n in self.formula.names if n not in self.params)

    def inputs(self, metrics: Mapping[str, object]) -> dict[str, object]:
        """What the formula reads for one district: its metrics and the item's parameters."""
        return {**metrics, **self.params}

    def departments(self) -> list[tuple[str, str]]:
        """(role, department as written) for every department named by the item."""
        return [(role, name) for role in ROLES for name in getattr(self, role)]

    def describe(self, label=keys.label) -> str:
        """The scoring rule in one Chinese sentence."""
        m = f"{self.max:g}"
        if self.rule == "per_unit":
            return f"每{self.unit} {self.per_unit_text} 分，满分 {m} 分"
        if self.rule == "weighted_sum":
            return f"{render(self.formula, label)}，满分 {m} 分"
        if self.rule == "flag":
            return f"做到得 {m} 分，否则 0 分"
        if self.rule == "grade":
            return "按等级：" + " / ".join(f"{g} {p:g} 分" for g, p in self.grades.items())
        if self.rule == "deduct":
            return f"满分 {m} 分，按（{render(self.formula, label)}）每{self.unit}扣 {self.per_unit_text} 分，扣完为止"
        if self.rule == "band":
            bands = load_banding().bands
            points = " / ".join(f"{b} {p:g}" for b, p in zip(bands, self.band_points))
            what = "" if self.formula.is_bare_name else f"按 {render(self.formula, label, self.params)} "
            compared = f"{refdata.district_count()}个区" if self.compare_to == "all" else COMPARE_TO[self.compare_to]
            return f"{what}与{compared}平均值比较分档：{points} 分"
        return f"{render(self.formula, label)}，可累计，最高 {m} 分（100 分之外）"


def render(formula: fx.Formula, label=keys.label, params: Mapping[str, float] | None = None) -> str:
    """A formula with its metric keys written as their Chinese labels and its parameters as numbers."""
    params = params or {}

    def word(m: re.Match) -> str:
        name = m.group(0)
        return label(name) if keys.known(name) else f"{params[name]:g}" if name in params else name

    text = re.sub(r"[A-Za-z_][A-Za-z0-9_]*", word, formula.text)
    return text.replace("*", "×").replace("/", "÷").replace(" > 0", " 大于 0")


@dataclass(frozen=True)
class RuleSet:
    items: tuple[Item, ...]
    total: float
    bonus_cap: float

    def __getitem__(self, item_id: str) -> Item:
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(item_id)

    @property
    def ids(self) -> list[str]:
        return [i.id for i in self.items]

    @property
    def sections(self) -> list[str]:
        return list(dict.fromkeys(i.section for i in self.items))

    def with_params(self, overrides: Mapping[str, Mapping[str, float]]) -> "RuleSet":
        """The same rules with some items' parameters changed, e.g. {"18.1": {"w_central": 5}}."""
        items = []
        for item in self.items:
            new = overrides.get(item.id)
            if new:
                unknown = set(new) - set(item.params)
                if unknown:
                    raise RulesError(
                        f"考核项 {item.id} 没有参数 {'、'.join(sorted(unknown))}（可用：{'、'.join(item.params)}）"
                    )
                item = replace(item, params={**item.params, **{k: float(v) for k, v in new.items()}})
            items.append(item)
        return replace(self, items=tuple(items))


# --- loading and checking ----------------------------------------------------------------


def _grade_words(unit: str) -> list[str]:
    return unit.split(" ", 1)[1].split("/") if unit.startswith("grade ") else []


def _item(raw: Mapping, bands: Sequence[str]) -> Item:
    item_id = str(raw.get("id", "?"))

    def fail(message: str) -> RulesError:
        return RulesError(f"考核项 {item_id}：{message}")

    try:
        rule = raw["rule"]
        if rule not in RULE_TYPES:
            raise fail(f"未知的计分方式“{rule}”（可选：{'、'.join(RULE_TYPES)}）")
        formula = fx.parse(raw["value"])
        params = {str(k): fx.constant(v) for k, v in (raw.get("params") or {}).items()}
        unknown = [n for n in formula.names if not keys.known(n) and n not in params]
        if unknown:
            raise fail(f"公式中的“{'、'.join(unknown)}”不是指标键（metrics.csv）或本项参数")
        inputs = [n for n in formula.names if n not in params]
        text_keys = [k for k in inputs if keys.unit(k) == "text" or keys.unit(k).startswith("grade")]
        item = Item(
            id=item_id,
            indicator=int(raw["indicator"]),
            section=str(raw["section"]),
            name=str(raw["name"]),
            max=float(raw["max"]),
            rule=rule,
            formula=formula,
            params=params,
            unit=str(raw.get("unit", "")),
            evidence=str(raw.get("evidence", "")),
            statistics=str(raw.get("statistics", "") or ""),
            note=str(raw.get("note", "") or ""),
            **{role: tuple(raw.get(role) or ()) for role in ROLES},
        )
    except KeyError as exc:
        raise fail(f"缺少字段 {exc}") from exc
    except fx.FormulaError as exc:
        raise fail(str(exc)) from exc

    if rule == "grade":
        if not formula.is_bare_name or not text_keys:
            raise fail("按等级计分的公式应为一个等级指标键")
        grades = {str(g): float(p) for g, p in (raw.get("grades") or {}).items()}
        missing = [w for w in _grade_words(keys.unit(inputs[0])) if w not in grades]
        if missing:
            raise fail(f"缺少等级“{'、'.join(missing)}”的得分")
        if max(grades.values()) > item.max + _TOLERANCE:
            raise fail("等级得分超过满分")
        return replace(item, grades=grades)
    if text_keys:
        raise fail(f"“{'、'.join(text_keys)}”不是数值，不能用于计算")
    if rule in ("per_unit", "deduct"):
        if "per_unit" not in raw:
            raise fail("缺少 per_unit（每单位得分或扣分）")
        return replace(item, per_unit=fx.constant(raw["per_unit"]), per_unit_text=str(raw["per_unit"]))
    if rule == "band":
        points = tuple(float(p) for p in raw.get("band_points") or ())
        if len(points) != len(bands):
            raise fail(f"band_points 应依次给出 {'、'.join(bands)} 的得分")
        if list(points) != sorted(points, reverse=True) or abs(points[0] - item.max) > _TOLERANCE:
            raise fail("band_points 应从满分起从高到低排列")
        if raw.get("compare_to") not in COMPARE_TO:
            raise fail(f"compare_to 应为 {' 或 '.join(COMPARE_TO)}")
        return replace(item, band_points=points, compare_to=raw["compare_to"])
    return item


def parse_rules(doc: Mapping) -> RuleSet:
    """Check and build the rule set from its YAML document."""
    bands = load_banding().bands
    try:
        items = tuple(_item(raw, bands) for raw in doc["items"])
        total, cap = float(doc["total"]), float(doc["bonus_cap"])
    except (KeyError, TypeError) as exc:
        raise RulesError(f"规则文件缺少项目：{exc}") from exc
    ids = [i.id for i in items]
    duplicated = sorted({i for i in ids if ids.count(i) > 1})
    if duplicated:
        raise RulesError(f"考核项编号重复：{'、'.join(duplicated)}")
    scored = sum(i.max for i in items if not i.is_bonus)
    bonus = sum(i.max for i in items if i.is_bonus)
    if abs(scored - total) > _TOLERANCE or abs(bonus - cap) > _TOLERANCE:
        raise RulesError(f"满分合计应为 {total:g} 分 + 加分 {cap:g} 分，实为 {scored:g} 分 + {bonus:g} 分")
    return RuleSet(items, total, cap)


@lru_cache(maxsize=None)
def load_rules(path: Path | str = RULES_FILE) -> RuleSet:
    """The assessment rules (reference/rules.yml unless another file is given)."""
    with open(path, encoding="utf-8") as fh:
        return parse_rules(read_yaml(fh))
