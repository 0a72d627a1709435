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
# - 修改下面的 `period`（如 `2020Q1`、`2020年第二季度`、`2020H1`、`2020`）后，选择“运行 → 运行全部单元格”；
#   期间处处可写作 `2020Q2`、`2020年第二季度`、`2020H1`、`2020`，或某一天 `2020-06-30`（截至当天）；
# - 除注明“本季度”“当日”的以外，数字均为**年初至期末累计**，与报告口径相同；函数加 `ytd=False` 即为本期间自身，
#   返回的表在上方写明口径；
# - `import fupin_lib` 即设置图表中文字体，无需其他设置；
# - 清洗后的表中**没有明文的身份证号、手机号和姓名**：按人计数、去重用 `person_key`（加密散列，不可还原），
#   显示用 `*_masked`（脱敏，如 `110101********1234`、`张*`）。明文只在原始台账中；
# - 单元格中可以直接运行项目命令，如 `!fupin ingest`、`!fupin metrics --period 2020Q2`；
# - 保存本笔记本前请清除输出（“编辑 → 清除所有输出”）：仓库中的笔记本不含输出。

# %% tags=["parameters"]
period = "2020Q2"   # 2020Q1–Q4 (or 2020年第二季度), 2020H1, 2020H2 or 2020
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
from fupin_lib.render import charts
from fupin_lib.reports import notebook_api
from fupin_lib.reports.notebook_api import show

warnings.filterwarnings("ignore")
raw = config.RAW_DIR if raw_dir is None else Path(raw_dir)
data = notebook_api.load_period(raw, period)                   # the store the reports read
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
notices = fupin_lib.notices(raw)                 # every notice, one row each (类型、文件、工作表、行、说明)
display(notices["类型"].value_counts().rename("条数").to_frame())
result.rejections.groupby(["台账", "列"]).size().rename("被拒绝行数").sort_values(ascending=False).head(10).to_frame()

# %% [markdown]
# 各部门重新报送的台账比上一轮改了什么（每个新增、修改、删除的行一行；个人信息只有加密散列）：

# %% tags=["rounds"]
fupin_lib.round_changes(raw)

# %% [markdown]
# ## 3. 主要指标
#
# 与报告的“表1 主要指标”相同（`figures.headline.headline`）：年初至期末，以及本期间自身。

# %% tags=["headline"]
key = headline.headline(t, p)
notebook_api.show_key_figures(data)

# %% [markdown]
# ## 4. 挂职干部和专业技术人才：各结对地区
#
# 在岗：期间内任一天在岗。挂职不足 30 天的短期交流不计入选派人数；同一人被多个部门报送只计一次（按 `person_key`）。

# %% tags=["cadres"]
county = cadres.counts_by_county(t["cadres"], p)
display(show(county, caption=f"各结对地区在岗挂职干部和专业技术人才（年初至{p.end.month}月底，人）"))
charts.show(charts.cadres_by_county(county, f"各结对地区在岗干部人才（年初至{p.end.month}月底）"))

# %% [markdown]
# 某一天在岗的人数：期间写作日期（如 `"2020-06-30"`），`ytd=False` 即只看当天；默认的年初至期末是期间内任一天在岗。

# %% tags=["as_of"]
as_of = p.end.date().isoformat()             # the period's last day, e.g. 2020-06-30
on_the_day = cadres.counts_by_county(t["cadres"], as_of, ytd=False)
display(Markdown(f"{on_the_day.attrs['口径']}在岗（挂职满 30 天）：**{on_the_day.loc['合计', '合计']}** 人；"
                 f"{county.attrs['口径']}任一天在岗：{county.loc['合计', '合计']} 人。"))
show(on_the_day, caption=f"{as_of} 当日在岗挂职干部和专业技术人才（人）")

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
text, below = notebook_api.canteen_below_target(data)
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
prog = notebook_api.plan_progress(data)          # as the reports: 无数据 and 待核 where ledgers are missing
display(Markdown(notebook_api.targets_summary(prog)))
display(notebook_api.show_targets(prog, caption=f"{p.year}年工作计划目标完成情况"))
charts.show(charts.target_progress(prog, "各项目标完成比例"))

# %% [markdown]
# ## 8. 各期趋势：上一期与上年同期
#
# `fupin_lib.series(数字, 期间)`：一项数字（指标键，见 `reference/metrics.csv`，或 `fupin_lib.figures` 中的任一函数）在
# 多个期间的值，每期一行，附上一期、上年同期、增减和增长率。没有该年台账的期间写“无数据”（不是 0），并给出提示。

# %% tags=["series"]
trend = fupin_lib.series("extra_funds_wan", p.quarters_to_date(), raw_dir=raw)      # year to date at each quarter's end
display(Markdown(f"区级财政额外安排资金（{trend.attrs['口径']}）："))
trend[["period_label", "window", "value", "previous", "change", "previous_year", "yoy_rate", "note"]]

