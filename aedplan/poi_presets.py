"""Which places may host a new AED: sets of OpenStreetMap tags, by the rule they follow.

- ``"default"`` (:data:`DEFAULT_POI_TAGS`): places that host public AEDs in practice in
  Europe and North America: staffed places many people pass through, open long hours.
- ``"cn-nhc-2021"`` (:data:`CN_NHC_2021`): the priority places of China's National Health
  Commission guideline 《公共场所自动体外除颤器配置指南（试行）》 (国卫办医函〔2021〕602号,
  13 December 2021), which recommends AEDs first "in urban rail transit, coaches, trains,
  aircraft and transport stations, large enterprises and public institutions and
  government offices, factory workshops, city squares, education and training
  institutions, elderly-care institutions, communities, sports and cultural and
  entertainment venues, large malls and supermarkets, hotels, tourist attractions,
  schools, kindergartens and other crowded places, and in emergency vehicles such as
  police cars and fire engines". Each tag carries the guideline's words it stands for.

Every kind of place has an English ``kind`` and a Chinese name (:data:`KIND_ZH`), so
candidates and proposed sites can be named in either language.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .errors import InputError, Joined

__all__ = [
    "CN_NHC_2021",
    "DEFAULT_POI_TAGS",
    "KIND_ZH",
    "POI_PRESETS",
    "PresetTag",
    "poi_preset",
]

#: OSM ``(key, value)`` tags of places that host public AEDs in practice, each with the
#: short ``kind`` label it gets: staffed places many people pass through, open long
#: hours. When a feature matches several, the first in this order gives its kind.
DEFAULT_POI_TAGS: dict[tuple[str, str], str] = {
    # transport hubs
    ("railway", "station"): "station",
    ("public_transport", "station"): "station",
    ("railway", "halt"): "station",
    ("amenity", "bus_station"): "bus_station",
    # health care
    ("amenity", "hospital"): "hospital",
    ("amenity", "clinic"): "clinic",
    ("amenity", "doctors"): "doctors",
    ("amenity", "pharmacy"): "pharmacy",
    # public services
    ("amenity", "townhall"): "townhall",
    ("amenity", "police"): "police",
    ("amenity", "fire_station"): "fire_station",
    ("amenity", "library"): "library",
    ("amenity", "community_centre"): "community_centre",
    ("amenity", "post_office"): "post_office",
    # education
    ("amenity", "school"): "school",
    ("amenity", "university"): "university",
    ("amenity", "college"): "college",
    # sport
    ("leisure", "sports_centre"): "sports_centre",
    ("leisure", "stadium"): "stadium",
    ("leisure", "fitness_centre"): "fitness_centre",
    # shopping; convenience shops and petrol stations are often open 24/7
    ("shop", "mall"): "mall",
    ("shop", "supermarket"): "supermarket",
    ("shop", "convenience"): "convenience",
    ("amenity", "fuel"): "fuel",
    # banks and ATM lobbies (often accessible 24/7), churches, hotels (staffed at night)
    ("amenity", "bank"): "bank",
    ("amenity", "atm"): "atm",
    ("amenity", "place_of_worship"): "place_of_worship",
    ("tourism", "hotel"): "hotel",
}


@dataclass(frozen=True)
class PresetTag:
    """One OSM tag of a preset: the ``kind`` of place it marks, in English and Chinese,
    and the words of the rule it stands for."""

    key: str
    value: str
    kind: str
    kind_zh: str
    rule: str


#: The priority places of 国卫办医函〔2021〕602号 as OSM tags, in the guideline's order;
#: ``rule`` quotes the guideline's words each tag stands for. A metro station is tagged
#: ``station=subway`` beside ``railway=station``, so it comes first.
CN_NHC_2021: tuple[PresetTag, ...] = (
    PresetTag("station", "subway", "metro_station", "地铁站", "城市轨道交通"),
    PresetTag("railway", "station", "railway_station", "火车站", "铁路列车、交通场站"),
    PresetTag("railway", "halt", "railway_station", "火车站", "铁路列车、交通场站"),
    PresetTag("public_transport", "station", "transport_station", "交通场站", "交通场站"),
    PresetTag("amenity", "bus_station", "coach_station", "长途汽车站", "长途车、交通场站"),
    PresetTag("aeroway", "terminal", "airport", "机场航站楼", "飞机、交通场站"),
    PresetTag("amenity", "ferry_terminal", "ferry_terminal", "客运码头", "交通场站"),
    PresetTag("highway", "services", "motorway_services", "高速公路服务区", "交通场站"),
    PresetTag("office", "government", "government_office", "政府机关", "大型企事业机关单位"),
    PresetTag("amenity", "townhall", "townhall", "政府机关", "大型企事业机关单位"),
    PresetTag("amenity", "courthouse", "courthouse", "法院", "大型企事业机关单位"),
    PresetTag("man_made", "works", "factory", "工厂", "工厂车间"),
    PresetTag("place", "square", "square", "城市广场", "城市广场"),
    PresetTag("amenity", "university", "university", "高等院校", "教育和培训机构"),
    PresetTag("amenity", "college", "college", "高等院校", "教育和培训机构"),
    PresetTag("amenity", "training", "training_centre", "培训机构", "教育和培训机构"),
    PresetTag("amenity", "language_school", "training_centre", "培训机构", "教育和培训机构"),
    PresetTag("amenity", "driving_school", "training_centre", "培训机构", "教育和培训机构"),
    PresetTag("social_facility", "nursing_home", "elderly_care", "养老机构", "养老机构"),
    PresetTag("social_facility", "assisted_living", "elderly_care", "养老机构", "养老机构"),
    PresetTag("amenity", "nursing_home", "elderly_care", "养老机构", "养老机构"),
    PresetTag("amenity", "community_centre", "community_centre", "社区服务中心", "社区"),
    PresetTag("amenity", "social_centre", "community_centre", "社区服务中心", "社区"),
    PresetTag("landuse", "residential", "residential_community", "居民小区", "社区"),
    PresetTag("leisure", "stadium", "stadium", "体育场馆", "体育和文化娱乐场所"),
    PresetTag("leisure", "sports_centre", "sports_centre", "体育场馆", "体育和文化娱乐场所"),
    PresetTag("leisure", "sports_hall", "sports_centre", "体育场馆", "体育和文化娱乐场所"),
    PresetTag("leisure", "fitness_centre", "fitness_centre", "健身房", "体育和文化娱乐场所"),
    PresetTag("amenity", "theatre", "theatre", "剧院", "体育和文化娱乐场所"),
    PresetTag("amenity", "cinema", "cinema", "电影院", "体育和文化娱乐场所"),
    PresetTag("amenity", "arts_centre", "arts_centre", "文化馆", "体育和文化娱乐场所"),
    PresetTag("amenity", "library", "library", "图书馆", "体育和文化娱乐场所"),
    PresetTag("tourism", "museum", "museum", "博物馆", "体育和文化娱乐场所"),
    PresetTag("amenity", "exhibition_centre", "exhibition_centre", "会展中心",
              "体育和文化娱乐场所"),
    PresetTag("shop", "mall", "mall", "商场", "大型商超"),
    PresetTag("shop", "department_store", "department_store", "百货商店", "大型商超"),
    PresetTag("shop", "supermarket", "supermarket", "超市", "大型商超"),
    PresetTag("tourism", "hotel", "hotel", "酒店", "酒店"),
    PresetTag("tourism", "attraction", "attraction", "旅游景点", "旅游景点"),
    PresetTag("tourism", "theme_park", "theme_park", "主题公园", "旅游景点"),
    PresetTag("tourism", "zoo", "zoo", "动物园", "旅游景点"),
    PresetTag("tourism", "aquarium", "aquarium", "水族馆", "旅游景点"),
    PresetTag("amenity", "school", "school", "学校", "学校"),
    PresetTag("amenity", "kindergarten", "kindergarten", "幼儿园", "幼儿园"),
    PresetTag("amenity", "police", "police", "派出所", "警车等应急载具（所在单位）"),
    PresetTag("amenity", "fire_station", "fire_station", "消防站", "消防车等应急载具（所在单位）"),
)

#: The Chinese name of every kind of place of the presets.
KIND_ZH: dict[str, str] = {
    "station": "车站",
    "bus_station": "汽车站",
    "hospital": "医院",
    "clinic": "诊所",
    "doctors": "诊所",
    "pharmacy": "药店",
    "townhall": "政府机关",
    "police": "派出所",
    "fire_station": "消防站",
    "library": "图书馆",
    "community_centre": "社区服务中心",
    "post_office": "邮局",
    "school": "学校",
    "university": "高等院校",
    "college": "高等院校",
    "sports_centre": "体育场馆",
    "stadium": "体育场馆",
    "fitness_centre": "健身房",
    "mall": "商场",
    "supermarket": "超市",
    "convenience": "便利店",
    "fuel": "加油站",
    "bank": "银行",
    "atm": "自动柜员机",
    "place_of_worship": "宗教场所",
    "hotel": "酒店",
    **{t.kind: t.kind_zh for t in CN_NHC_2021},
}

#: The presets by name, as ``{(key, value): kind}`` mappings (first match wins).
POI_PRESETS: dict[str, dict[tuple[str, str], str]] = {
    "default": DEFAULT_POI_TAGS,
    "cn-nhc-2021": {(t.key, t.value): t.kind for t in CN_NHC_2021},
}


def poi_preset(name: str) -> Mapping[tuple[str, str], str]:
    """The tags of preset ``name`` (:data:`POI_PRESETS`).

    >>> poi_preset("cn-nhc-2021")[("amenity", "kindergarten")]
    'kindergarten'
    >>> KIND_ZH["kindergarten"]
    '幼儿园'
    """
    key = str(name).strip().lower()
    if key not in POI_PRESETS:
        raise InputError(
            "`poi_preset` must be one of {presets}; got "
            "{name!r}. 'cn-nhc-2021' follows China's National Health Commission guideline "
            "of 2021.", presets=Joined([repr(k) for k in POI_PRESETS], sep=", "), name=name
        )
    return POI_PRESETS[key]
