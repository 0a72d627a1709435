"""reports/brief.py: which plan sections the brief names as 进度最落后, in what order, and what
its chart of them shows, on the 2020 plan at mid-year (targets_2020.csv, worked out by hand)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from fupin_lib.figures import targets
from fupin_lib.periods import parse_period
from fupin_lib.render.document import Figure, Heading, Table
from fupin_lib.reports import brief, notebook_api
from frames import behind_at_mid_year, progress_at_mid_year

AREAS = ("正镶白旗", "苏尼特右旗", "和田县", "224团")


def _mid_year(monkeypatch, changes: dict):
    prog = progress_at_mid_year(changes, canteen_units=80.0)
    monkeypatch.setattr(notebook_api, "plan_progress", lambda data: prog)
    monkeypatch.setattr(notebook_api, "has_targets", lambda data: True)
    charted = []
    real = brief.charts.target_progress
    monkeypatch.setattr(
        brief.charts, "target_progress", lambda frame, *a, **k: charted.append(frame) or real(frame, *a, **k)
    )
    return SimpleNamespace(period=parse_period("2020Q2")), charted


def _not_due(*keys) -> dict:
    return {(key, area): (0.0, targets.NOT_DUE, 0.0) for key in keys for area in AREAS}


def test_sections_with_targets_behind_come_before_targets_not_yet_due(monkeypatch):
    """The sample's 2020Q2, by hand: 二（一） has 8 one-off targets not yet due and not done
    (4 visits, 4 joint meetings: 0 of 1 each, 8 x 0.5 short of linear pace) and none behind;
    二（五） has 推送就业岗位信息 落后 in 3 areas (652, 642, 412 of 1500, 1500, 1000 with half due)
    and 促进残疾人就业 待核 twice; 二（六） the canteen target 落后 (72 of 80 units, all due).
    进度最落后: 二（五） (3 behind), 二（六） (1 behind), then 二（一） (none behind, 8 not done).
    Before, 二（一） came first: 8 targets short of linear pace outnumbered 3 behind."""
    changes = _not_due("leader_visits", "joint_meetings")
    changes.update(behind_at_mid_year())
    changes[("disabled_employed", "内蒙古")] = (1.0, targets.PENDING, 0.5)
    data, charted = _mid_year(monkeypatch, changes)
    assert [section for section, _ in brief.sections_behind(data)] == ["二（五）", "二（六）", "二（一）"]
    blocks = brief._analyses(data)
    headings = [b.text for b in blocks if isinstance(b, Heading)]
    assert headings == ["加大劳务协作帮扶力度", "加大消费扶贫力度", "加强组织领导"]
    captions = [b.caption for b in blocks if isinstance(b, Table)]
    assert captions[0] == "加大劳务协作帮扶力度未达进度的目标（截至6月底）"
    assert captions[2] == "加强组织领导尚未完成（期限未到）的目标（截至6月底）"
    # the chart: the four targets behind, furthest from pace first, none of those not yet due
    assert isinstance(blocks[-1], Figure) and len(charted) == 1
    assert list(charted[0]["范围"]) == ["每个预算单位", "苏尼特右旗", "正镶白旗", "察右前旗"]
    assert set(charted[0]["状态"]) == {targets.BEHIND}


def test_no_chart_when_no_target_is_behind(monkeypatch):
    """Only one-off targets not yet done at mid-year: the brief lists them (尚未完成, 期限未到)
    and draws no chart of bars at 0%."""
    data, charted = _mid_year(monkeypatch, _not_due("leader_visits"))
    assert [section for section, _ in brief.sections_behind(data)] == ["二（一）"]
    blocks = brief._analyses(data)
    assert not any(isinstance(b, Figure) for b in blocks) and charted == []
    assert [b.caption for b in blocks if isinstance(b, Table)] == [
        "加强组织领导尚未完成（期限未到）的目标（截至6月底）"
    ]


@pytest.mark.parametrize("status", [targets.BEHIND, targets.OVERDUE])
def test_a_target_behind_outranks_many_pending(monkeypatch, status):
    """One target 落后 (or 逾期未完成) in 二（六） outranks two targets 待核 in 二（五）."""
    changes = {
        ("canteen_purchase_ratio", "每个预算单位"): (72.0, status, 1.0),
        ("disabled_employed", "全区"): (1.0, targets.PENDING, 0.5),
        ("disabled_employed", "内蒙古"): (1.0, targets.PENDING, 0.5),
    }
    data, _charted = _mid_year(monkeypatch, changes)
    assert [section for section, _ in brief.sections_behind(data)] == ["二（六）", "二（五）"]
