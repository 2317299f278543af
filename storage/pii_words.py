"""Masking people's names and street addresses in what users write.

Names: after words that introduce one (我叫, 我是, 本人, 姓名, 名字叫, 老板叫, 我老公叫 …), a common Chinese surname
and one or two more characters become the surname and 某, the way published court judgments anonymise parties
(《最高人民法院关于人民法院在互联网公布裁判文书的规定》: 保留姓氏，名字以"某"替代). A surname alone
(工头姓张) is left: it identifies nobody.

Addresses: a run of address parts below the county (乡/镇/街道, 村/社区/组, 路/街/巷/弄 and house numbers, 小区,
栋/单元/室, 弄 after a number) becomes 某地, and the province, city and county in front of it stay, which is what the statistics
and the staff need. A single part alone (我在建设路那边的工地, 每月15号) is not an address and stays, unless a word
like 住在/家住/地址 introduces it.
"""

from __future__ import annotations

import re

# The ~250 most common surnames, minus a few that mostly start ordinary words after 我是 (农民工, 包工头, 党员,
# 单身, 于是, 从…, 和…): a name after one of those is missed, which is the cheaper mistake here.
_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗郑梁谢宋唐韩冯邓曹彭曾肖田董潘袁蔡蒋余杜叶程魏苏吕丁任卢姚沈钟姜"
    "崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶贺毛郝顾龚邵万覃武钱戴严莫孔向常汤康易乔"
    "赖文施洪辛柴聂庞牛樊葛邢季温岳齐沙祝纪舒耿柳鲁甘蔺关苗焦殷阎裴凌翟卜申俞童隋宁仇骆褚霍车项欧艾毕路"
    "迟郁丛粟滕巫桂商庄麻涂闵左鲍饶储冉尚谷麦钮伍盛宫华喻林卫荣吉晏邬宗柯阮植汤詹刁牟蒙高许"
)
_COMPOUND = "欧阳|司马|诸葛|上官|东方|皇甫|尉迟|公孙|慕容|长孙|宇文|司徒|夏侯|令狐|端木|西门|南宫|独孤|轩辕|万俟"
# Characters that do not occur in given names but do in what follows 我是/本人 (我是安徽人, 本人今年…).
_NOT_NAME = "的了是我你他她它们这那个在和与跟给被把对向从到也就都还要会能想说做干去来有没不吗呢吧啊呀哦嗯么某人女省市县区镇村口州钱工元块岁年号路街"
# Han characters but not those (Python's re has no class subtraction: "not a non-word, digit, letter or these").
_GIVEN = "[^" + _NOT_NAME + r"\W\da-zA-Z_]"
# Words that look like surname + given name but are titles or kinship (王老板, 张总, 李师傅, 刘某).
_TITLES = (
    "老板|老师|师傅|总|经理|主任|队长|班长|工头|先生|女士|小姐|大爷|大妈|阿姨|大哥|大姐|哥|姐|叔|婶|姨|伯|某|律师|"
    "法官|警官|医生|会计|同学|同志|老乡|书记|村长|镇长|局长|厂长|所长|中生|中学|龄|级"
)
_CUE_ANY = (
    r"我叫|俺叫|我名叫|我的名字叫|我的名字是|名字叫|名字是|姓名[是为：:\s]*|叫做|名叫"
    r"|(?:老板|包工头|工头|老公|丈夫|老婆|妻子|前夫|前妻|儿子|女儿|孩子|父亲|母亲|爸爸|妈妈|他|她|对方|经理|负责人"
    r"|法人|项目经理|班长|男朋友|女朋友|同事|邻居|爸|妈|爹|娘|哥|姐|弟|妹|爷爷|奶奶|姥姥|姥爷|外公|外婆|公公|婆婆"
    r"|岳父|岳母|叔叔|阿姨|舅舅|姑姑)(?:的名字)?叫"
)
_CUE_SELF = r"我是|俺是|本人|我就是"
_BOUNDARY = (
    r"(?=$|[\s，。,.！!？?；;：:、（()）【】「」『』\"'…~—\-\d]|今年|家住|住在|住|来自|电话|手机|身份证|男|女|的)"
)


# Places whose first character is also a surname (我是甘肃的, 俺是宁夏人): where someone is from, not a name
_PLACES = (
    "甘肃|江西|江苏|宁夏|吉林|武汉|宁波|温州|柳州|金华|常州|邢台|江门|吉安|龙岩|石家庄|贺州|齐齐哈尔|秦皇岛|钦州|邵阳|岳阳|"
    "常德|许昌|周口|商丘|焦作|万州|白银|金昌|武威|张掖|平凉|庆阳|定西|陇南|临夏|天水|酒泉|嘉峪关|固原|吴忠|中卫|石嘴山|"
    "西宁|海东|长沙|黄冈|孝感|荆州|宜昌|襄阳|十堰|黄石|鄂州|南阳|信阳|安阳|新乡|开封|濮阳|三门峡|平顶山|漯河|驻马店"
)


