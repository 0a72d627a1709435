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
# <!-- 半年和全年报告：`fupin report --period 2020H1`（上半年）或 `--period 2020H2`（下半年及全年）。导出时隐藏全部代码。 -->

# %% tags=["parameters"]
period = "2020H1"
district = "大兴区"
raw_dir = "../data/raw"

# %% tags=["remove_cell"]
import warnings
warnings.filterwarnings("ignore")
from IPython.display import Markdown, display
from fupin_lib.figures import targets
from fupin_lib.reports import charts, toolkit as reporting
from fupin_lib.reports.toolkit import show

data = reporting.load_period(raw_dir, period, district)
p, t = data.period, data.tables
title = "上半年工作总结" if p.code.endswith("H1") else "全年工作总结"
prog = targets.progress(t, p)

# %%
reporting.title_block(data, title)

# %% [markdown]
# ## 一、总体情况

# %%
display(Markdown(reporting.highlights(data)))
reporting.show_key_figures(data)

# %% [markdown]
# ## 二、2020年目标完成情况
#
# 对照《2020年大兴区扶贫协作工作计划》（二）的量化目标。按季度均匀进度判断是否正常：上半年末应完成全年目标的 50%，全年末应全部完成；资金须在第一季度前拨付到位。

# %%
display(Markdown(reporting.targets_summary(prog)))
reporting.show_targets(prog, caption="表2 目标完成情况")

# %%
fig = charts.target_progress(prog, f"各项目标完成比例（截至{p.end.month}月底）")
charts.show(fig)

# %% [markdown]
# ## 三、分结对地区情况

# %%
show(reporting.area_overview(data), money=("额外安排资金（万元）", "消费扶贫（万元）"),
     caption=f"表3 各结对地区主要指标（年初至{p.end.month}月底）")

# %% [markdown]
# ## 四、分责任部门情况
#
# 一项目标由多个部门共同负责时，计入每个责任部门。

# %%
show(targets.by_department(prog), caption="表4 各责任部门目标完成情况")

# %% [markdown]
# ## 五、数据质量

# %%
by_dept, skipped = reporting.data_quality(data)
display(show(by_dept, caption="表5 各部门台账读取情况（行）", index=False))
if len(skipped):
    display(show(skipped, caption="表6 未能读取的文件或工作表", index=False))

# %% [markdown]
# ## 附：数据来源

# %%
reporting.show_provenance(data)

# %% [markdown]
# ---
# <p class="fupin-note">本报告由 fupin_lib 根据各部门报送的工作台账自动生成；个人信息（姓名、身份证号、联系电话）不在报告中出现。数据版本与各输入文件的校验值记录在报告笔记本的元数据中。</p>
