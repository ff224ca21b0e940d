"""The map's words: every Chinese template fills in the same values as its English one."""

from __future__ import annotations

import string

import numpy as np
import pytest

from aedplan import _words
from aedplan._words import Words, language
from aedplan.errors import InputError


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("english", sorted(_words._ZH))
def test_each_chinese_template_takes_the_english_values(english):
    assert fields(_words._ZH[english]) == fields(english)


def test_words_and_language(monkeypatch):
    assert Words("zh")("Legend") == "图例"
    assert Words("en")("Legend") == "Legend"
    assert Words("zh")("{n} new AEDs", n=3) == "3台新AED"
    assert Words("zh")("a name from the data {x}") == "a name from the data {x}"  # as given
    assert Words("zh").duration("3 min 59 s") == "3分钟59秒"
    assert Words("zh").duration("unknown") == "未知"
    assert Words("en").duration("unknown") == "unknown"
    for key in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert language() == "zh"
    monkeypatch.setenv("LANG", "de_LI.UTF-8")
    assert language() == "en"
    assert language("zh") == "zh"
    with pytest.raises(InputError, match="`lang` must be 'en'"):
        language("cn")


def test_the_chinese_summary_names_the_solver_and_its_status_in_chinese():
    import warnings

    import aedplan
    from aedplan.errors import AedplanWarning
    from aedplan.report import summary_lines

    with warnings.catch_warnings():  # the embedded default's remarks on its data
        warnings.simplefilter("ignore", AedplanWarning)
        run = aedplan.run(aedplan.Scenario().replace({"goal.budget": 2, "output.lang": "zh",
                                                      "solver.gap": 0}))
    plan = next(line for line in summary_lines(run.report, {}, []) if line.startswith("规划"))
    assert "（精确求解，已证明最优，差距0.00%）" in plan
    assert "exact" not in plan and "optimal" not in plan
    # the embedded default's streets are named in Chinese too (the report keeps its label)
    network = summary_lines(run.report, {}, [])[0]
    assert "内置默认数据：列支敦士登瓦杜兹和沙恩" in network and "embedded" not in network
    assert run.report["network"]["source"].startswith("embedded default, ")


def test_every_word_the_code_says_has_its_chinese():
    """Every text the package hands to a Words object (``w("...")``) is in the Chinese
    table: a Chinese map or summary never falls back to English."""
    import ast
    from pathlib import Path

    from aedplan import _words

    root = Path(_words.__file__).parent
    missing = []
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id == "w" and node.args
                    and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, str)
                    and node.args[0].value not in _words._ZH):
                missing.append(f"{path.name}:{node.lineno}: {node.args[0].value!r}")
    assert missing == []


def _templates_in(node):
    """The constant texts a call's first argument can be (both sides of ``a if c else b``)."""
    import ast

    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _templates_in(node.body) + _templates_in(node.orelse)
    return []


def test_every_warning_the_code_says_has_its_chinese():
    """Every warning template (``warn("...")``) and phrase inside one (``Phrase("...")``),
    and the words handed to them from tables, is in the Chinese table: a Chinese run
    never warns in English."""
    import ast
    from pathlib import Path

    from aedplan import demand, pipeline, plan, sources

    root = Path(_words.__file__).parent
    said, missing = [], []
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            noted = (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                     and node.func.attr == "add" and isinstance(node.func.value, ast.Name)
                     and node.func.value.id == "notes")  # a run's notes: notes.add(...)
            if ((noted or (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id in ("warn", "Phrase"))) and node.args):
                for text in _templates_in(node.args[0]):
                    said.append(text)
                    if text not in _words._ZH:
                        missing.append(f"{path.name}:{node.lineno}: {text!r}")
    assert len(said) >= 40 and missing == []
    from_tables = [*sources._DATUM_WORDS.values(), *sources._AREA_WORDS.values(),
                   *demand._NOTHING_INSIDE.values(), plan._MORE_SITES, pipeline._NO_AEDS_NOTE,
                   "the DataFrame",
                   "the GeoDataFrame", "the column", "day groups"]
    assert [w for w in from_tables if w not in _words._ZH] == []


