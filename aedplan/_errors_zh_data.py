"""aedplan's errors about reading and checking the input data (files, tables, OSM,
networks, demand, opening hours), in Chinese: the English template an error is raised with
-> its Chinese (Simplified; :class:`aedplan._words.Words` converts them to Traditional).
Names in backticks, file names, code and values stay as they are."""

from __future__ import annotations

DATA_ERRORS_ZH: dict[str, str] = {
    # aedplan/_files.py
    "`{argument}`: {path} is a folder, not a file. Pass the path of a file.":
        "`{argument}`：{path} 是文件夹，不是文件。请给出文件的路径。",
    "`{argument}`: file not found: {path}. Check the path.":
        "`{argument}`：找不到文件：{path}。请检查路径。",
    "`{argument}`: {path} is not a file. Pass the path of a file.":
        "`{argument}`：{path} 不是文件。请给出文件的路径。",
    "`{argument}`: {name} is empty (0 bytes). Pass a file with data.":
        "`{argument}`：{name} 是空文件（0字节）。请提供有数据的文件。",
    "`{argument}`: cannot read {name}: unknown file type. Expected one of: {kinds}. Rename "
    "the file with the right suffix or convert it.":
        "`{argument}`：无法读取 {name}：未知的文件类型。应为以下之一：{kinds}。请把文件改为"
        "正确的后缀名，或转换格式。",
    "{kind} ({suffixes})": "{kind}（{suffixes}）",
    "OpenStreetMap file": "OpenStreetMap 文件",
    "CSV table or Excel sheet with lon/lat columns": "带经纬度列的 CSV 表格或 Excel 工作表",
    "GeoJSON, GeoPackage, Shapefile, FlatGeobuf or GeoParquet file":
        "GeoJSON、GeoPackage、Shapefile、FlatGeobuf 或 GeoParquet 文件",
    "GraphML street graph (saved by osmnx)": "GraphML 路网（由 osmnx 保存）",
    "raster (GeoTIFF)": "栅格（GeoTIFF）",
    "`layer`: {name} is GeoParquet, which has no layers. Drop it.":
        "`layer`：{name} 是 GeoParquet 文件，没有图层。请去掉 `layer`。",
    "`{argument}`: reading the GeoParquet file {name} needs pyarrow, which is not "
    'installed: `pip install "aedplan[parquet]"`.':
        "`{argument}`：读取 GeoParquet 文件 {name} 需要 pyarrow，但它没有安装："
        '`pip install "aedplan[parquet]"`。',
    "`{argument}`: cannot read {name} as GeoParquet: {detail}":
        "`{argument}`：无法按 GeoParquet 读取 {name}：{detail}",
    "`{argument}`: {name} has no features{layer}. Pass a file with data.":
        "`{argument}`：{name}{layer} 中没有要素。请提供有数据的文件。",
    " in layer {layer!r}": " 的图层 {layer!r}",
    "`{argument}`: cannot read {name}: {detail}": "`{argument}`：无法读取 {name}：{detail}",
    "`{argument}`: {name} has {n} layers ({layers}); pass `layer` to choose one.":
        "`{argument}`：{name} 有{n}个图层（{layers}）；请用 `layer` 指定其中一个。",
    "`layer`: {name} has no layer {layer!r}; its layers are: {layers}.":
        "`layer`：{name} 中没有图层 {layer!r}；它的图层有：{layers}。",
    "`{argument}`: {name} has no header and no rows. Pass a CSV with a header line (e.g. "
    "'id,lon,lat') and one row per point.":
        "`{argument}`：{name} 既没有表头也没有数据行。请提供有表头行（例如 'id,lon,lat'）、"
        "每个点一行的 CSV 文件。",
    "`{argument}`: {name} is not {codec} text ({reason}); pass `encoding` with the encoding "
    "it was saved in (e.g. 'gb18030', 'latin-1').":
        "`{argument}`：{name} 不是 {codec} 编码的文本（{reason}）；请用 `encoding` 指定它"
        "保存时所用的编码（例如 'gb18030'、'latin-1'）。",
    "`{argument}`: cannot parse {name} as CSV ({detail}). Check the separator and quoting.":
        "`{argument}`：无法按 CSV 解析 {name}（{detail}）。请检查分隔符和引号。",
    "`{argument}`: {name} has a header but no rows. Add one row per point.":
        "`{argument}`：{name} 有表头但没有数据行。请为每个点添加一行。",
    "`encoding`: {encoding!r} is not an encoding Python knows; try 'utf-8', 'gb18030' or "
    "'latin-1'.":
        "`encoding`：Python 不认识编码 {encoding!r}；请试试 'utf-8'、'gb18030' 或 'latin-1'。",
    "`{argument}`: {name} is not text in any encoding aedplan recognises; save it as CSV "
    "UTF-8, or pass `encoding`.":
        "`{argument}`：{name} 不是 aedplan 能识别的任何编码的文本；请另存为 CSV UTF-8，"
        "或指定 `encoding`。",
    "`{argument}`: reading the spreadsheet {name} needs openpyxl: `pip install openpyxl`.":
        "`{argument}`：读取电子表格 {name} 需要 openpyxl：`pip install openpyxl`。",
    "`{argument}`: cannot read {name} as an Excel workbook ({detail}); save it again from "
    "Excel, or as CSV UTF-8.":
        "`{argument}`：无法按 Excel 工作簿读取 {name}（{detail}）；请用 Excel 重新保存，"
        "或另存为 CSV UTF-8。",
    "`{argument}`: {name} has no table in any sheet. Add a header row and one row per "
    "point.":
        "`{argument}`：{name} 的各工作表中都没有表格。请添加一行表头，并为每个点添加一行。",
    "`{argument}`: {name} has {n} sheets with data and their columns differ ({columns}). "
    "Give the sheets of points the same header (they are then read as one table) and "
    "delete the others, or save the sheet of the points as CSV UTF-8 and pass that file.":
        "`{argument}`：{name} 有{n}个含数据的工作表，且各表的列不同（{columns}）。请让存放"
        "点位的各工作表使用相同的表头（这样会合并为一张表读取）并删除其他工作表，或把点位"
        "所在的工作表另存为 CSV UTF-8 后传入该文件。",
    "{sheet}: {names}": "{sheet}：{names}",
    # aedplan/demand.py
    "`weight` must be one of {modes} (floor area, or one per building), got {weight!r}.":
        "`weight` 必须是 {modes} 之一（楼面面积，或每栋建筑计1），实际为 {weight!r}。",
    "`residential_only`: the buildings have no `building` column to tell dwellings from "
    "other buildings. Drop `residential_only`, or add the OSM building type.":
        "`residential_only`：这些建筑没有 `building` 列，无法区分住宅与其他建筑。请去掉 "
        "`residential_only`，或补上 OSM 建筑类型。",
    "`residential_only`: none of the {n:,} buildings is residential (building in "
    "{residential}); the most common types are {listed}. Much of OSM is tagged only "
    "building=yes: drop `residential_only` to weigh every building.":
        "`residential_only`：{n:,}栋建筑中没有一栋是住宅（即 building 取值为 {residential} "
        "之一）；最常见的类型是 {listed}。OSM 中很多建筑只标注了 building=yes：请去掉 "
        "`residential_only`，对每栋建筑都计权重。",
    "{kind} ({n})": "{kind}（{n}）",
    "`source`: {name} is an OpenStreetMap file; demand from OSM comes from its buildings: "
    "use `demand_from_buildings` (`demand='buildings'`).":
        "`source`：{name} 是 OpenStreetMap 文件；来自 OSM 的需求取自其中的建筑：请用 "
        "`demand_from_buildings`（`demand='buildings'`）。",
    "`{argument}`: all {n:,} demand weights are 0, so there is nothing to cover. Check the "
    "weight column (`weight_col=` / `population_col=`).":
        "`{argument}`：全部{n:,}个需求权重都为0，没有需要覆盖的需求。请检查权重列"
        "（`weight_col=` / `population_col=`）。",
    "`source` has cells that are not polygons ({odd}); cutting by `area` and spreading over "
    "`net` need the cells' polygons. Pass the grid's cell polygons, or read points with "
    "`demand_from_points`.":
        "`source` 中有不是多边形的单元（{odd}）；按 `area` 裁切和分配到 `net` "
        "的街道上都需要单元的多边形。请提供格网单元的多边形，或用 `demand_from_points` 按点读取。",
    "`area`: no populated cell of `source` lies inside the study area. Is the area in "
    "lon/lat (EPSG:4326), and over the grid?":
        "`area`：研究区域内没有 `source` 中有人口的单元。研究区域是否为经纬度（EPSG:4326），"
        "且与格网重叠？",
    "`spread` must be {told}, got {spread!r}.": "`spread` 必须是 {told}，实际为 {spread!r}。",
    "{spread!r} ({meaning})": "{spread!r}（{meaning}）",
    " or ": "或 ",
    "by street length": "按街道长度",
    "by the buildings' floor area": "按建筑楼面面积",
    "`spread='buildings'` needs `buildings`: pass `buildings=demand_from_buildings(osm)`, "
    "or spread over the streets (`spread='streets'`).":
        "`spread='buildings'` 需要 `buildings`：请传入 `buildings=demand_from_buildings(osm)`，"
        "或沿街道分配（`spread='streets'`）。",
    "`buildings` is used only with `spread='buildings'`: pass that too, or drop "
    "`buildings`.":
        "`buildings` 只在 `spread='buildings'` 时使用：请一并指定，或去掉 `buildings`。",
    "`buildings`: expected a GeoDataFrame of points with a `weight` column (from "
    "`demand_from_buildings`), got {got}.":
        "`buildings`：应为带 `weight` 列的点 GeoDataFrame（来自 `demand_from_buildings`），"
        "实际为 {got}。",
    "`buildings` has no `weight` column; pass the output of `demand_from_buildings`.":
        "`buildings` 没有 `weight` 列；请传入 `demand_from_buildings` 的输出。",
    "`buildings`: {n:,} weights are missing, negative or not numbers; expected floor areas "
    ">= 0.":
        "`buildings`：{n:,}个权重缺失、为负或不是数值；应为 >= 0 的楼面面积。",
    "`population_col` applies to polygon grids; {name} is a raster. Drop it (use `band=` to "
    "choose the band).":
        "`population_col` 只适用于多边形格网；{name} 是栅格。请去掉它（用 `band=` 选择波段）。",
    "`source`: expected a raster or polygon-grid file path or a GeoDataFrame of grid cells, "
    "got {got}.":
        "`source`：应为栅格或多边形格网文件的路径，或格网单元的 GeoDataFrame，实际为 {got}。",
    "`band`: {name} has {count} band(s), numbered from 1; got {band!r}.":
        "`band`：{name} 有{count}个波段，从1开始编号；实际为 {band!r}。",
    "`source`: {name} has no CRS, so its cells cannot be placed. Set it, e.g. "
    "`gdal_edit.py -a_srs EPSG:4326 file.tif`.":
        "`source`：{name} 没有坐标参考系（CRS），无法确定其单元的位置。请设置，例如 "
        "`gdal_edit.py -a_srs EPSG:4326 file.tif`。",
    "`source`: cannot read {name} as a raster: {detail}":
        "`source`：无法将 {name} 作为栅格读取：{detail}",
    "`source`: band {band} of {name} has {n:,} cells with a negative population (down to "
    "{low:g}) that are not marked as nodata. Declare the nodata value (`gdal_edit.py "
    "-a_nodata VALUE`) or fix them.":
        "`source`：{name} 的第{band}波段有{n:,}个单元人口为负（最低{low:g}），且未标记为 "
        "nodata。请声明 nodata 值（`gdal_edit.py -a_nodata VALUE`）或修正这些单元。",
    "`source`: band {band} of {name} has no cell with population > 0 (nodata excluded). Is "
    "it the right band and file?":
        "`source`：{name} 的第{band}波段没有人口 > 0 的单元（不含 nodata）。波段和文件是否"
        "正确？",
    "`population_col`: {what} has no column {column!r}; its columns are {columns}.":
        "`population_col`：{what} 没有 {column!r} 列；其列为 {columns}。",
    "`population_col`: {what} has {problem} among {columns}; expected one named {names}. "
    "Pass `population_col=` to name it.":
        "`population_col`：{what} 的列（{columns}）中{problem}；应有一列名为以下之一：{names}。"
        "请用 `population_col=` 指定。",
    "no population column": "没有人口列",
    "several ({found})": "有多个可能的人口列（{found}）",
    "`source`: {n} cells of {what} have a negative {column!r} (ids {ids}); expected people "
    "per cell >= 0. Set missing cells to empty (NaN).":
        "`source`：{what} 中有{n}个单元的 {column!r} 为负（编号 {ids}）；每个单元的人数应 "
        ">= 0。缺失的单元请留空（NaN）。",
    "`source`: no cell of {what} has {column!r} > 0. Is it the right column?":
        "`source`：{what} 中没有 {column!r} > 0 的单元。是否选对了列？",
    "`net`: expected a WalkNetwork (from `aedplan.network.load_network`), got {got}.":
        "`net`：应为 WalkNetwork（来自 `aedplan.network.load_network`），实际为 {got}。",
    # aedplan/io.py
    "`lon_col`/`lat_col` apply only to tables (CSV or DataFrame); `{argument}` is a {kind} "
    "with its own geometry. Drop them.":
        "`lon_col`/`lat_col` 只适用于表格（CSV 或 DataFrame）；`{argument}` 是自带几何的"
        "{kind}。请去掉这两项。",
    "`layer` applies only to GeoPackage and other vector files; `{argument}` is a {kind}. "
    "Drop `layer`.":
        "`layer` 只适用于 GeoPackage 等矢量文件；`{argument}` 是{kind}。请去掉 `layer`。",
    "table": "表格",
    "vector source": "矢量数据",
    "`datum`={datum!r} cannot apply to {name}: OpenStreetMap data is always WGS84. Drop "
    "`datum` (or use 'wgs84').":
        "`datum`={datum!r} 不能用于 {name}：OpenStreetMap 数据总是 WGS84。请去掉 `datum`"
        "（或用 'wgs84'）。",
    "`crs`={crs} cannot apply to {name}: OpenStreetMap data is always EPSG:4326. Drop "
    "`crs`.":
        "`crs`={crs} 不能用于 {name}：OpenStreetMap 数据总是 EPSG:4326。请去掉 `crs`。",
    "`{argument}` must be a file path or a (Geo)DataFrame; got {got}.":
        "`{argument}` 必须是文件路径或 (Geo)DataFrame；实际为 {got}。",
    "`{name}` must be a street network, got a {kind}: make one with "
    "aedplan.load_network(path) (an OSM file, a place, street lines).":
        "`{name}` 必须是街道路网，实际为 {kind}：请用 aedplan.load_network(path) 生成"
        "（OSM 文件、地名或街道线）。",
    "`uncovered` must hold one True or False per demand point ({n:,}), got shape {shape}.":
        "`uncovered` 必须为每个需求点（共 {n:,} 个）给出一个 True 或 False，实际形状为 {shape}。",
    "`{argument}` must be a GeoDataFrame (their places give their time zone and holidays), "
    "got a {kind}; read a file with aedplan.read_points.":
        "`{argument}` 必须是 GeoDataFrame（其位置决定时区和节假日），实际为 {kind}；"
        "文件请用 aedplan.read_points 读取。",
    "`population` must be a number of people >= 0, got {value!r}.":
        "`population` 必须是不小于 0 的人数，实际为 {value!r}。",
    "`crs`: give the CRS of `x` and `y`, projected in metres (e.g. 'EPSG:32632', a UTM "
    "zone).": "`crs`：请给出 `x` 与 `y` 的坐标参考系，须为以米为单位的投影坐标系（例如 "
    "'EPSG:32632'，一个 UTM 分带）。",
    "`crs`: cannot understand {crs!r} as a coordinate reference system ({detail}). Pass e.g. "
    "'EPSG:32632' or a pyproj.CRS.":
        "`crs`：无法把 {crs!r} 识别为坐标参考系（{detail}）。请传入如 'EPSG:32632' 或 "
        "pyproj.CRS。",
    "`{option}`: {source} has no column {given!r}: it has no columns besides its "
    "coordinates.": "`{option}`：{source} 中没有 {given!r} 列：除坐标外它没有其他列。",
    "`{option}`: {source} has no column {given!r}; its columns are {columns}.":
        "`{option}`：{source} 没有 {given!r} 列；其列为 {columns}。",
    "`{argument}`: found no {what} column in {source}; expected one named {names} (any "
    "case){also}; its columns are {columns}. Pass `{option}=` to name it.":
        "`{argument}`：{source} 中没有{what}列；应有一列名为以下之一：{names}（不区分大小写）"
        "{also}；其列为 {columns}。请用 `{option}=` 指定。",
    "longitude": "经度",
    "latitude": "纬度",
    ', or one "location" column of "lng,lat"': '，或有一个 "lng,lat" 格式的 "location" 列',
    "`{argument}`: {source} has several possible {what} columns ({found}); pass `{option}=` "
    "to choose one.":
        "`{argument}`：{source} 中有多个可能的{what}列（{found}）；请用 `{option}=` 选定一个。",
    "`{argument}`: {what} has no rows. Pass at least one point.":
        "`{argument}`：{what} 没有任何行。请至少提供一个点。",
    'a {location!r} that is not "lng,lat" nor {{"lng": .., "lat": ..}}':
        '的 {location!r} 既不是 "lng,lat" 也不是 {{"lng": .., "lat": ..}}',
    'write {location!r} as "lng,lat"': '请把 {location!r} 写成 "lng,lat"',
    "`lon_col`/`lat_col`: both name column {column!r} of {what}; pass two different "
    "columns.":
        "`lon_col`/`lat_col`：{what} 的 {column!r} 列被同时指定为两者；请指定两个不同的列。",
    "missing or non-numeric coordinates in columns {lon!r}/{lat!r}":
        "的坐标缺失或不是数值（{lon!r}/{lat!r} 列）",
    "pass `lon_col={lat!r}` and `lat_col={lon!r}`": "请指定 `lon_col={lat!r}` 和 `lat_col={lon!r}`",
    "pass `crs='EPSG:...'` with the CRS they are in":
        "请用 `crs='EPSG:...'` 指定其所在的坐标参考系",
    "`crs`: {what} is in {declared} but `crs={given}` was passed. Drop `crs` (the source's "
    "own CRS is used), or reproject the source.":
        "`crs`：{what} 的坐标参考系是 {declared}，但传入了 `crs={given}`。请去掉 `crs`（将使用"
        "数据源自身的坐标参考系），或对数据源重新投影。",
    "`{argument}`: {what} has no CRS, so its coordinates cannot be placed. Set it "
    "(`gdf.set_crs('EPSG:4326')` for lon/lat) or pass `crs=`.":
        "`{argument}`：{what} 没有坐标参考系（CRS），无法确定其坐标的位置。请设置（经纬度用 "
        "`gdf.set_crs('EPSG:4326')`）或传入 `crs=`。",
    "`{argument}`: {what} has no CRS, so its coordinates cannot be placed. Pass the CRS it "
    "is in as `crs` (`crs='EPSG:4326'` for lon/lat).":
        "`{argument}`：{what} 没有坐标参考系（CRS），无法确定其坐标的位置。请用 `crs` 指定其"
        "所在的坐标参考系（经纬度用 `crs='EPSG:4326'`）。",
    "{what} declares {crs}, which is wrong: set the CRS they are really in "
    "(`GeoDataFrame.set_crs(..., allow_override=True)`)":
        "{what} 声明的坐标参考系 {crs} 有误：请设置其实际所在的坐标参考系"
        "（`GeoDataFrame.set_crs(..., allow_override=True)`）",
    "{what} declares {crs}, which is wrong: set the CRS they are really in (in the file, "
    "e.g. `ogr2ogr -a_srs EPSG:... fixed.gpkg {what}`)":
        "{what} 声明的坐标参考系 {crs} 有误：请在文件中设置其实际所在的坐标参考系，例如 "
        "`ogr2ogr -a_srs EPSG:... fixed.gpkg {what}`",
    "no geometry (missing or empty)": "没有几何（缺失或为空）",
    "swap the x/y coordinates of the source (or fix its CRS)":
        "请对调数据源的 x/y 坐标（或修正其坐标参考系）",
    "no location": "无位置信息",
    "check the file": "请检查文件",
    "{n} rows (rows {ids})": "{n}行（行号 {ids}）",
    "1 row (row {ids})": "1行（行号 {ids}）",
    "{n} rows (rows {ids}; lines {lines})": "{n}行（行号 {ids}；第 {lines} 行）",
    "1 row (row {ids}; line {lines})": "1行（行号 {ids}；第 {lines} 行）",
    "{rows} have a missing, non-numeric or infinite {column!r} ({meaning}); expected a "
    "number >= 0":
        "{rows}的 {column!r}（{meaning}）缺失、不是数值或为无穷大；应为 >= 0 的数",
    "{rows} has a missing, non-numeric or infinite {column!r} ({meaning}); expected a "
    "number >= 0":
        "{rows}的 {column!r}（{meaning}）缺失、不是数值或为无穷大；应为 >= 0 的数",
    "{rows} have a negative {column!r} ({meaning}); expected a number >= 0":
        "{rows}的 {column!r}（{meaning}）为负；应为 >= 0 的数",
    "{rows} has a negative {column!r} ({meaning}); expected a number >= 0":
        "{rows}的 {column!r}（{meaning}）为负；应为 >= 0 的数",
    "a weight": "权重",
    "seconds to get the AED once at its site": "到达点位后取到AED所需的秒数",
    "{rows} have {missing}": "{rows}{missing}",
    "{rows} has {missing}": "{rows}{missing}",
    "{rows} have coordinates outside longitude -180..180 / latitude -90..90{more}":
        "{rows}的坐标超出经度 -180..180 / 纬度 -90..90 的范围{more}",
    "{rows} has coordinates outside longitude -180..180 / latitude -90..90{more}":
        "{rows}的坐标超出经度 -180..180 / 纬度 -90..90 的范围{more}",
    " (up to {top:,.0f}): these look like projected coordinates{perhaps}; {fix}":
        "（最大{top:,.0f}）：看来是投影坐标{perhaps}；{fix}",
    ", perhaps {grid}": "，可能是 {grid}",
    ": are lon/lat swapped? If so, {fix}": "：经纬度是否填反？如果是，{fix}",
    "TWD97 / TM2 zone 121 (Taiwan), EPSG:3826": "TWD97 / TM2 zone 121（台湾，EPSG:3826）",
    "HK1980 Grid (Hong Kong), EPSG:2326": "HK1980 Grid（香港，EPSG:2326）",
    "a UTM zone (EPSG:326NN in the north, 327NN in the south; NN the zone)":
        "某个 UTM 分带（北半球为 EPSG:326NN，南半球为 EPSG:327NN，NN 为带号）",
    "`datum`: {what} looks like {provider} (columns {columns}), whose coordinates are "
    "{datum_name}; pass `datum='{datum}'` to convert them to WGS84 (or `datum='wgs84'` if "
    "they were converted already).":
        "`datum`：{what} 看来是{provider}（列 {columns}），其坐标为 {datum_name}；请指定 "
        "`datum='{datum}'` 将其转换为 WGS84（如果已经转换过，请指定 `datum='wgs84'`）。",
    "an Amap (高德) place-search export": "高德地图的地点搜索导出数据",
    "a Tencent (腾讯) place-search export": "腾讯地图的地点搜索导出数据",
    "a Baidu (百度) place-search export": "百度地图的地点搜索导出数据",
    "`datum`={datum!r} applies only to longitude/latitude (EPSG:4326) input, but {what} is "
    "in {crs}. Drop `datum`, or pass the lon/lat coordinates as the map published them.":
        "`datum`={datum!r} 只适用于经纬度（EPSG:4326）输入；{what} 的坐标参考系却是 {crs}。"
        "请去掉 `datum`，或按地图发布时的原样传入经纬度坐标。",
    "`{argument}`: {what} has {n} problems: {problems}. Fix or remove those rows.":
        "`{argument}`：{what} 有{n}个问题：{problems}。请修正或删除这些行。",
    "`{argument}`: {what} has {n} problem: {problems}. Fix or remove those rows.":
        "`{argument}`：{what} 有{n}个问题：{problems}。请修正或删除这些行。",
    "{rows} have no {column!r}": "{rows}的 {column!r} 为空",
    "{rows} has no {column!r}": "{rows}的 {column!r} 为空",
    "{rows} share their {column!r} with another row; expected unique ids (pass `id_col=` "
    "to use another column)":
        "{rows}的 {column!r} 与其他行重复；编号应唯一（可用 `id_col=` 改用其他列）",
    "{rows} shares their {column!r} with another row; expected unique ids (pass `id_col=` "
    "to use another column)":
        "{rows}的 {column!r} 与其他行重复；编号应唯一（可用 `id_col=` 改用其他列）",
    "`{argument}`: {rows} of {what} cannot be transformed from {crs} to EPSG:4326. Are the "
    "coordinates really in that CRS? Pass the right `crs=`.":
        "`{argument}`：{what} 中的{rows}无法从 {crs} 转换到 EPSG:4326。坐标真的在这个坐标"
        "参考系中吗？请传入正确的 `crs=`。",
    # aedplan/hours.py
    "`{argument}`: the `public` column must say yes or no (or be blank: not recorded); it "
    "holds {shown}. Fix those rows, or drop the column to use `access` instead.":
        "`{argument}`：`public` 列必须填 yes 或 no（或留空：未记录）；但其中有 {shown}。"
        "请修正这些行，或删除该列改用 `access`。",
    "`country` must be a two-letter ISO 3166 code such as LI, CH or CN, got "
    "{country!r}{hint}.":
        "`country` 必须是两个字母的 ISO 3166 代码，如 LI、CH 或 CN，实际为 {country!r}{hint}。",
    " (that is {code})": "（即 {code}）",
    "`week` must be a date YYYY-MM-DD (a Monday), got {monday!r}.":
        "`week` 必须是 YYYY-MM-DD 格式的日期（星期一），实际为 {monday!r}。",
    "`week` must be a Monday, got {day} (a {weekday}); the Monday of that week is "
    "{monday}.":
        "`week` 必须是星期一，实际为 {day}（{weekday}）；该周的星期一是 {monday}。",
    "`week` must be a Monday in the years {first}-{last} (the years whose opening hours and "
    "public holidays can be read), got {day}.":
        "`week` 必须是{first}-{last}年间的星期一（能读取开放时间和法定节假日的年份），实际为 "
        "{day}。",
    "a minute of the week must be 0 to {last}, got {got}.":
        "一周中的分钟数必须在0到{last}之间，实际为 {got}。",
    "`edges` must rise from 0 to 10080 minutes and hold every full hour of the week.":
        "`edges` 必须从0分钟递增到10080分钟，并包含一周中的每个整点。",
    "`state` must have one row per AED ({n}) and one column per slot ({slots}), got "
    "{shape}.":
        "`state` 必须每台AED一行（{n}行）、每个时段一列（{slots}列），实际形状为 {shape}。",
    "`edges` must hold every edge of the slots it recuts.":
        "`edges` 必须包含被重新切分的各时段的每个边界。",
    "`parts` must hold at least one Availability.": "`parts` 必须至少包含一个 Availability。",
    "`arrest_profile` must be 'default', 'uniform', a CSV file, or 168 non-negative numbers "
    "that are not all 0 (hour 0 = Monday 00:00); {problem}.":
        "`arrest_profile` 必须是 'default'、'uniform'、CSV 文件，或168个不全为0的非负数"
        "（第0小时 = 周一00:00）；{problem}。",
    "got {n} numbers": "实际为{n}个数",
    "got {n} number": "实际为{n}个数",
    "{n} values are not usable ({shown})": "{n}个值无法使用（{shown}）",
    "{n} value is not usable ({shown})": "{n}个值无法使用（{shown}）",
    "hour {hour} is {value}": "第{hour}小时为 {value}",
    "all 168 are 0": "168个值全为0",
    "`arrest_profile` must be 'default', 'uniform' or a CSV file; {spec!r} is neither a "
    "known word nor a file.":
        "`arrest_profile` 必须是 'default'、'uniform' 或 CSV 文件；{spec!r} 既不是已知的词，"
        "也不是文件。",
    "`arrest_profile`: {n} values of column {column!r} in {name} are not dates and times "
    "(e.g. 2024-03-04 14:20).":
        "`arrest_profile`：{name} 中 {column!r} 列有{n}个值不是日期时间（应写成 2024-03-04 14:20 "
        "这样的形式）。",
    "`arrest_profile`: the first column of {name} holds {n} values that are not a number "
    "(e.g. {example!r}), and no time column ({columns}, ...) was found; give 168 numbers, "
    "one per hour from Monday 00:00, or past arrests with a time column.":
        "`arrest_profile`：{name} 的第一列有{n}个值不是数字（如 {example!r}），也没有找到时间列"
        "（{columns} 等）；请给出从周一00:00起每小时一个、共168个数，或带时间列的既往心脏骤停"
        "记录。",
    "`arrest_profile`: the first column of {name} holds {n} value that is not a number "
    "(e.g. {example!r}), and no time column ({columns}, ...) was found; give 168 numbers, "
    "one per hour from Monday 00:00, or past arrests with a time column.":
        "`arrest_profile`：{name} 的第一列有{n}个值不是数字（如 {example!r}），也没有找到时间列"
        "（{columns} 等）；请给出从周一00:00起每小时一个、共168个数，或带时间列的既往心脏骤停"
        "记录。",
    "`{argument}`: the times in {what} carry several UTC offsets ({offsets}), and nothing "
    "says where the arrests happened, so their local hours are unknown: add their lon/lat "
    "columns, or write local times without an offset.":
        "`{argument}`：{what} 中的时间带有多个 UTC 偏移（{offsets}），且没有信息说明心脏骤停"
        "发生在何处，因此无法确定当地时间：请加上经纬度列，或写成不带偏移的当地时间。",
    # aedplan/smoothing.py
    "`arrests`: {n} arrests are too few to smooth (3 at least); plan on them as points "
    "instead.":
        "`arrests`：{n}例心脏骤停太少，无法平滑（至少要3例）；"
        "请改为直接以这些病例的位置作为需求点规划。",
    "`sample`: the bandwidth is chosen on 3 arrests at least, got {sample}; pass a larger "
    "`sample`, or None for all of them.":
        "`sample`：带宽至少要基于3例心脏骤停选定，实际为{sample}；请传入更大的 `sample`，"
        "或传入 None 使用全部病例。",
    "`bandwidth_m`: a distance in metres above 0, got {bandwidth_m!r}; leave it out to "
    "choose one by cross-validation.":
        "`bandwidth_m`：应为大于0的距离（米），实际为 {bandwidth_m!r}；不指定则由交叉验证选定。",
    # aedplan/density.py
    "`target_density` must be a number of AEDs per 100,000 people > 0, got {value!r} "
    "(Shanghai's 2025 target is 50).":
        "`target_density` 必须是大于0的每10万人AED数，实际为 {value!r}（上海2025年的目标是50）。",
    "`population` must be > 0 to give AEDs per 100,000 people.":
        "`population` 必须 > 0，才能算出每10万人AED数。",
    # aedplan/timemodel.py
    "`model` must be an aedplan.TimeModel, e.g. TimeModel(minutes=4), got {got}.":
        "`model` 必须是 aedplan.TimeModel，如 TimeModel(minutes=4)，实际为 {got}。",
    "give `model` or {options}, not both: the model already holds minutes, mode and speed.":
        "`model` 和 {options} 不能同时给出：模型已包含 minutes、mode 和 speed。",
    # aedplan/_datum.py
    "`{argument}` must be one of {datums}; got {datum!r}. Use 'gcj02' for "
    "Amap/Tencent/Google-China coordinates and 'bd09' for Baidu.":
        "`{argument}` 必须是 {datums} 之一；实际为 {datum!r}。高德、腾讯、谷歌中国的坐标请用 "
        "'gcj02'，百度的请用 'bd09'。",
    # aedplan/datasets.py
    "the embedded default extract is missing from the aedplan install ({path}); reinstall "
    "aedplan or pass an OSM file.":
        "aedplan 安装中缺少内置的默认数据（{path}）；请重新安装 aedplan，或提供 OSM 文件。",
    # aedplan/basemaps.py
    "`tiles='tianditu'` needs a Tianditu key: pass `tiles_key` or set the TIANDITU_KEY "
    "environment variable (a free key from https://console.tianditu.gov.cn).":
        "`tiles='tianditu'` 需要天地图密钥：请传入 `tiles_key` 或设置环境变量 TIANDITU_KEY"
        "（可在 https://console.tianditu.gov.cn 免费申请）。",
    # aedplan/network.py
    "`source`: cannot load a network from {got}. Pass an OSM file path, a .graphml path, a "
    "networkx graph, a GeoDataFrame of street lines, a place name, a bbox (west, south, "
    "east, north) or a shapely polygon.":
        "`source`：无法从 {got} 加载路网。请提供 OSM 文件路径、.graphml 路径、networkx 图、"
        "街道线的 GeoDataFrame、地名、bbox（西、南、东、北）或 shapely 多边形。",
    "`source`: file not found: {path}. Check the path (a place name to download has no file "
    "suffix, e.g. 'Vaduz, Liechtenstein').":
        "`source`：找不到文件：{path}。请检查路径（要下载的地名没有文件后缀，例如 "
        "'Vaduz, Liechtenstein'）。",
    "`source`: cannot read {name}: expected one of: {kinds} of street lines.":
        "`source`：无法读取 {name}：街道线应为以下文件之一：{kinds}。",
    "`crs`: expected a projected CRS in metres, got {crs}.":
        "`crs`：应为以米为单位的投影坐标系，实际为 {crs}。",
    "`x` and `y` differ in length ({nx} and {ny})": "`x` 与 `y` 长度不同（{nx}和{ny}）",
    "`edge_u` and `edge_v` differ in length ({nu}, {nv})":
        "`edge_u` 与 `edge_v` 长度不同（{nu}，{nv}）",
    "edge ends must be node indices in [0, {last}]": "边的端点必须是 [0, {last}] 内的节点索引",
    "`source`: {name} has no walkable ways (ways tagged highway=* that osmnx's walk network "
    "keeps). Is it the right extract?":
        "`source`：{name} 中没有可步行的路径（即 osmnx 步行路网保留的 highway=* 路径）。"
        "是否用对了数据文件？",
    "`source`: {name} has no walkable way with two located nodes.":
        "`source`：{name} 中没有任何可步行路径带有至少两个有坐标的节点。",
    "`source`: the graph has no edges.": "`source`：该图没有边。",
    "`source`: the graph has no `crs` in G.graph; osmnx graphs carry one. Set "
    "G.graph['crs'] = 'EPSG:4326' if node x/y are lon/lat.":
        "`source`：该图的 G.graph 中没有 `crs`，而 osmnx 生成的图都带有。如果节点的 x/y "
        "是经纬度，请设 G.graph['crs'] = 'EPSG:4326'。",
    "`source`: the street lines have no CRS; set one with `gdf.set_crs(...)`.":
        "`source`：街道线没有坐标参考系（CRS）；请用 `gdf.set_crs(...)` 设置。",
    "`source`: no LineString street geometries found.":
        "`source`：未找到 LineString 类型的街道几何。",
    "`source`: no walkable street edges remain after filtering.":
        "`source`：筛选后没有剩下可步行的街道边。",
    "`clip`: no street of the network lies inside the area, read as W={w} S={s} E={e} N={n}; "
    "the streets span {extent} (W,S,E,N).{hint}":
        "`clip`：路网中没有街道位于该区域内（按 W={w} S={s} E={e} N={n} 解读）；"
        "街道范围（W,S,E,N）：{extent}。{hint}",
    "{w:.4f},{s:.4f},{e:.4f},{n:.4f}": "{w:.4f},{s:.4f},{e:.4f},{n:.4f}",
    "none": "无",
    " Swapped, lon and lat would fit the streets: give W,S,E,N (longitudes first), e.g. "
    "{s},{w},{n},{e}.":
        "若对调经纬度，则与街道相符：请按 W,S,E,N 的顺序给出（经度在前），例如 "
        "{s},{w},{n},{e}。",
    "place {place!r}": "地点 {place!r} 范围",
    "Check the spelling (e.g. 'Longyan, Fujian, China'), or pass a bbox or an OSM file":
        "请检查拼写（例如 'Longyan, Fujian, China'），或改用 bbox 或 OSM 文件",
    "bbox {west},{south},{east},{north}": "bbox {west},{south},{east},{north} 范围",
    "Check the bbox order (west, south, east, north), or pass an OSM file":
        "请检查 bbox 的顺序（西、南、东、北），或改用 OSM 文件",
    "polygon": "多边形范围",
    "Check that the polygon is in EPSG:4326 (lon/lat), or pass an OSM file":
        "请检查多边形是否为 EPSG:4326（经纬度），或改用 OSM 文件",
    # aedplan/_online.py
    "walk network": "步行路网",
    "bbox": "bbox 范围",
    "Check the place name": "请检查地名",
    "Check the bbox": "请检查 bbox",
    "`source`: no {thing} found for {what}: {detail}. {fix}.":
        "`source`：{what}内未找到{thing}：{detail}。{fix}。",
    "`source`: could not download the {thing} for {what} from OpenStreetMap ({kind}). Check "
    "the internet connection, or download an extract (e.g. from download.geofabrik.de) and "
    "pass the .osm.pbf file.":
        "`source`：{what}内的{thing}无法从 OpenStreetMap 下载（{kind}）。请检查网络连接，"
        "或下载数据提取文件（例如从 download.geofabrik.de）并指定该 .osm.pbf 文件。",
    # aedplan/sources.py ("AEDs", "buildings" and "{a} and {b}" are aedplan._words')
    "give one network source: `osm` (a file) or `place`, not both.":
        "只能给出一个路网来源：`osm`（文件）或 `place`，不能同时给出。",
    "give one study area: `bbox` or `polygon`, not both.":
        "只能给出一个研究区域：`bbox` 或 `polygon`，不能同时给出。",
    "`{option}`: file not found: {value}. Give a file, or one of {words}.":
        "`{option}`：找不到文件：{value}。请给出文件，或以下之一：{words}。",
    "places": "场所",
    "`aeds` a file of AEDs, or `aeds='none'`": "为 `aeds` 指定AED文件，或用 `aeds='none'`",
    "`demand='network'` or a file": "用 `demand='network'` 或指定文件",
    "`candidates='nodes'` or a file": "用 `candidates='nodes'` 或指定文件",
    "a GraphML street network": "一个 GraphML 路网文件",
    "a file of street lines": "一个街道线文件",
    "`osm`: {name} is {kind}, without the {things} that {words} reads from an OpenStreetMap "
    "file: {fixes}.":
        "`osm`：{name} 是{kind}，没有 {words} 要从 OpenStreetMap 文件读取的{things}：{fixes}。",
    "`osm`: {name} is {kind}, without the {things} that {words} read from an OpenStreetMap "
    "file: {fixes}.":
        "`osm`：{name} 是{kind}，没有 {words} 要从 OpenStreetMap 文件读取的{things}：{fixes}。",
    "{first} and {last}": "{first}和{last}",
    "give {fix}": "请{fix}",
    "`hours_col` names a column of a table or vector file of AEDs; `aeds` is {value!r}, "
    "whose hours are its `opening_hours` tags. Drop `hours_col`.":
        "`hours_col` 指的是AED表格或矢量文件中的列；而 `aeds` 为 {value!r}，其开放时间来自 "
        "`opening_hours` 标签。请去掉 `hours_col`。",
    "`polygon`: {name} must hold polygons (the study area); it holds {kinds}.":
        "`polygon`：{name} 应包含多边形（研究区域），实际包含：{kinds}。",
    "nothing": "无",
    "`candidates='buildings'` needs an OSM file of buildings.":
        "`candidates='buildings'` 需要含建筑的 OSM 文件。",
    "`{name}='{word}'` needs an OSM file or an online source (`osm` or `place`); pass "
    "`{name}` a file of your own.":
        "`{name}='{word}'` 需要 OSM 文件或在线来源（`osm` 或 `place`）；否则请为 `{name}` "
        "指定自己的文件。",
    "`hours_col`: {name} has no column {column!r}; its columns are {columns}.":
        "`hours_col`：{name} 中没有 {column!r} 列；其列为 {columns}。",
    "`hours_col`: {name} has an `opening_hours` column besides {column!r}; drop `hours_col` "
    "to read opening_hours, or rename one of the two.":
        "`hours_col`：{name} 中除 {column!r} 外还有 `opening_hours` 列；要读取 opening_hours，"
        "请去掉 `hours_col`，或将两列之一改名。",
    "`spread='buildings'` spreads a grid's people over the OSM buildings: it needs an OSM "
    "file as `osm`; or spread them along the streets.":
        "`spread='buildings'` 把格网的人口分配到 OSM 建筑上：需要以 `osm` 给出 OSM 文件；"
        "也可以改为沿街道分配。",
    "`demand='arrests-smoothed'` smooths past arrests: pass `arrests`, a file of their "
    "locations.":
        "`demand='arrests-smoothed'` 对既往心脏骤停病例做平滑：请用 `arrests` 指定其位置"
        "文件。",
    "`{name}`: {given} point given, none inside the study area ({area}). Are lon/lat "
    "swapped, are the coordinates in another datum (GCJ-02/BD-09: pass `datum`), or do the "
    "files cover another place? A study area larger than the streets is given with `bbox` "
    "or `polygon`.":
        "`{name}`：给出了{given}个点，但不在研究区域（{area}）内。经纬度是否填反了，"
        "坐标是否属于其他坐标系（GCJ-02/BD-09：请指定 `datum`），"
        "或文件覆盖的是别的地方？如需比街道范围更大的研究区域，请用 `bbox` 或 `polygon` 给出。",
    "`{name}`: {given} points given, none inside the study area ({area}). Are lon/lat "
    "swapped, are the coordinates in another datum (GCJ-02/BD-09: pass `datum`), or do the "
    "files cover another place? A study area larger than the streets is given with `bbox` "
    "or `polygon`.":
        "`{name}`：给出了{given}个点，没有一个位于研究区域（{area}）内。经纬度是否填反了，"
        "坐标是否属于其他坐标系（GCJ-02/BD-09：请指定 `datum`），"
        "或文件覆盖的是别的地方？如需比街道范围更大的研究区域，请用 `bbox` 或 `polygon` 给出。",
    "`{name}`: {n_off} of the {n_inside} points inside the study area are more than {m:g} m "
    "from any street of the network. Are lon/lat swapped, are the coordinates in another "
    "datum (GCJ-02/BD-09: pass `datum`), or is the network a different place?":
        "`{name}`：研究区域内的{n_inside}个点中有{n_off}个距路网中任何街道都超过{m:g}米。"
        "经纬度是否填反了，坐标是否属于其他坐标系（GCJ-02/BD-09：请指定 `datum`），或路网"
        "是别的地方？",
    # aedplan/validate.py
    "`budgets`: whole numbers >= 1, got {got}.": "`budgets`：应为 >= 1 的整数，实际为 {got}。",
    "`models`: unknown {wrong}; choose from {models}.":
        "`models`：未知的需求模型 {wrong}；请从以下选择：{models}。",
    "`models`: 'population' needs `population`, a population grid (a GeoTIFF such as "
    "WorldPop's).":
        "`models`：'population' 需要 `population`，即人口格网（如 WorldPop 的 GeoTIFF）。",
    "`models`: give at least one demand model.": "`models`：请至少给出一个需求模型。",
    "`candidates='nodes'`": "用 `candidates='nodes'`",
    "`models` without {models}": "用不含 {models} 的 `models`",
    "`models`: 'buildings' and 'blend' need building footprints, and {name} has none; leave "
    "them out (e.g. arrests,arrests-smoothed,network).":
        "`models`：'buildings' 和 'blend' 需要建筑轮廓，而 {name} 中没有；请去掉这两个"
        "（例如 arrests,arrests-smoothed,network）。",
    "`candidates`: 'pois' or 'nodes', got {got!r}.":
        "`candidates`：应为 'pois' 或 'nodes'，实际为 {got!r}。",
    "`time_col`: the arrests have no column of times named {column!r}; besides the "
    "coordinates (read into their places) they have {columns}.":
        "`time_col`：心脏骤停数据中没有名为 {column!r} 的时间列；除坐标（已读作位置）外，"
        "其列为 {columns}。",
    "the arrests' column {column!r}": "心脏骤停数据的 {column!r} 列",
    "`time_col`: {n:,} times cannot be read as dates, e.g. {bad}; write them as 2023-05-17 "
    "14:30.":
        "`time_col`：{n:,}个时间无法识别为日期，例如 {bad}；请写成 2023-05-17 14:30 的形式。",
    "`train_until`/`folds`: give one: a date that ends the training arrests, or a number of "
    "blocks of time to hold out in turn.":
        "`train_until`/`folds`：请给出其中一个：训练用心脏骤停病例截止的日期，或轮流留出的"
        "时间段数。",
    "`train_until`: {given!r} is not a date written as YYYY-MM-DD (e.g. 2023-12-31).":
        "`train_until`：{given!r} 不是 YYYY-MM-DD 格式的日期（例如 2023-12-31）。",
    "`train_until`: {train:,} arrests up to it and {test:,} after; each side needs some (3 "
    "to train).":
        "`train_until`：截至该日期有{train:,}例心脏骤停，之后有{test:,}例；"
        "训练集和检验集都不能为空（训练集至少3例）。",
    "`folds`: between 2 and the number of arrests, got {folds}.":
        "`folds`：应在2到心脏骤停例数之间，实际为 {folds}。",
    # aedplan/districts.py ("none" and "nothing" as above)
    "`layer`: {source!r} reads the OSM file's boundaries, which have no layers. Drop "
    "`layer`.":
        "`layer`：{source!r} 读取的是 OSM 文件中的边界，没有图层。请去掉 `layer`。",
    "`districts`: expected polygons (a GeoDataFrame or a vector file) or 'osm', got {got}.":
        "`districts`：应为多边形（GeoDataFrame 或矢量文件）或 'osm'，实际为 {got}。",
    "`districts`: the polygons have no CRS; save them with one (e.g. EPSG:4326 for lon/lat).":
        "`districts`：这些多边形没有坐标参考系（CRS）；请在保存时带上坐标参考系（例如经纬度用 "
        "EPSG:4326）。",
    "`districts`: expected polygons, got {got}.": "`districts`：应为多边形，实际为 {got}。",
    "`districts`: {source!r} reads boundaries from the OSM file, but the streets come from "
    "another kind of file; give the districts as polygons (a GeoPackage or GeoJSON).":
        "`districts`：{source!r} 从 OSM 文件读取边界，但街道来自另一类文件；请以多边形"
        "（GeoPackage 或 GeoJSON）给出分区。",
    "`districts`: no named administrative areas at level {level} in {name} (levels found: "
    "{said}).":
        "`districts`：{name} 中没有 admin_level 为{level}的带名称行政区（已找到的级别：{said}）。",
    "3 or more": "3及以上",
    "{level} ({n})": "{level}（{n}个）",
    # aedplan/_osm.py
    "`{argument}`: {name} is cut short: the download or copy did not finish ({detail}). "
    "Download it again.":
        "`{argument}`：{name} 不完整：下载或复制没有完成（{detail}）。请重新下载。",
    "`{argument}`: {name} is not readable OpenStreetMap data: damaged, or another kind of "
    "file with an OSM name ({detail}). Download it again, or check its suffix (.osm, "
    ".osm.bz2, .osm.pbf).":
        "`{argument}`：{name} 不是可读的 OpenStreetMap 数据：文件已损坏，或是带 OSM 文件名"
        "的其他类型文件（{detail}）。请重新下载，或检查其后缀（.osm、.osm.bz2、.osm.pbf）。",
    "read_features: pass exactly one of `key` or `tags`.":
        "read_features：`key` 和 `tags` 必须给出且只能给出一个。",
    "`{argument}`: no (key, value) tag pairs to read.":
        "`{argument}`：没有要读取的 (key, value) 标签对。",
    "read_features: ask for nodes, areas or both.":
        "read_features：请指定读取节点、面，或两者都读取。",
    # aedplan/_buildings.py ("the GeoDataFrame" is aedplan._words'; the last is the `fix`
    # aedplan/demand.py passes as text, said through this dictionary all the same)
    "`{argument}`: expected an OSM file path, a vector file path or a GeoDataFrame of "
    "building footprints, got {got}.":
        "`{argument}`：应为 OSM 文件路径、矢量文件路径或建筑轮廓的 GeoDataFrame，实际为 "
        "{got}。",
    "`{argument}`: {what} has no building footprints{where} (closed ways or multipolygons "
    "tagged building=*). {fix}":
        "`{argument}`：{what} 中{where}没有建筑轮廓（标注 building=* 的闭合路径或多边形"
        "关系）。{fix}",
    " inside `clip`": " `clip` 范围内",
    "`{argument}`: the `id` column of {what} has duplicate values; expected one id per "
    "building. Drop or rename the column.":
        "`{argument}`：{what} 的 `id` 列有重复值；每栋建筑应有唯一编号。请删除该列或改名。",
    "Use demand points along the streets instead (`demand='network'`, "
    "`demand_from_network(net)`), or pass a file that has buildings.":
        "请改用沿街道的需求点（`demand='network'`，`demand_from_network(net)`），或提供含"
        "建筑的文件。",
    # aedplan/partition.py
    "`{argument}`: parts of {tile_m:g} m (--tile-km {tile_km:g}) would each read "
    "{factor:,.0f} times their own area: every part sees {halo:.0f} m past its edges (the "
    "search and the walk to the street). Give at least {least_km:.2f} km ({least:,.0f} m); "
    "{twice_km:.1f} km or more reads at most twice the area, and 5 to 20 km suits a "
    "province.":
        "`{argument}`：分块边长{tile_m:g}米（--tile-km {tile_km:g}）过小：每块都要额外读取"
        "边界外{halo:.0f}米内的街道（搜索及步行到街道的距离），读取量是自身面积的"
        "{factor:,.0f}倍。分块边长至少应为{least_km:.2f}公里（{least:,.0f}米）；"
        "{twice_km:.1f}公里或以上时读取量不超过两倍面积，全省规划宜用5至20公里。",
    "`net`: a part's streets differ from the network's; this is a bug.":
        "`net`：某一分块的街道与路网不一致；这是程序错误（bug）。",
    # aedplan/poi_presets.py
    "`poi_preset` must be one of {presets}; got {name!r}. 'cn-nhc-2021' follows China's "
    "National Health Commission guideline of 2021.":
        "`poi_preset` 必须是以下之一：{presets}；实际为 {name!r}。'cn-nhc-2021' "
        "依据国家卫生健康委2021年印发的《公共场所自动体外除颤器配置指南（试行）》。",
    # aedplan/figure.py
    "`render_png` needs at least one non-empty layer to draw, got none.":
        "`render_png` 至少需要一个非空图层来绘制，但一个也没有。",
}
