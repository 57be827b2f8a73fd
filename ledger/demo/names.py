"""Names of the fictional city: counties, townships and people (all invented).

Places are built from pinyin syllables paired with a character, so that every account
component is PascalCase ASCII pinyin (SPEC §2) and every Chinese name matches it. The first
two counties borrow the names SPEC uses in its examples (迎泽区, 万柏林区 with 柳巷街道) so that
the demo books read like the contract; everything else is drawn from the syllable table.
"""

from __future__ import annotations

import dataclasses
import random

#: (pinyin, character) pairs for place names.
SYLLABLES: tuple[tuple[str, str], ...] = (
    ("Qing", "青"),
    ("He", "河"),
    ("Shan", "山"),
    ("Dong", "东"),
    ("Xi", "西"),
    ("Nan", "南"),
    ("Bei", "北"),
    ("Hua", "华"),
    ("Xing", "兴"),
    ("An", "安"),
    ("Ping", "平"),
    ("Kang", "康"),
    ("Fu", "富"),
    ("Chang", "长"),
    ("Ning", "宁"),
    ("Yuan", "源"),
    ("Quan", "泉"),
    ("Lin", "林"),
    ("Feng", "丰"),
    ("Tai", "太"),
    ("Jin", "金"),
    ("Shui", "水"),
    ("Yang", "阳"),
    ("Qiao", "桥"),
    ("Song", "松"),
    ("Liu", "柳"),
    ("Hong", "红"),
    ("Bai", "白"),
    ("Shi", "石"),
    ("Tian", "田"),
    ("Xin", "新"),
    ("Mei", "梅"),
    ("Hu", "湖"),
    ("Gu", "古"),
    ("Zhuang", "庄"),
    ("Jia", "家"),
    ("Hai", "海"),
    ("Ma", "马"),
    ("Long", "龙"),
    ("Yun", "云"),
    ("Jing", "井"),
    ("Lu", "鹿"),
    ("Cheng", "城"),
    ("Wen", "文"),
    ("Miao", "庙"),
    ("Qian", "前"),
    ("Bao", "宝"),
    ("Sheng", "盛"),
    ("Guang", "光"),
    ("Rui", "瑞"),
)

#: A place: (component, Chinese name, case-number abbreviation).
Place = tuple[str, str, str]

#: Fixed counties first, each with its first townships.
FIXED_COUNTIES: tuple[tuple[Place, tuple[Place, ...]], ...] = (
    (
        ("Yingze", "迎泽区", "YZ"),
        (
            ("Liuxiang", "柳巷街道", "LX"),
            ("Wenmiao", "文庙街道", "WM"),
            ("Miaoqian", "庙前街道", "MQ"),
        ),
    ),
    (
        ("Wanbailin", "万柏林区", "WBL"),
        (
            ("Qianfeng", "千峰街道", "QF"),
            ("Xinghua", "兴华街道", "XH"),
            ("Dongshe", "东社街道", "DS"),
        ),
    ),
)

_TOWNSHIP_SUFFIXES = ("街道", "镇", "镇", "乡")
_COUNTY_SUFFIXES = ("区", "县", "县")

#: Common Chinese surnames, most frequent first.
SURNAMES: tuple[str, ...] = tuple(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏"
    "魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵"
)

#: Given names commonly borne by men and by women of the generations relief reaches.
GIVEN_MALE: tuple[str, ...] = (
    "建国",
    "志强",
    "伟",
    "强",
    "磊",
    "军",
    "勇",
    "杰",
    "涛",
    "明",
    "超",
    "刚",
    "平",
    "辉",
    "鹏",
    "华",
    "飞",
    "鑫",
    "波",
    "斌",
    "宇",
    "浩",
    "凯",
    "健",
    "俊",
    "帆",
    "旭",
    "宁",
    "龙",
    "林",
    "峰",
    "建华",
    "建军",
    "国强",
    "文",
    "海",
    "春生",
    "福来",
    "保国",
    "长青",
    "振华",
)
GIVEN_FEMALE: tuple[str, ...] = (
    "秀英",
    "桂英",
    "秀兰",
    "玉兰",
    "桂兰",
    "凤英",
    "淑珍",
    "丽",
    "静",
    "敏",
    "燕",
    "艳",
    "娟",
    "霞",
    "芳",
    "娜",
    "丹",
    "玲",
    "萍",
    "红",
    "玉梅",
    "丽娟",
    "婷",
    "雪",
    "慧",
    "晶",
    "颖",
    "倩",
    "琳",
    "秀珍",
    "淑英",
    "金花",
    "春梅",
    "翠兰",
    "巧云",
)

