"""The 67 items as data and one engine per rule type. Every expected number is worked out by
hand from assessment_items.csv, banding.md and the scheme's text."""

import random
import re

import pandas as pd
import pytest
import yaml

from fupin_lib import refdata
from fupin_lib.assessment import formula as fx
from fupin_lib.assessment.departments import duties, evidence_list, load_directory, unknown_departments
from fupin_lib.assessment.peers import PeersTable
from fupin_lib.assessment.rules import RULES_FILE, RulesError, load_rules, parse_rules
from fupin_lib.assessment.score import score

from peers_tables import DISTRICTS

RULES = load_rules()
CORE = ["东城区", "西城区", "朝阳区", "海淀区", "丰台区", "石景山区"]
NEW = ["房山区", "通州区", "顺义区", "昌平区", "大兴区"]
ECO = ["门头沟区", "怀柔区", "平谷区", "密云区", "延庆区"]


def table(rows: dict[str, dict], **everyone) -> PeersTable:
    """Every district with `everyone`, then each district's own values on top."""
    values = {d: {**everyone, **rows.get(d, {})} for d in DISTRICTS}
    return PeersTable("测试", values, tuple(dict.fromkeys(k for v in values.values() for k in v)))


def item(assessment, item_id, district="大兴区"):
    return assessment[district].items[item_id]


# --- the rules as data -------------------------------------------------------------------


def test_maxima_add_up_to_100_plus_5():
    assert len(RULES.items) == 67
    assert sum(i.max for i in RULES.items if not i.is_bonus) == pytest.approx(100)
    assert sum(i.max for i in RULES.items if i.is_bonus) == pytest.approx(5)
    by_section = {s: sum(i.max for i in RULES.items if i.section == s) for s in RULES.sections}
    assert by_section == pytest.approx(
        {
            "组织领导": 25,
            "资金项目": 10,
            "人才支持": 10,
            "产业合作": 15,
            "社会动员": 10,
            "劳务协作": 10,
            "结对帮扶": 10,
            "信息宣传": 10,
            "创新创优": 5,
        }
    )


def test_rules_match_the_contract_csv():
    """rules.yml against assessment_items.csv: ids, points, rule, comparison, band points, and
    the same formula (checked by evaluating both on random inputs) and rule_detail numbers."""
    csv = pd.read_csv(refdata.plan(2020).folder / "assessment_items.csv", dtype=str, keep_default_na=False)
    assert list(csv["item"]) == RULES.ids
    rnd = random.Random(3)
    keys = list(refdata.metrics()["key"])
    for row in csv.itertuples():
        it = RULES[row.item]
        assert (it.section, it.name, it.max, it.rule) == (row.section, row.name_zh, float(row.max_points), row.rule)
        assert it.indicator == int(row.indicator)
        assert (it.compare_to or "") == row.compare_to
        assert "|".join(f"{p:g}" for p in it.band_points) == row.band_points
        contract = fx.parse(row.value)
        if it.rule == "grade":
            assert it.formula.text == row.value
            words = dict(re.findall(r"(\S+) (\d+(?:\.\d+)?)", row.rule_detail))
            assert it.grades == {w: float(p) for w, p in words.items()}
            continue
        for _ in range(5):
            values = {k: rnd.randint(1, 30) for k in keys}
            assert it.formula.evaluate(it.inputs(values)).value == pytest.approx(contract.evaluate(values).value)
        if it.rule == "per_unit":
            assert it.per_unit == pytest.approx(fx.constant(row.rule_detail.split(" per ")[0]))
        if it.rule == "deduct":
            assert it.per_unit == pytest.approx(
                float(re.search(r"minus (\d+(?:\.\d+)?) per", row.rule_detail).group(1))
            )


def test_every_item_names_its_departments_and_evidence():
    assert unknown_departments(RULES) == []
    for it in RULES.items:
        assert it.responsible, it.id
        assert it.evidence, it.id


