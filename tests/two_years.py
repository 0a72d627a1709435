"""A raw folder of two years, one folder per year with its rounds inside, small enough to work
every figure out by hand (tests/ingest/test_years.py, tests/test_previous_year.py).

2020年/2020年第四季度/
  区财政局 资金台账: 甲 100 (2020-02-01), 乙 200 (2020-05-01), 丙 50 (2020-11-01), all 区级财政
      -> 2020H1 300, 2020 350 万元
  区经济协作办 贫困人口受益台账: P1 资金项目 2020-03-01 脱贫 2020-10-01; P2 产业合作 2020-04-01;
      P3 资金项目 2020-09-01 -> 2020H1 benefited 2 (P1 P2), exited 0; 2020: 3 and 1
  区委组织部 挂职干部台账 (党政干部): K1 2020-03-01 .. (still in post), self-selected;
      K2 2020-01-10 .. 2021-06-30, self-selected; K3 2020-02-01 .. 2020-12-31, not self-selected
      -> 2020 self-selected 2 (K1 K2)
  区人力社保局 专业技术人才台账: E 2020-10-01 .. 2021-09-30, self-selected (365 days: 12个月以上)
      -> 2020H1 0, 2020 1
2021年/2021年第一季度/  区财政局 资金台账: 丁 120 (2021-03-01)  (replaced by the second round)
2021年/2021年第二季度/
  区财政局 资金台账: 丁 150 (2021-03-01), 戊 300 (2021-06-01) -> 2021H1 450 万元
  区经济协作办 贫困人口受益台账: P1 产业合作 2021-03-05; P4 资金项目 2021-05-01 脱贫 2021-06-01
      -> 2021H1 benefited 2, exited 1
  区委组织部 挂职干部台账: K1 (the same row as in 2020: a carry-over), K4 2021-02-01 .., self-selected,
      not on a poverty post -> 2021H1 self-selected 2 (K1 K4; K2's 2020 row runs into 2021 but
      the 2021 ledger no longer lists him), off poverty posts 1
  (区人力社保局 sends no 2021 ledger: E's 2020 row, in post until 2021-09-30, counts in 2021, said)
"""

from __future__ import annotations

from pathlib import Path

from conftest import write_book
from fupin_lib.ingest.idcard import check_digit

FUNDS = ["项目名称", "结对地区", "资金来源", "金额（万元）", "拨付日期"]
BENEFIT = ["姓名", "身份证号", "结对地区", "受益途径", "受益日期", "是否脱贫", "脱贫日期"]
CADRES = [
    "姓名",
    "身份证号",
    "人员类别",
    "专业领域",
    "派出单位",
    "原职务",
    "行政级别或职称",
    "挂职单位",
    "挂职职务",
    "分管工作",
    "结对地区",
    "开始日期",
    "结束日期",
    "是否自主选派",
    "是否脱贫攻坚岗位",
]


def pid(base: str) -> str:
    return base + check_digit(base)


P1, P2, P3, P4 = (pid(b) for b in ("65322119800101011", "65322119800101022", "15092619900101033", "15092619900101044"))
K1, K2, K3, K4, E = (
    pid(b)
    for b in ("11011519800101055", "11011519800101066", "11011519800101077", "11011519800101088", "11011519800101099")
)
NAMES = {
    P1: "艾尔肯",
    P2: "古丽娜",
    P3: "巴特尔",
    P4: "其其格",
    K1: "王建国",
    K2: "李卫东",
    K3: "张志强",
    K4: "刘晓明",
    E: "陈医生",
}


def cadre(
    id_number: str,
    category: str,
    start: str,
    end: str | None,
    self_selected: str,
    on_post: str = "是",
    specialty: str | None = None,
) -> list:
    return [
        NAMES[id_number],
        id_number,
        category,
        specialty,
        "区发改委",
        "副主任",
        "副处级",
        "和田县扶贫办",
        "副主任",
        "产业",
        "和田县",
        start,
        end,
        self_selected,
        on_post,
    ]


K1_ROW = cadre(K1, "党政干部", "2020-03-01", None, "是")


def make_two_years(raw: Path) -> Path:
    """Write the folder described above under raw; returns raw."""
    y20, q1, y21 = (
        raw / "2020年" / "2020年第四季度",
        raw / "2021年" / "2021年第一季度",
        raw / "2021年" / "2021年第二季度",
    )
    write_book(
        y20 / "区财政局_资金台账_2020.xlsx",
        {
            "资金台账": [
                FUNDS,
                ["甲项目", "和田县", "区级财政", 100, "2020-02-01"],
                ["乙项目", "和田县", "区级财政", 200, "2020-05-01"],
                ["丙项目", "224团", "区级财政", 50, "2020-11-01"],
            ]
        },
    )
    write_book(
        y20 / "区经济协作办_贫困人口受益台账_2020.xlsx",
        {
            "贫困人口受益台账": [
                BENEFIT,
                [NAMES[P1], P1, "和田县", "资金项目", "2020-03-01", "是", "2020-10-01"],
                [NAMES[P2], P2, "和田县", "产业合作", "2020-04-01", "否", None],
                [NAMES[P3], P3, "察右前旗", "资金项目", "2020-09-01", "否", None],
            ]
        },
    )
    write_book(
        y20 / "区委组织部_挂职干部台账_2020.xlsx",
        {
            "挂职干部台账": [
                CADRES,
                K1_ROW,
                cadre(K2, "党政干部", "2020-01-10", "2021-06-30", "是"),
                cadre(K3, "党政干部", "2020-02-01", "2020-12-31", "否"),
            ]
        },
    )
    write_book(
        y20 / "区人力社保局_专业技术人才台账_2020.xlsx",
        {"挂职干部台账": [CADRES, cadre(E, "专业技术人才", "2020-10-01", "2021-09-30", "是", specialty="医疗")]},
    )
    write_book(
        q1 / "区财政局_资金台账_2021.xlsx", {"资金台账": [FUNDS, ["丁项目", "和田县", "区级财政", 120, "2021-03-01"]]}
    )
    write_book(
        y21 / "区财政局_资金台账_2021.xlsx",
        {
            "资金台账": [
                FUNDS,
                ["丁项目", "和田县", "区级财政", 150, "2021-03-01"],
                ["戊项目", "察右前旗", "区级财政", 300, "2021-06-01"],
            ]
        },
    )
    write_book(
        y21 / "区经济协作办_贫困人口受益台账_2021.xlsx",
        {
            "贫困人口受益台账": [
                BENEFIT,
                [NAMES[P1], P1, "和田县", "产业合作", "2021-03-05", "否", None],
                [NAMES[P4], P4, "察右前旗", "资金项目", "2021-05-01", "是", "2021-06-01"],
            ]
        },
    )
    write_book(
        y21 / "区委组织部_挂职干部台账_2021.xlsx",
        {"挂职干部台账": [CADRES, K1_ROW, cadre(K4, "党政干部", "2021-02-01", None, "是", on_post="否")]},
    )
    return raw
