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
# <!-- 季度报告：报告批处理按期间参数运行本笔记本，导出时隐藏全部代码。 -->

# %% tags=["parameters"]
period = "2020Q2"
district = "大兴区"
raw_dir = "../data/raw"

# %% tags=["remove_cell"]
import warnings
warnings.filterwarnings("ignore")
from IPython.display import Markdown, display
from fupin_lib.render import charts
from fupin_lib.reports import notebook_api as reporting

data = reporting.load_period(raw_dir, period, district)
p = data.period

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
display(*reporting.cadre_section(data))

# %% [markdown]
# ## 三、资金支持与惠及贫困人口
#
# 区级财政额外安排资金 = 区级财政、区直部门、街道乡镇资金（按拨付日期）；村集体和社会捐赠计入社会捐赠，不计入此项。贫困人口按有效身份证号去重计数。

# %%
display(*reporting.funds_section(data))

# %% [markdown]
# ## 四、消费扶贫
#
# 食堂采购比例 = 扶贫产品采购额 ÷ 食材采购总额，按单位累计年初至本季度末各季度；比例目标见当年工作计划。

# %%
display(*reporting.consumption_section(data))

# %% [markdown]
# ## 五、目标进展
#
# 当年工作计划所列各项量化目标截至本季度末的完成情况。按季度均匀进度判断：第二季度末应完成全年目标的 50%，依此类推；计划规定了完成期限的（如资金须在第一季度前拨付到位），按期限判断。

# %%
display(*reporting.target_tables(data, f"{p.year}年工作计划目标完成情况"))

# %% [markdown]
# ## 六、数据质量
#
# 按报送部门和台账统计：读取行数 = 接受 + 拒绝；合计行单独排除，不计入。被拒绝的行未计入以上任何数字，已按部门整理成反馈表（被拒绝的行、所在单元格和原因），请相关部门核对更正后在下一轮报送。

# %%
display(*reporting.quality_tables(data))

# %% [markdown]
# ## 附：数据来源

# %%
reporting.show_provenance(data)

# %% [markdown]
# ---
# <p class="fupin-note">本报告根据各部门报送的工作台账自动生成；个人信息（姓名、身份证号、联系电话）不在报告中出现。</p>