def test_department_aliases_find_the_schemes_spelling():
    directory = load_directory()
    assert directory.resolve("区人力社保局") == directory.resolve("区人保局") == "区人保局"
    assert directory.resolve("大兴区人力社保局") == directory.resolve(" 人保局 ") == "区人保局"
    assert directory.resolve("区卫生健康委") == directory.resolve("区卫健委") == "区卫计委"
    assert directory.resolve("区经济协作办") == "区经济协作办公室"
    ids = {d.item.id for d in duties(RULES, "区人力社保局") if not d.shared}
    assert ids == {
        "8.1",
        "8.2a",
        "8.2b",
        "8.2c",
        "8.3",
        "13.1",
        "13.2",
        "13.3",
        "14.1",
        "14.2",
        "15.1",
        "15.2",
        "15.3",
        "15.4",
    }
    lead = {d.item.id for d in duties(RULES, "区人保局") if "lead" in d.roles}
    assert lead == {"8.1", "8.2a", "8.2b", "8.2c", "8.3"}
    health = {d.item.id for d in duties(RULES, "区卫生健康委") if not d.shared}
    assert health == {"8.1", "8.2a", "8.2b", "8.2c", "8.3", "12.1", "12.2", "12.3", "16.7", "16.8", "16.9"}
    assert {d.item.id for d in duties(RULES, "区委党校")} >= {"7.4"}
    shared = {d.item.id for d in duties(RULES, "区人保局") if d.shared}
    assert shared == {"3.3", "3.9", "3.10", "19"}  # 任务分解涉及的（相关/各）部门
    evidence = evidence_list(RULES, "区人保局").set_index("考核项")["证明材料"]
    assert evidence["8.1、8.2a、8.2b、8.2c、8.3"].startswith("选派专业人才计划")  # one text, five items
    assert evidence["3.9、3.10"] == "工作台账文本。"


@pytest.mark.parametrize(
    "edit, message",
    [
        (lambda d: d["items"][0].update({"max": 4}), "满分合计应为 100 分"),
        (lambda d: d["items"][0].update({"value": "leadership_meetings + nonsense"}), "不是指标键"),
        (lambda d: d["items"][0].update({"value": "import os"}), "多余"),
        (lambda d: d["items"][0].update({"value": "__import__('os')"}), "无法识别"),
        (lambda d: d["items"][0].update({"rule": "magic"}), "未知的计分方式"),
        (lambda d: d["items"][14].update({"band_points": [4, 3.6, 3.2, 0]}), "band_points"),
        (lambda d: d["items"][13].update({"grades": {"好": 2, "一般": 1.6}}), "缺少等级“无”"),
        (lambda d: d["items"][1].update({"id": "1.1"}), "编号重复"),
    ],
)
def test_bad_rules_file_is_refused_in_chinese(edit, message):
    doc = yaml.safe_load(RULES_FILE.read_text(encoding="utf-8"))
    edit(doc)
    with pytest.raises(RulesError, match=message):
        parse_rules(doc)


def test_formula_is_safe_and_explains_missing_values():
    f = fx.parse("people_benefited / extra_funds_wan")
    assert f.evaluate({"people_benefited": 30, "extra_funds_wan": 60}).value == 0.5
    missing = f.evaluate({"people_benefited": 30}, refdata.metric_label)
    assert missing.value is None and missing.reason == "分母“区级财政额外安排资金（万元）”缺失"
    zero = f.evaluate({"people_benefited": 30, "extra_funds_wan": 0}, refdata.metric_label)
    assert zero.value is None and "为 0" in zero.reason
    assert fx.parse("2 - summaries_submitted").evaluate({"summaries_submitted": 1}).value == 1
    assert fx.parse("job_fairs_im > 0").evaluate({"job_fairs_im": 3}).value == 1.0
    assert fx.parse("job_fairs_im > 0").evaluate({"job_fairs_im": 0}).value == 0.0
    assert fx.parse("(1 + 2) * -3").evaluate({}).value == -9
    assert fx.constant("1/6") == pytest.approx(1 / 6)
    for bad in ("a.b", "f(x)", "1 +", "x ** 2", "'x'", "a; b"):
        with pytest.raises(fx.FormulaError):
            fx.parse(bad)


# --- one engine per rule type ------------------------------------------------------------


@pytest.mark.parametrize(
    "item_id, values, expected",
    [
        ("1.1", {"leadership_meetings": 1}, 1.5),
        ("1.1", {"leadership_meetings": 3}, 3.0),  # 4.5 capped at 3
        ("2.1", {"counties_visited": 4}, 2.4),  # 4 x 0.6
        ("3.4", {"quarters_leader_meeting": 3}, 0.75),
        ("3.6", {"months_county_contact": 5}, 5 / 6),  # 1/6 per month
        ("3.6", {"months_county_contact": 12}, 2.0),
        ("5.1", {"counties_plan_reviewed": 5}, 0.7),  # 5 x 0.14
        ("13.2", {"counties_job_center_paired": 6}, 1.0),  # 1.2 capped at 1
        ("1.2", {}, 0.0),  # missing: no value, no points
    ],
)
def test_per_unit(item_id, values, expected):
    assert item(score(table({}, **values)), item_id).points == pytest.approx(expected)