# %%
by_quarter = funds.funds_by_quarter(t["funds"], p, sources="all")   # each quarter its own window, all five sources
display(show(by_quarter.rename(index=lambda c: c[-2:]), money=tuple(by_quarter.columns),
             caption=f"各季度拨付资金（本季度口径，万元）"))
canteen_trend = fupin_lib.series(consumption.canteen_overall, p.quarters_to_date(), ytd=False, raw_dir=raw)
canteen_trend[canteen_trend["item"] == "overall_ratio"][["period_label", "window", "value", "previous", "change"]]

# %% [markdown]
# 筛选：`fupin_lib.load("cadres", area="和田县")`、`fupin_lib.series(..., area="和田县")`。写错的值不会静默地返回空表，
# 而是报错并提示最接近的可选值：

# %% tags=["filters"]
try:
    fupin_lib.load("cadres", raw, area="科右前旗")
except fupin_lib.filters.FilterError as problem:
    print(problem)
fupin_lib.series("extra_funds_wan", p.quarters_to_date(), ytd=False, raw_dir=raw, area="和田县")[["period_label", "value"]]

# %% [markdown]
# ## 9. SQL 查询
#
# `fupin_lib.sql("select …")` 在清洗后的表上运行 SQL（DuckDB），表名与 `fupin_lib.load()` 相同，另有 `rejections`、`sheets`、`notices`。
# 下例为年初至期末任一天在岗的人数（含不足 30 天的短期交流，因此比上面的选派人数多），`$start`、`$end` 为参数。

# %% tags=["sql"]
by_sql = fupin_lib.sql("select category as 人员类别, count(distinct person_key) as 在岗人数 from cadres "
                       "where start_date <= $end and (end_date is null or end_date >= $start) group by 1 order by 1",
                       raw_dir=raw, start=p.ytd_start.to_pydatetime(), end=p.end.to_pydatetime())
assert int(fupin_lib.sql("select count(*) as n from cadres", raw_dir=raw)["n"].item()) == len(t["cadres"])
by_sql

# %% [markdown]
# ## 10. 导出 Excel
#
# `fupin_lib.to_excel(表, 路径)`：中文表头（数据字典中的列和计算列如 ratio、below_target 都有中文名）、万元和百分比格式、
# 冻结表头、列宽自适应，第二个工作表写明口径和各列含义。含身份证号、手机号明文的表不导出。

# %% tags=["export"]
exported = fupin_lib.to_excel(consumption.canteen_ratios(t["canteen"], p), config.CACHE_DIR / "导出" / f"食堂采购比例_{p.code}.xlsx")
display(Markdown(f"已导出：`{config.shown(exported)}`（{exported.stat().st_size:,} 字节），读回的表头："))
pd.read_excel(exported, engine="calamine").head(3)

# %% [markdown]
# ## 11. 查询个人（仅限授权人员）
#
# 清洗后的表中只有加密散列和脱敏形式。确因工作需要核对某人时，授权人员用 `fupin_lib.find_person(身份证号、姓名或 person_key,
# reason="用途")` 或 `fupin_lib.source_rows(清洗后的行, reason="用途")` 读取原始台账中的行（身份证号的小写 x、空格会自动规范），
# 每次查询连同用途记入查询记录（`查询记录/个人信息查询记录.csv`，其中只有脱敏形式）。结果含明文：下面只显示脱敏后的样子，
# 在自己的笔记本中查看明文后请清除输出，不要保存、导出或外传。

# %% tags=["lookup"]
from fupin_lib.analyst.lookup import LookupRefused, masked

someone = in_post["person_key"].iloc[0]              # a person in post, by key (never typed in clear here)
try:
    rows = fupin_lib.find_person(someone, reason="数据探索示例：核对一名在岗挂职干部的原始台账行", raw_dir=raw)
    display(masked(rows))
except LookupRefused as refused:
    print(refused)

# %% [markdown] tags=["tracker"]
# ## 12. 催报：各部门报送情况
#
# 按当年工作计划，列出各部门应报的台账是否已报送、用的是哪一轮报送、读取/接受/拒绝的行数、缺少的必填列，以及年度之外和期末之后的行。与命令 `fupin status --period 2020Q2` 的结果相同；该命令还为每个部门生成一份反馈工作簿（被拒绝的行、单元格位置和原因）。

# %% tags=["tracker"]
from fupin_lib.reports import tracker

submitted = tracker.status(result, p)
missing = tracker.not_received(submitted)
display(Markdown(f"计划要求报送、尚未收到的台账：**{len(missing)}** 项（未报送不按 0 计）。"))
submitted
