"""Who owes what: the items each department answers for (rules.yml, as the scheme names them),
the points at stake and lost, and the evidence it must hand in.

Department names are matched through reference/departments.yml, so that 区人力社保局 finds the
items the scheme gives to 区人保局, and 区卫生健康委 those of 区卫计委.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from .. import refdata
from .. import config
from .errors import AssessmentError
from .rules import ROLES, Item, RuleSet
from .score import Assessment
from ..tabular import read_yaml


class DepartmentError(AssessmentError):
    """A department name that matches none; the message is Chinese and suggests close names."""


_norm = refdata.department_spelling


@dataclass(frozen=True)
class Directory:
    roles: dict[str, str]  # lead -> 牵头部门
    generic: str  # 任务分解涉及的相关部门: every department
    names: tuple[str, ...]  # canonical names, as the scheme writes them
    spellings: dict[str, str]  # normalised spelling -> canonical name

    def find(self, text: str) -> str | None:
        key = _norm(text)
        return self.spellings.get(key) or (None if key.startswith("区") else self.spellings.get("区" + key))

    def resolve(self, text: str) -> str:
        found = self.find(text)
        if found:
            return found
        close = difflib.get_close_matches(_norm(text), list(self.spellings), n=3, cutoff=0.5)
        hint = f"；是否指：{'、'.join(dict.fromkeys(self.spellings[c] for c in close))}" if close else ""
        raise DepartmentError(f"未知的部门“{text}”{hint}（可选：{'、'.join(self.named)}）")

    @property
    def named(self) -> list[str]:
        """The departments a user can ask for (the generic wording left out)."""
        return [n for n in self.names if n != self.generic]


@lru_cache(maxsize=None)
def load_directory(path: Path | str = config.DEPARTMENTS_FILE) -> Directory:
    with open(path, encoding="utf-8") as fh:
        doc = read_yaml(fh)
    spellings: dict[str, str] = {}
    for name, aliases in doc["departments"].items():
        for spelling in [name, *(aliases or [])]:
            spellings[_norm(spelling)] = name
    return Directory(dict(doc["roles"]), doc["generic"], tuple(doc["departments"]), spellings)


@dataclass(frozen=True)
class Duty:
    """One item a department answers for, and in which roles."""

    item: Item
    roles: tuple[str, ...]  # lead / responsible / support
    shared: bool  # named only as 任务分解涉及的各部门

    def role_text(self, directory: Directory) -> str:
        text = "、".join(directory.roles[r].removesuffix("部门") for r in self.roles)
        return f"{text}（共同）" if self.shared else text


def duties(rules: RuleSet, department: str, directory: Directory | None = None) -> list[Duty]:
    """The items a department (any spelling) answers for, in rule order."""
    directory = directory or load_directory()
    name = directory.resolve(department)
    out: list[Duty] = []
    for item in rules.items:
        canonical = [(role, directory.find(written)) for role, written in item.departments()]
        mine = tuple(dict.fromkeys(role for role, n in canonical if n == name))
        shared = tuple(dict.fromkeys(role for role, n in canonical if n == directory.generic))
        if mine:
            out.append(Duty(item, mine, False))
        elif shared and name != directory.generic:
            out.append(Duty(item, shared, True))
    return out


def unknown_departments(rules: RuleSet, directory: Directory | None = None) -> list[str]:
    """Department names in the rules that departments.yml does not know (should be none)."""
    directory = directory or load_directory()
    return sorted({w for item in rules.items for _, w in item.departments() if directory.find(w) is None})


def _counts(duties_: list[Duty]) -> list[Duty]:
    """The duties that count in a department's points at stake: its own, in the 100 points."""
    return [d for d in duties_ if not d.shared and not d.item.is_bonus]


def department_items(assessment: Assessment, district: str, department: str, evidence: bool = True) -> pd.DataFrame:
    """One department's items for a district: role, points at stake and lost (and evidence)."""
    directory = load_directory()
    card = assessment[district]
    rows = []
    for duty in duties(assessment.rules, department, directory):
        s = card.items[duty.item.id]
        rows.append(
            {
                "编号": duty.item.id,
                "考核内容": duty.item.name,
                "职责": duty.role_text(directory),
                "满分": duty.item.max,
                "得分": s.points,
                "失分": s.lost,
                "证明材料": duty.item.evidence,
            }
        )
    table = pd.DataFrame(rows, columns=["编号", "考核内容", "职责", "满分", "得分", "失分", "证明材料"])
    return table if evidence else table.drop(columns=["证明材料"])


def evidence_list(rules: RuleSet, department: str) -> pd.DataFrame:
    """The evidence a department hands in, each text once with the items it serves."""
    by_text: dict[str, list[str]] = {}
    for duty in duties(rules, department):
        by_text.setdefault(duty.item.evidence, []).append(duty.item.id)
    return pd.DataFrame(
        [{"考核项": "、".join(ids), "证明材料": text} for text, ids in by_text.items()], columns=["考核项", "证明材料"]
    )


def department_summary(assessment: Assessment, district: str) -> pd.DataFrame:
    """Every department: items it answers for (as 牵头/责任/配合), points at stake and lost.
    Shared items (任务分解涉及的各部门) and the bonus item are listed but not added up."""
    directory = load_directory()
    card = assessment[district]
    rows = []
    for name in directory.named:
        mine = duties(assessment.rules, name, directory)
        own = [d for d in mine if not d.shared]
        if not own:
            continue
        counted = _counts(mine)
        rows.append(
            {
                "部门": name,
                "考核项数": len(own),
                **{directory.roles[r]: sum(r in d.roles for d in own) for r in ROLES},
                "分值": round(sum(d.item.max for d in counted), 6),
                "失分": round(sum(card.items[d.item.id].lost for d in counted), 6),
            }
        )
    return pd.DataFrame(rows).sort_values(["失分", "分值"], ascending=False).reset_index(drop=True)


def department_json(assessment: Assessment, district: str, department: str) -> dict:
    directory = load_directory()
    mine = duties(assessment.rules, department, directory)
    card = assessment[district]
    counted = _counts(mine)
    return {
        "department": directory.resolve(department),
        "max": round(sum(d.item.max for d in counted), 6),
        "lost": round(sum(card.items[d.item.id].lost for d in counted), 6),
        "items": [
            {
                "id": d.item.id,
                "name": d.item.name,
                "roles": list(d.roles),
                "shared": d.shared,
                "max": d.item.max,
                "points": round(card.items[d.item.id].points, 6),
                "lost": card.items[d.item.id].lost,
                "evidence": d.item.evidence,
            }
            for d in mine
        ],
    }


def departments_to_follow(
    assessment: Assessment, district: str, limit: int = 5
) -> list[tuple[str, pd.DataFrame, pd.DataFrame]]:
    """The departments with the most points lost: (name, its items, the evidence it hands in)."""
    summary = department_summary(assessment, district)
    names = summary.loc[summary["失分"] > 0, "部门"].head(limit)
    return [
        (name, department_items(assessment, district, name, evidence=False), evidence_list(assessment.rules, name))
        for name in names
    ]