def test_a_warning_is_said_in_its_language_with_its_phrases_and_edits():
    from aedplan.errors import AedplanWarning, Phrase

    w = AedplanWarning("`{name}`: of {given:,} points, {left}; they are left out and "
                       "{used:,} are used.", name="source", given=1200, used=1100,
                       left=Phrase("{a} and {b}", {
                           "a": Phrase("{n:,} lie outside the study area ({area})",
                                       {"n": 60, "area": Phrase("{where}, {km2:,.2f} km²", {
                                           "where": Phrase("the `bbox`"), "km2": 3.5})}),
                           "b": Phrase("{n:,} lie more than {m:g} m from any street",
                                       {"n": 40, "m": 200.0})}))
    moved = w.again(edit=lambda text: text.replace("`source`", "`aeds`"))
    assert str(moved) == ("`aeds`: of 1,200 points, 60 lie outside the study area (the "
                          "`bbox`, 3.50 km²) and 40 lie more than 200 m from any street; "
                          "they are left out and 1,100 are used.")
    assert moved.said(Words("zh")) == (
        "`aeds`：1,200个点中，60个位于研究区域（`bbox` 范围，3.50平方公里）之外，40个距任何"
        "街道都超过200米；这些点不计入，使用其余1,100个。")
    assert str(moved.again(lookup=Words("zh"))) == moved.said(Words("zh"))
    assert str(w) == str(moved).replace("`aeds`", "`source`")  # the first left as it was
    plain = AedplanWarning("a text from elsewhere {with braces}")  # no values: as written
    assert str(plain) == plain.said(Words("zh")) == "a text from elsewhere {with braces}"
    assert type(moved) is AedplanWarning


def test_a_chinese_run_warns_in_chinese(tmp_path):
    """`--lang zh`: the warnings on the terminal and in report.json are Chinese, and name
    the option (terminal) and the scenario key (report) as in English; the remark about
    the embedded default too."""
    import json

    from click.testing import CliRunner

    from aedplan.cli import main

    said = {}
    for lang in ("zh", "en"):
        done = CliRunner().invoke(main, ["plan", "--budget", "2", "--lang", lang, "--out",
                                         str(tmp_path / lang)])
        assert done.exit_code == 0, done.output
        said[lang] = (done.output, json.loads((tmp_path / lang / "report.json").read_text(
            encoding="utf-8"))["notes"])
    terminal, notes = said["zh"]
    assert ("aedplan: warning: 只保留了街道网络中最大的连通部分：2,759个节点中有68个位于较小的"
            "不连通部分，已去除（如需保留，请指定 `--keep-disconnected`）。") in terminal
    assert "未给出路网来源：使用随 aedplan 安装的内置默认数据" in terminal
    assert "kept the largest" not in terminal and "no network source" not in terminal.lower()
    assert ("warning: 只保留了街道网络中最大的连通部分：2,759个节点中有68个位于较小的不连通"
            "部分，已去除（如需保留，请指定 `area.keep_disconnected=true`）。") in notes
    assert "warning: `aeds.source`：1个 opening_hours 值是文字写法" in "\n".join(notes)
    terminal, notes = said["en"]
    assert ("aedplan: warning: kept the largest connected part of the street network: "
            "dropped 68 of 2,759 nodes") in terminal and "只保留" not in terminal
    assert any(n.startswith("warning: kept the largest connected part") for n in notes)


def test_a_chinese_run_from_python_warns_in_chinese_at_the_callers_line():
    import warnings

    import aedplan
    from aedplan.errors import AedplanWarning

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", AedplanWarning)
        run = aedplan.run(aedplan.Scenario().replace({"output.lang": "zh",
                                                      "goal.optimise": False}))
    ours = [w for w in caught if issubclass(w.category, AedplanWarning)]
    assert ours and all(w.filename == __file__ for w in ours)
    assert any(str(w.message).startswith("只保留了街道网络中最大的连通部分") for w in ours)
    assert not any("kept the largest" in str(w.message) for w in ours)
    assert [n for n in run.notes if n.startswith("warning: ")] == [
        f"warning: {n}" for n in dict.fromkeys(
            aedplan.scenario.in_keys(str(w.message)) for w in ours)]


