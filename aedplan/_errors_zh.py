"""aedplan's errors in Chinese: the English template an error is raised with
(:class:`aedplan.errors.AedplanError`) -> its Chinese (Simplified;
:class:`aedplan._words.Words` converts them to Traditional for Taiwan and Hong Kong).
Here the errors about the scenario, the run, the plan and the files written;
:mod:`aedplan._errors_zh_data` has those about reading and checking the input data.
Option and key names in backticks, file names, code and values stay as they are: the
command line and the scenario file spell them so."""

from __future__ import annotations

from ._errors_zh_data import DATA_ERRORS_ZH

ERRORS_ZH: dict[str, str] = {
    # the separators of aedplan.errors.Joined
    "; ": "；",
    " ": "",
    ", ": "、",
    # the plan
    "{error} {more}": "{error}{more}",
    "For more candidate sites use `candidates='nodes'` with a smaller `node_spacing` (0 "
    "takes every street node) or a file of sites.":
        "如需更多候选点位，请用 `candidates='nodes'` 并减小 `node_spacing`（0 表示每个街道"
        "节点都作候选），或提供点位文件。",
    # the languages' names where a `lang` is refused (aedplan._words.LANGUAGES)
    "English": "英文",
    "简体中文 (Simplified Chinese)": "简体中文",
    "繁體中文，臺灣 (Traditional Chinese, Taiwan)": "繁体中文，台湾",
    "繁體中文，香港 (Traditional Chinese, Hong Kong)": "繁体中文，香港",
    # aedplan/outputs.py
    "`out`: {path} is a folder, not a file of an earlier run; aedplan would replace it. "
    "Move it, or choose another `out`.":
        "`out`：{path} 是文件夹，不是之前运行留下的文件；aedplan 会替换它。请把它移走，"
        "或另选 `out`。",
    # aedplan/cli.py: click's own messages about the command line
    "{said} (see `{command} --help`).": "{said}（见 `{command} --help`）。",
    "`{option}` must be a whole number, got '{value}'": "`{option}` 须为整数，实际为 '{value}'",
    "`{option}` must be a number, got '{value}'": "`{option}` 须为数字，实际为 '{value}'",
    "`{option}` must be one of {choices}, got '{value}'":
        "`{option}` 须为 {choices} 之一，实际为 '{value}'",
    "`{option}` must be in the range {range}, got {value}":
        "`{option}` 须在 {range} 范围内，实际为 {value}",
    "`--bbox` must be four numbers W,S,E,N in degrees (e.g. {example}), got {value}":
        "`--bbox` 须为以度为单位的四个数 W,S,E,N（西、南、东、北，以半角逗号分隔，例如 "
        "{example}），实际为 {value}",
    "no option `{option}`; did you mean {close}?": "没有 `{option}` 这个选项；是否应为 {close}？",
    "no option `{option}`": "没有 `{option}` 这个选项",
    "more arguments than the command takes ({extra})": "多出了命令不接受的参数（{extra}）",
    "the option `{option}` is needed": "缺少必需的选项 `{option}`",
    "`{option}` needs a value": "`{option}` 后面需要一个值",
    # aedplan/scenario.py
    "`changes` must be a dict of dotted keys and values, e.g. {example}, got a {kind}.":
        "`changes` 必须是以点号连接的键及其值组成的字典，例如 {example}，实际为 {kind}。",
    "`{section}` is a section: replace its keys with dotted names, e.g. {example}, or build "
    "the scenario with Scenario.from_dict.":
        "`{section}` 是一个分节：请用点号连接的键名替换其中的键，例如 {example}，"
        "或用 Scenario.from_dict 构建方案。",
    "`{section}` must be the scenario's {section} section, got a {kind}: build a scenario "
    "with Scenario.from_dict({example}) or Scenario().replace({dotted}).":
        "`{section}` 必须是方案的 {section} 分节，实际为 {kind}：请用 "
        "Scenario.from_dict({example}) 或 Scenario().replace({dotted}) 构建方案。",
    "`{key}` must be true or false, got {value!r}.":
        "`{key}` 必须是 true 或 false，实际为 {value!r}。",
    "`{key}` must be text, got {value!r}.": "`{key}` 必须是文本，实际为 {value!r}。",
    "`{key}` must be one of {choices}; got {value!r}.":
        "`{key}` 必须是 {choices} 之一；实际为 {value!r}。",
    "`{key}` must be a whole number, got {value!r}.":
        "`{key}` 必须是整数，实际为 {value!r}。",
    "`{key}` must be a number, got {value!r}.": "`{key}` 必须是数字，实际为 {value!r}。",
    "`{key}` must be > {low:g}, got {value!r}.":
        "`{key}` 必须大于{low:g}，实际为 {value!r}。",
    "`{key}` must be >= {low:g}, got {value!r}.":
        "`{key}` 必须大于或等于{low:g}，实际为 {value!r}。",
    "`{key}` must be < {high:g}, got {value!r}.":
        "`{key}` 必须小于{high:g}，实际为 {value!r}。",
    "`{key}` must be <= {high:g}, got {value!r}.":
        "`{key}` 必须小于或等于{high:g}，实际为 {value!r}。",
    "`{key}` must be four numbers W, S, E, N in degrees (e.g. [9.49, 47.12, 9.55, 47.18]), "
    "got {value!r}.":
        "`{key}` 必须是以度为单位的四个数 W、S、E、N（西、南、东、北，例如 "
        "[9.49, 47.12, 9.55, 47.18]），实际为 {value!r}。",
    "`{name}` must be a table ([{name}]){where}.": "`{name}` 必须是一个表（[{name}]）{where}。",
    "{name} is not valid TOML: {detail}.{hint}": "TOML 语法有误（{name}）：{detail}。{hint}",
    " Line {line} holds full-width punctuation ({said}): TOML needs the ASCII ones; switch "
    "the input method to half-width (半角) and type them again.":
        "第{line}行含有全角标点（{said}）：TOML 需要 ASCII 标点；请把输入法切换到半角，"
        "重新输入。",
    "{typed} for {ascii}": "{typed} 应为 {ascii}",
    " Line {line} names a table or key in Chinese: TOML's names are the English ones "
    "(`[goal]`, `budget`); Chinese goes in quoted values and # comments.":
        "第{line}行用中文写了表名或键名：TOML 中的名称须用英文（如 `[goal]`、`budget`）；"
        "中文只能写在带引号的值和 # 注释中。",
    "no variant {name!r} in the scenario (variants: none).":
        "场景中没有方案变体 {name!r}（没有任何方案变体）。",
    "no variant {name!r} in the scenario (variants: {names}).":
        "场景中没有方案变体 {name!r}（现有方案变体：{names}）。",
    "variant {name!r}: {error}{where}.": "方案变体 {name!r}：{error}{where}。",
    "unknown key `{key}`{where}.{hint} See `aedplan init` for every key.":
        "未知的键 `{key}`{where}。{hint}运行 `aedplan init` 可查看所有的键。",
    "variant {variant!r}: unknown key `{key}`{where}.{hint} See `aedplan init` for every "
    "key.":
        "方案变体 {variant!r}：未知的键 `{key}`{where}。{hint}运行 `aedplan init` 可查看"
        "所有的键。",
    " Did you mean `{close}`?": "是否应为 `{close}`？",
    "{error}{where}.": "{error}{where}。",
    "variants are written as [[variant]] tables{where}.":
        "方案变体要写成 [[variant]] 表{where}。",
    "[[variant]] number {i} needs a `name`{where}.": "第{i}个 [[variant]] 需要 `name`{where}。",
    "two variants are called {name!r}; give each its own name.":
        "有两个方案变体都叫 {name!r}；请给每个方案变体起不同的名字。",
    "scenario file not found: {path}. Write one with `aedplan init > scenario.toml`.":
        "找不到场景文件：{path}。可以用 `aedplan init > scenario.toml` 生成一个。",
    "{name} is not UTF-8 text; save it as UTF-8.": "{name} 不是 UTF-8 文本；请另存为 UTF-8。",
    "the scenario": "场景文本",
    " ({name}, line {line})": "（{name}，第{line}行）",
    " ({name})": "（{name}）",
    # aedplan/plan.py
    "`demand` has no rows: there is nothing to cover. Pass the demand points of the area "
    "(buildings, street length, people).":
        "`demand` 没有数据行：没有需要覆盖的对象。请传入该区域的需求点（建筑、街道长度、人口）。",
    # aedplan/render.py
    "`m` must be a map made by aedplan.render_map, got a {kind}.":
        "`m` 必须是由 aedplan.render_map 生成的地图，实际为 {kind}。",
    # aedplan/pipeline.py
    "`scenario` must be an aedplan.Scenario, got a {kind}: read a file with "
    "Scenario.from_toml(path), a dict with Scenario.from_dict(data).":
        "`scenario` 必须是 aedplan.Scenario，实际为 {kind}：文件请用 Scenario.from_toml(path) "
        "读取，字典请用 Scenario.from_dict(data) 构建。",
    "the scenario has variants ({names}): plan them all with aedplan.compare(scenario), or "
    "one with aedplan.run(scenario.variant(name)).":
        "场景中有方案变体（{names}）：请用 aedplan.compare(scenario) 规划全部方案变体，或用 "
        "aedplan.run(scenario.variant(name)) 规划其中一个。",
    "the scenario has no [[variant]] tables: plan it with aedplan.run(scenario).":
        "场景中没有 [[variant]] 表：请用 aedplan.run(scenario) 规划。",
    "`district_maps` draws one map per district: give the districts too (`districts`: a "
    "file of polygons with a name, or `osm`).":
        "`district_maps` 为每个分区绘制一张地图：请同时给出分区（`districts`：带名称的多边形"
        "文件，或 `osm`）。",
    "give one of `budget`, `target_coverage`, `target_density`; got {goals}.":
        "`budget`、`target_coverage`、`target_density` 只能给出一个；实际同时给出了 {goals}。",
    "`target_density` counts AEDs per 100,000 people, so the demand must be people: pass "
    "`demand` a population grid (a GeoTIFF such as WorldPop's, or polygons with a "
    "population column).":
        "`target_density` 按每10万人的AED数计，因此需求必须是人口：请为 `demand` 提供人口格网（如 "
        "WorldPop 的 GeoTIFF 栅格，或带人口列的多边形）。",
    "`demand`: no demand point lies inside the study area; check the files cover the same "
    "place, or use `demand='network'`.":
        "`demand`：研究区域内没有需求点；请检查各文件是否覆盖同一地区，或使用 "
        "`demand='network'`。",
    "`candidates`: no candidate site is left (none inside the study area, or all are "
    "existing AEDs); try `candidates='nodes'`.":
        "`candidates`：已没有可用的候选点位（研究区域内没有候选点位，或候选点位上都已有AED）；"
        "请试试 `candidates='nodes'`。",
    "`target_density` counts AEDs per 100,000 people, but `demand` is not a population grid "
    "(raster, or polygons with a population column).":
        "`target_density` 按每10万人的AED数计，但 `demand` 不是人口格网（栅格，"
        "或带人口列的多边形）。",
    # aedplan/outputs.py
    "`out`: {target} holds results of an earlier run ({files}); pass `overwrite=True` to "
    "replace them, or choose another `out`.":
        "`out`：{target} 中有之前运行的结果（{files}）；如要替换，请指定 `overwrite=True`，"
        "或另选 `out`。",
    "`out` is empty; give a folder for the results, e.g. `out='aedplan-out'`.":
        "`out` 为空；请给出存放结果的文件夹，例如 `out='aedplan-out'`。",
    "`out`: {target} exists and is not a folder; choose another `out`.":
        "`out`：{target} 已存在且不是文件夹；请另选 `out`。",
    "`out`: cannot create {target}: {existing} is a file, not a folder; choose another "
    "`out`.":
        "`out`：无法创建 {target}：{existing} 是文件，不是文件夹；请另选 `out`。",
    "`out`: cannot use {target}: a name in it is too long for the file system (at most 255 "
    "bytes a name); choose a shorter `out`.":
        "`out`：无法使用 {target}：其中有名称超出了文件系统的长度限制（每个名称最多255字节）；"
        "请选择更短的 `out`。",
    "`out`: cannot write {target}: {existing} takes no new files ({reason}); choose a folder "
    "you can write, e.g. `out='aedplan-out'` in your home folder.":
        "`out`：无法写入 {target}：{existing} 中不能新建文件（{reason}）；"
        "请选择有写入权限的文件夹，例如主目录下的 `out='aedplan-out'`。",
    "{start}...{end} ({n} characters)": "{start}...{end}（共{n}个字符）",
    "`out`: another aedplan run (process {pid} on {host}) is writing into {target}; wait for "
    "it to finish, or choose another `out`. (If no run is writing there, remove {lock}.)":
        "`out`：另一个 aedplan 任务（{host} 上的进程 {pid}）正在写入 {target}；请等它完成，或另选 "
        "`out`。（如果实际上没有任务在写入，请删除 {lock}。）",
    "`out`: writing into {target} failed: {reason}{where}; nothing was written, and an "
    "earlier run's files are as they were{stuck}. {fix}":
        "`out`：写入 {target} 失败：{reason}{where}；没有写入任何文件，之前运行的文件保持"
        "原样{stuck}。{fix}",
    "; the staging folder {left} could not be removed: remove it yourself":
        "；暂存文件夹 {left} 无法删除：请自行删除",
    "Free some space, or choose another `out`.": "请腾出一些空间，或另选 `out`。",
    "Choose a folder you can write as `out`.": "请选择有写入权限的文件夹作为 `out`。",
    "Choose a shorter `out`.": "请选择更短的 `out`。",
    "Choose another `out`.": "请另选 `out`。",
    # aedplan/cli.py
    "`path`: {path} exists; pass --overwrite to replace it.":
        "`path`：{path} 已存在；如要替换，请加上 --overwrite。",
    "give exactly one of `--train-until` YYYY-MM-DD (train on the arrests up to that day) or "
    "`--folds` K (K blocks of time).":
        "请只给出 `--train-until` YYYY-MM-DD（用截至当天的心脏骤停训练）与 `--folds` K"
        "（K 个时间段轮流留出）中的一个。",
    "`--budgets` must be whole numbers separated by commas, got {got!r}.":
        "`--budgets` 必须是以逗号分隔的整数，实际为 {got!r}。",
    "give one of `--budget`, `--target-coverage`.":
        "请给出 `--budget` 或 `--target-coverage` 之一（只给一个）。",
    # aedplan/comparison.py
    "two variants' names give the same folder name ({folders}); give them names that differ "
    "in letters.":
        "有两个方案变体的名称对应同一个文件夹名（{folders}）；"
        "请让它们的名称在文字上有所不同（仅空格或标点不同不算）。",
    "`out`: {folder} holds files aedplan did not write ({files}); choose another `out`.":
        "`out`：{folder} 中有不是 aedplan 写入的文件（{files}）；请另选 `out`。",
    "`out`: {folder} holds results of an earlier run; pass `overwrite=True` to replace "
    "them, or choose another `out`.":
        "`out`：{folder} 中有之前运行的结果；如要替换，请指定 `overwrite=True`，或另选 `out`。",
    # aedplan/_validate.py
    "{problem}": "{problem}",
    "{problems}": "{problems}",
    "{n} problems with the input: {problems}": "输入有{n}处问题：{problems}",
    "({k}) {problem}.": "（{k}）{problem}。",
    "`minutes` must be a positive number of minutes, got {minutes!r}":
        "`minutes` 须为正的分钟数，实际为 {minutes!r}",
    "`mode` must be 'round-trip' (fetch the AED and come back) or 'one-way' (the AED is "
    "carried from its site to the patient), got {mode!r}":
        "`mode` 须为 'round-trip'（往返：去取AED再回到患者身边）或 'one-way'（单程："
        "把AED从其所在位置送到患者身边），实际为 {mode!r}",
    "`speed_m_s` must be a positive walking speed in m/s (1.4 is a walk, about 2.0 a hurried "
    "walk), got {speed!r}":
        "`speed_m_s` 须为正的步行速度，单位米/秒（步行约1.4，快走约2.0），实际为 {speed!r}",
    "`speed_m_s` is {speed} m/s, faster than a sprinter; give the speed in metres per "
    "second, not km/h":
        "`speed_m_s` 为{speed}米/秒，比短跑运动员还快；请以米/秒而不是公里/小时给出速度",
    "'{choice}' ({meaning})": "'{choice}'（{meaning}）",
    "`{name}` must be {options} or {last}, got {value!r}.":
        "`{name}` 须为 {options}或 {last}，实际为 {value!r}。",
    "`{name}` must be {options}, got {value!r}.": "`{name}` 须为 {options}，实际为 {value!r}。",
    "`{name}` must be a non-negative number, got {value!r}":
        "`{name}` 须为非负数，实际为 {value!r}",
    "`{name}` must be a positive number, got {value!r}": "`{name}` 须为正数，实际为 {value!r}",
    "`{name}`: {file} has no CRS, so its coordinates cannot be placed; set it in the file "
    "(e.g. `ogr2ogr -a_srs EPSG:4326 fixed.gpkg {file}` if they are lon/lat).":
        "`{name}`：{file} 没有坐标参考系（CRS），无法确定其坐标的位置；请在文件中设定（如坐标"
        "是经纬度，可用 `ogr2ogr -a_srs EPSG:4326 fixed.gpkg {file}`）。",
    "`{name}` has no CRS; set it with `{name}.set_crs('EPSG:4326')` if the coordinates are "
    "lon/lat.":
        "`{name}` 没有坐标参考系（CRS）；如坐标是经纬度，请用 `{name}.set_crs('EPSG:4326')` "
        "设定。",
    "`A` must be a 2-D demand x site matrix, got {ndim} dimensions":
        "`A` 须为需求点×点位的二维矩阵，实际为{ndim}维",
    "`A` must be a 2-D demand x site matrix, could not read it ({detail})":
        "`A` 须为需求点×点位的二维矩阵，无法读取（{detail}）",
    "`A` must be a 2-D demand x site matrix (scipy.sparse or numpy), got an object array":
        "`A` 须为需求点×点位的二维矩阵（scipy.sparse 或 numpy），实际为 object 数组",
    "`A` must be a 2-D demand x site matrix (scipy.sparse or numpy), got {ndim} dimensions":
        "`A` 须为需求点×点位的二维矩阵（scipy.sparse 或 numpy），实际为{ndim}维",
    "`A` must hold booleans (or 0/1), got dtype {dtype}":
        "`A` 须为布尔值（或0/1），实际 dtype 为 {dtype}",
    "`A` must be a boolean coverage matrix (True/1 where a site covers a demand point), but "
    "{n:,} entries are neither 0 nor 1 (e.g. {value!r}). If it is a cost matrix, threshold "
    "it first, e.g. `A = walk_s <= 240`":
        "`A` 须为布尔覆盖矩阵（点位覆盖需求点处为 True/1），但有{n:,}个元素既不是0也不是1"
        "（如 {value!r}）。如果它是成本矩阵，请先按阈值转换，如 `A = walk_s <= 240`",
    "`{name}` could not be read as an array ({detail})": "`{name}` 无法读取为数组（{detail}）",
    "`{name}` must have one value per demand point ({n:,}, the rows of `A`), got shape "
    "{shape}":
        "`{name}` 须为每个需求点一个值（{n:,}个，即 `A` 的行数），实际形状为 {shape}",
    "`{name}` must have one value per demand point, got shape {shape}":
        "`{name}` 须为每个需求点一个值，实际形状为 {shape}",
    "`{name}` must be numeric, got dtype {dtype}": "`{name}` 须为数值，实际 dtype 为 {dtype}",
    "`{name}` must be finite, but {n:,} values are NaN or inf (first at index {i}: {value}); "
    "use 0 for demand that should not count":
        "`{name}` 须为有限值，但有{n:,}个值为 NaN 或 inf（第一个在索引{i}处：{value}）；"
        "不应计入的需求请用0",
    "`{name}` must be >= 0, but {count:,} values are negative (first at index {i}: "
    "{value}); use 0 for demand that should not count":
        "`{name}` 须 >= 0，但有{count:,}个值为负（第一个在索引{i}处：{value}）；不应计入的"
        "需求请用0",
    "`{name}` must be booleans (True where demand is already covered), but index {i} holds "
    "{value}":
        "`{name}` 须为布尔值（需求已被覆盖处为 True），但索引{i}处为 {value}",
    "`{name}` must be whole numbers >= 0 (existing AEDs in reach of each demand point), but "
    "index {i} holds {value}":
        "`{name}` 须为 >= 0 的整数（每个需求点可及范围内的现有AED数），但索引{i}处为 {value}",
    "`{name}` could not be read as an array of site indices ({detail})":
        "`{name}` 无法读取为点位索引数组（{detail}）",
    "`{name}` must hold whole column indices of `A`, got dtype {dtype}":
        "`{name}` 须为 `A` 的整数列索引，实际 dtype 为 {dtype}",
    "`{name}` must be column indices of `A` in 0..{last}, got values from {low} to {high}":
        "`{name}` 须为 `A` 在 0..{last} 范围内的列索引，实际取值从{low}到{high}",
    "`{name}` lists a site more than once; give each fixed site once":
        "`{name}` 中有点位重复列出；每个固定点位请只列一次",
    "; pass {whole}": "；请用 {whole}",
    "`{name}` must be a whole number of new sites >= 0, got {value!r} ({kind}){hint}":
        "`{name}` 须为 >= 0 的整数（新增点位数），实际为 {value!r}（{kind}）{hint}",
    "; for {value}% pass {share:g}": "；如指{value}%，请用 {share:g}",
    "`{name}` must be a share of the total demand weight in (0, 1], got {value!r}{hint}":
        "`{name}` 须为占总需求权重的比例，取值在 (0, 1] 内，实际为 {value!r}{hint}",
    "a relative gap in [0, {below:g}) (0 = prove optimality)":
        "取值在 [0, {below:g}) 内的相对最优间隙（0 表示须证明最优）",
    "`{name}` must be {meaning}, got {value!r}": "`{name}` 须为{meaning}，实际为 {value!r}",
    # aedplan/_validate.py: what the choices of one_of mean (plan.py, hours.py, basemaps.py,
    # circles.py)
    "the coverage a patient gets round the clock": "全天覆盖率，即患者在一周各时段实际可得的覆盖",
    "every AED counted public and open 24/7": "每台AED均按公众可用、全天开放计",
    "a public cabinet open round the clock": "全天对公众开放的AED柜",
    "the candidate's own opening_hours": "候选点位自身的 opening_hours",
    "an AED without readable hours counts as open": "开放时间无法识别的AED按开放计",
    "it counts as closed": "按关闭计",
    "OpenStreetMap's own tiles (the default)": "OpenStreetMap 官方底图，为默认项",
    "天地图 Tianditu, China's national map service (needs a key)":
        "天地图，国家地理信息公共服务平台，需要密钥",
    "高德 Amap/AutoNavi, in GCJ-02: every layer is shifted to match it":
        "高德地图，GCJ-02 坐标：其他图层都会相应偏移以与之对齐",
    "no tiles: streets and results only, for an offline or printed map":
        "不用底图：只绘制街道和结果，适用于离线或打印的地图",
    "exact, follows the time model": "精确，按时间模型计算",
    "the tutorial recipe, for comparison": "教程中的做法，用于对比",
    # aedplan/moves.py
    "{floors} needs `districts` (polygons with a name, or 'osm' for the OSM file's "
    "administrative areas).":
        "{floors} 需要 `districts`（带名称的多边形，或用 'osm' 表示 OSM 文件中的行政区域）。",
    "{floors} need `districts` (polygons with a name, or 'osm' for the OSM file's "
    "administrative areas).":
        "{floors} 需要 `districts`（带名称的多边形，或用 'osm' 表示 OSM 文件中的行政区域）。",
    "`movable` says which AEDs `relocate` may move; give `relocate` (how many), or leave "
    "`movable` out.":
        "`movable` 指定 `relocate` 可以移动哪些AED；请给出 `relocate`（移动几台），或不要指定 "
        "`movable`。",
    "{asked} needs a `budget` of new AEDs (0 allowed), not `{target}`.":
        "{asked} 需要用 `budget` 给出新增AED数（可为0），而不是 `{target}`。",
    "{asked} need a `budget` of new AEDs (0 allowed), not `{target}`.":
        "{asked} 需要用 `budget` 给出新增AED数（可为0），而不是 `{target}`。",
    "{asked} needs the exact solver; drop `solver='greedy'`.":
        "{asked} 需要精确求解器；请去掉 `solver='greedy'`。",
    "{asked} need the exact solver; drop `solver='greedy'`.":
        "{asked} 需要精确求解器；请去掉 `solver='greedy'`。",
    "`movable`: 'restricted' needs the AEDs' access (pass `hours`, the AEDs' Availability).":
        "`movable`：'restricted' 需要知道各AED的使用权限（请指定 `hours`，即AED的 "
        "Availability）。",
    "`movable`: 'all', 'restricted' or booleans per AED, got {which!r}.":
        "`movable`：应为 'all'、'restricted' 或每台AED一个布尔值，实际为 {which!r}。",
    "`movable`: one boolean per AED ({n:,}), got shape {shape}.":
        "`movable`：应为每台AED一个布尔值（{n:,}个），实际形状为 {shape}。",
    "{name} (at most {best:.1%})": "{name}（最多{best:.1%}）",
    "`min_district_coverage`: {n:,} district(s) cannot reach {floor:.1%} even with an AED "
    "at every candidate site: {districts}; lower the floor or add candidate sites there.":
        "`min_district_coverage`：即使每个候选点位都设AED，仍有{n:,}个分区达不到{floor:.1%}："
        "{districts}；请降低下限，或在这些分区增加候选点位。",
    "`min_per_community`: {name} has {n:,} candidate sites, too few to hold {floor} AEDs "
    "with today's; add candidate sites there.":
        "`min_per_community`：{name} 只有{n:,}个候选点位，连同现有AED也不足{floor}台；"
        "请在该社区增加候选点位。",
    "`budget`: too few new AEDs to keep every district's floor at once "
    "(`min_district_coverage`/`min_per_community`); raise the budget or lower the floor.":
        "`budget`：新增AED太少，无法同时满足每个分区的下限（`min_district_coverage`/"
        "`min_per_community`）；请提高预算或降低下限。",
    # aedplan/candidates.py
    "`source`: POIs are read from an OpenStreetMap file ({suffixes}); got {source}. For "
    "your own list of sites use `candidates_from_points`.":
        "`source`：POI 从 OpenStreetMap 文件（{suffixes}）中读取；实际为 {source}。"
        "如要使用自己的点位列表，请用 `candidates_from_points`。",
    "a {kind}": "{kind}",
    "`source`: {name} has no POIs with the tags {tags}. Use street nodes "
    "(`candidates='nodes'`, `candidates_from_network`) or buildings as candidates instead.":
        "`source`：{name} 中没有带标签 {tags} 的 POI。请改用街道节点（`candidates='nodes'`、"
        "`candidates_from_network`）或建筑作为候选点位。",
    "`source`: {name} has no POIs inside `clip` with the tags {tags}. Use street nodes "
    "(`candidates='nodes'`, `candidates_from_network`) or buildings as candidates instead.":
        "`source`：{name} 在 `clip` 范围内没有带标签 {tags} 的 POI。请改用街道节点"
        "（`candidates='nodes'`、`candidates_from_network`）或建筑作为候选点位。",
    "{tags} and {n} more": "{tags}等（另有{n}个）",
    "`tags`: expected {{(key, value): kind}} or (key, value) pairs of non-empty strings, "
    "e.g. {{('amenity', 'pharmacy'): 'pharmacy'}}; {got}.":
        "`tags`：应为 {{(key, value): kind}} 或由非空字符串组成的 (key, value) 对，如 "
        "{{('amenity', 'pharmacy'): 'pharmacy'}}；{got}。",
    "got {items}": "实际为 {items}",
    "got nothing": "实际为空",
    "`features`: none has the tags {tags}. Use street nodes (`candidates='nodes'`) or "
    "buildings as candidates instead.":
        "`features`：没有一个要素带有标签 {tags}。请改用街道节点（`candidates='nodes'`）或"
        "建筑作为候选点位。",
    "Use street nodes as candidates instead (`candidates='nodes'`, "
    "`candidates_from_network(net)`).":
        "请改用街道节点作为候选点位（`candidates='nodes'`、`candidates_from_network(net)`）。",
    "`min_area_m2`: none of the {n:,} buildings has a footprint of {min_area:g} m² or more "
    "(the largest has {largest:,.0f} m²). Lower `min_area_m2`.":
        "`min_area_m2`：{n:,}栋建筑中没有一栋的占地面积达到{min_area:g}平方米（最大的为"
        "{largest:,.0f}平方米）。请降低 `min_area_m2`。",
    "`net`: expected a WalkNetwork (from `aedplan.network.load_network`), got {kind}.":
        "`net`：应为 WalkNetwork（由 `aedplan.network.load_network` 得到），实际为 {kind}。",
    "`source`: {name} is an OpenStreetMap file; read its places with "
    "`candidates_from_pois` (`candidates='pois'`).":
        "`source`：{name} 是 OpenStreetMap 文件；请用 `candidates_from_pois`"
        "（`candidates='pois'`）读取其中的地点。",
    "`{name}`: expected a GeoDataFrame, got {kind}.":
        "`{name}`：应为 GeoDataFrame，实际为 {kind}。",
    # aedplan/coverage.py
    "`time_s` and `weights` must have the same length, got {n_time} and {n_weights}.":
        "`time_s` 和 `weights` 长度须相同，实际分别为{n_time}和{n_weights}。",
    "`weights` must have one value per demand point ({n}), got {shape}.":
        "`weights` 须为每个需求点一个值（{n}个），实际形状为 {shape}。",
    "`weights` must be finite and non-negative.": "`weights` 须为有限的非负数。",
    "`available` must have one row per AED ({n}) and one column per hour of the week (168) "
    "or an Availability's slots, got shape {shape}.":
        "`available` 须为每台AED一行（{n}行）、一周每小时一列（168列）或每个 Availability "
        "时段一列，实际形状为 {shape}。",
    # aedplan/reach.py
    "`minutes`: within {minutes:g} minutes the {n_s:,} {sources} and {n_t:,} {targets} make "
    "about {pairs:,.0f} pairs ({size}), more than the {room} this machine can spare for "
    "them. A rescue circle is a few minutes: use a smaller `minutes`, a smaller area "
    "(`bbox`) or fewer {sources} (`candidates`).":
        "`minutes`：在{minutes:g}分钟内，{n_s:,}个{sources}与{n_t:,}个{targets}约构成"
        "{pairs:,.0f}对（{size}），超过本机能为其留出的 {room}。救护圈只有几分钟：请减小 "
        "`minutes`、缩小区域（`bbox`）或减少{sources}（`candidates`）。",
    "sites": "点位",
    "demand points": "需求点",
    "sources": "起点",
    "targets": "终点",
    # aedplan/_geo.py
    "no located point to choose a UTM zone from; pass `crs` explicitly.":
        "没有已定位的点可用来选择 UTM 分带；请明确指定 `crs`。",
    "no UTM zone found for the data's area; pass `crs` explicitly.":
        "找不到适合数据所在区域的 UTM 分带；请明确指定 `crs`。",
    "the geometries have no CRS; set one with `.set_crs(...)`.":
        "这些几何对象没有坐标参考系（CRS）；请用 `.set_crs(...)` 设定。",
    "`crs`: expected a projected CRS in metres, got {crs} (geographic). Leave `crs` unset "
    "to use the local UTM zone.":
        "`crs`：应为以米为单位的投影坐标系，实际为 {crs}（地理坐标系）。不指定 `crs` 即使用"
        "当地的 UTM 分带。",
    "west < east within [-180, 180] (got west={west}, east={east})":
        "西 < 东 且都在 [-180, 180] 内（实际 西={west}，东={east}）",
    "south < north within [-90, 90] (got south={south}, north={north})":
        "南 < 北 且都在 [-90, 90] 内（实际 南={south}，北={north}）",
    "`{argument}`: expected a bbox (west, south, east, north) in degrees with {problems}. "
    "The order is west, south, east, north (lon, lat, lon, lat): are lon and lat swapped?":
        "`{argument}`：应为以度为单位的范围框（西、南、东、北），须满足：{problems}。"
        "顺序是西、南、东、北（经度、纬度、经度、纬度）：经纬度是否填反了？",
    "`{argument}`: expected a bbox (west, south, east, north) in degrees with {problems}. "
    "The order is west, south, east, north (lon, lat, lon, lat).":
        "`{argument}`：应为以度为单位的范围框（西、南、东、北），须满足：{problems}。"
        "顺序是西、南、东、北（经度、纬度、经度、纬度）。",
    "`{argument}`: expected a bbox (west, south, east, north) or a shapely polygon in "
    "EPSG:4326, got {kind}.":
        "`{argument}`：应为范围框（西、南、东、北）或 EPSG:4326 下的 shapely 多边形，"
        "实际为 {kind}。",
    # aedplan/_spread.py
    "`area` is empty; pass the study area's polygon in EPSG:4326.":
        "`area` 为空；请给出 EPSG:4326 下的研究区域多边形。",
    "`area`: expected lon/lat in EPSG:4326, got bounds ({west:g}, {south:g}, {east:g}, "
    "{north:g}). Is it in metres? Convert it with "
    "`geopandas.GeoSeries([area], crs=...).to_crs(4326).iloc[0]`.":
        "`area`：应为 EPSG:4326 下的经纬度，实际范围为 ({west:g}, {south:g}, {east:g}, "
        "{north:g})。是否以米为单位？请用 "
        "`geopandas.GeoSeries([area], crs=...).to_crs(4326).iloc[0]` 转换。",
    "`area` is not a valid polygon ({reason}). Repair it with `shapely.make_valid(area)`.":
        "`area` 不是有效的多边形（{reason}）。请用 `shapely.make_valid(area)` 修复。",
    # aedplan/maplayers.py
    "`content` must be the result of aedplan.run (a PlanRun), a SitePlan from plan_sites, "
    "or MapLayers; got {kind}.":
        "`content` 须为 aedplan.run 的结果（PlanRun）、plan_sites 得到的 SitePlan 或 "
        "MapLayers；实际为 {kind}。",
    "`{name}` must be a GeoDataFrame with a geometry column, got {kind}":
        "`{name}` 须为带几何列的 GeoDataFrame，实际为 {kind}",
    "{problems}.": "{problems}。",
    "{layers} has no CRS: set it with `.set_crs('EPSG:4326')` if the coordinates are "
    "lon/lat, or with the projected CRS they were computed in (`net.crs`).":
        "{layers} 没有坐标参考系（CRS）：如坐标是经纬度，请用 `.set_crs('EPSG:4326')` 设定，"
        "否则请设为计算它们时所用的投影坐标系（`net.crs`）。",
    "{layers} have no CRS: set it with `.set_crs('EPSG:4326')` if the coordinates are "
    "lon/lat, or with the projected CRS they were computed in (`net.crs`).":
        "{layers} 没有坐标参考系（CRS）：如坐标是经纬度，请用 `.set_crs('EPSG:4326')` 设定，"
        "否则请设为计算它们时所用的投影坐标系（`net.crs`）。",
    # aedplan/snapping.py
    "`{argument}`: expected a GeoDataFrame of points or an (n, 2) array of x/y in the "
    "network CRS, got {kind} of shape {shape}.":
        "`{argument}`：应为点的 GeoDataFrame，或路网坐标系下 x/y 的 (n, 2) 数组，实际为形状 "
        "{shape} 的 {kind}。",
    "`{argument}`: expected a GeoDataFrame of points or an (n, 2) array of x/y in the "
    "network CRS, got {kind}.":
        "`{argument}`：应为点的 GeoDataFrame，或路网坐标系下 x/y 的 (n, 2) 数组，实际为 "
        "{kind}。",
    "`{argument}`: {n:,} rows have no place (a missing or empty geometry, or coordinates "
    "that are not numbers; ids {ids}); drop them or give them coordinates.":
        "`{argument}`：{n:,}行无位置信息（几何缺失或为空，或坐标不是数字；编号 {ids}）；"
        "请删除这些行或补上坐标。",
    "`{argument}`: {n:,} row has no place (a missing or empty geometry, or coordinates that "
    "are not numbers; ids {ids}); drop them or give them coordinates.":
        "`{argument}`：{n:,}行无位置信息（几何缺失或为空，或坐标不是数字；编号 {ids}）；"
        "请删除该行或补上坐标。",
    "`{argument}`: access_s must be a non-negative number of seconds; bad values at ids "
    "{ids}.":
        "`{argument}`：access_s 须为非负的秒数；以下编号的值有误：{ids}。",
    "`col` and `row` must be as long as each other, got {n_col:,} and {n_row:,}.":
        "`col` 和 `row` 长度须相同，实际分别为{n_col:,}和{n_row:,}。",
    "`col`, `row`: a lattice place more than 2**29 steps from the origin of the CRS; use a "
    "larger `step_m`.":
        "`col`、`row`：有格点距坐标系原点超过 2**29 步；请用更大的 `step_m`。",
    "`size` must be one of {sizes} places, got {size!r}.":
        "`size` 须为 {sizes} 之一（格点数），实际为 {size!r}。",
    "`{argument}`: {n_far} of {n} points are more than {max_snap_m:g} m from any street of "
    "the network (ids {listed}). Are lon/lat swapped, are the coordinates in another datum "
    "(GCJ-02/BD-09: pass `datum`), or do the points lie outside the network's area?":
        "`{argument}`：{n}个点中有{n_far}个距路网中任何街道都超过{max_snap_m:g}米（编号 "
        "{listed}）。是经纬度填反了，坐标属于另一坐标系（GCJ-02/BD-09：请指定 `datum`），"
        "还是这些点位于路网范围之外？",
    # aedplan/tasks.py
    "{what} failed on the cluster, also when retried: {kind}: {detail}. Nothing was "
    "written.":
        "{what}在集群上执行失败，重试后仍失败：{kind}：{detail}。没有写入任何内容。",
    "reading the network": "读取路网",
    "a part's coverage": "某一分块的覆盖计算",
    "a group's curve": "某一组的覆盖曲线",
    "a group's exact plan": "某一组的精确规划",
    "`{first}`/`{second}`: give one (a local cluster of `workers` processes, the address of "
    "a running `scheduler`, or a `client`), not both.":
        "`{first}`/`{second}`：只能给出一个（本地集群的 `workers` 进程数、正在运行的 "
        "`scheduler` 的地址，或一个 `client`），不能同时给出。",
    "`workers`/`scheduler`: running on a Dask cluster needs Dask's distributed scheduler: "
    '`pip install "aedplan[cluster]"`. Without them the parts run here.':
        "`workers`/`scheduler`：在 Dask 集群上运行需要 Dask 的 distributed 调度器："
        '`pip install "aedplan[cluster]"`。不指定 `workers`/`scheduler` 时，各分块在本机运行。',
    "`scheduler`: cannot reach a Dask scheduler at {scheduler!r} ({kind}: {detail}); give "
    "its address as tcp://host:8786, or use `workers` for a local cluster.":
        "`scheduler`：无法连接位于 {scheduler!r} 的 Dask 调度器（{kind}：{detail}）；请以 "
        "tcp://host:8786 的形式给出其地址，或用 `workers` 启动本地集群。",
    "`memory_per_worker`: {size!r} is not a size; give one like 6GB or 500MB.":
        "`memory_per_worker`：{size!r} 不是内存大小；请写成 6GB 或 500MB 这样的形式。",
    # aedplan/province.py
    "`osm`: file not found: {osm}.": "`osm`：找不到文件：{osm}。",
    "`target_coverage`: {goal:.1%} of the demand cannot be reached; with every street node "
    "an AED, coverage is {most:.1%}.":
        "`target_coverage`：无法覆盖{goal:.1%}的需求；即使每个街道节点都设AED，覆盖率也只有"
        "{most:.1%}。",
    "`time_limit`: {seconds:g} s ran out while the parts' coverage was computed ({done} of "
    "{n} parts done); there is no plan yet and nothing was written. Give a longer time limit "
    "or more workers.":
        "`time_limit`：计算各分块的覆盖时{seconds:g}秒已用完（{n}个分块中完成了{done}个）；"
        "尚无规划，也没有写入任何内容。请给出更长的时间限制或更多工作进程。",
    "`budget`/`target_coverage`: give one: a number of new AEDs, or a share of the demand "
    "to cover (e.g. 0.9).":
        "`budget`/`target_coverage`：请给出其中一个：新增AED的数量，或要覆盖的需求比例"
        "（如0.9）。",
    "`budget`: must be >= 0, got {budget}.": "`budget`：须 >= 0，实际为 {budget}。",
    "`target_coverage`: a share of the demand in (0, 1], e.g. 0.9; got {target}.":
        "`target_coverage`：应为 (0, 1] 范围内的需求比例，如0.9；实际为 {target}。",
    # aedplan/plan.py
    "`{name}` must be a GeoDataFrame, got {kind}.":
        "`{name}` 须为 GeoDataFrame，实际为 {kind}。",
    "give exactly one of `budget` (how many new AEDs) and `target_coverage` (share of "
    "demand to cover); got budget={budget!r}, target_coverage={target!r}.":
        "请在 `budget`（新增几台AED）和 `target_coverage`（要覆盖的需求比例）中恰好给出一个；"
        "实际为 budget={budget!r}，target_coverage={target!r}。",
    "`matrix` must be the coverage matrix of `demand` by `candidates`, of shape {shape}; "
    "got {got}.":
        "`matrix` 须为 `demand` 对 `candidates` 的覆盖矩阵，形状为 {shape}；实际为 {got}。",
    "`hours` must be the Availability of the {n} AEDs (aedplan.hours.availability(aeds)), "
    "got {kind} of {got} AEDs.":
        "`hours` 须为这{n}台AED的 Availability（aedplan.hours.availability(aeds)），实际为"
        "{got}台AED的 {kind}。",
    "`hours` must be the Availability of the {n} AEDs (aedplan.hours.availability(aeds)), "
    "got {kind}.":
        "`hours` 须为这{n}台AED的 Availability（aedplan.hours.availability(aeds)），实际为 "
        "{kind}。",
    "`before` must be the CoverageStats of `coverage_today`, got {kind}.":
        "`before` 须为 `coverage_today` 得到的 CoverageStats，实际为 {kind}。",
    "it has {n:,} demand points, `demand` {given:,}":
        "它有{n:,}个需求点，而 `demand` 有{given:,}个",
    "it counts {n:,} AEDs, `aeds` {given:,}": "它计有{n:,}台AED，而 `aeds` 有{given:,}台",
    "it was made with {made!r}, the plan asks for {asked!r}":
        "它按 {made!r} 计算，而规划要求 {asked!r}",
    "`before` is not today's coverage of this demand by these AEDs: {problems}. Make it "
    "with `aedplan.coverage_today(net, demand, aeds)`.":
        "`before` 不是这些AED对这些需求点的现有覆盖：{problems}。请用 "
        "`aedplan.coverage_today(net, demand, aeds)` 生成。",
    # aedplan/optimise/_inputs.py
    "`solver` must be 'exact' or 'greedy', got {solver!r}":
        "`solver` 须为 'exact' 或 'greedy'，实际为 {solver!r}",
    "a number of seconds > 0": "大于0的秒数",
    "`threads` must be None (HiGHS decides) or an int >= 1, got {threads!r}":
        "`threads` 须为 None（由 HiGHS 决定）或 >= 1 的整数，实际为 {threads!r}",
    "in [0, 1] (a second AED in reach is worth at most the first)":
        "取值在 [0, 1] 内的数（可及范围内的第二台AED至多与第一台同样有用）",
    # aedplan/optimise/constrained.py
    "`existing` is {existing:,} but `A` has only {m:,} columns":
        "`existing` 为{existing:,}，但 `A` 只有{m:,}列",
    "`movable` must have one boolean per AED of today ({n:,}), got shape {shape}":
        "`movable` 须为每台现有AED一个布尔值（{n:,}个），实际形状为 {shape}",
    "`{name}` must be {size:,} integers (a group per row or column, -1 for none), got shape "
    "{shape} of {dtype}.":
        "`{name}` 须为{size:,}个整数（每行或每列一个组，-1 表示不属于任何组），实际为形状 "
        "{shape} 的 {dtype}。",
    "`min_group_coverage`: {n:,} group(s) cannot reach {floor:.1%} with every site (group "
    "{group}: at most {best:.1%}); lower it or add candidate sites.":
        "`min_group_coverage`：即使用上所有点位，仍有{n:,}个组达不到{floor:.1%}（组 {group}："
        "最多{best:.1%}）；请降低该下限或增加候选点位。",
    "`min_group_sites`: group {group} has {n:,} candidate sites for the {need:,} more AEDs "
    "it needs; add candidate sites there.":
        "`min_group_sites`：组 {group} 只有{n:,}个候选点位，而它还需要{need:,}台AED；"
        "请在该组内增加候选点位。",
    "`min_group_coverage`/`min_group_sites`: the budget cannot meet every group's floor at "
    "once; raise the budget or lower the floor.":
        "`min_group_coverage`/`min_group_sites`：预算无法同时满足每个组的下限；请提高预算或"
        "降低下限。",
    "no plan meets every group's floor within the time limit; raise `time_limit_s`, the "
    "budget, or lower the floor.":
        "在时间限制内没有找到满足每个组下限的规划；请提高 `time_limit_s` 或预算，或降低下限。",
    # aedplan/optimise/weekly.py
    "`profile` must have one weight per slot ({n}), got {got}.":
        "`profile` 须为每个时段一个权重（{n}个），实际为{got}个。",
    "`site_open` must be one row per site ({sites}) by one column per slot ({slots}), got "
    "{shape}.":
        "`site_open` 须为每个点位一行（{sites}行）、每个时段一列（{slots}列），实际形状为 "
        "{shape}。",
    # aedplan/optimise/min_sites.py
    "Lower the target to at most {most:.3f} or add candidate sites.":
        "请把目标降到不超过{most:.3f}，或增加候选点位。",
    "Add candidate sites near the demand (is `A` empty?).":
        "请在需求附近增加候选点位（`A` 是否为空？）。",
    "target coverage {target:g} is not reachable: with every one of the {m:,} candidate "
    "sites (existing AEDs included), {share:.1%} of demand weight is within reach. {fix}":
        "目标覆盖率{target:g}无法达到：即使用上全部{m:,}个候选点位（含现有AED），可及范围内"
        "的需求权重也只有{share:.1%}。{fix}",
    "target coverage {target:g} is not reachable: with every one of the {m:,} candidate "
    "sites, {share:.1%} of demand weight is within reach. {fix}":
        "目标覆盖率{target:g}无法达到：即使用上全部{m:,}个候选点位，可及范围内的需求权重也"
        "只有{share:.1%}。{fix}",
    # aedplan/optimise/_highs.py
    "HiGHS rejected the model (passModel failed); this is a bug in aedplan":
        "HiGHS 拒绝了该模型（passModel 失败）；这是 aedplan 的程序错误（bug）",
    "HiGHS stopped with model status {status!r}; the covering model is always feasible, so "
    "this is a solver failure. Try solver='greedy' or a longer time_limit_s.":
        "HiGHS 以模型状态 {status!r} 停止；覆盖模型总是可行的，因此这是求解器故障。请尝试 "
        "solver='greedy' 或更长的 time_limit_s。",
    "the HiGHS process ended without an answer ({why}); try solver='greedy', a longer "
    "time_limit_s or a smaller problem.":
        "HiGHS 进程未给出结果就结束了（{why}）；请尝试 solver='greedy'、更长的 time_limit_s "
        "或更小的问题。",
    "exit code {code}": "退出码 {code}",
}
ERRORS_ZH.update(DATA_ERRORS_ZH)  # reading and checking the input data
