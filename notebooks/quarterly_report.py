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
# <!-- 季度报告：由 `fupin report --period 2020Q2` 通过 papermill 运行，导出时隐藏全部代码。 -->

# %% tags=["parameters"]
period = "2020Q2"
district = "大兴区"
raw_dir = "../data/raw"

# %% tags=["remove_cell"]
import warnings
warnings.filterwarnings("ignore")
from IPython.display import Markdown, display
from fupin_lib.figures import cadres, consumption, funds as benefits, targets
from fupin_lib.reports import charts, toolkit as reporting
from fupin_lib.reports.toolkit import show

data = reporting.load_period(raw_dir, period, district)
p, t = data.period, data.tables
q = p.label_zh

# %%
reporting.title_block(data, "工作进展季度报告")

# %% [markdown]
# ## 一、本季度要点

# %%
display(Markdown(reporting.highlights(data)))
reporting.show_key_figures(data)

# %% [markdown]
# ## 二、干部人才支持
#
# 按挂职干部台账统计：报告期内任一天在岗即计入；挂职不足 30 天的短期交流不计入选派人数；未填结束日期的视为仍在岗。

# %%
county = cadres.counts_by_county(t["cadres"], p)
new_q = cadres.counts_by_county(t["cadres"], p, ytd=False, new_only=True)
display(show(county, caption=f"表2 各结对地区在岗挂职干部和专业技术人才（年初至{p.end.month}月底，人）"))
show(new_q, caption=f"表3 {q}新选派到岗人员（人）")

# %%
fig = charts.cadres_by_county(county, f"各结对地区在岗干部人才（年初至{p.end.month}月底）")
charts.show(fig)

# %%
show(cadres.professionals_by_band(t["cadres"], p), caption="表4 专业技术人才按专业领域和挂职时长（人）")

# %%
prog = targets.progress(t, p)
reporting.show_targets(prog[prog["计划条目"] == "二（二）"], caption=f"表5 {p.year}年干部人才选派目标完成情况")

# %% [markdown]
# ## 三、资金支持与惠及贫困人口
#
# 区级财政额外安排资金 = 区级财政、区直部门、街道乡镇资金（按拨付日期）；村集体和社会捐赠计入社会捐赠，不计入此项。贫困人口按有效身份证号去重计数。

# %%
show(benefits.funds_by_quarter(t["funds"], p), money=("区级财政", "区直部门", "街道乡镇", "合计"),
     caption="表6 区级财政额外安排资金拨付进度（万元）")

# %%
by_county = benefits.benefit_by_county(t["beneficiaries"], t["funds"], p)
display(show(by_county, money=("额外安排资金（万元）",), ratio=("每万元惠及人数", "每万元助力脱贫人数"),
     caption=f"表7 资金惠及贫困人口效益（年初至{p.end.month}月底）"))
fig = charts.benefit_ratio(by_county, "每万元资金惠及贫困人口数")
charts.show(fig)

# %%
show(benefits.benefit_by_route(t["beneficiaries"], p), caption="表8 按受益途径统计的贫困人口（人）")

# %% [markdown]
# ## 四、消费扶贫
#
# 食堂采购比例 = 扶贫产品采购额 ÷ 食材采购总额（按单位累计年初至本季度末各季度），目标不低于 30%（2020年工作计划 二（六））。

# %%
text, below = reporting.canteen_below_target(data)
display(Markdown(text))
show(below, money=("食材采购总额（万元）", "扶贫产品采购额（万元）"), pct=("扶贫产品比例",),
     caption="表9 扶贫产品采购比例低于 30% 的单位", index=False)

# %%
fig = charts.canteen_ratios(consumption.canteen_ratios(t["canteen"], p), consumption.target_ratio(),
                           "扶贫产品采购比例最低的20个单位（红色为低于30%）")
charts.show(fig)

# %%
channel = consumption.consumption_by(t["consumption"], p, "channel")
area = consumption.consumption_by(t["consumption"], p, "area")
display(show(channel, money=("金额（万元）",), pct=("占比",), caption="表10 消费扶贫按渠道（年初至本季度末）"))
display(show(area, money=("金额（万元）",), pct=("占比",), caption="表11 消费扶贫按产地（结对地区）"))
fig = charts.amount_by(channel, "消费扶贫金额按渠道（万元）")
charts.show(fig)

# %% [markdown]
# ## 五、2020年目标进展
#
# 2020年工作计划（二）所列各项量化目标，截至本季度末的完成情况。按季度均匀进度判断：第二季度末应完成全年目标的 50%；资金须在第一季度前拨付到位。

# %%
display(Markdown(reporting.targets_summary(prog)))
reporting.show_targets(prog, caption=f"表12 {p.year}年工作计划目标完成情况")

# %% [markdown]
# ## 六、数据质量
#
# 按报送部门和台账统计：读取行数 = 接受 + 拒绝；合计行单独排除，不计入。被拒绝的行未计入以上任何数字，明细（文件、工作表、行号、列、原因）见 `data/processed/被拒绝行.xlsx`（运行 `fupin ingest` 生成），请相关部门核对更正。

# %%
by_dept, skipped = reporting.data_quality(data)
display(show(by_dept, caption="表13 各部门台账读取情况（行）", index=False))
if len(skipped):
    display(show(skipped, caption="表14 未能读取的文件或工作表", index=False))

# %% [markdown]
# ## 附：数据来源

# %%
reporting.show_provenance(data)

# %% [markdown]
# ---
# <p class="fupin-note">本报告由 fupin_lib 根据各部门报送的工作台账自动生成；个人信息（姓名、身份证号、联系电话）不在报告中出现。数据版本与各输入文件的校验值记录在报告笔记本的元数据中。</p>