#: Names written with a middle dot (Uyghur and other transliterated names).
DOTTED_NAMES: tuple[str, ...] = ("阿依古丽·买买提", "艾力·吐尔逊", "古丽娜·阿不都")


@dataclasses.dataclass(frozen=True)
class Township:
    """A township of the demo city."""

    county: str
    township: str
    name: str
    abbr: str
    population: int
    bank_account: str
    index: int


@dataclasses.dataclass(frozen=True)
class County:
    """A county of the demo city, with its townships."""

    county: str
    name: str
    abbr: str
    region: str
    bank_account: str
    townships: tuple[Township, ...]

    @property
    def bureau(self) -> str:
        """Return the county civil-affairs bureau's name (e.g. 迎泽区民政局)."""
        return self.name + "民政局"


def _unique(abbr: str, used: set[str]) -> str:
    candidate, n = abbr, 2
    while candidate in used:
        candidate, n = f"{abbr}{n}", n + 1
    used.add(candidate)
    return candidate


def bank_account(rng: random.Random, head: str) -> str:
    """Return a 20-digit account number (never a 16-19 digit card-shaped run)."""
    return head + "".join(rng.choice("0123456789") for _ in range(20 - len(head)))


def _place(rng: random.Random, taken: set[str], suffixes: tuple[str, ...]) -> Place:
    while True:
        first, second = rng.sample(SYLLABLES, 2)
        component = first[0] + second[0].lower()
        if component not in taken:
            taken.add(component)
            name = first[1] + second[1] + rng.choice(suffixes)
            return component, name, first[0][0] + second[0][0]


def build_city(rng: random.Random, counties: int, per_county: int) -> list[County]:
    """Return `counties` counties of `per_county` townships each, deterministic for rng."""
    result: list[County] = []
    county_taken: set[str] = set()
    # Township components are unique in the whole city: an approval record names its
    # township only (SPEC §3), so the same component in two counties would be ambiguous.
    township_taken = {t for _, fixed in FIXED_COUNTIES[:counties] for t, _, _ in fixed}
    county_abbrs: set[str] = set()
    for ci in range(counties):
        fixed: tuple[Place, ...] = ()
        if ci < len(FIXED_COUNTIES):
            (component, name, abbr), fixed = FIXED_COUNTIES[ci]
            county_taken.add(component)
        else:
            component, name, abbr = _place(rng, county_taken, _COUNTY_SUFFIXES)
        abbr = _unique(abbr, county_abbrs)
        region = f"14{(ci // 90) + 1:02d}{(ci % 90) + 10:02d}"
        abbrs: set[str] = set()
        townships: list[Township] = []
        for ti in range(per_county):
            if ti < len(fixed):
                t_component, t_name, t_abbr = fixed[ti]
            else:
                t_component, t_name, t_abbr = _place(
                    rng, township_taken, _TOWNSHIP_SUFFIXES
                )
            townships.append(
                Township(
                    county=component,
                    township=t_component,
                    name=t_name,
                    abbr=_unique(t_abbr, abbrs),
                    population=rng.randrange(8_000, 90_000),
                    bank_account=bank_account(rng, "1402"),
                    index=ti,
                )
            )
        result.append(
            County(
                component, name, abbr, region, bank_account(rng, "1401"), tuple(townships)
            )
        )
    return result


def township_approver(township: Township) -> str:
    """Return the body that approves at township level (街道办事处 / 人民政府)."""
    if township.name.endswith("街道"):
        return township.name + "办事处"
    return township.name + "人民政府"