def _name_pattern(cue: str, not_before: str = "(?!)") -> re.Pattern:
    surname = f"(?:{_COMPOUND}|[{_SURNAMES}])"
    return re.compile(
        rf"(?:{cue})[ \u3000]?(?!{not_before})(?P<surname>{surname})(?!{_TITLES})(?P<given>{_GIVEN}{{1,2}}?){_BOUNDARY}"
    )


_NAME_ANY = _name_pattern(_CUE_ANY)
_NAME_SELF = _name_pattern(_CUE_SELF, _PLACES)  # 我叫宁波 is a name; 我是宁波的 is a place

_PLACE = (
    "[^"
    + "的了是我你他她它们这那个在从与跟给被把对向往住有没不也就都还要会能想说做干回去来到过着吗呢吧啊省市县某"
    + r"\W\da-zA-Z_]"
)
_NUM = r"[0-9０-９一二三四五六七八九十百零〇两]+"
_ADMIN = rf"(?:{_PLACE}{{1,7}}?(?:省|自治区|市|自治州|州|地区|盟|县|自治县|(?<![小社园校])区|旗))"
_PARTS = (
    rf"{_PLACE}{{1,6}}?(?:乡|镇|街道|苏木)",
    rf"{_PLACE}{{2,6}}?(?:村|社区|居委会|屯|寨|嘎查)",
    rf"{_NUM}(?:组|队|社)(?![会员长])",
    # 修路, 走路, 马路, 公路 are roads in general, not a road's name; 八十多里路 is a distance
    rf"{_PLACE}{{2,8}}?(?<![修铺走过马公铁里])(?:大街|大道|路|街|巷|胡同)(?:[东西南北中]?[一二三四五六七八九十\d]+段|[东西南北中]段)?",
    rf"{_PLACE}{{2,8}}?(?:小区|花园|公寓|家园|新村|苑|大厦|宿舍)",
    rf"{_NUM}(?:号院|号楼|号|弄|栋|幢|单元|室)",
)
_PART = "(?:(?:" + "|".join(_PARTS) + ")(?![省市县区州旗]))"  # 清苑区 is a county, not a 苑
_ADDRESS_CUE = r"(?:住在|家住|住址|地址|现住|租住在|住|家在|老家在|老家是|老家|户籍地|户口在)[是为：:\s]*"
# An address: the kept part (province … county) and at least one part below it, or two parts, or one after a cue.
_ADDRESS = re.compile(
    rf"(?P<cue>{_ADDRESS_CUE})?(?P<admin>{_ADMIN}*)(?P<fine>(?![省市县区州旗]){_PART}(?:[ ]?{_PART})*(?:{_NUM}(?![万千百十元块岁年月日号]))?)"
)
_PART_RE = re.compile(_PART)
# Cheap tests first (masking runs on every message): most messages have no cue for a name and no address part.
_NAME_HINT = re.compile(r"叫|我是|俺是|本人|姓名|名字|就是")
_ADDRESS_HINT = re.compile(
    r"乡|镇|街|苏木|村|社区|居委会|屯|寨|嘎查|路|巷|胡同|小区|花园|公寓|家园|苑|大厦|宿舍"
    rf"|{_NUM}(?:组|队|社|号|弄|栋|幢|单元|室)"
)


def _mask_name(m: re.Match) -> str:
    return m.group(0)[: m.start("given") - m.start(0)] + "某"


# 隔壁村, 邻村, 本村, 工地宿舍: where, relative to the writer; no place anyone could be found at
_GENERIC_PLACE = re.compile(
    r"^(?:(?:隔壁|邻|本|同|外|别的|一个|哪个|那个|这个|附近的?|老)(?:村|镇|乡|社区|小区)|(?:工地|厂里|工厂|单位|公司|学校|员工|集体)宿舍)$"
)


def _mask_address(m: re.Match) -> str:
    fine = m.group("fine")
    if _GENERIC_PLACE.match(fine):
        return m.group(0)
    parts = len(_PART_RE.findall(fine))
    if not (m.group("cue") or m.group("admin") or parts >= 2):
        return m.group(0)
    return (m.group("cue") or "") + m.group("admin") + "某地"


def mask_words(text: str) -> str:
    """Names after the words that introduce them, and addresses below the county."""
    if _NAME_HINT.search(text):
        text = _NAME_SELF.sub(_mask_name, _NAME_ANY.sub(_mask_name, text))
    if _ADDRESS_HINT.search(text):
        text = _ADDRESS.sub(_mask_address, text)
    return text
