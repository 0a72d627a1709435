"""Banding as banding.md says: thresholds, both policies, the 1e-9 tolerance, values left out
of the average, averages of 0, the next band up. Every expected value is worked out by hand."""

import copy

import pytest
import yaml

from fupin_lib.assessment.banding import BANDING_FILE, BandingError, load_banding, parse_banding

BANDING = load_banding()
ZERO = BANDING.policy("zero_is_none")
SYM = BANDING.policy("symmetric")


def test_default_policy_and_bands():
    assert BANDING.default == "zero_is_none" and BANDING.policy().name == "zero_is_none"
    assert BANDING.bands == ("显著", "较好", "一般", "不显著", "没有")
    assert BANDING.tolerance == 1e-9


@pytest.mark.parametrize(
    "value, expected",
    [
        (130, "显著"),
        (200, "显著"),
        (129.99, "较好"),
        (115, "较好"),
        (114.99, "一般"),
        (100, "一般"),
        (85, "一般"),
        (84.99, "不显著"),
        (70, "不显著"),
        (0.01, "不显著"),  # zero_is_none: anything above 0
        (0, "没有"),
        (None, "没有"),
    ],
)
def test_zero_is_none_average_100(value, expected):
    assert ZERO.band(value, 100) == expected


@pytest.mark.parametrize(
    "value, expected",
    [
        (130, "显著"),
        (129.99, "较好"),
        (115, "较好"),
        (114.99, "一般"),
        (85, "一般"),
        (84.99, "不显著"),
        (70, "不显著"),
        (69.99, "没有"),
        (0.01, "没有"),
        (0, "没有"),
        (None, "没有"),
    ],
)
def test_symmetric_average_100(value, expected):
    assert SYM.band(value, 100) == expected


def test_tolerance_is_relative_1e9():
    # 1.15 x 100 computes as 114.99999999999999 in floating point; 115 must reach 较好 either way
    assert ZERO.band(1.15 * 100, 100) == "较好"
    assert ZERO.band(115, 100 * (1 + 5e-10)) == "较好"  # 115 is 5e-10 below 1.15 x average
    assert ZERO.band(115 * (1 - 5e-10), 100) == "较好"
    assert ZERO.band(115 * (1 - 2e-9), 100) == "一般"  # outside the tolerance
    assert SYM.band(70 * (1 - 5e-10), 100) == "不显著"
    assert SYM.band(70 * (1 - 2e-9), 100) == "没有"
    # an average that drifts in floating point: (0.1 + 0.2 + 0.3) / 3 = 0.20000000000000004
    values = {"a": 0.1, "b": 0.2, "c": 0.3}
    assert ZERO.band_group(values)["a"].average > 0.2
    assert ZERO.band(0.23, ZERO.band_group(values)["a"].average) == "较好"  # 0.23 = 1.15 x 0.2


def test_average_leaves_out_missing_values_and_keeps_zeros():
    values = {"a": 100.0, "b": 50.0, "c": 0.0, "d": None}
    out = ZERO.band_group(values)
    assert out["a"].average == pytest.approx(50.0)  # (100 + 50 + 0) / 3, d left out
    assert out["a"].band == "显著"  # 100 >= 65
    assert out["b"].band == "一般"  # 50 in [42.5, 57.5)
    assert out["c"].band == "没有"  # 0 under zero_is_none
    assert out["d"].band == "没有" and out["d"].next_band is None and "不参加平均" in out["d"].reason


def test_average_of_zero_gives_everyone_none():
    for policy in (ZERO, SYM):
        out = policy.band_group({"a": 0.0, "b": 0.0, "c": None})
        assert {o.band for o in out.values()} == {"没有"}
        assert out["a"].average == 0 and "平均值为 0" in out["a"].reason


def test_next_band_moves_the_average_with_the_value():
    # 16 districts: 15 others at 100, the district at 100 -> average 100, band 一般.
    values = {f"d{i}": 100.0 for i in range(15)} | {"me": 100.0}
    nb = ZERO.band_group(values)["me"].next_band
    # 较好 needs v >= 1.15 x (1500 + v) / 16  ->  v = 1.15 x 1500 / (16 - 1.15) = 1725 / 14.85
    assert nb.band == "较好" and not nb.strict
    assert nb.value_needed == pytest.approx(116.16161616, rel=1e-9)
    assert nb.distance == pytest.approx(16.16161616, rel=1e-9)
    assert ZERO.band_group(values | {"me": nb.value_needed})["me"].band == "较好"  # it really reaches it


def test_next_band_from_none_and_at_the_top():
    values = {"a": 10.0, "b": 10.0, "me": 0.0}
    nb = ZERO.band_group(values)["me"].next_band
    assert (nb.band, nb.value_needed, nb.strict) == ("不显著", 0.0, True)  # anything above 0
    nb = SYM.band_group(values)["me"].next_band
    # symmetric 不显著 needs v >= 0.7 x (20 + v) / 3  ->  v = 14 / 2.3
    assert nb.band == "不显著" and nb.value_needed == pytest.approx(14 / 2.3)
    top = ZERO.band_group({"a": 10.0, "me": 100.0})["me"]
    assert top.band == "显著" and top.next_band is None


def test_a_district_alone_in_its_group_cannot_rise_above_average():
    out = ZERO.band_group({"me": 5.0, "other": None})["me"]
    assert out.band == "一般" and out.next_band is None  # its value is the average


def test_policy_is_data(tmp_path):
    doc = yaml.safe_load(BANDING_FILE.read_text(encoding="utf-8"))
    changed = copy.deepcopy(doc)
    changed["policies"]["zero_is_none"]["thresholds"]["显著"] = ">= 1.50"
    changed["default"] = "symmetric"
    banding = parse_banding(changed)
    assert banding.policy().name == "symmetric"
    assert banding.policy("zero_is_none").band(140, 100) == "较好"  # 140 < 150 now
    path = tmp_path / "banding.yml"
    path.write_text(yaml.safe_dump(changed, allow_unicode=True), encoding="utf-8")
    assert load_banding(path).policy("zero_is_none").band(150, 100) == "显著"


@pytest.mark.parametrize(
    "edit, message",
    [
        (lambda d: d["policies"]["symmetric"]["thresholds"].update({"一般": "about 0.85"}), "无法识别"),
        (lambda d: d["policies"]["symmetric"]["thresholds"].update({"一般": ">= 1.20"}), "从高到低"),
        (lambda d: d["policies"]["symmetric"]["thresholds"].pop("不显著"), "应给出"),
        (lambda d: d.update({"default": "none"}), "未定义"),
    ],
)
def test_bad_banding_file_is_refused_in_chinese(edit, message):
    doc = yaml.safe_load(BANDING_FILE.read_text(encoding="utf-8"))
    edit(doc)
    with pytest.raises(BandingError, match=message):
        parse_banding(doc)


def test_unknown_policy():
    with pytest.raises(BandingError, match="未知的分档口径“foo”"):
        BANDING.policy("foo")