def test_the_warnings_before_an_error_are_chinese_too(tmp_path):
    """A Chinese run that stops on bad input warns in Chinese first, then says its error
    in Chinese (naming the option) and writes nothing. The AEDs are made up: two points
    with lon and lat swapped."""
    from click.testing import CliRunner

    from aedplan.cli import main

    from ._data import data_path

    (tmp_path / "aeds.csv").write_text("id,lon,lat\n1,47.14,9.52\n2,47.141,9.521\n")
    done = CliRunner().invoke(main, [
        "plan", "--lang", "zh", "--osm", str(data_path("osm", "vaduz-centre-2024-03-03.osm.pbf")),
        "--aeds", str(tmp_path / "aeds.csv"), "--out", str(tmp_path / "out")])
    assert done.exit_code == 2 and not (tmp_path / "out").exists()
    assert done.output.startswith("aedplan: warning: 只保留了街道网络中最大的连通部分：892个节点中"
                                  "有31个")
    # and the error in Chinese too, the option as typed
    assert ("aedplan: error: `--aeds`：给出了2个点，没有一个位于研究区域（街道所及范围，"
            "11.67平方公里）内。经纬度是否填反了") in done.output
    assert "points given" not in done.output
    taiwan = CliRunner().invoke(main, [
        "plan", "--lang", "zh-TW", "--osm",
        str(data_path("osm", "vaduz-centre-2024-03-03.osm.pbf")),
        "--aeds", str(tmp_path / "aeds.csv"), "--out", str(tmp_path / "out")])
    assert taiwan.exit_code == 2 and "aedplan: error: `--aeds`：給出了2個點" in taiwan.output
    english = CliRunner().invoke(main, [
        "plan", "--osm", str(data_path("osm", "vaduz-centre-2024-03-03.osm.pbf")),
        "--aeds", str(tmp_path / "aeds.csv"), "--out", str(tmp_path / "out")])
    assert ("aedplan: error: `--aeds`: 2 points given, none inside the study area"
            in english.output)


def test_a_chinese_run_shows_its_steps_in_chinese(tmp_path):
    import re
    import warnings
    from contextlib import contextmanager

    import aedplan
    from aedplan.errors import AedplanWarning

    labels = []

    @contextmanager
    def step(label, key=None):
        labels.append(label)
        yield

    with warnings.catch_warnings():  # the embedded default's remarks on its data
        warnings.simplefilter("ignore", AedplanWarning)
        aedplan.run(aedplan.Scenario().replace({"goal.budget": 2, "output.lang": "zh",
                                                "output.out": tmp_path / "out"}), step=step)
    assert labels[0] == "加载步行路网" and "优化新增点位" in labels and labels[-1] == "写入结果"
    assert [label for label in labels if re.search("[a-z]{3}", label)] == []


def test_traditional_chinese_for_taiwan_and_hong_kong(monkeypatch):
    """zh-TW and zh-HK: aedplan's Simplified words converted (OpenCC) with the place's own
    words; values from the data stay as given; every template keeps its fields."""
    tw, hk = Words("zh-TW"), Words("zh-HK")
    assert tw("Legend") == hk("Legend") == "圖例"
    assert tw("only {placed:,} AEDs", placed=3) == "only 3 AEDs"  # no Chinese: as written
    assert tw("{n} new AEDs", n=3) == "3臺新AED"
    assert tw.hours("Mo-Fr 08:00-12:00, 13:30-17:00; PH off") == (
        "週一至週五 08:00-12:00，13:30-17:00；法定節假日關閉")
    assert tw.access("customers") == "僅限顧客" and tw.measure("1.45 ha") == "1.45公頃"
    assert tw.duration("3 min 59 s") == "3分鐘59秒"
    assert tw("AED {id}", id="台中市西屯區体育馆") == "AED 台中市西屯區体育馆"  # data as given
    assert tw("loading the walk network") == "載入步行路網"  # Taiwan's word, not 加载
    for english in _words._ZH:
        assert fields(tw.script(_words._ZH[english])) == fields(english)
    assert language("zh_TW") == language("zh-Hant") == language("ZH-tw") == "zh-TW"
    assert language("zh-MO") == "zh-HK" and language("zh-CN") == "zh"
    for key in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(key, raising=False)
    for locale, lang in (("zh_TW.UTF-8", "zh-TW"), ("zh_HK.UTF-8", "zh-HK"),
                         ("zh_CN.UTF-8", "zh"), ("zh_SG.UTF-8", "zh"), ("en_US.UTF-8", "en")):
        monkeypatch.setenv("LANG", locale)
        assert language() == lang, locale
    assert [_words.chinese_of(c) for c in ("TW", "HK", "MO", "CN", "LI", None)] == [
        "zh-TW", "zh-HK", "zh-HK", "zh", None, None]


def test_names_in_the_taiwanese_tags_first():
    import pandas as pd

    from aedplan._maptext import localised

    frame = pd.DataFrame({"name": ["臺中車站", "東海大學", "Rathaus"],
                          "name:zh-Hant": [None, "東海大學（總校區）", None],
                          "name:zh-TW": ["臺中火車站", None, None],
                          "name:zh-Hans": ["台中车站", None, None]})
    assert localised(frame, "name", "zh-TW") == ["臺中火車站", "東海大學（總校區）", "Rathaus"]
    assert localised(frame, "name", "zh") == ["台中车站", "東海大學", "Rathaus"]
    assert localised(frame, "name", "en") == ["臺中車站", "東海大學", "Rathaus"]


