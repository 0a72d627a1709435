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
# <!-- 半年和全年报告：上半年（如 2020H1）或下半年及全年（如 2020H2）。导出时隐藏全部代码。 -->

# %% tags=["parameters"]
period = "2020H1"
district = "大兴区"
raw_dir = "../data/raw"

# %% tags=["remove_cell"]
import warnings
warnings.filterwarnings("ignore")
from IPython.display import Markdown, display
from fupin_lib.render import charts
from fupin_lib.reports import annual, notebook_api as reporting

data = reporting.load_period(raw_dir, period, district)
p = data.period
from fupin_lib.figures import targets
year_end = annual.is_annual(p)          # 2020H2: the whole year (全年总结), targets 完成 / 未完成
title = "全年工作总结" if year_end else "上半年工作总结"

# %%
(annual.title_block if year_end else reporting.title_block)(data, title)

# %% [markdown]
# ## 一、总体情况

# %%
display(Markdown(reporting.highlights(data)))
annual.show_key_figures(data) if year_end else reporting.show_key_figures(data)

# %%
if year_end:
    display(annual.show_year_on_year(data))

# %% [markdown]
# ## 二、目标完成情况
#
# 对照当年工作计划（二）的量化目标。按季度均匀进度判断是否正常：上半年末应完成全年目标的 50%，全年末应全部完成；计划规定了完成期限的，按期限判断。相关台账未报送的目标标为“无数据”。

# %%
if year_end:
    display(Markdown("全年总结按全年完成值写“完成”或“未完成”；数据不全的目标写“待核”，不判为未完成。"))
    display(*annual.target_tables(data, f"{p.year}年工作计划全年目标完成情况"))
    if reporting.has_targets(data):
        display(charts.show(charts.target_progress(annual.year_end_progress(data), f"{p.year}年各项目标完成比例（全年）")))
        display(Markdown("### 未完成的目标"))
        display(*annual.unmet_targets(data))
else:
    display(*reporting.target_tables(data, f"{p.year}年工作计划目标完成情况"))
    if reporting.has_targets(data):
        display(charts.show(charts.target_progress(reporting.plan_progress(data), f"各项目标完成比例（截至{p.end.month}月底）")))

# %% [markdown]
# ## 三、分结对地区情况

# %%
reporting.show(reporting.area_overview(data), money=("额外安排资金（万元）", "消费扶贫（万元）"),
               caption=f"各结对地区主要指标（{annual.period_label(p) if year_end else f'{p.year}年1月至{p.end.month}月'}）")

# %% [markdown]
# ## 四、分责任部门情况
#
# 一项目标由多个部门共同负责时，计入每个责任部门。

# %%
display(*([annual.department_table(data)] if year_end and reporting.has_targets(data) else reporting.department_tables(data)))

# %% [markdown]
# ## 五、数据质量

# %%
display(*reporting.quality_tables(data))

# %% [markdown]
# ## 附：数据来源

# %%
reporting.show_provenance(data)

# %% [markdown]
# ---
# <p class="fupin-note">本报告根据各部门报送的工作台账自动生成；个人信息（姓名、身份证号、联系电话）不在报告中出现。</p>
