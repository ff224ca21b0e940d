"""Errors in the run's language: every error aedplan raises is an English template with
its values, and has its Chinese."""

from __future__ import annotations

import ast
import string
from pathlib import Path

import pytest

import aedplan
from aedplan import _words, errors
from aedplan._words import Words

_ERRORS = {name for name, obj in vars(errors).items()
           if isinstance(obj, type) and issubclass(obj, errors.AedplanError)}


def _fields(text: str) -> set[str]:
    """The names a template takes (``{n:,}`` -> ``n``)."""
    names = set()
    for _, field, _, _ in string.Formatter().parse(text):
        if field is not None:
            names.add(field.split(".")[0].split("[")[0])
    return names


def _texts(node: ast.AST) -> list[str] | None:
    """The constant texts an argument can be (both sides of ``a if c else b``); None
    when it is not a constant text."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        body, orelse = _texts(node.body), _texts(node.orelse)
        return None if body is None or orelse is None else body + orelse
    return None


def _error_calls():
    root = Path(aedplan.__file__).parent
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id in _ERRORS and node.args):
                yield f"{path.relative_to(root)}:{node.lineno}", node


def test_every_error_is_a_template_with_its_chinese():
    offences, checked = [], 0
    for where, node in _error_calls():
        texts = _texts(node.args[0])
        if texts is None:
            kind = "an f-string" if isinstance(node.args[0], ast.JoinedStr) else "a text made"
            offences.append(f"{where}: {kind}; raise with a template and its values")
            continue
        given = {k.arg for k in node.keywords}
        spread = any(k.arg is None for k in node.keywords)
        for text in texts:
            checked += 1
            if text not in _words._ZH:
                offences.append(f"{where}: no Chinese for {text!r}")
                continue
            if node.keywords and not spread and _fields(text) != given:
                offences.append(f"{where}: {text!r} takes {sorted(_fields(text))}, "
                                f"given {sorted(given)}")
            if not node.keywords and _fields(_words._ZH[text]):
                offences.append(f"{where}: the Chinese of {text!r} takes values; it has none")
            extra = _fields(_words._ZH[text]) - _fields(text)
            if extra:
                offences.append(f"{where}: the Chinese of {text!r} takes {sorted(extra)}")
    assert offences == []
    assert checked >= 200


def test_an_error_is_said_in_english_and_in_the_runs_language():
    from aedplan.errors import InputError, Phrase

    exc = InputError("{error} {more}", error=Phrase("`{name}` is wrong", {"name": "x"}),
                     more=Phrase("For more candidate sites use `candidates='nodes'` with a "
                                 "smaller `node_spacing` (0 takes every street node) or a "
                                 "file of sites."))
    assert str(exc).startswith("`x` is wrong For more candidate sites")
    assert exc.args == (str(exc),)
    exc.speak(Words("zh"))
    assert "如需更多候选点位" in str(exc)
    exc.edit(lambda text: text.replace("`x`", "`--x`"))
    assert "`--x`" in str(exc) and "`--x`" in exc.args[0]
    assert "如需更多候選點位" in exc.said(Words("zh-TW"))
    with pytest.raises(InputError, match="For more"):  # pytest and except see English
        raise InputError("{error} {more}", error="a", more=Phrase(
            "For more candidate sites use `candidates='nodes'` with a smaller "
            "`node_spacing` (0 takes every street node) or a file of sites."))


def test_an_error_found_in_the_options_is_said_in_the_commands_language(tmp_path):
    """Found before any run starts (the options themselves): said in ``--lang``."""
    from click.testing import CliRunner

    from aedplan.cli import main

    zh = CliRunner().invoke(main, ["plan", "--lang", "zh", "--budget", "-3",
                                   "--out", str(tmp_path / "out")])
    en = CliRunner().invoke(main, ["plan", "--budget", "-3", "--out", str(tmp_path / "out")])
    assert zh.exit_code == en.exit_code == 2 and not (tmp_path / "out").exists()
    assert en.output.startswith("aedplan: error: `--budget`")
    assert zh.output.startswith("aedplan: error: `--budget`")
    said = zh.output.split("`--budget`", 1)[1]
    assert any("\u4e00" <= c <= "\u9fff" for c in said), zh.output
    assert said != en.output.split("`--budget`", 1)[1]


def test_a_run_in_chinese_raises_its_error_in_chinese(tmp_path):
    """A notebook sees the error of a Chinese run in Chinese; its English stays in its
    ``args``; pickling (a cluster's worker) keeps its class, values and language."""
    import pickle

    missing = tmp_path / "nowhere.csv"
    scenario = aedplan.Scenario().replace({"output.lang": "zh", "aeds.source": str(missing)})
    with pytest.raises(errors.InputError) as caught:
        aedplan.run(scenario)
    said = str(caught.value)
    assert "nowhere.csv" in said and any("\u4e00" <= c <= "\u9fff" for c in said), said
    english = caught.value.said(Words("en"))
    assert english.isascii() and english == caught.value.args[0]
    with pytest.raises(errors.InputError) as plain:
        aedplan.run(scenario.replace({"output.lang": "en"}))
    assert str(plain.value) == english
    back = pickle.loads(pickle.dumps(caught.value))
    assert type(back) is errors.InputError and str(back) == said
    assert back.said(Words("en")) == english and back.said(Words("zh-TW")) != said


def test_the_command_lines_chinese_advice_matches_the_errors_chinese():
    """The command line replaces Python advice in a Chinese error with its own: each
    piece it looks for is in an error's Chinese (a reworded error would lose it)."""
    from aedplan import cli

    chinese = list(_words._ZH.values())
    assert [k for k in cli._CLI_ADVICE_ZH if not any(k in text for text in chinese)] == []
    assert len(cli._CLI_ADVICE_ZH) == len(cli._CLI_ADVICE)


def test_taiwan_says_columns_and_rows_in_its_own_words():
    """In Taiwan a column is 欄 and a row 列 (the mainland's 列 and 行); words where those
    characters mean neither keep them. Hong Kong writes as the mainland does."""
    said = Words("zh-TW").script("a.csv 中没有 '开放时间' 列；其列为 a、b。第3行起读取；"
                                 "删除这些行。")
    assert said == "a.csv 中沒有 '開放時間' 欄；其欄為 a、b。第3列起讀取；刪除這些列。"
    kept = Words("zh-TW").script("按顺序排列；数组；打印；下列点位；运行；步行；行政区；"
                                 "列支敦士登；重复列出")
    assert "欄" not in kept and kept.count("列") == 6 and "步行" in kept and "行政" in kept
    assert Words("zh-HK").script("其列为 a；第3行") == "其列為 a；第3行"


def _cli(args, env=None):
    from click.testing import CliRunner

    from aedplan.cli import main

    return CliRunner(env=env).invoke(main, args, prog_name="aedplan")


@pytest.mark.parametrize(("args", "chinese", "english"), [
    (["plan", "--budget", "十"], "`--budget` 须为整数，实际为 '十'（见 `aedplan plan --help`）。",
     "Invalid value for '--budget': '十' is not a valid integer (see `aedplan plan --help`)."),
    (["plan", "--datum", "wgs-84"], "`--datum` 须为 'wgs84', 'gcj02', 'bd09' 之一，实际为 "
     "'wgs-84'", "is not one of 'wgs84', 'gcj02', 'bd09'"),
    (["plan", "--bugdet", "3"], "没有 `--bugdet` 这个选项；是否应为 '--budget'",
     "No such option '--bugdet'"),
    (["plan", "--bbox", "1,2,3"], "`--bbox` 须为以度为单位的四个数", "expected four numbers"),
])
def test_the_command_lines_own_complaints_are_said_in_its_language(args, chinese, english):
    zh = _cli([*args, "--lang", "zh", "--out", "never"])
    en = _cli([*args, "--out", "never"], env={"LANG": "C.UTF-8", "LC_ALL": None})
    assert zh.exit_code == en.exit_code == 2
    assert zh.output.startswith("aedplan: error: ") and chinese in zh.output, zh.output
    assert english in en.output and en.output.isascii() == all(c.isascii() for c in args)


def test_the_locale_speaks_when_no_lang_is_given():
    done = _cli(["plan", "--budget", "-3", "--out", "never"],
                env={"LANG": "zh_CN.UTF-8", "LC_ALL": None, "LC_MESSAGES": None})
    assert done.exit_code == 2 and "`--budget` 必须大于或等于0" in done.output


def test_lang_on_the_command_line_wins_over_the_files(tmp_path):
    """A scenario file asking for Chinese has its errors in Chinese, unless the command
    line asks for English; a file TOML cannot read is said as its `lang` line asks, and
    a file saved by Chinese Notepad (GB18030) in Chinese."""
    toml = tmp_path / "s.toml"
    toml.write_text('[output]\nlang = "zh"\n[goal]\nbudget = -2\n', encoding="utf-8")
    zh = _cli(["plan", str(toml), "--out", str(tmp_path / "o")])
    en = _cli(["plan", str(toml), "--lang", "en", "--out", str(tmp_path / "o")])
    assert "`goal.budget` 必须大于或等于0，实际为 -2（s.toml，第4行）。" in zh.output
    assert "`goal.budget` must be >= 0, got -2 (s.toml, line 4)." in en.output
    toml.write_text('[output]\nlang = "zh-TW"\n[目标]\nbudget = 2\n', encoding="utf-8")
    unread = _cli(["plan", str(toml), "--out", str(tmp_path / "o")])
    assert "TOML 語法有誤（s.toml）" in unread.output
    assert "第3列用中文寫了表名或鍵名" in unread.output  # (a row of the file, in Taiwan)
    toml.write_bytes("# 方案\n[goal]\nbudget = 2\n".encode("gb18030"))
    notepad = _cli(["plan", str(toml), "--out", str(tmp_path / "o")])
    assert "s.toml 不是 UTF-8 文本；请另存为 UTF-8。" in notepad.output
    assert not (tmp_path / "o").exists()


def test_streets_outside_a_polygon_name_the_polygon(tmp_path):
    """A study area given as a polygon (made up, in Beijing) holding none of the
    streets: the error names `polygon`, not the bbox the user never gave."""
    import json

    from ._data import data_path

    square = [[116.3, 39.9], [116.4, 39.9], [116.4, 40.0], [116.3, 40.0], [116.3, 39.9]]
    (tmp_path / "area.geojson").write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {},
         "geometry": {"type": "Polygon", "coordinates": [square]}}]}))
    done = _cli(["coverage", "--osm", str(data_path("osm", "vaduz-centre-2024-03-03.osm.pbf")),
                 "--polygon", str(tmp_path / "area.geojson"), "--out", str(tmp_path / "o")])
    assert done.exit_code == 2
    assert "aedplan: error: `--polygon`: no street of the network lies inside" in done.output


def test_every_translation_takes_only_the_values_its_english_gives():
    """Any Chinese template (map, warnings, errors, phrases) names only fields its English
    has; one that did not would be said in English rather than fail."""
    from aedplan.errors import Phrase

    extra = {k: v for k, v in _words._ZH.items() if not _fields(v) <= _fields(k)}
    assert extra == {}
    assert len(_words._ZH) > 700
    broken = Phrase("{n} points", {"n": 3})
    assert broken.said(lambda text: "{m}个点") == "3 points"  # the English, not a KeyError


def test_an_edited_error_pickles_as_it_says_itself():
    """An error edited where it was re-raised (a closure) still travels from a worker."""
    import pickle

    exc = errors.InputError("`{name}`: {n:,} rows have no place.", name="source", n=3)
    exc.edit(lambda text: text.replace("`source`", "`aeds`"))
    back = pickle.loads(pickle.dumps(exc))
    assert type(back) is errors.InputError
    assert str(back) == back.args[0] == "`aeds`: 3 rows have no place."
    plain = pickle.loads(pickle.dumps(errors.DataError("{n} {{braces}}", n=1)))
    assert str(plain) == "1 {braces}" and plain.values == {"n": 1}