def test_a_run_in_traditional_chinese(tmp_path):
    import json

    from click.testing import CliRunner

    from aedplan.cli import main

    done = CliRunner().invoke(main, ["plan", "--budget", "2", "--lang", "zh-tw", "--out",
                                     str(tmp_path / "out")])
    assert done.exit_code == 0, done.output
    assert "aedplan: warning: 只保留了街道網路中最大的連通部分" in done.output
    assert "路網：2,691個節點" in done.output and "規劃：從" in done.output
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert report["params"]["lang"] == "zh-TW"
    page = (tmp_path / "out" / "map.html").read_text(encoding="utf-8")
    assert "圖例" in page and "图例" not in page
    assert 'lang = "zh-TW"' in (tmp_path / "out" / "scenario.toml").read_text(encoding="utf-8")


def test_taiwans_words_its_weekdays_and_its_spellings(tmp_path, monkeypatch):
    """zh-TW says 公尺 and 週一; the page says its language; zh_TW and zh-Hant are zh-TW
    on the command line and in a scenario file; init writes the file in Traditional."""
    from click.testing import CliRunner
    from matplotlib.axes import Axes

    from aedplan import figure
    from aedplan.cli import main
    from aedplan.scenario import Scenario

    tw = Words("zh-TW")
    assert tw.measure("250 m") == "250公尺" and Words("zh-HK").measure("250 m") == "250米"
    assert tw("building demand points") == "產生需求點"
    ticks = []
    monkeypatch.setattr(Axes, "set_xticks",
                        lambda self, at, labels=None, **kw: ticks.append(list(labels or [])))
    figure.render_week_png(np.full(168, 0.2), None, tmp_path / "week.png", lang="zh-TW")
    assert ticks[0] == ["週一", "週二", "週三", "週四", "週五", "週六", "週日"]
    assert Scenario.from_toml('[output]\nlang = "zh-Hant"\n').output.lang == "zh-TW"
    assert Scenario.from_toml('[output]\nlang = "zh_hk"\n').output.lang == "zh-HK"
    done = CliRunner().invoke(main, ["init", "--lang", "zh_TW", str(tmp_path / "s.toml")])
    assert done.exit_code == 0 and done.output.startswith("已寫入")
    text = (tmp_path / "s.toml").read_text(encoding="utf-8")
    assert 'lang = "zh-TW"' in text and "一個規劃方案" in text and "一个" not in text
    bad = CliRunner().invoke(main, ["plan", "--lang", "tw", "--out", str(tmp_path / "o")])
    assert bad.exit_code == 2 and "`--lang` must be 'en'" in bad.output


def test_the_page_says_its_language():
    import geopandas as gpd

    import aedplan
    from aedplan.render import page_html

    aed = gpd.GeoDataFrame(geometry=gpd.points_from_xy([0], [0]), crs="EPSG:32632")
    for lang in ("en", "zh", "zh-TW"):
        page = page_html(aedplan.render_map(aedplan.MapLayers(aeds=aed), lang=lang))
        assert page.startswith(f'<!DOCTYPE html>\n<html lang="{lang}">')


def test_a_name_inside_a_traditional_warning_stays_as_written():
    """A file named in Simplified characters keeps its name in a zh-TW warning; the
    words around it are Traditional."""
    from aedplan.errors import AedplanWarning, Phrase

    w = AedplanWarning("`{argument}`: {what} has {n} non-point geometries ({detail}); each "
                       "was replaced by a representative point inside it.", argument="aeds",
                       what=Phrase("龙岩市急救点.geojson"), n=2, detail="2 Polygon")
    said = w.said(Words("zh-TW"))
    assert said.startswith("`aeds`：龙岩市急救点.geojson中有2個非點幾何")
    assert w.said(Words("zh-TW")).count("龙岩市急救点") == 1


def test_the_charts_warn_in_the_runs_language(tmp_path, monkeypatch):
    """The charts are drawn as the files are written: a missing Chinese font is said in
    Chinese too."""
    import warnings

    import aedplan
    from aedplan import figure
    from aedplan.errors import AedplanWarning

    monkeypatch.setattr(figure, "_cjk_font", lambda traditional=False: None)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", AedplanWarning)
        aedplan.run(aedplan.Scenario().replace({"goal.budget": 2, "output.lang": "zh",
                                                "output.out": tmp_path / "out"}))
    said = [str(w.message) for w in caught if "fonts-noto-cjk" in str(w.message)]
    assert said and all(s.startswith("没有安装含中文字形的字体") for s in said)