@pytest.mark.parametrize(
    "values, expected",
    [
        ({"counties_agreement": 4, "counties_agreement_reported": 3}, 1.5),  # 1.2 + 0.3
        ({"counties_agreement": 5, "counties_agreement_reported": 5}, 2.0),  # 1.5 + 0.5
        ({"counties_agreement": 7, "counties_agreement_reported": 7}, 2.0),  # 2.8 capped at 2
        ({"counties_agreement": 4}, 0.0),  # one part missing
    ],
)
def test_weighted_sum(values, expected):
    assert item(score(table({}, **values)), "3.7").points == pytest.approx(expected)


@pytest.mark.parametrize(
    "item_id, values, expected",
    [
        ("3.3", {"has_work_rules": 1}, 2.0),
        ("3.3", {"has_work_rules": 0}, 0.0),
        ("7.1", {"party_cadres_required_met": 1}, 1.5),
        ("8.3", {"tilt_professionals": 1}, 0.5),
        ("15.1", {"job_fairs_im": 2}, 1.0),
        ("15.1", {"job_fairs_im": 0}, 0.0),
        ("15.1", {}, 0.0),
    ],
)
def test_flag(item_id, values, expected):
    assert item(score(table({}, **values)), item_id).points == pytest.approx(expected)


@pytest.mark.parametrize(
    "item_id, key, word, expected",
    [
        ("3.10", "ledger_quality", "好", 2.0),
        ("3.10", "ledger_quality", "一般", 1.6),
        ("3.10", "ledger_quality", "无", 0.0),
        ("5.3", "fund_safety", "重大问题", 0.0),
        ("5.3", "fund_safety", "正常", 1.0),
        ("16.6", "vocational_effect", "一般", 0.3),
        ("11.2", "enterprise_pairing_effect", "一般", 1.6),
        ("16.2", "town_pairing_effect", "一般", 0.6),
    ],
)
def test_grade(item_id, key, word, expected):
    assert item(score(table({}, **{key: word})), item_id).points == pytest.approx(expected)


@pytest.mark.parametrize(
    "item_id, values, expected",
    [
        ("7.3", {"cadres_off_poverty_posts": 0}, 1.5),
        ("7.3", {"cadres_off_poverty_posts": 3}, 1.2),  # 1.5 - 0.3
        ("7.3", {"cadres_off_poverty_posts": 20}, 0.0),  # 1.5 - 2.0, floor 0
        ("17.1", {"summaries_submitted": 2}, 1.0),
        ("17.1", {"summaries_submitted": 1}, 0.5),  # one missing: -0.5
        ("17.1", {"summaries_submitted": 0}, 0.0),
        ("17.2", {"quarterly_reports_submitted": 1}, 0.75),  # three missing: 3 - 2.25
        ("17.2", {"quarterly_reports_submitted": 4}, 3.0),
    ],
)
def test_deduct(item_id, values, expected):
    assert item(score(table({}, **values)), item_id).points == pytest.approx(expected)


@pytest.mark.parametrize(
    "values, expected",
    [
        ({"award_city_office": 3}, 3.0),
        ({"award_city_main": 1}, 4.0),
        ({"award_national_dept": 1, "award_city_deputy": 1}, 5.0),  # 3 + 2
        ({"award_central": 1, "award_city_deputy": 1}, 5.0),  # 5 + 2 = 7, capped at 5
        ({"award_province_main": 2}, 5.0),  # 8, capped
    ],
)
def test_bonus_is_capped_at_5_and_outside_the_total(values, expected):
    zeros = {
        k: 0
        for k in (
            "award_central",
            "award_city_main",
            "award_province_main",
            "award_national_dept",
            "award_city_deputy",
            "award_city_office",
        )
    }
    mine = score(table({}, **{**zeros, **values}))["大兴区"]
    assert mine.bonus == pytest.approx(expected)
    assert mine.items["19"].points == pytest.approx(expected)
    assert mine.total == pytest.approx(sum(s.points for i, s in mine.items.items() if i != "19"))


# --- band items --------------------------------------------------------------------------


def test_band_points_ratio_and_zero_denominator():
    # 6.1 = people_benefited / extra_funds_wan. Others: 100 / 50 = 2.0; 大兴区: 0 funds -> no value.
    a = score(
        table(
            {"大兴区": {"extra_funds_wan": 0}, "东城区": {"people_benefited": 130}},
            people_benefited=100,
            extra_funds_wan=50,
        )
    )
    mine = item(a, "6.1")
    assert mine.value is None and mine.band == "没有" and mine.points == 0
    assert "分母“区级财政额外安排资金（万元）”为 0" in mine.reason
    # average of the 15 with a value: (14 x 2.0 + 2.6) / 15 = 2.04 (大兴区 left out)
    assert mine.average == pytest.approx(2.04)
    east = item(a, "6.1", "东城区")
    assert east.value == pytest.approx(2.6) and east.band == "较好" and east.points == 1.2  # 2.6/2.04 = 1.27
    assert item(a, "6.1", "西城区").band == "一般" and item(a, "6.1", "西城区").points == 0.9


