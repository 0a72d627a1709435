# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python (fupin)
#     language: python
#     name: fupin
# ---

# %% [markdown]
# # 数据探索：清洗后的台账
#
# 分析人员的入门示例：有哪些表、各列是什么意思，读取情况如何，再算出与报告相同的数字并作图。
# 这里的数字都调用报告使用的同一套函数（`fupin_lib.figures`），因此与季度报告、进展情况表一致。
#
# - 修改下面的 `period`（如 `2020Q1`、`2020H1`、`2020`）后，选择“运行 → 运行全部单元格”；
# - 除注明“本季度”的以外，数字均为**年初至期末累计**，与报告口径相同；
# - 清洗后的表中**没有明文的身份证号、手机号和姓名**：按人计数、去重用 `person_key`（加密散列，不可还原），
#   显示用 `*_masked`（脱敏，如 `110101********1234`、`张*`）。明文只在原始台账中；
# - 单元格中可以直接运行项目命令，如 `!fupin ingest`、`!fupin metrics --period 2020Q2`；
# - 保存本笔记本前请清除输出（“编辑 → 清除所有输出”）：仓库中的笔记本不含输出。

# %% tags=["parameters"]
period = "2020Q2"   # 2020Q1–Q4, 2020H1, 2020H2 or 2020
raw_dir = None      # None: the project's data/raw/, found from the package (any working directory)

# %%
import warnings
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import Markdown, display

import fupin_lib
from fupin_lib import config
from fupin_lib.figures import cadres, consumption, funds, headline, targets
from fupin_lib.reports import charts, toolkit
from fupin_lib.reports.toolkit import show

warnings.filterwarnings("ignore")
charts.setup()                                            # Chinese fonts, text drawn as text
raw = config.RAW_DIR if raw_dir is None else Path(raw_dir)
data = toolkit.load_period(raw, period)                   # the store the reports read
p, t, result = data.period, data.tables, data.result
Markdown(f"期间：**{p.label_zh}**（累计口径 {p.ytd_start.date()} 至 {p.end.date()}）；"
         f"数据目录：`{result.redact(raw.name)}/`；数据版本 {data.data_version}")

# %% [markdown]
# ## 1. 有哪些表，各列是什么意思
#
# `fupin_lib.tables()` 列出全部 21 张表（来源台账、说明、行数、个人信息列），`fupin_lib.describe(表名)` 给出一张表每一列的
# 中文名、类型、单位、可选值、是否个人信息和来源表头。同样的内容见 `docs/数据字典.md`。

# %%
fupin_lib.tables(raw)

# %%
fupin_lib.describe("beneficiaries")

# %%
tables = fupin_lib.load_all(raw)        # {表名: DataFrame}; fupin_lib.load("cadres") reads one table
tables["beneficiaries"].head()

# %% [markdown]
# ## 2. 读取情况：接受、拒绝和提示
#
# 每个工作表：读取行数 = 接受 + 拒绝。被拒绝的行（个人信息已脱敏）和提示也在 `data/processed/被拒绝行.xlsx` 中。

# %%
result.summary()

# %%
sheets = result.sheet_table()
sheets[sheets["拒绝"] > 0]

# %%
notices = pd.DataFrame([{"类型": n.kind, "文件": n.file, "工作表": n.sheet, "行": n.row, "说明": n.message}
                        for n in result.notices])
display(notices["类型"].value_counts().rename("条数").to_frame())
result.rejections.groupby(["台账", "列"]).size().rename("被拒绝行数").sort_values(ascending=False).head(10).to_frame()

# %% [markdown]
# ## 3. 主要指标
#
# 与报告的“表1 主要指标”相同（`figures.headline.headline`）：年初至期末，以及本期间自身。

# %% tags=["headline"]
key = headline.headline(t, p)
toolkit.show_key_figures(data)

# %% [markdown]
# ## 4. 挂职干部和专业技术人才：各结对地区
#
# 在岗：期间内任一天在岗。挂职不足 30 天的短期交流不计入选派人数；同一人被多个部门报送只计一次（按 `person_key`）。

# %% tags=["cadres"]
county = cadres.counts_by_county(t["cadres"], p)
display(show(county, caption=f"各结对地区在岗挂职干部和专业技术人才（年初至{p.end.month}月底，人）"))
charts.show(charts.cadres_by_county(county, f"各结对地区在岗干部人才（年初至{p.end.month}月底）"))

# %%
in_post = cadres.enrich(t["cadres"], p)      # one row per person in post in the window, with tenure
fig, ax = plt.subplots(figsize=(7.5, 3.2), dpi=110)
for category, rows in in_post.groupby("category"):
    ax.hist(rows["tenure_days"], bins=range(0, int(in_post["tenure_days"].max()) + 31, 30), alpha=0.6, label=category)
ax.axvline(30, color="black", linestyle="--", linewidth=1)
ax.text(30, ax.get_ylim()[1], " 30天：不足者为短期交流", va="top", fontsize=8)
ax.set(xlabel="挂职时长（天）", ylabel="人数（人）", title=f"在岗人员挂职时长分布（年初至{p.end.month}月底）")
ax.legend(title="人员类别", frameon=False)
charts.show(fig)

# %%
show(cadres.professionals_by_band(t["cadres"], p), caption="专业技术人才按专业领域和挂职时长（人）")

