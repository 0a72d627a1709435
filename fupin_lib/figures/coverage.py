"""What a figure can say, from who owes it and who sent it.

Each figure declares its sources once (reference/figures.yml: "ledger" or "ledger:category");
the year's plan says which departments owe each ledger (plans/<year>/obligations.csv, with the
category of rows where a ledger is shared: 党政干部 are owed by 区委组织部). A figure then reads:

- 未报送: none of its owing departments sent it, and no other department sent rows it counts
  (never 0);
- its value, with 部分未报送（区委组织部）: some of its owing departments did not send it;
- 待核: a row it counts lies beyond its plausible bounds and the office has not confirmed it
  (figures/plausibility.py).

A target reads 落后 and an assessment item its points only on complete data; otherwise 待核 and
数据不全. Without a plan for the year, a figure is 未报送 only when no department sent its
ledgers.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Iterable


from .. import config, refdata
from ..ingest.submissions import Submissions
from ..periods import Period

NOT_SENT = "未报送"
PARTIAL = "部分未报送"
PENDING = "待核"
INCOMPLETE = "数据不全"


@dataclass(frozen=True)
class Coverage:
    """What is known of one figure's data."""

    sent: bool  # some of its rows came (from any department)
    missing: tuple[str, ...] = ()  # owing departments (as the plan writes them) that sent none
    pending: tuple[str, ...] = ()  # why it is 待核 (rows beyond their bounds, unconfirmed)

    @property
    def complete(self) -> bool:
        return self.sent and not self.missing and not self.pending

    @property
    def status(self) -> str:
        """未报送, 待核, 部分未报送 or 完整."""
        return NOT_SENT if not self.sent else PENDING if self.pending else PARTIAL if self.missing else "完整"

    @property
    def note(self) -> str:
        """What a reader is told beside the value: "" when complete, 部分未报送（区委组织部）,
        or 待核 with the reason."""
        parts = []
        if self.sent and self.missing:
            parts.append(f"{PARTIAL}（{'、'.join(self.missing)}）")
        if self.sent and self.pending:
            parts.append(PENDING)
        return "；".join(parts)

    def shown(self, value: object) -> object:
        """The value as every document prints it: 未报送 or 待核 instead of a number that is
        not there or not yet believed; the value otherwise (partial data included)."""
        if not self.sent:
            return NOT_SENT
        if self.pending:
            return PENDING
        return value

    def __or__(self, other: "Coverage") -> "Coverage":
        """Two figures' data together (a ratio of both, a figure of two ledgers)."""
        return Coverage(
            self.sent and other.sent,
            tuple(dict.fromkeys(self.missing + other.missing)),
            tuple(dict.fromkeys(self.pending + other.pending)),
        )


COMPLETE = Coverage(True)


def no_ledgers_of_year(supplied: frozenset[str] | None, period: Period) -> str | None:
    """A Chinese sentence when no ledger of the period's year was sent (no round and no file of
    that year, while every counted file names its year), else None: such a period has no
    figures at all, not zeros."""
    years = getattr(supplied, "years", None)
    if not years or period.year in years:  # nothing sent at all yet: every figure reads 未报送
        return None
    have = "、".join(f"{y}年" for y in sorted(years)) or "没有任何年份"
    return (
        f"没有{period.year}年的台账（原始台账目录中没有{period.year}年的报送轮次或文件，现有：{have}），"
        f"{period.label_zh}的各项数字无法统计（不是 0）"
    )


def _split(source: str) -> tuple[str, str | None]:
    ledger, _, category = source.partition(":")
    return ledger, category or None


def _one(supplied: frozenset[str], source: str, year: int) -> Coverage:
    ledger, category = _split(source)
    if not isinstance(supplied, Submissions):  # a plain set of ledger keys: no departments known
        return Coverage(ledger in supplied)
    plan = refdata.plan(year)
    owing = plan.owing(ledger, category) if plan is not None else []
    sent_by = supplied.senders.get(ledger, frozenset())
    # as the department directory names them (区农委, never 区农业农村局 in one document and 区农委 in another)
    missing = tuple(refdata.department_name(d) for d in owing if refdata.same_department(d) not in sent_by)
    owing_keys = {refdata.same_department(d) for d in owing}
    if category is None:
        sent = bool(sent_by)
    else:
        with_rows = supplied.categories.get((ledger, category), frozenset())
        # An owing department that sent the ledger has sent its category (its count may be 0);
        # any other department counts only with rows of the category.
        sent = bool(with_rows) or bool(owing_keys & sent_by)
    return Coverage(sent, missing)


def coverage(
    supplied: frozenset[str] | None,
    sources: Iterable[str],
    period: Period,
    pending: dict[str, tuple[str, ...]] | None = None,
) -> Coverage:
    """The coverage of a figure computed from `sources` ("ledger" or "ledger:category"): sent
    when any source came, the owing departments missing across all of them, and 待核 when a
    source's ledger has an unconfirmed implausible row (`pending`: ledger -> reasons, from
    pending_by_ledger). `supplied` None: every ledger counts as sent."""
    sources = tuple(sources)
    if supplied is None or not sources:
        return COMPLETE
    parts = [_one(supplied, s, period.year) for s in sources]
    sent = any(p.sent for p in parts)
    missing = tuple(dict.fromkeys(d for p in parts for d in p.missing))
    reasons = tuple(dict.fromkeys(r for s in sources for r in (pending or {}).get(_split(s)[0], ())))
    return Coverage(sent, missing, reasons if sent else ())


def pending_by_ledger(supplied: frozenset[str] | None, period: Period) -> dict[str, tuple[str, ...]]:
    """Ledger -> the unconfirmed implausible rows (as sentences) of the period's year to date."""
    if not isinstance(supplied, Submissions) or supplied.tables is None:
        return {}
    from .plausibility import unconfirmed

    # Worked out once per period and state of the office's confirmations for these submissions
    # (a report asks for it from each section, the tracker and the headline).
    key = (period, _stamp(config.CONFIRMATIONS_FILE))
    memo = supplied.__dict__.setdefault("_pending_by_ledger", {})
    if key not in memo:
        out: dict[str, list[str]] = {}
        for s in unconfirmed(supplied.tables, period):
            out.setdefault(s.ledger, []).append(str(s))
        memo[key] = {k: tuple(v) for k, v in out.items()}
    return dict(memo[key])


def _stamp(path) -> tuple:
    """What tells one state of a file from another: its path, size and modification time."""
    try:
        st = os.stat(path)
    except OSError:
        return (str(path), None)
    return (str(path), st.st_size, st.st_mtime_ns)


class Coverages:
    """The coverage of every figure of one period, worked out once (the pending rows read once)."""

    def __init__(self, supplied: frozenset[str] | None, period: Period):
        self.supplied, self.period = supplied, period
        self.pending = pending_by_ledger(supplied, period)

    def of(self, sources: Iterable[str]) -> Coverage:
        return coverage(self.supplied, sources, self.period, self.pending)

    def figure(self, kind: str, key: str, default: Iterable[str] = ()) -> Coverage:
        """The coverage of a declared figure (figures.yml: metrics, targets, headline)."""
        return self.of(refdata.sources_of(kind, key) or tuple(default))
