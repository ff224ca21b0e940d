"""The words of a run (its map, summary, charts and warnings) in English, Simplified or
Traditional Chinese.

Every sentence is written once, in English, as a template; a :class:`Words` of
``lang="zh"`` gives its Chinese, and of ``"zh-TW"`` or ``"zh-HK"`` that Chinese in
Traditional characters with the place's own words (OpenCC). Names and tags from the data
stay as they are. The language comes from ``lang``, else the locale (``LC_ALL``,
``LC_MESSAGES``, ``LANG``: ``zh_TW`` means Traditional Chinese as in Taiwan, another
``zh...`` Simplified), else English.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from . import _validate
from ._errors_zh import ERRORS_ZH
from .errors import InputError

__all__ = ["CHINESE_COUNTRIES", "LANGUAGES", "Words", "chinese_country", "chinese_of",
           "language"]

#: The languages of the map, with their names.
LANGUAGES = {"en": "English", "zh": "简体中文 (Simplified Chinese)",
             "zh-TW": "繁體中文，臺灣 (Traditional Chinese, Taiwan)",
             "zh-HK": "繁體中文，香港 (Traditional Chinese, Hong Kong)"}

#: OpenCC's conversion of the Simplified words into each Traditional Chinese, with the
#: place's own words (臺灣: 網路, 資料, 檔案; 香港 its own forms).
_TRADITIONAL = {"zh-TW": "s2twp", "zh-HK": "s2hk"}

#: Taiwan's words where OpenCC keeps the mainland's (公尺 for the metre; 辨識, 偵測; 信賴區間
#: for a confidence interval, 拔靴法 for the bootstrap, 帶寬 for a kernel's bandwidth).
_TAIWAN_WORDS = {"置信區間": "信賴區間", "自助法": "拔靴法", "頻寬": "帶寬", "米": "公尺",
                 "識別": "辨識", "檢測": "偵測", "生成": "產生", "地塊": "區塊"}
#: A table's parts in Taiwan: a column is 欄 and a row 列 (the mainland's 列 and 行), but
#: not in the words where those characters mean neither (列支敦斯登, 陣列, 列印; 步行, 行政).
_TAIWAN_TABLE = (
    (re.compile(r"(?<![排陣下序並系])列(?!支敦|出|表|一次|印)"), "欄"),
    (re.compile(r"(?<![步車人運執可自試進銀並平旅流通發])行(?![政動為程駛人走李車])"), "列"),
)

#: Other spellings of the languages (BCP 47 scripts, locales' underscores), as given.
_SPELLINGS = {"zh-cn": "zh", "zh-hans": "zh", "zh-sg": "zh", "zh-tw": "zh-TW",
              "zh-hant": "zh-TW", "zh-hant-tw": "zh-TW", "zh-hk": "zh-HK",
              "zh-hant-hk": "zh-HK", "zh-mo": "zh-HK"}

_ZH: dict[str, str] = {
    # a comparison's summary and the validation figure
    "{variant}: {placed} AEDs placed ({new} new, {moved} moved); round the clock {before} → "
    "{rtc}, if all were open 24/7 {always_before} → {always}{gap}":
        "{variant}：布设{placed}台AED（新增{new}台，搬迁{moved}台）；全天覆盖率{before} → {rtc}，"
        "若全部全天开放为{always_before} → {always}{gap}",
    "; gap {gap}": "；差距{gap}",
    "held-out arrests covered, %": "留出的心脏骤停病例中被覆盖的比例（%）",
    "Plans scored on arrests they were not fitted on (95% intervals)":
        "用未参与规划的心脏骤停病例评估各方案（95%置信区间）",
    # the validation's verdicts (aedplan validate)
    "{k} new AEDs: {models} tie, each covering {covered} of {n} held-out arrests ({share}, "
    "95% CI {low}-{high})":
        "新增{k}台AED：{models}并列最佳，各覆盖{n}例留出心脏骤停中的{covered}例（{share}，"
        "95%置信区间{low}–{high}）",
    "{k} new AEDs: {models} covers most held-out arrests, {covered} of {n} ({share}, 95% CI "
    "{low}-{high})":
        "新增{k}台AED：{models}覆盖的留出心脏骤停最多，{n}例中覆盖{covered}例（{share}，"
        "95%置信区间{low}–{high}）",
    "{models}: behind it by no more than chance (paired bootstrap and sign test), so "
    "the data cannot tell the two apart":
        "{models}：落后于最佳方案的幅度不超过随机波动（配对自助法与符号检验），"
        "数据无法将其与最佳方案区分",
    "{models}: behind it by no more than chance (paired bootstrap and sign test), so "
    "the data cannot tell them apart from it":
        "{models}：落后于最佳方案的幅度不超过随机波动（配对自助法与符号检验），"
        "数据无法将其与最佳方案区分",
    "{models}: behind them by no more than chance (paired bootstrap and sign test), so "
    "the data cannot tell it apart from them":
        "{models}：落后于最佳方案的幅度不超过随机波动（配对自助法与符号检验），"
        "数据无法将其与最佳方案区分",
    "{models}: behind them by no more than chance (paired bootstrap and sign test), so "
    "the data cannot tell any of them apart":
        "{models}：落后于最佳方案的幅度不超过随机波动（配对自助法与符号检验），"
        "数据无法将其与最佳方案区分",
    "{models}: behind it beyond chance": "{models}：落后于最佳方案，且超出随机波动",
    "{models}: behind them beyond chance": "{models}：落后于最佳方案，且超出随机波动",
    "{names} and {last}": "{names}和{last}",
    "arrests: {count:,} ({first} to {last}); held out: {held:,}":
        "心脏骤停：{count:,}例（{first}至{last}）；留出：{held:,}例",
    "smoothing: bandwidth {bandwidth}, chosen by cross-validation on the training arrests":
        "平滑：带宽{bandwidth}，由训练集心脏骤停的交叉验证选定",
    "smoothing: bandwidths {bandwidths} (one per fold), each chosen by cross-validation on "
    "its training arrests":
        "平滑：带宽{bandwidths}（每折一个），各由该折训练集心脏骤停的交叉验证选定",
    "today: {covered} of {held} held-out arrests covered ({share:.1%})":
        "目前：{held}例留出心脏骤停中覆盖{covered}例（{share:.1%}）",
    "in-sample optimism: up to {points:+.1f} points ({model}, {k} AEDs): the gain a plan "
    "shows on the arrests it was fitted on, less its gain on the held-out ones":
        "样本内乐观偏差：最多{points:+.1f}个百分点（{model}，{k}台AED）：方案在用于拟合的"
        "心脏骤停上显示的提升，减去其在留出病例上的提升",
    ".": "。",
    "arrests": "心脏骤停点位",
    "arrests-smoothed": "心脏骤停密度（平滑）",
    "blend": "混合（密度+建筑）",
    # layers
    "Streets (walk network)": "街道（步行路网）",
    "Streets (drive network: no footpaths)": "街道（车行路网：无人行小路）",
    "Streets": "街道",
    "No AEDs today.": "目前没有AED。",
    "Place names": "地名",
    "street": "街道",
    "coverage through the week": "一周内的覆盖率",
    "coverage against the number of new AEDs": "覆盖率与新增AED数量",
    "AEDs moved": "AED搬迁",
    "with {n} AEDs placed ({new} new, {moved} moved)":
        "布设{n}台AED后（新增{new}台，搬迁{moved}台）",
    "with {n} AED placed ({new} new, {moved} moved)":
        "布设{n}台AED后（新增{new}台，搬迁{moved}台）",
    "District": "分区",
    "Coverage": "覆盖率",
    "Round the clock": "全天覆盖率",
    "AED moved": "搬迁的AED",
    "To new site": "新位置",
    "Distance": "距离",
    "Coverage gained": "覆盖率提升",
    "Districts: coverage": "各区覆盖率",
    "Map data © OpenStreetMap contributors": "地图数据 © OpenStreetMap 贡献者",
    "Zoom in": "放大", "Zoom out": "缩小", "Layers": "图层", "Close": "关闭",
    "wrote {path}: edit it, then run `aedplan plan {path}`":
        "已写入 {path}：编辑后运行 `aedplan plan {path}`",
    # districts and moves, in the terminal summary
    "{n} {noun} placed ({bought} new, {moved} of today's moved; up to {k} {movable} "
    "allowed)": "布设{n}台{noun}（新增{bought}台，搬迁现有{moved}台；最多可搬迁{k}台{movable}AED）",
    "{n} new {noun}": "新增{n}台{noun}",
    "of any": "任意",
    "districts ({source}): {n}; least covered ({by}): {least}":
        "分区（{source}）：{n}个；覆盖最低（{by}）：{least}",
    "round the clock after": "规划后全天覆盖率",
    "round the clock before": "现状全天覆盖率",
    "coverage after": "规划后覆盖率",
    "coverage before": "现状覆盖率",
    "  floors kept; they cost {price:.2%} of all demand against the plan without them":
        "  各区下限已满足；与无下限方案相比，代价为全部需求的{price:.2%}",
    "Rescue circles: existing AEDs": "救护圈：现有AED",
    "Rescue circles: AEDs not for public use": "救护圈：不对公众开放的AED",
    "Rescue circles: public AEDs with opening hours or hours unknown":
        "救护圈：限时或开放时间不详的公众可用AED",
    "Rescue circles: public AEDs open round the clock": "救护圈：全天对公众开放的AED",
    "Rescue circles: proposed AEDs": "救护圈：拟新增AED",
    "Uncovered demand": "未覆盖的需求",
    "Existing AEDs": "现有AED",
    "Proposed AEDs": "拟新增AED",
    "Rescue circles at 10:30 (Wednesday)": "周三10:30开放的AED救护圈",
    "Rescue circles at 03:30 (Wednesday)": "周三03:30开放的AED救护圈",
    "Hot spots: most demand out of reach": "热点：未覆盖需求最多的地块",
    "{layer} (per {side} square)": "{layer}（每{side}方格）",
    "Legend": "图例",
    # the nearest AED now (aedplan._mapsearch)
    "Nearest AED now": "最近的可用AED",
    "In an emergency call {number} first, then fetch the AED.":
        "紧急情况下请先拨打{number}，再去取AED。",
    "In an emergency call the emergency number first, then fetch the AED.":
        "紧急情况下请先拨打急救电话，再去取AED。",
    "Tap or click a place on the map: the AEDs usable at the time below, nearest first, "
    "along the streets.": "点击地图上的地点：列出下列时间可用的AED，按沿街步行距离由近到远排列。",
    "Monday": "星期一", "Tuesday": "星期二", "Wednesday": "星期三", "Thursday": "星期四",
    "Friday": "星期五", "Saturday": "星期六", "Sunday": "星期日",
    "Now": "现在", "Where am I?": "我的位置",
    "{m} min {s} s": "{m}分{s}秒", "{s} s": "{s}秒",
    "walk {one} one way, {both} there and back": "步行单程{one}，往返{both}",
    "opens at {time}; {walk}": "{time}开放；{walk}",
    "Where it hangs: {where}": "具体位置：{where}",
    "This place is too far from the streets.": "此地点离街道太远。",
    "No AED usable at this time can be reached along these streets.":
        "沿这些街道无法到达此时可用的AED。",
    "None is within the {minutes:g}-minute rescue from here: start CPR while someone "
    "fetches the nearest.":
        "从这里出发，{minutes:g}分钟救护圈内没有可用的AED：请立即开始心肺复苏，同时请他人去取最近的AED。",
    "opening hours unknown: counted open": "开放时间不详：按开放计",
    "Nearest AED: the street network is too big to carry in this page.":
        "最近的AED：路网太大，本页面无法携带，此功能关闭。",
    "Nearest AED: this map carries no street network to search.":
        "最近的AED：本地图没有可供查找的路网。",
    "New AEDs by part": "各分块拟新增AED",
    "Street names": "街道名称",
    # who may use an AED
    "public, open round the clock": "公众可用，全天24小时",
    "public, with opening hours": "公众可用，按开放时间",
    "public, opening hours unknown": "公众可用，开放时间不详",
    "not for public use": "不对公众开放",
    "AED: public, 24/7": "AED：公众可用，全天",
    "AED: public, with hours": "AED：公众可用，限时开放",
    "AED: public, hours unknown": "AED：公众可用，时间不详",
    "AED: not public": "AED：不对公众开放",
    "round the clock": "全天24小时",
    "never": "从不（不对公众开放）",
    # popups and tooltips
    "not given": "未注明",
    "unknown": "未知",
    "AED of {operator}": "{operator}的AED",
    "AED (no name)": "AED（无名称）",
    "AED: {where}": "AED：{where}",
    "Operator": "运营者",
    "AED {id}": "AED {id}",
    "floor {level}": "{level}层",
    "Existing AED": "现有AED",
    "Where it hangs": "具体位置",
    "Who and when": "谁可使用、何时",
    "Counted open": "计为开放",
    "Opening hours (as tagged)": "开放时间（原始标注）",
    "Access": "使用权限",
    "Reach within {minutes:g} min": "{minutes:g}分钟内可达",
    "{metres:,.0f} m along the streets": "沿街道{metres:,.0f}米",
    "Reaches everyone within": "覆盖范围内最远用时",
    "Rescue circle of AED": "救护圈所属AED",
    "Rescue circle of Proposed AED": "救护圈所属拟新增AED",
    "Area": "面积",
    "Proposed AED": "拟新增AED",
    "Proposed AED #{rank}": "拟新增AED #{rank}",
    "Brings into reach": "新增覆盖",
    "Site": "地点",
    "Kind of place": "场所类型",
    "{share} of demand ({amount})": "需求的{share}（{amount}）",
    "m² of floor": "平方米建筑面积",
    "m of street": "米街道",
    "Out of reach in this {side} square": "此{side}方格内未覆盖",
    "Places": "地点数",
    # panel
    "AED rescue circles": "AED救护圈",
    "covered today": "目前覆盖",
    "covered today, round the clock": "目前覆盖（全天计）",
    "with {n} proposed AEDs": "新增{n}台AED后",
    "with the plan": "按规划",
    "({points:+.1f} points)": "（{points:+.1f}个百分点）",
    "If every AED were public and open 24/7: {today} today{after}. An AED counts only in "
    "the hours it is open to the public.":
        "若所有AED都对公众全天开放：目前{today}{after}。AED只在对公众开放的时段计入。",
    ", {share} with the plan": "，按规划{share}",
    "At night (22:00-06:00): {today} today{after}{closed}.":
        "夜间（22:00-06:00）：目前{today}{after}{closed}。",
    "; with unknown hours counted closed, {share} today": "；时间不详计为关闭时，目前{share}",
    "Coverage through the week (0 to {top:.0f}%)": "一周内各小时覆盖率（0至{top:.0f}%）",
    ": today in grey, with the plan in purple": "：灰线为目前，紫线为规划后",
    "Mon": "一", "Tue": "二", "Wed": "三", "Thu": "四", "Fri": "五", "Sat": "六",
    "Sun": "日",
    "Each further AED buys less: coverage with 0 to {n} new AEDs ({counted}), up to "
    "{top}; the plan's dot in purple":
        "每多一台AED，增益递减：新增0至{n}台AED时的覆盖率（{counted}），最高{top}；紫点为本规划",
    "every AED counted open": "所有AED计为开放",
    "round the clock: an AED counts in the hours the public may use it":
        "全天计：AED只在公众可用的时段计入",
    "every AED counted public and open around the clock": "所有AED都按公众可用、全天开放计",
    "Coverage with each further AED (round the clock)": "每多一台AED后的覆盖率（全天计）",
    "{n} new AEDs": "{n}台新AED",
    "Share of demand{demand} where a bystander can fetch an AED and reach the patient "
    "within {minutes:g} minutes: {trip}, walking {speed:g} m/s, {reach:.0f} m along the "
    "streets.":
        "旁观者能在{minutes:g}分钟内取来AED并回到患者身边的需求比例{demand}：{trip}，"
        "步行{speed:g}米/秒，沿街道{reach:.0f}米。",
    "round trip": "往返",
    "one way": "单程",
    "Existing AEDs: {n}": "现有AED：{n}",
    "proposed: {n}": "拟新增：{n}",
    "streets: {source}": "路网：{source}",
    "embedded default, Vaduz and Schaan, Liechtenstein, OpenStreetMap of 2024-03-03":
        "内置默认数据：列支敦士登瓦杜兹和沙恩，OpenStreetMap 2024-03-03",
    "Map data": "地图数据",
    "Tiles": "底图",
    "高德地图 AutoNavi": "高德地图",
    "天地图 Tianditu": "天地图",
    "made with aedplan": "由aedplan生成",
    # the terminal summary
    "network: {nodes:,} nodes, {edges:,} edges ({source})":
        "路网：{nodes:,}个节点，{edges:,}条边（{source}）",
    "demand: {points:,} points ({kind}), total weight {total:,.0f} ({meaning})":
        "需求：{points:,}个点（{kind}），总权重{total:,.0f}（{meaning}）",
    "wrote {folder}/: {files}": "已写入{folder}/：{files}",
    "map data {credit}": "地图数据 {credit}",
    "within {minutes:g} min {mode} at {speed:g} m/s ({reach:.0f} m)":
        "{minutes:g}分钟内{mode}，步速{speed:g}米/秒（{reach:.0f}米）",
    "round-trip": "往返",
    # what the demand is (report.json, the map's panel)
    "buildings": "建筑",
    "network": "路网",
    "points": "点",
    "population": "人口",
    "people per cell of the population grid": "人口格网中每个单元的人数",
    "people": "人",
    "every existing AED in the area, public or not": "区域内所有现有AED（无论是否对公众开放）",
    # AED density (terminal summary, map panel)
    "AEDs per 100,000 people: {before:.1f}": "每10万人AED数：{before:.1f}台",
    "AEDs per 100,000 people: {before:.1f} → {after:.1f}":
        "每10万人AED数：{before:.1f} → {after:.1f}台",
    ", {before:.2f} per km²": "，每平方公里{before:.2f}台",
    ", {before:.2f} -> {after:.2f} per km²": "，每平方公里{before:.2f} → {after:.2f}台",
    "{before:.1f} today": "目前{before:.1f}台",
    "{before:.1f} today -> {after:.1f} with the plan": "目前{before:.1f}台 → 规划后{after:.1f}台",
    "AEDs per 100,000 people: {now} ({people:,.0f} people on {area:,.1f} km² populated"
    "{per_km2})":
        "每10万人AED数：{now}（{people:,.0f}人，有人居住面积{area:,.1f}平方公里{per_km2}）",
    "  target {per:g} per 100,000: {needed:,} AEDs for this area, so {new:,} new":
        "  目标每10万人{per:g}台：本区域需{needed:,}台，即新增{new:,}台",
    "short by {before:,} today": "目前缺{before:,}台",
    "short by {before:,} today, {after:,} with the plan": "目前缺{before:,}台，规划后缺{after:,}台",
    "  {place} ({year}): {per:g} per 100,000 means {needed:,} AEDs here; {gaps}":
        "  {place}（{year}）：每10万人{per:g}台，本区域需{needed:,}台；{gaps}",
    "{kind}, weighted by {weight}": "{kind}，权重为{weight}",
    "floor area in m²: footprint x building:levels":
        "楼面面积（m²）：占地面积×楼层数（building:levels）",
    "metres of street each point stands for": "每个点代表的街道长度（米）",
    "the file's weight column, else 1 per point": "文件中的权重列，没有时每点计1",
    # report.json
    "coverage: every AED counted as public and open around the clock; hours.before: only "
    "AEDs the public may use, in the hours they are open":
        "coverage：每台AED都按公众可用、全天开放计算；hours.before：只计公众可用的AED，"
        "且只在其开放时段内",
    "greedy (each new AED the best next one)": "贪心法（每台新增AED都选当下最优的一处）",
    "no AEDs are mapped in {what}: coverage starts from zero and the plan places AEDs from "
    "scratch (pass `aeds` with your AED list).":
        "{what}中没有已登记的AED：覆盖率从零开始，规划从头布置AED（用`aeds`传入您的AED清单）。",
    "the embedded default (Vaduz and Schaan)": "内置的默认数据（瓦杜兹和沙恩）",
    "`aeds` is none, so the {n} AEDs {file} maps are left out: coverage starts from zero "
    "(set `aeds` to \"osm\" to count them).":
        "`aeds`为none，{file}中已标注的{n}台AED未计入：覆盖率从零开始（将`aeds`设为\"osm\"即可计入）。",
    "the AEDs the public may use": "公众可用的AED",
    "left out {n} AEDs the public may not use{access} (`public_only`).":
        "未计入{n}台公众不能使用的AED{access}（`public_only`）。",
    "one-way": "单程",
    "existing AEDs: {n}; {model}: {share:.1%} of demand":
        "现有AED：{n}台；{model}：覆盖需求的{share:.1%}",
    "existing AEDs: {n} ({always} public 24/7, {hours} public with opening hours, "
    "{unknown} public with unknown hours, {restricted} not public)":
        "现有AED：{n}台（{always}台公众可用且全天开放，{hours}台公众可用但限时开放，"
        "{unknown}台公众可用但时间不详，{restricted}台不对公众开放）",
    "coverage round the clock, {model}: {clock:.1%} of demand; {all:.1%} if every AED were "
    "public and open 24/7 (night 22-06: {night:.1%}; unknown hours counted closed: "
    "{closed:.1%})":
        "全天覆盖率，{model}：需求的{clock:.1%}；若所有AED都对公众全天开放则为{all:.1%}"
        "（夜间22-06：{night:.1%}；时间不详计为关闭：{closed:.1%}）",
    "  they differ because an AED counts only in the hours it is open, and only if the "
    "public may use it": "  两者不同，是因为AED只在开放时段、且公众可以使用时才计入",
    ", gap {gap:.2%}": "，差距{gap:.2%}",
    ", at least {n:,} needed": "，至少需要{n:,}台",
    "AED": "AED",
    "AEDs": "AED",
    "round the clock {clock:.1%} ({all:.1%} if all were open 24/7)":
        "全天{clock:.1%}（若全部全天开放则为{all:.1%}）",
    "plan: {what} from {candidates:,} candidate sites ({solver}, {status}{gap}) -> coverage "
    "{after}":
        "规划：从{candidates:,}个候选点位中{what}（{solver}，{status}{gap}）→ 覆盖率：{after}",
    # the solver and its status, as the summary line names them
    "exact": "精确求解",
    "greedy": "贪心启发式",
    "optimal": "已证明最优",
    "time_limit": "达到时间上限",
    "heuristic": "启发式",
    "gap_limit": "在差距限度内",
    # charts for printed reports
    "today": "目前",
    "周{day}": "周{day}",
    "covered, % of demand": "覆盖率（需求的%）",
    "Coverage by hour of the week (only AEDs open to the public count)":
        "一周各小时的覆盖率（仅计入对公众开放的AED）",
    "Coverage with each further AED (every AED counted open)":
        "每多一台AED后的覆盖率（所有AED计为开放）",
    "new AEDs": "新增AED数",
    "{layer} ({n:,}), numbered by rank": "{layer}（{n:,}处，按排名编号）",
    "{layer} ({n:,})": "{layer}（{n:,}）",
    "covered today {share}": "目前覆盖{share}",
    "with the plan {share}": "按规划{share}",
    "{minutes:g}-minute rescue circle": "{minutes:g}分钟救护圈",
    "the plan: {n} new AEDs, {share:.1f}%": "本规划：新增{n}台AED，{share:.1f}%",
    "no background map (offline?): streets and results drawn from the data":
        "底图无法加载（离线？）：街道与结果由数据绘制",
}


#: The steps of a run, as its progress shows them.
_STEPS_ZH = {
    "loading the walk network": "加载步行路网", "reading AEDs": "读取AED",
    "building demand points": "生成需求点", "coverage of today's AEDs": "现有AED的覆盖",
    "rescue circles of today's AEDs": "现有AED的救护圈", "choosing candidate sites": "选取候选点位",
    "coverage of the candidate sites": "候选点位的覆盖", "optimising new sites": "优化新增点位",
    "rescue circles of new sites": "新增点位的救护圈", "drawing the map": "绘制地图",
    "writing results": "写入结果",
}
_ZH.update(_STEPS_ZH)


#: The warnings about the data and the plan, in Chinese (``aedplan._caller.warn`` and
#: the phrases inside them). Option names in backticks stay as they are: the command line
#: and the scenario file spell them so.
_WARNINGS_ZH: dict[str, str] = {
    # reading files and points
    "`{argument}`: {name} has {n} title rows above its header ({title}); the table is read "
    "from row {row}.":
        "`{argument}`：{name} 的表头上方有{n}行标题（{title}）；从第{row}行起读取表格。",
    "`{argument}`: {name} has a title row above its header ({title}); the table is read "
    "from row {row}.":
        "`{argument}`：{name} 的表头上方有一行标题（{title}）；从第{row}行起读取表格。",
    "`{argument}`: {name} has {n} sheets with the same columns ({sheets}); they are read "
    "as one table of {rows} rows.":
        "`{argument}`：{name} 有{n}个列相同的工作表（{sheets}），合并为一张共{rows}行的表读取。",
    "`{argument}`: {name} is not UTF-8; read it as {codec} (detected). Pass `encoding` if "
    "its text looks wrong.":
        "`{argument}`：{name} 不是 UTF-8 编码，已按检测到的 {codec} 读取。如文字显示不对，"
        "请指定 `encoding`。",
    "`{argument}`: {what} has {n} non-point geometries ({detail}); each was replaced by a "
    "representative point inside it.":
        "`{argument}`：{what}中有{n}个非点几何（{detail}），均已替换为其内部的代表点。",
    "`{argument}`: {what} has {n_multi} MultiPoints of {n_points} points in all; each point "
    "is read as a row of its own (its id, if it has one, followed by -1, -2, ...).":
        "`{argument}`：{what}中有{n_multi}个多点（MultiPoint），共{n_points}个点；每个点各读"
        "作一行（如有编号，则在编号后加 -1、-2……）。",
    "`{argument}`: {what} has 1 MultiPoint of {n_points} points in all; each point is read "
    "as a row of its own (its id, if it has one, followed by -1, -2, ...).":
        "`{argument}`：{what}中有1个多点（MultiPoint），含{n_points}个点；每个点各读作一行"
        "（如有编号，则在编号后加 -1、-2……）。",
    "`{argument}`: {name} has no `emergency=defibrillator` nodes; read 0 AEDs.":
        "`{argument}`：{name} 中没有 `emergency=defibrillator` 节点，读到0台AED。",
    "`{argument}`: datum='{datum}' but these points lie outside China, where {datum} "
    "equals WGS84, and are left unchanged (are lon/lat swapped, or is the datum wrong?): "
    "{rows}.":
        "`{argument}`：指定了 datum='{datum}'，但以下点位于中国境外（那里 {datum} 与 WGS84 "
        "相同），坐标保持不变（经纬度是否填反，或坐标系是否有误？）：{rows}。",
    "{n} rows (ids {ids})": "{n}行（编号 {ids}）",
    "1 row (id {ids})": "1行（编号 {ids}）",
    "{n} rows (ids {ids}; lines {lines})": "{n}行（编号 {ids}；第 {lines} 行）",
    "1 row (id {ids}; line {lines})": "1行（编号 {ids}；第 {lines} 行）",
    "the DataFrame": "该 DataFrame",
    "the GeoDataFrame": "该 GeoDataFrame",
    "the column": "该列",
    "column {column} of {name}": "{name} 的 {column} 列",
    "`{argument}`: the points lie {given:.0f} m from the streets (median), but {then:.0f} m "
    "if their lon/lat are {datum}: they look copied from a Chinese web map. If so, pass "
    "`datum='{said}'`.":
        "`{argument}`：这些点距街道的中位距离为{given:.0f}米，若按{datum}坐标读取则只有"
        "{then:.0f}米：看来是从国内网络地图上取的坐标。如果是，请指定 `datum='{said}'`。",
    "`{argument}`: read as {declared}, the points lie {given:.0f} m from the streets "
    "(median), but {then:.0f} m as written, in WGS84 (GPS, OpenStreetMap): is `datum` "
    "right? If the coordinates are WGS84, leave `datum` out.":
        "`{argument}`：按{declared}读取，这些点距街道的中位距离为{given:.0f}米，但按所写"
        "的 WGS84 坐标（GPS、OpenStreetMap）读取只有{then:.0f}米：`datum` 是否有误？"
        "如果坐标是 WGS84，请不要指定 `datum`。",
    "GCJ-02 (Amap, Tencent)": "GCJ-02（高德、腾讯）",
    "BD-09 (Baidu)": "BD-09（百度）",
    "`{name}`: of {given:,} points, {left}; they are left out and {used:,} are used.":
        "`{name}`：{given:,}个点中，{left}；这些点不计入，使用其余{used:,}个。",
    "{n:,} lie outside the study area ({area})": "{n:,}个位于研究区域（{area}）之外",
    "{n:,} lie more than {m:g} m from any street": "{n:,}个距任何街道都超过{m:g}米",
    "{n:,} lies outside the study area ({area})": "{n:,}个位于研究区域（{area}）之外",
    "{n:,} lies more than {m:g} m from any street": "{n:,}个距任何街道都超过{m:g}米",
    "{a} and {b}": "{a}，{b}",
    "{where}, {km2:,.2f} km²": "{where}，{km2:,.2f}平方公里",
    "the `bbox`": "`bbox` 范围",
    "the `polygon`": "`polygon` 范围",
    "the districts": "各分区",
    "the streets' extent": "街道所及范围",
    "`aeds`: {n:,} AEDs (ids {ids}) lie within {m:g} m of another listed before: the same "
    "AED listed twice? Each place counts once in the AEDs per 100,000 people; drop the "
    "copies if they are one AED.":
        "`aeds`：{n:,}台AED（编号 {ids}）与前面列出的另一台相距不到{m:g}米：是同一台AED"
        "登记了两次吗？每个位置在每10万人AED数中只计一次；若是同一台，请删除重复项。",
    "`aeds`: 1 AED (id {ids}) lies within {m:g} m of another listed before: the same AED "
    "listed twice? Each place counts once in the AEDs per 100,000 people; drop the copy if "
    "they are one AED.":
        "`aeds`：1台AED（编号 {ids}）与前面列出的另一台相距不到{m:g}米：是同一台AED登记了"
        "两次吗？每个位置在每10万人AED数中只计一次；若是同一台，请删除重复项。",
    "`{argument}`: {n_far} of {n} points are more than {max_snap_m:g} m from any street "
    "and are left out of coverage (ids {listed}).":
        "`{argument}`：{n}个点中有{n_far}个距任何街道都超过{max_snap_m:g}米，不计入覆盖"
        "（编号 {listed}）。",
    # streets, buildings and population
    "kept the largest connected part of the street network: dropped {dropped:,} of {n:,} "
    "nodes in smaller disconnected parts (pass `largest_component=False` to keep them).":
        "只保留了街道网络中最大的连通部分：{n:,}个节点中有{dropped:,}个位于较小的不连通部分，"
        "已去除（如需保留，请指定 `largest_component=False`）。",
    "`{argument}`: {skipped:,} of {n:,} buildings in {name} have no complete footprint "
    "(ways that are not closed, nodes missing at the edge of the extract, broken "
    "multipolygons) and were skipped.":
        "`{argument}`：{name} 的{n:,}栋建筑中有{skipped:,}栋没有完整轮廓（路径未闭合、"
        "数据边缘缺少节点或多边形关系残缺），已跳过。",
    "`{argument}`: {n_other} of {n} rows of {what} are not polygons (building nodes, lines "
    "or empty geometries); they have no footprint and were skipped.":
        "`{argument}`：{what}的{n}行中有{n_other}行不是多边形（建筑节点、线或空几何），"
        "没有轮廓，已跳过。",
    "`source`: {n:,} grid cells overlap ({share:.1%} of their area): their people are "
    "counted twice where they do. Pass cells that tile the ground: drop duplicate cells, "
    "and do not stack grids that cover the same ground.":
        "`source`：{n:,}个格网单元相互重叠（占其面积的{share:.1%}），重叠处的人口被重复计算。"
        "请提供互不重叠、铺满地面的单元：删除重复单元，不要叠加覆盖同一地区的多套格网。",
    "`source`: {n:,} populated grid cells ({people} people, {share} of them) have no {what} "
    "inside: their people stay at the cell's representative point. To leave such cells "
    "out, draw the study area (`area`) tighter around the streets, or use a network that "
    "covers the whole grid.":
        "`source`：{n:,}个有人口的格网单元（{people}人，占{share}）内没有{what}：其人口"
        "留在单元的代表点上。如要排除这些单元，请把研究区域（`area`）沿街道划得更紧，"
        "或使用覆盖整个格网的路网。",
    "`source`: 1 populated grid cell ({people} people, {share} of them) has no {what} "
    "inside: its people stay at the cell's representative point. To leave such cells out, "
    "draw the study area (`area`) tighter around the streets, or use a network that "
    "covers the whole grid.":
        "`source`：1个有人口的格网单元（{people}人，占{share}）内没有{what}：其人口留在"
        "单元的代表点上。如要排除这类单元，请把研究区域（`area`）沿街道划得更紧，或使用"
        "覆盖整个格网的路网。",
    "street of `net`": "`net` 的街道",
    "building of `buildings`": "`buildings` 的建筑",
    "street of `net` nor building of `buildings`": "`net` 的街道，也没有 `buildings` 的建筑",
    # hours
    "`{argument}`: access={odd} is not a word aedplan knows; those AEDs count as "
    "restricted (only a missing access or yes/public/permissive counts as public).":
        "`{argument}`：aedplan 不认识 access={odd}；这些AED按限制使用计（只有未填 access "
        "或为 yes/public/permissive 时才算公众可用）。",
    "`{argument}`: the `public` column is blank for {n} of {m} AEDs: not recorded, so they "
    "count as public, as an AED without `access` does in OpenStreetMap.":
        "`{argument}`：{m}台AED中有{n}台的 `public` 列为空：未记录，按公众可用计，与"
        " OpenStreetMap 中没有 `access` 的AED相同。",
    "`country`: the holidays package has no public holidays for {country}; the week is "
    "read as if it had none.":
        "`country`：holidays 软件包没有 {country} 的法定节假日，这一周按无节假日计。",
    "`{argument}`: {n} opening_hours values could not be read and count as unknown "
    "({unknown}): {shown}.":
        "`{argument}`：{n}个 opening_hours 值无法识别，按开放时间未知计（{unknown}）："
        "{shown}。",
    "open": "视为开放",  # (the `unknown_hours` the two above name)
    "closed": "视为关闭",
    "`{argument}`: 1 opening_hours value could not be read and counts as unknown "
    "({unknown}): {shown}.":
        "`{argument}`：1个 opening_hours 值无法识别，按开放时间未知计（{unknown}）：{shown}。",
    "`{argument}`: opening hours read from the registry's {source} for {known} of {n} AEDs; "
    "the other {unknown} (blank, 00:00-00:00 or unreadable) count as unknown; {unread} "
    "remarks could not be read and leave the hours as given: {shown}.":
        "`{argument}`：从登记表的{source}读出了{n}台AED中{known}台的开放时间；其余{unknown}台"
        "（空白、00:00-00:00 或无法识别）按未知计；{unread}条备注无法识别，开放时间保持原样："
        "{shown}。",
    "`{argument}`: opening hours read from the registry's {source} for {known} of {n} AEDs; "
    "the other {unknown} (blank, 00:00-00:00 or unreadable) count as unknown.":
        "`{argument}`：从登记表的{source}读出了{n}台AED中{known}台的开放时间；其余{unknown}台"
        "（空白、00:00-00:00 或无法识别）按未知计。",
    "day groups": "分日开放时间列",
    "text ({column})": "文字说明（{column}）",
    "`{argument}`: {n} opening_hours values are written as text, not in OpenStreetMap "
    "syntax, and were read as text: {shown}.":
        "`{argument}`：{n}个 opening_hours 值是文字写法，不是 OpenStreetMap 语法，已按文字"
        "读取：{shown}。",
    "`{argument}`: {n} remarks on the hours could not be read and leave the hours as "
    "given: {shown}.":
        "`{argument}`：{n}条关于开放时间的备注无法识别，开放时间保持原样：{shown}。",
    "`{argument}`: the times in {what} carry a UTC offset ({only}) and nothing says where "
    "the arrests happened: they are read at the time written; if that is not the local "
    "time, add their lon/lat columns.":
        "`{argument}`：{what}中的时间带有 UTC 偏移（{only}），但没有信息说明心脏骤停发生在"
        "何处：按所写时间读取；如果那不是当地时间，请加上经纬度列。",
    "no network source given: running on the embedded default, the real OpenStreetMap "
    "extract of Vaduz and Schaan (Liechtenstein) installed with aedplan.":
        "未给出路网来源：使用随 aedplan 安装的内置默认数据，即列支敦士登瓦杜兹和沙恩的"
        "真实 OpenStreetMap 数据。",
    "demand: {n} past arrests smoothed into a risk at points along the streets (Gaussian "
    "kernel on the plane, bandwidth {h:.0f} m chosen by cross-validation{on}).":
        "需求：{n}例既往心脏骤停平滑为沿街道各点的风险（平面高斯核，带宽{h:.0f}米，"
        "由交叉验证选定{on}）。",
    " on a random {sample:,} of them": "，基于随机抽取的{sample:,}例",
    # the time model
    "`speed_m_s` is {speed:g} m/s, that is {kmh:.0f} km/h: running, not walking (1.4 m/s "
    "is a walk, about 2.0 a hurried walk); did you give km/h?":
        "`speed_m_s` 为{speed:g}米/秒，即每小时{kmh:.0f}公里：这是跑步而不是步行（步行约"
        "1.4米/秒，快走约2.0）；是否误填了公里/小时？",
    "`minutes` is {minutes:g}: a budget over {longest:g} minutes is no longer a rescue "
    "circle (survival falls 7-10% with each minute); it still runs, in bounded memory, but "
    "takes longer.":
        "`minutes` 为{minutes:g}：超过{longest:g}分钟已不再是救护圈（每延误一分钟，存活率"
        "下降7-10%）；仍会运行，内存有限，但耗时更长。",
    "the rescue circles are drawn on a {step:g} m lattice, not {res:g} m, so that {n:,} "
    "circles of {minutes:g} minutes fit in time and memory; their edges are exact to "
    "{step:g} m.":
        "救护圈按{step:g}米而不是{res:g}米的格点绘制，以便{n:,}个{minutes:g}分钟救护圈"
        "在时间和内存上可行；其边界精确到{step:g}米。",
    # the plan
    "`budget` is {budget:,} but there are only {free:,} candidate sites, so the plan has at "
    "most {free:,} new AEDs; {more}.":
        "`budget` 为{budget:,}，但只有{free:,}个候选点位，因此规划最多新增{free:,}台AED；"
        "{more}。",
    "for more candidate sites use `candidates='nodes'` with a smaller `node_spacing` (0 "
    "takes every street node) or a file of sites":
        "如需更多候选点位，请用 `candidates='nodes'` 并减小 `node_spacing`（0 表示每个街道"
        "节点都作候选），或提供点位文件",
    "`budget` is {budget:,} but only {placed:,} new AEDs add coverage: the plan places "
    "those {placed:,}; a further site would reach no one the others do not (a budget of "
    "{placed:,} covers as much).":
        "`budget` 为{budget:,}，但只有{placed:,}台新增AED能增加覆盖：规划只布设这{placed:,}台；"
        "再多一个点位也覆盖不到其他点位覆盖不到的人（预算{placed:,}即可覆盖同样多）。",
    "`budget` is {budget:,} but no new AED adds coverage: every demand point a candidate "
    "site reaches is covered already; the plan places none.":
        "`budget` 为{budget:,}，但新增AED都不能增加覆盖：候选点位能到达的需求点都已被覆盖；"
        "规划不布设新AED。",
    "`{name}` is {b:,} but there are only {m:,} candidate sites; choosing among all of them "
    "(sites that add no coverage are left out).":
        "`{name}` 为{b:,}，但只有{m:,}个候选点位；在全部点位中选择（不增加覆盖的点位不选）。",
    "`budget`: only {useful:,} of the {budget:,} new AEDs add coverage; the others reach no "
    "demand the plan does not reach already, so a budget of {useful:,} covers as much.":
        "`budget`：{budget:,}台新增AED中只有{useful:,}台能增加覆盖；其余的到达不了规划尚未"
        "覆盖的需求，因此预算{useful:,}即可覆盖同样多。",
    # districts
    "`districts`: {name} has no `name` column; its {n:,} districts are called "
    "'district 0', 'district 1', ... in the report and the map. Add a `name` "
    "column to see their own names.":
        "`districts`：{name} 没有 `name` 列；其{n:,}个分区在报告和地图中称为 'district 0'、"
        "'district 1'……如需显示分区自己的名称，请添加 `name` 列。",
    # the charts
    "no font with Chinese glyphs is installed, so the PNG charts keep English words; "
    "install one (Debian/Ubuntu: fonts-noto-cjk or fonts-wqy-microhei).":
        "没有安装含中文字形的字体，PNG 图表仍用英文；请安装一种（Debian/Ubuntu："
        "fonts-noto-cjk 或 fonts-wqy-microhei）。",
}
_ZH.update(_WARNINGS_ZH)
_ZH.update(ERRORS_ZH)


#: The words of opening hours (OSM's and aedplan's own) in Chinese.
_HOURS_ZH = {
    **dict(zip(("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
               ("周一", "周二", "周三", "周四", "周五", "周六", "周日"), strict=True)),
    **dict(zip(("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"),
               ("周一", "周二", "周三", "周四", "周五", "周六", "周日"), strict=True)),
    **dict(zip(("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
                "Dec"), (f"{k}月" for k in range(1, 13)), strict=True)),
    "PH": "法定节假日", "SH": "学校假期", "off": "关闭", "closed": "关闭", "open": "开放",
    "all day": "全天", "24/7": "全天24小时", "round the clock": "全天24小时",
    "sunrise": "日出", "sunset": "日落", "unknown": "时间不详",
}
#: OSM's ``access`` values in Chinese.
_ACCESS_ZH = {
    "yes": "公众可用", "public": "公众可用", "permissive": "允许公众使用",
    "customers": "仅限顾客", "private": "私人（不对公众开放）", "no": "不可使用",
    "permit": "需许可", "designated": "指定人员", "employees": "仅限员工",
    "staff": "仅限员工", "members": "仅限会员", "residents": "仅限住户",
    "unknown": "不详", "destination": "仅限到访者",
}
_HOURS_WORD = re.compile(r"\b(?:" + "|".join(
    re.escape(k) for k in sorted(_HOURS_ZH, key=len, reverse=True)) + r")(?![\w/])")


#: The countries whose maps are in Chinese unless a language is given.
CHINESE_COUNTRIES = frozenset({"CN", "TW", "HK", "MO"})


def chinese_country(country: Any) -> bool:
    """Whether a map of data in ``country`` (ISO code) is in Chinese by default."""
    return isinstance(country, str) and country.upper() in CHINESE_COUNTRIES


def chinese_of(country: Any) -> str | None:
    """The Chinese a map of data in ``country`` speaks by default: Traditional in Taiwan
    (``"zh-TW"``), Hong Kong and Macau (``"zh-HK"``), Simplified in mainland China;
    ``None`` elsewhere.

    >>> chinese_of("TW"), chinese_of("cn"), chinese_of("MO"), chinese_of("LI")
    ('zh-TW', 'zh', 'zh-HK', None)
    """
    if not chinese_country(country):
        return None
    return {"TW": "zh-TW", "HK": "zh-HK", "MO": "zh-HK"}.get(country.upper(), "zh")


def _spelt(lang: str) -> str:
    """``lang`` in the spelling of :data:`LANGUAGES` (``zh_TW``, ``zh-Hant``: ``zh-TW``)."""
    text = lang.strip().replace("_", "-")
    return _SPELLINGS.get(text.lower(), text)


def language(lang: str | None = None) -> str:
    """``lang`` checked, else the locale's language when it is Chinese (``zh_TW``:
    Traditional, as in Taiwan), else English.

    >>> language("zh_TW"), language("zh-Hant"), language("ZH-hk"), language("en")
    ('zh-TW', 'zh-TW', 'zh-HK', 'en')
    """
    if lang is None:
        for key in ("LC_ALL", "LC_MESSAGES", "LANG"):
            value = os.environ.get(key)
            if value:
                code = _spelt(value.split(".")[0])
                return code if code in LANGUAGES and code != "en" else (
                    "zh" if value.lower().startswith("zh") else "en")
        return "en"
    return _validate.one_of(_spelt(lang) if isinstance(lang, str) else lang, "lang",
                            LANGUAGES)


def language_meant(lang: Any) -> str:
    """The language to say an error in: ``lang`` checked; when it is not one, Chinese if
    it was meant so (``"中文"``, ``"zh-CN"``...), else English.

    >>> language_meant("中文"), language_meant("zh-SG"), language_meant("french")
    ('zh', 'zh', 'en')
    """
    try:
        return language(lang)
    except InputError:
        text = str(lang).strip().lower()
        return "zh" if text.startswith("zh") or re.search(r"[\u4e00-\u9fff]", text) else "en"


@cache
def _converter(lang: str) -> Any:
    import opencc

    return opencc.OpenCC(_TRADITIONAL[lang])


@dataclass(frozen=True)
class Words:
    """``words(template, **values)``: the template in this language, filled in. The
    Traditional Chinese ones are the Simplified words converted (OpenCC, with the
    place's own words); the values, names from the data among them, stay as given."""

    lang: str = "en"

    @property
    def chinese(self) -> bool:
        """Whether the words are Chinese (Simplified or Traditional)."""
        return self.lang.startswith("zh")

    def script(self, text: Any) -> Any:
        """Chinese ``text`` of aedplan's own in this language's script (Traditional for
        ``zh-TW`` and ``zh-HK``); anything else as it is.

        >>> Words("zh-TW").script("救护圈：公众可用，时间不详"), Words("zh").script("路网")
        ('救護圈：公眾可用，時間不詳', '路网')
        """
        if self.lang not in _TRADITIONAL or not isinstance(text, str) or text.isascii():
            return text
        said = _converter(self.lang).convert(text)
        if self.lang == "zh-TW":
            for mainland, taiwan in _TAIWAN_WORDS.items():
                said = said.replace(mainland, taiwan)
            for pattern, taiwan in _TAIWAN_TABLE:  # columns first: 列 becomes 欄
                said = pattern.sub(taiwan, said)
        return str(said)

    def __call__(self, template: str, **values: Any) -> str:
        text = self.script(_ZH[template]) if self.chinese and template in _ZH else template
        return text.format(**values) if values else text  # a text not aedplan's: as given

    def hours(self, text: Any) -> Any:
        """Opening hours in this language: aedplan's words for a week (``"Mon-Fri
        08:00-12:00; Sat, Sun closed"``) or an OSM ``opening_hours`` tag as tagged
        (``"Mo-Fr 08:00-12:00; PH off"``), days and words translated, times kept; free text
        in the tag stays as it is. Missing values stay missing.

        >>> Words("zh").hours("Mo-Fr 08:00-12:00, 13:30-17:00; PH off")
        '周一至周五 08:00-12:00，13:30-17:00；法定节假日关闭'
        >>> Words("zh").hours("Mon-Fri 08:00-11:30; Sat, Sun closed")
        '周一至周五 08:00-11:30；周六、周日关闭'
        >>> Words("en").hours("Mo-Fr 08:00-12:00; PH off")
        'Mo-Fr 08:00-12:00; PH off'
        """
        if text is None or not isinstance(text, str) or not self.chinese:
            return text
        if text in _ZH:
            return self.script(_ZH[text])
        said = _HOURS_WORD.sub(lambda m: self.script(_HOURS_ZH[m.group(0)]), text)
        said = re.sub(r"(?<=[一二三四五六日])\s*-\s*(?=[周週])", "至", said)
        said = re.sub(r"(?<=[一二三四五六日假期]),\s*(?=[周週]|法定|[学學]校)", "、", said)
        said = re.sub(r"(?<=[\u4e00-\u9fff]) +(?=[\u4e00-\u9fff])", "", said)
        return said.replace("; ", "；").replace(";", "；").replace(", ", "，")

    def access(self, value: Any) -> Any:
        """An OSM ``access`` value in this language (as tagged in English)."""
        if not self.chinese or not isinstance(value, str):
            return value
        return self.script(_ACCESS_ZH.get(value.strip().lower(), value))

    def measure(self, text: Any) -> Any:
        """A length or an area (``"250 m"``, ``"1.45 ha"``, ``"2 km"``) in this language."""
        if not self.chinese or not isinstance(text, str):
            return text
        for unit, chinese in ((" ha", "公顷"), (" km", "公里"), (" m", "米")):
            if text.endswith(unit):
                return text[: -len(unit)] + self.script(chinese)
        return text

    def duration(self, text: str) -> str:
        """``"3 min 59 s"`` in this language."""
        if not self.chinese or text in _ZH:
            return self(text)
        for unit, chinese in ((" h", "小时"), (" min", "分钟"), (" s", "秒")):
            text = text.replace(unit, self.script(chinese))
        return text.replace(" ", "")