# %% [markdown]
# ## 5. 资金和受益贫困人口：每万元惠及人数
#
# 区级财政、区直部门、街道乡镇的额外安排资金（按拨付日期），惠及和助力脱贫的贫困人口（按人去重）。

# %% tags=["benefits"]
by_county = funds.benefit_by_county(t["beneficiaries"], t["funds"], p)
display(show(by_county, money=("额外安排资金（万元）",), ratio=("每万元惠及人数", "每万元助力脱贫人数"),
             caption=f"资金惠及贫困人口效益（年初至{p.end.month}月底）"))
charts.show(charts.benefit_ratio(by_county, "每万元资金惠及贫困人口数"))

# %% [markdown]
# **注意**：一人可以经几个途径受益。按途径统计时，他在每个途径各计一次；全区惠及人数按人只计一次。
# 因此各途径人数相加大于惠及人数，不能把各途径堆叠起来当作人数。

# %%
routes = funds.benefit_by_route(t["beneficiaries"], p)
people = funds.people_counts(t["beneficiaries"], p)
display(show(routes, caption="按受益途径统计的贫困人口（人，每个途径内按人去重）"))
summed = int(routes["惠及贫困人口（人）"].sum())
Markdown(f"各途径人数相加 {summed:,}；按人去重后惠及 **{people['people_benefited']:,}** 人（即主要指标），"
         f"差额 {summed - people['people_benefited']:,} 来自经两个以上途径受益的人。")

# %%
ben = funds.benefited(t["beneficiaries"], p)             # benefit rows in the window (year to date)
months = range(p.ytd_start.month, p.end.month + 1)
month = ben["benefit_date"].dt.month
monthly = pd.DataFrame({
    "当月受益（人）": [ben.loc[month == m, "person_key"].nunique() for m in months],
    "年初至当月累计（人）": [ben.loc[month <= m, "person_key"].nunique() for m in months],
}, index=pd.Index([f"{m}月" for m in months], name="月份"))
fig, ax = plt.subplots(figsize=(7.5, 3.4), dpi=110)
ax.bar(monthly.index, monthly["当月受益（人）"], color=charts.PALETTE[2], label="当月受益（按人去重）")
ax.plot(monthly.index, monthly["年初至当月累计（人）"], color=charts.PALETTE[0], marker="o", label="年初至当月累计（按人去重）")
ax.set(xlabel="月份", ylabel="人数（人）", title="每月受益贫困人口（一人只计一次）")
ax.legend(frameon=False)
display(charts.show(fig))
monthly

# %% [markdown]
# ## 6. 消费扶贫：食堂和工会扶贫产品采购比例
#
# 每个预算单位食堂和工会：期间内（年初至期末各季度）扶贫产品采购额 ÷ 食材采购总额，目标不低于 30%；全区比例为合计之比。

# %% tags=["canteen"]
text, below = toolkit.canteen_below_target(data)
display(Markdown(text))
show(below, money=("食材采购总额（万元）", "扶贫产品采购额（万元）"), pct=("扶贫产品比例",),
     caption=f"扶贫产品采购比例低于 {consumption.target_ratio(p.year):.0%} 的单位", index=False)

# %%
ratios = consumption.canteen_ratios(t["canteen"], p)
target = consumption.target_ratio(p.year)
fig, ax = plt.subplots(figsize=(7.5, 3.2), dpi=110)
ax.hist(ratios["ratio"].dropna() * 100, bins=20, color=charts.PALETTE[3])
ax.axvline(target * 100, color=charts.PALETTE[0], linestyle="--", linewidth=1)
ax.text(target * 100, ax.get_ylim()[1], f" 目标 {target:.0%}", va="top", color=charts.PALETTE[0], fontsize=9)
ax.set(xlabel="扶贫产品采购比例（%）", ylabel="单位数（个）", title=f"各单位扶贫产品采购比例分布（年初至{p.end.month}月底）")
charts.show(fig)

# %%
channel = consumption.consumption_by(t["consumption"], p, "channel")
display(show(channel, money=("金额（万元）",), pct=("占比",), caption=f"消费扶贫按渠道（年初至{p.end.month}月底）"))
charts.show(charts.amount_by(channel, "消费扶贫金额按渠道（万元）"))

# %% [markdown]
# ## 7. 2020 年工作计划目标完成情况
#
# 完成值为年初至期末；进度按季度平均（二季度末应完成全年目标的一半）。

# %% tags=["targets"]
prog = toolkit.plan_progress(data)          # as the reports: 无数据 and 待核 where ledgers are missing
display(Markdown(toolkit.targets_summary(prog)))
display(toolkit.show_targets(prog, caption=f"{p.year}年工作计划目标完成情况"))
charts.show(charts.target_progress(prog, "各项目标完成比例"))

# %% [markdown] tags=["tracker"]
# ## 8. 催报：各部门报送情况
#
# 按当年工作计划，列出各部门应报的台账是否已报送、用的是哪一轮报送、读取/接受/拒绝的行数、缺少的必填列，以及年度之外和期末之后的行。与命令 `fupin status --period 2020Q2` 的结果相同；该命令还为每个部门生成一份反馈工作簿（被拒绝的行、单元格位置和原因）。

# %% tags=["tracker"]
from fupin_lib.reports import tracker

submitted = tracker.status(result, p)
missing = tracker.not_received(submitted)
display(Markdown(f"计划要求报送、尚未收到的台账：**{len(missing)}** 项（未报送不按 0 计）。"))
submitted
