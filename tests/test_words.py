"""The map's words: every Chinese template fills in the same values as its English one."""

from __future__ import annotations

import string

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