def test_missing_denominator_per_county():
    a = score(table({"大兴区": {"paired_counties": None}}, party_cadres_self_selected=10, paired_counties=5))
    mine = item(a, "7.2")
    assert mine.value is None and mine.band == "没有" and "分母“结对县总个数”缺失" in mine.reason
    assert item(a, "7.2", "东城区").band == "一般"  # 2.0 against an average of 2.0


def test_a_zero_value_is_in_the_average():
    # 10.1: 大兴区 0, the 15 others 16 -> average 15 x 16 / 16 = 15 (0 counted)
    a = score(table({"大兴区": {"industry_people_benefited": 0}}, industry_people_benefited=16))
    assert item(a, "10.1").average == pytest.approx(15.0)
    assert item(a, "10.1").band == "没有" and item(a, "10.1").points == 0
    nb = item(a, "10.1").next_band
    assert nb.band == "不显著" and nb.strict and nb.value_needed == 0
    assert item(a, "10.1", "东城区").band == "一般" and item(a, "10.1", "东城区").points == 0.8  # 16/15 = 1.067


def test_an_average_of_zero_gives_everyone_none():
    a = score(table({}, enterprises_invested=0, info_adopted=0))
    for d in DISTRICTS:
        for item_id in ("9.1", "17.3"):
            s = item(a, item_id, d)
            assert (s.band, s.points, s.policy_sensitive) == ("没有", 0.0, False)


def test_category_comparison_6_5_5():
    # 9.1 引导企业数 vs the functional category's average
    rows = {d: {"enterprises_invested": 10} for d in CORE} | {"石景山区": {"enterprises_invested": 40}}
    rows |= {d: {"enterprises_invested": 4} for d in NEW} | {d: {"enterprises_invested": 0} for d in ECO}
    for policy in ("zero_is_none", "symmetric"):
        a = score(table(rows), policy=policy)
        # core: (5 x 10 + 40) / 6 = 15; 石景山区 40/15 = 2.67 -> 显著 (4)
        assert item(a, "9.1", "石景山区").average == pytest.approx(15.0)
        assert (item(a, "9.1", "石景山区").band, item(a, "9.1", "石景山区").points) == ("显著", 4.0)
        # new districts: all 4 -> average 4 -> 一般 (3.6), though 4 < the 16-district average 7.5
        assert item(a, "9.1", "大兴区").average == pytest.approx(4.0)
        assert (item(a, "9.1", "大兴区").band, item(a, "9.1", "大兴区").points) == ("一般", 3.6)
        # ecological: all 0 -> average 0 -> 没有
        assert (item(a, "9.1", "延庆区").band, item(a, "9.1", "延庆区").points) == ("没有", 0.0)
    # core 10/15 = 0.667: 不显著 (3.4) under zero_is_none, 没有 (0) under symmetric
    assert item(score(table(rows)), "9.1", "东城区").points == 3.4
    assert item(score(table(rows), policy="symmetric"), "9.1", "东城区").points == 0.0
    assert item(score(table(rows)), "9.1", "东城区").policy_sensitive
    # next band of 大兴区 in a group of 5: 1.15 x 16 / (5 - 1.15) = 4.7792...
    nb = item(score(table(rows)), "9.1", "大兴区").next_band
    assert nb.band == "较好" and nb.value_needed == pytest.approx(18.4 / 3.85)


@pytest.mark.parametrize(
    "home, band, points",
    [
        (130, "显著", 3.0),
        (115, "较好", 2.9),
        (114.99, "一般", 2.8),
        (85, "一般", 2.8),
        (84.99, "不显著", 2.7),
    ],
)
def test_band_boundaries_through_the_engine(home, band, points):
    # 17.3 with the average held at exactly 100: 14 others at x, 东城区 balancing, so that the
    # 16 values add up to 1600 whatever 大兴区 has.
    others = (1600 - home - 100) / 14
    rows = {d: {"info_adopted": others} for d in DISTRICTS} | {
        "大兴区": {"info_adopted": home},
        "东城区": {"info_adopted": 100},
    }
    s = item(score(table(rows)), "17.3")
    assert s.average == pytest.approx(100)
    assert (s.band, s.points) == (band, points)


