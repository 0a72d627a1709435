"""One district's score card: the peers table read, the home row optionally computed from the
district's own ledgers, and every district scored. What `fupin score` and the
assessment_score notebook both start from."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..config import HOME_DISTRICT, PROJECT_ROOT
from ..cache import ingest_cached
from ..ingest import IngestResult
from ..reports.markup import md
from ..periods import PeriodError, parse_period
from .errors import AssessmentError
from .home import Disagreement, merge_own, own_metrics
from .peers import canonical_district, read_peers
from .score import Assessment, score


class DistrictError(AssessmentError):
    """A district name that is not one of the 16."""


@dataclass
class ScoreCard:
    assessment: Assessment
    district: str
    own_keys: tuple[str, ...] = ()          # metric keys taken from the district's own ledgers
    disagreements: list[Disagreement] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    period: str | None = None               # the ledgers' period, when the home row comes from them

    @property
    def part_year(self) -> bool:
        """True when the home row covers only part of the year while the peers are annual."""
        return bool(self.own_keys) and self.period is not None and parse_period(self.period).end.month != 12

    @property
    def mine(self):
        return self.assessment[self.district]


def district_name(text: str) -> str:
    name = canonical_district(text)
    if name is None:
        raise DistrictError(f"未知的区“{text}”：应为北京市 16 个区之一（见 districts.csv）")
    return name


def _ingest(raw_dir: Path | str) -> IngestResult:
    if not Path(raw_dir).is_dir():
        raise AssessmentError(f"原始台账目录不存在：{raw_dir}")
    return ingest_cached(Path(raw_dir))


def build_card(peers: Path | str, district: str = HOME_DISTRICT, policy: str | None = None,
               raw_dir: Path | str | None = None, period: str = "2020Q4",
               ingested: IngestResult | None = None) -> ScoreCard:
    """Score the peers table. With raw_dir (or its already ingested ledgers), the district's
    row comes from its own ledgers for the period, and the peers table may leave it out."""
    district = district_name(district)
    own_row = raw_dir is not None or ingested is not None
    table = read_peers(peers, allow_missing=[district] if own_row else [])
    own_keys: tuple[str, ...] = ()
    disagreements: list[Disagreement] = []
    if own_row:
        try:
            p = parse_period(period)
        except PeriodError as exc:
            raise AssessmentError(str(exc)) from exc
        own = own_metrics(ingested if ingested is not None else _ingest(raw_dir), p)
        table, disagreements = merge_own(table, district, own)
        own_keys = tuple(k for k, v in own.items() if v is not None)
    return ScoreCard(score(table, policy=policy), district, own_keys, disagreements, list(table.notes),
                     period if own_row else None)


def load_card(peers: Path | str, district: str = HOME_DISTRICT, policy: str | None = None,
              raw_dir: Path | str | None = None, period: str = "2020Q4",
              ingested: IngestResult | None = None) -> ScoreCard | None:
    """build_card, or None when the peers file does not exist yet (the report shows a note)."""
    if not Path(peers).is_file():
        return None
    return build_card(peers, district, policy, raw_dir, period, ingested)


def missing_peers_note(peers: Path | str) -> str:
    path = Path(peers).resolve()
    shown = path.relative_to(PROJECT_ROOT) if path.is_relative_to(PROJECT_ROOT) else path
    return (f"**未找到其他区数据表**（{md(path.name)}），暂不能计算考核得分和排名。"
            f"请将 16 个区的考核数据表（每区一行，表头为指标键或中文名称）保存为 {md(shown)} 后重新生成报告。")
