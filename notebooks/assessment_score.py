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
# <!-- 考核得分测算：由 `fupin report` 通过 papermill 运行，导出时隐藏全部代码。其他区数据表不存在时只显示说明，不报错。 -->

# %% tags=["parameters"]
period = "2020Q4"
district = "大兴区"
raw_dir = "../data/raw"
peers = "../data/external/peers_2020_示例数据.csv"
policy = "zero_is_none"

# %% tags=["remove_cell"]
import warnings
warnings.filterwarnings("ignore")
from IPython.display import Markdown, display
from fupin_lib.render import charts
from fupin_lib.reports import annual, notebook_api as reporting
from fupin_lib.assessment import score_charts, load_card, views
from fupin_lib.assessment.card import missing_card_note
from fupin_lib.assessment.departments import department_summary, departments_to_follow
from fupin_lib.reports.notebook_api import show

POINTS = ("满分", "得分", "失分", "分值", "加分", "总分", "可多得（分）")
data = reporting.load_period(raw_dir, period, district)
card = load_card(peers, district, policy, own=data.metrics, period=period, coverage=data.metric_coverage)

# %%
reporting.title_block(data, "考核得分测算")

# %%
# the caveat (in a part of the year) above the scores; how they are scored after the summary, so that page 1 holds the scores
if not card:
    display(Markdown(missing_card_note(peers, period)))
elif views.caveat_text(card):
    display(Markdown(views.caveat_text(card)))
if card and card.disagreements:
    display(show(views.disagreement_table(card), index=False,
                 caption="本区台账计算结果与其他区数据表不一致的指标（按台账计算结果评分）"))

# %%
if card:
    display(Markdown("## 一、得分概况"))
    display(Markdown(views.summary_text(card)))
    display(show(views.section_table(card), ratio=POINTS, pct=("得分率",), caption="表1 分部分得分"))
    display(charts.show(score_charts.section_scores(card)))
    display(Markdown("测算方法：" + views.method_text(card)))

# %%
if card:
    display(Markdown("## 二、各考核项得分\n\n“数值”为按考核细则计算的本区数值，“平均值”为比较范围（16 个区或同类功能区）的平均值；"
                     "缺数的指标不得分，原因见“说明”。"))
    for n, (caption, table) in enumerate(views.item_tables(card), start=1):
        display(show(table, ratio=POINTS, caption=f"表2-{n} {caption}", index=False))

# %%
display(Markdown("### 财政援助资金统计表（考核项 4.1）\n\n考核方案要求随资金台账报送的统计表：本年度和上年度投入的财政援助资金、"
                 "结对县数、县均、增长率和投入深度贫困地区的资金。"))
annual.show_funds_statistics(data)

# %%
if card:
    display(Markdown("## 三、失分项"))
    display(show(views.lost_table(card), ratio=POINTS, caption="表3 失分的考核项（按失分从多到少）", index=False))

# %%
if card:
    display(Markdown("## 四、最接近升档的考核项\n\n所需数值按其他区数值不变计算（本区数值提高后平均值也随之提高）；"
                     "“需要做到”按考核项自身的计量单位给出任一种做法。"))
    display(show(views.next_band_table(card, limit=8), ratio=POINTS, caption="表4 距下一档最近的考核项", index=False))

# %%
if card:
    display(Markdown("## 五、取决于分档口径的考核项\n\n考核方案只说“按照类别平均水平，上下分别浮动15%、30%判断”，"
                     "未说明每档的起点。下表比较两种读法下本区的得分和排名，以及分档不同的考核项。"))
    display(show(views.policy_totals(card), ratio=POINTS, caption="表5 不同分档口径下的得分", index=False,
                 note=views.document_rank_note(card.assessment.peers) + "。"))
    sensitive = views.policy_table(card)
    if len(sensitive):
        display(show(sensitive, ratio=POINTS, caption="表6 分档取决于口径的考核项", index=False))
    else:
        display(Markdown("两种口径下本区各考核项的分档相同。"))

# %%
if card:
    display(Markdown(f"## 六、16 个区排名\n\n{district}在 16 个区中排第 **{card.assessment.rank(district)}** 名"
                     f"（{reporting.md(views.document_rank_note(card.assessment.peers))}）。"))
    display(show(views.ranking_table(card), ratio=POINTS, caption="表7 16 个区考核得分（按总分排序）", index=False,
                 note=views.document_rank_note(card.assessment.peers) + "。"))
    display(charts.show(score_charts.ranking(card)))

# %%
if card:
    display(Markdown("## 七、各部门责任和证明材料\n\n按考核方案各考核项的牵头部门、责任部门和配合部门统计；"
                     "“任务分解涉及的各部门”共同负责的考核项和创新创优加分项不计入各部门的分值和失分。"
                     "以下列出失分最多的几个部门的考核项和证明材料；其他部门的清单可向经济协作办索取。"))
    display(show(department_summary(card.assessment, district), ratio=POINTS,
                 caption="表8 各部门负责的考核项、分值和失分", index=False))
    for n, (name, items, evidence) in enumerate(departments_to_follow(card.assessment, district, limit=3), start=1):
        display(show(items, ratio=POINTS, caption=f"表9-{n} {name}负责的考核项", index=False))
        display(show(evidence, caption=f"表10-{n} {name}应提交的证明材料", index=False))

# %% [markdown]
# ---
# <p class="fupin-note">本测算按考核方案的评分细则和分档口径自动计算，仅供内部研判，不代表考核结果。其他区数据来自各区考核数据表，本区数据来自各部门报送的工作台账。</p>