def test_symmetric_boundaries_through_the_engine():
    for home, band, points in [(70, "不显著", 2.7), (69.99, "没有", 0.0), (85, "一般", 2.8)]:
        others = (1600 - home) / 15
        rows = {d: {"info_adopted": others} for d in DISTRICTS} | {"大兴区": {"info_adopted": home}}
        s = item(score(table(rows), policy="symmetric"), "17.3")
        assert (s.band, s.points) == (band, points)


def test_tier_weights_of_18_1_are_data():
    # 大兴区: 2 central reports; the 15 others: 4 local reports each.
    rows = {"大兴区": {"media_central": 2, "media_local": 0}}
    t = table(rows, media_central=0, media_municipal=0, media_local=4)
    # default 3/2/1: 大兴区 6, others 4, average (6 + 60) / 16 = 4.125; 6 / 4.125 = 1.45 -> 显著
    s = item(score(t), "18.1")
    assert s.value == 6 and s.average == pytest.approx(4.125) and (s.band, s.points) == ("显著", 3.0)
    # central weight 1: 大兴区 2, average 62/16 = 3.875; 2 / 3.875 = 0.52 -> 不显著 (2.7)
    s = item(score(t, rules=RULES.with_params({"18.1": {"w_central": 1}})), "18.1")
    assert s.value == 2 and s.average == pytest.approx(3.875) and (s.band, s.points) == ("不显著", 2.7)
    # a mix: 1 central, 2 municipal, 3 local = 3 + 4 + 3 = 10; with 5/2/1: 5 + 4 + 3 = 12
    mix = table({}, media_central=1, media_municipal=2, media_local=3)
    assert item(score(mix), "18.1").value == 10
    assert item(score(mix, rules=RULES.with_params({"18.1": {"w_central": 5}})), "18.1").value == 12
    with pytest.raises(RulesError, match="没有参数"):
        RULES.with_params({"18.1": {"w_foreign": 1}})


def test_totals_of_a_district_that_did_everything():
    """Every item at its maximum gives 100 + 5 (显著 everywhere: 大兴区 far above the others)."""
    full = {
        k: 1
        for k in (
            "has_leading_body",
            "has_working_body",
            "has_work_rules",
            "has_ledger",
            "tilt_funds",
            "party_cadres_required_met",
            "tilt_cadres",
            "professionals_required_met",
            "tilt_professionals",
            "labor_agreement_signed",
            "tilt_labor",
            "vocational_full_coverage",
            "tilt_pairing",
        )
    }
    full |= {
        "leadership_meetings": 2,
        "leadership_meetings_bdw": 2,
        "counties_visited": 5,
        "counties_joint_meeting": 5,
        "quarters_leader_meeting": 4,
        "quarters_dept_dispatch": 4,
        "months_county_contact": 12,
        "counties_agreement": 5,
        "counties_agreement_reported": 5,
        "counties_plan": 5,
        "counties_plan_reported": 5,
        "ledger_quality": "好",
        "counties_plan_reviewed": 5,
        "counties_publicity_checked": 5,
        "fund_safety": "正常",
        "cadres_off_poverty_posts": 0,
        "enterprise_pairing_effect": "好",
        "social_activity_effect": "好",
        "counties_job_center_paired": 5,
        "job_fairs_im": 1,
        "town_pairing_effect": "好",
        "village_pairing_effect": "好",
        "vocational_effect": "好",
        "schools_hospitals_effect": "好",
        "summaries_submitted": 2,
        "quarterly_reports_submitted": 4,
        "award_central": 1,
        "award_city_main": 0,
        "award_province_main": 0,
        "award_national_dept": 0,
        "award_city_deputy": 0,
        "award_city_office": 0,
    }
    band_keys = {k for it in RULES.items if it.is_band for k in it.metric_keys}
    # 100 of every band figure against 1 elsewhere; per 万元 figures 100000 / 100 against 1 / 1
    star = {k: 100 for k in band_keys} | {
        "paired_counties": 5,
        "general_revenue_wan": 1000,
        "people_benefited": 100000,
        "people_exited": 100000,
        "registered_poor_start": 1000,
        "towns_total": 22,
    }
    rest = {k: 1 for k in band_keys} | {
        "paired_counties": 5,
        "general_revenue_wan": 1000,
        "registered_poor_start": 1000,
        "towns_total": 22,
    }
    a = score(table({"大兴区": full | star}, **rest))
    mine = a["大兴区"]
    assert [i for i, s in mine.items.items() if s.lost > 0] == []
    assert (mine.total, mine.bonus, a.rank("大兴区")) == (100.0, 5.0, 1)
    assert a["东城区"].total < 100
