"""One district's score card: the peers table read, the home row optionally taken from the
district's own figures (computed from its ledgers by the caller: the assessment never reads
ledgers), and every district scored. What `fupin score` and the assessment_score notebook
both start from."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

from .. import config
from ..config import HOME_DISTRICT
from ..render.markup import md
from .. import refdata
from ..periods import PeriodError, parse_period
from .errors import AssessmentError
from .home import Disagreement, merge_own, own_metrics
from .peers import PeersTable, canonical_district, read_peers
from .banding import load_banding
from .rules import load_rules
from .score import Assessment, score


class DistrictError(AssessmentError):
    """A district name that is not one of the 16."""


@dataclass
class ScoreCard:
    assessment: Assessment
    district: str
    own_keys: tuple[str, ...] = ()  # metric keys taken from the district's own ledgers
    disagreements: list[Disagreement] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    period: str | None = None  # the ledgers' period, when the home row comes from them
    incomplete: dict[str, str] = field(default_factory=dict)  # metric key -> why its data are incomplete

    @property
    def incomplete_items(self) -> list:
        """The district's items scored on incomplete data (数据不全), in the scheme's order."""
        return [s for s in self.mine.items.values() if s.incomplete]

    @property
    def part_year(self) -> bool:
        """True when the home row covers only part of the year while the peers are annual."""
        return bool(self.own_keys) and self.period is not None and parse_period(self.period).end.month != 12

    @property
    def mine(self):
        return self.assessment[self.district]


class NoSchemeError(AssessmentError):
    """A year without an assessment scheme in the reference data."""


def scheme_of(period: str):
    """The plan whose assessment scheme scores a period (its year's), or NoSchemeError."""
    try:
        year = parse_period(period).year
    except PeriodError as exc:
        raise AssessmentError(str(exc)) from exc
    plan = refdata.plan(year)
    if plan is None:
        raise NoSchemeError(no_scheme_note(year))
    return plan


def no_scheme_note(year: int) -> str:
    return (
        f"{year}年尚无考核方案（参考数据中没有 {year} 年的计划和考核细则），暂不能测算考核得分；"
        "不会借用其他年份的方案。"
    )


def district_name(text: str) -> str:
    name = canonical_district(text)
    if name is None:
        raise DistrictError(f"未知的区“{text}”：应为北京市 {refdata.district_count()} 个区之一（见 districts.csv）")
    return name


def _why(cover) -> str:
    """Why a key's data are incomplete, in a few words."""
    if not cover.sent:
        return f"{'、'.join(cover.missing)}未报送" if cover.missing else "台账未报送"
    parts = [f"{'、'.join(cover.missing)}未报送"] if cover.missing else []
    return "；".join(parts + (["有数值待核"] if cover.pending else []))


def _mark_incomplete(assessment: Assessment, district: str, incomplete: Mapping[str, object]) -> None:
    """The district's items whose data are incomplete read 数据不全, never full marks on data
    nobody sent: an item without its value has all its points at risk, one on partial or 待核
    data the points it shows."""
    from dataclasses import replace

    mine = assessment.districts[district]
    for item_id, s in list(mine.items.items()):
        hit = [k for k in s.item.metric_keys if k in incomplete]
        if not hit:
            continue
        why = "；".join(dict.fromkeys(f"{_why(incomplete[k])}" for k in hit))
        at_risk = s.item.max if s.value is None else s.points
        mine.items[item_id] = replace(s, incomplete=why, at_risk=at_risk)


def build_card(
    peers: Path | str | PeersTable,
    district: str = HOME_DISTRICT,
    policy: str | None = None,
    own: Mapping[str, object] | None = None,
    period: str = "2020Q4",
    coverage: Mapping[str, object] | None = None,
) -> ScoreCard:
    """Score the peers table under the scheme of the period's year (reference/plans/<year>/).
    With `own` (the district's figures for `period`, metric key -> value, from
    figures.registry.compute_metrics), the district's row comes from them, and the peers table
    may leave it out. `coverage` (figures.registry.metric_coverage: key -> Coverage of the keys
    whose data are incomplete): a key none of whose owing departments sent it, or 待核, has no
    value; every item reading such a key, or one sent only in part, reads 数据不全."""
    district = district_name(district)
    scheme = scheme_of(period)
    own_row = own is not None
    # a peers file, or a table already assembled (assessment/city.py: the districts' own files)
    table = peers if isinstance(peers, PeersTable) else read_peers(peers, allow_missing=[district] if own_row else [])
    own_keys: tuple[str, ...] = ()
    disagreements: list[Disagreement] = []
    incomplete = {k: c for k, c in (coverage or {}).items()} if own_row else {}
    if own_row:
        values = own_metrics(own)
        unknown = {k for k, c in incomplete.items() if not c.sent or c.pending}
        table, disagreements = merge_own(table, district, values, unknown)
        own_keys = tuple(k for k, v in values.items() if v is not None and k not in unknown)
    rules, banding = load_rules(scheme.rules_file), load_banding(scheme.banding_file)
    assessment = score(table, rules, banding, policy=policy)
    if incomplete:
        _mark_incomplete(assessment, district, incomplete)
    return ScoreCard(
        assessment,
        district,
        own_keys,
        disagreements,
        list(table.notes),
        period if own_row else None,
        {k: _why(c) for k, c in incomplete.items()},
    )


def load_card(
    peers: Path | str,
    district: str = HOME_DISTRICT,
    policy: str | None = None,
    own: Mapping[str, object] | None = None,
    period: str = "2020Q4",
    coverage: Mapping[str, object] | None = None,
) -> ScoreCard | None:
    """build_card, or None when the year has no scheme or the peers file does not exist yet (the
    report shows missing_card_note instead)."""
    if refdata.plan(parse_period(period).year) is None or not Path(peers).is_file():
        return None
    return build_card(peers, district, policy, own, period, coverage)


def missing_card_note(peers: Path | str, period: str) -> str:
    """Why there is no score card for the period: no scheme for its year, or no peers table."""
    year = parse_period(period).year
    return no_scheme_note(year) if refdata.plan(year) is None else missing_peers_note(peers)


def missing_peers_note(peers: Path | str) -> str:
    path = Path(peers).resolve()
    shown = config.shown(path)
    return (
        f"**未找到其他区数据表**（{md(path.name)}），暂不能计算考核得分和排名。"
        f"请将 {refdata.district_count()} 个区的考核数据表（每区一行，表头为指标键或中文名称）保存为 {md(shown)} 后重新生成报告。"
    )
