"""The POI presets: the Chinese guideline's priority places as OSM tags, the table in the
docs, kinds in two languages, and the preset chosen on the command line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from aedplan.errors import InputError
from aedplan.poi_presets import CN_NHC_2021, DEFAULT_POI_TAGS, KIND_ZH, POI_PRESETS, poi_preset

DOCS = Path(__file__).resolve().parents[1] / "docs" / "poi-presets.md"

#: The places 国卫办医函〔2021〕602号 names, in its order (section 二, 规划配置).
GUIDELINE = ("城市轨道交通", "长途车", "铁路列车", "飞机", "交通场站", "大型企事业机关单位",
             "工厂车间", "城市广场", "教育和培训机构", "养老机构", "社区", "体育和文化娱乐场所",
             "大型商超", "酒店", "旅游景点", "学校", "幼儿园", "警车", "消防车")


def test_every_place_of_the_guideline_has_a_tag_and_every_tag_a_place():
    words = [re.sub(r"等应急载具（所在单位）$", "", part)
             for tag in CN_NHC_2021 for part in tag.rule.split("、")]
    assert set(words) == set(GUIDELINE)


def test_tags_are_unique_and_kinds_named_in_both_languages():
    pairs = [(t.key, t.value) for t in CN_NHC_2021]
    assert len(pairs) == len(set(pairs))
    for preset in POI_PRESETS.values():
        for kind in preset.values():
            assert KIND_ZH[kind] and re.fullmatch(r"[a-z_]+", kind)
    assert poi_preset("CN-NHC-2021 ")[("station", "subway")] == "metro_station"
    assert poi_preset("default") is DEFAULT_POI_TAGS
    with pytest.raises(InputError, match=r"`poi_preset` must be one of 'default', "
                       r"'cn-nhc-2021'; got 'cn'"):
        poi_preset("cn")


def test_the_docs_table_is_the_preset():
    text = DOCS.read_text(encoding="utf-8")
    rows = re.findall(r"^\| `([^=`]+)=([^`]+)` \| (\w+) \| ([^|]+) \| ([^|]+) \|$", text,
                      flags=re.M)
    assert [(k, v, kind, zh.strip(), rule.strip()) for k, v, kind, zh, rule in rows] == [
        (t.key, t.value, t.kind, t.kind_zh, t.rule) for t in CN_NHC_2021]
    default = re.findall(r"^\| `([^=`]+)=([^`]+)` \| (\w+) \| ([^|]+) \|$", text, flags=re.M)
    assert {(k, v): kind for k, v, kind, _ in default} == DEFAULT_POI_TAGS
    assert "© OpenStreetMap contributors" in text


def test_the_preset_on_a_real_extract(tmp_path):
    """Liechtenstein with the Chinese preset: schools, kindergartens, care homes and
    residential areas become candidates, pharmacies and banks do not; kinds in Chinese."""
    from aedplan.candidates import candidates_from_pois

    from .conftest import data_path

    path = data_path("osm", "vaduz-schaan-2024-03-03.osm.pbf")
    cn = candidates_from_pois(path, tags=poi_preset("cn-nhc-2021"))
    default = candidates_from_pois(path)
    kinds = set(cn["kind"])
    assert {"school", "kindergarten", "residential_community"} <= kinds
    assert not {"pharmacy", "bank", "atm"} & kinds and "pharmacy" in set(default["kind"])
    assert (cn["kind:zh"] == cn["kind"].map(KIND_ZH)).all()
    assert set(cn.loc[cn["kind"] == "kindergarten", "kind:zh"]) == {"幼儿园"}
    own = candidates_from_pois(path, tags=[("amenity", "pharmacy", "apotheke")])
    assert len(own) and own["kind:zh"].isna().all()  # kinds of one's own have no Chinese


def test_plan_with_the_chinese_preset(tmp_path):
    import json

    import pandas as pd
    from click.testing import CliRunner

    from aedplan.cli import main

    from .conftest import data_path

    out = tmp_path / "out"
    result = CliRunner().invoke(main, [
        "plan", "--osm", str(data_path("osm", "vaduz-centre-2024-03-03.osm.pbf")),
        "--poi-preset", "cn-nhc-2021", "--budget", "3", "--lang", "zh", "--out", str(out)])
    assert result.exit_code == 0, result.output
    report = json.loads((out / "report.json").read_text())
    assert report["params"]["poi_preset"] == "cn-nhc-2021"
    sites = pd.read_csv(out / "proposed_sites.csv")
    assert set(sites["kind"]) <= set(POI_PRESETS["cn-nhc-2021"].values())
    assert (sites["kind:zh"] == sites["kind"].map(KIND_ZH)).all()
    page = (out / "map.html").read_text()
    for zh in sites["kind:zh"]:
        assert zh in page or zh.encode("unicode_escape").decode() in page
    bad = CliRunner().invoke(main, ["plan", "--poi-preset", "cn", "--out", str(tmp_path / "x")])
    assert bad.exit_code == 2 and "--poi-preset" in bad.output
