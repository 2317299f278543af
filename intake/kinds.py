"""What the registration asks and advises for each kind of matter.

Legal sources of the advice (checked against the statute texts): 劳动争议调解仲裁法第五条（先仲裁）、第九条（向劳动
行政部门投诉）、第二十七条第四款（离职后一年内申请仲裁）、第五十三条（仲裁不收费）；劳动保障监察条例第十三条（用工所在地
管辖）；劳动争议解释（一）第十五条（工资欠条可直接起诉）；工伤保险条例第十七条第二款（本人一年内申请工伤认定）；
反家庭暴力法第十三条、第二十三条、第二十八条（72 小时，紧急 24 小时）；老年人权益保障法第七十五条（调解或直接起诉，
先予执行）；法律援助法第三十一条（赡养费、抚养费、劳动报酬）；残疾人保障法第五十九条（向残联投诉）。
The statutory route comes first where there is one, and the registration runs beside it, never instead of it.
"""

from __future__ import annotations

from dataclasses import dataclass

from storage.vocab import CaseKind


@dataclass(frozen=True)
class KindSpec:
    kind: CaseKind
    ask: str  # the label in the kind question
    party: str  # "who owes or harms you"
    amount: str | None  # the amount question (None: not asked)
    since: str
    actions: tuple[tuple[str, str], ...]  # (code, label) of what they may have done already; "none" last
    route_done: frozenset[str]  # codes meaning the statutory route is under way (no reminder needed)
    advice: str  # the reminder when it is not
    evidence: tuple[tuple[str, str], ...]  # (code, label); "none" last
    prepare: str  # what to have ready for the call
    sensitive: str | None = None  # what makes it sensitive (个人信息保护法第二十八条、第二十九条)


NONE = "none"

KINDS: tuple[KindSpec, ...] = (
    KindSpec(
        CaseKind.WAGES,
        "欠工资、劳务费",
        "欠您钱的是谁？公司名称、老板或包工头的名字、工地或项目名称，知道多少写多少。",
        "一共欠您多少钱？（如：八千五、1.2万、3万多）",
        "从什么时候开始欠的？（如：2025年3月、去年过年前）",
        (("inspection", "向人社局劳动监察投诉过（含打 12333）"), ("arbitration", "申请过劳动仲裁"),
         ("court", "到法院起诉过"), (NONE, "都还没有")),  # fmt: skip
        frozenset({"inspection", "arbitration", "court"}),
        "提醒：欠工资的事，请同时向用工所在地人社局劳动保障监察投诉（可打 12333），或申请劳动仲裁（仲裁不收费）。"
        "这是法律规定的途径，检察院登记不代替它们，别等我们的电话再去。已经离职的，要在离职之日起一年内申请仲裁；"
        "有老板写的工资欠条的，也可以直接到法院起诉。",
        (("iou", "欠条"), ("contract", "合同"), ("chat", "聊天记录"), ("transfer", "转账记录"), ("attendance", "考勤"),
         ("witness", "工友证言"), ("photo", "照片"), (NONE, "都没有")),  # fmt: skip
        "身份证；欠条、合同、聊天记录、转账记录、考勤、工资条等证据（原件自己保管好）；老板、包工头或公司的名称和电话；"
        "一起干活的工友的联系方式。",
    ),
    KindSpec(
        CaseKind.ELDER_SUPPORT,
        "子女不给赡养费",
        "应该给赡养费的是谁？（如：大儿子、二女儿，写称呼就行）",
        "要求每月给多少赡养费？（如：每月五百）",
        "从什么时候开始不给的？",
        (("mediation", "找村（居）委会或人民调解委员会调解过"), ("court", "到法院起诉过"), (NONE, "都还没有")),
        frozenset({"mediation", "court"}),
        "提醒：要赡养费，可以找村（居）委会、人民调解委员会调解，也可以直接到法院起诉；老人急需用钱的，可以请法院"
        "先予执行（老年人权益保障法第七十五条）。请不起律师的，可以打 12348 申请法律援助。",
        (("kinship", "户口本或亲属关系证明"), ("chat", "聊天记录"), ("transfer", "转账记录"),
         ("receipts", "看病、生活花钱的单据"), ("mediation_record", "调解书或村（居）委会证明"), (NONE, "都没有")),  # fmt: skip
        "身份证、户口本；子女的姓名、住址和电话；生活开支、看病花钱的单据；调解过的，带上调解记录。",
    ),
    KindSpec(
        CaseKind.CHILD_SUPPORT,
        "要孩子的抚养费",
        "应该给抚养费的是谁？（如：孩子的父亲）",
        "要求每月给多少抚养费？已经欠了多少？（如：每月一千五，已欠两万）",
        "从什么时候开始不给的？",
        (("judgment", "已有离婚判决书或调解书"), ("execution", "申请过法院强制执行"), ("court", "到法院起诉过"),
         (NONE, "都还没有")),  # fmt: skip
        frozenset({"execution", "court"}),
        "提醒：对方不给抚养费，可以直接到法院起诉；已有判决书或调解书的，可以申请法院强制执行。请不起律师的，"
        "可以打 12348 申请法律援助（法律援助法第三十一条）。",
        (("judgment", "离婚判决书、调解书或离婚协议"), ("birth", "孩子的出生证明或户口本"), ("chat", "聊天记录"),
         ("transfer", "转账记录"), ("receipts", "孩子上学、看病的花费单据"), (NONE, "都没有")),  # fmt: skip
        "身份证、孩子的户口本或出生证明；离婚判决书、调解书或离婚协议；对方的姓名、住址、工作单位；孩子上学、看病的"
        "花费单据。",
        sensitive="孩子的信息（不满十四周岁孩子的信息属于敏感个人信息，须由父母或其他监护人同意，个人信息保护法"
        "第三十一条）",
    ),
    KindSpec(
        CaseKind.DOMESTIC_VIOLENCE,
        "家庭暴力、人身安全保护令",
        "是谁打您、威胁您？（如：丈夫、前夫，写称呼就行）",
        None,
        "从什么时候开始的？最近一次是什么时候？",
        (("police", "报过警"), ("federation", "找过妇联或村（居）委会"), ("order", "申请过人身安全保护令"),
         (NONE, "都还没有")),  # fmt: skip
        frozenset({"police", "order"}),
        "提醒：正在挨打或有危险，马上打 110。您可以直接向法院申请人身安全保护令，法院受理后 72 小时内、情况紧急的 "
        "24 小时内作出（反家庭暴力法第二十三条、第二十八条）；也可以找妇联（12338）求助。请同时去办，别等我们的电话。",
        (("police_record", "报警回执或告诫书"), ("medical", "验伤报告或病历"), ("photo", "照片或视频"),
         ("chat", "聊天记录或录音"), ("witness", "证人"), (NONE, "都没有")),  # fmt: skip
        "身份证；报警回执、告诫书、验伤报告、病历、照片、聊天记录或录音（放在对方拿不到的地方）。接电话时如果不方便"
        "说话，直接挂断就行，工作人员会另找时间。",
        sensitive="受家庭暴力的情况（一旦泄露可能危及您的安全）",
    ),
    KindSpec(
        CaseKind.WORK_INJURY,
        "工伤赔偿",
        "您在哪个单位或工地受的伤？用工的是谁（公司、包工头）？知道多少写多少。",
        "要求赔偿多少钱？（如：五万、3万多）",
        "什么时候受的伤？（如：2025年5月）",
        (("recognition", "申请过工伤认定"), ("arbitration", "申请过劳动仲裁"), ("court", "到法院起诉过"),
         (NONE, "都还没有")),  # fmt: skip
        frozenset({"recognition"}),
        "提醒：工伤赔偿要先认定工伤。单位不申请的，您本人或家属可以在受伤之日起 1 年内，直接向人社局申请工伤认定"
        "（工伤保险条例第十七条）。请同时去办，别等我们的电话，过了期限就麻烦了。",
        (("contract", "劳动合同"), ("pay", "工资条或转账记录"), ("attendance", "考勤或工牌"),
         ("medical", "病历和诊断证明"), ("witness", "工友证言"), ("photo", "照片或视频"), (NONE, "都没有")),  # fmt: skip
        "身份证；病历、诊断证明、医药费单据；能证明在那里干活的材料（合同、工牌、考勤、工资转账、工友的联系方式）；"
        "单位或包工头的名称和电话。",
        sensitive="伤情和健康状况（医疗健康信息属于敏感个人信息）",
    ),
    KindSpec(
        CaseKind.DISABILITY,
        "残疾人权益受侵害（如受歧视）",
        "是谁侵害了您的权益？（单位或个人，写名称或称呼）",
        "涉及多少钱？（没有或不清楚，回复 跳过）",
        "从什么时候开始的？",
        (("cdpf", "找过残联"), ("complaint", "向有关部门投诉过"), ("court", "到法院起诉过"), (NONE, "都还没有")),
        frozenset({"cdpf", "complaint", "court"}),
        "提醒：可以同时向当地残联投诉求助（残疾人保障法第五十九条），也可以向有关部门反映或到法院起诉；"
        "请不起律师的，可以打 12348 申请法律援助。",
        (("certificate", "残疾人证"), ("contract", "合同"), ("chat", "聊天记录"), ("transfer", "转账记录"),
         ("witness", "证人"), ("photo", "照片或视频"), (NONE, "都没有")),  # fmt: skip
        "身份证、残疾人证；能证明这件事的合同、聊天记录、单据；对方的名称和联系方式。",
        sensitive="残疾和健康状况（医疗健康信息属于敏感个人信息）",
    ),
    KindSpec(
        CaseKind.OTHER,
        "其他",
        "这件事的对方是谁？（单位或个人，知道多少写多少）",
        "涉及多少钱？（没有或不清楚，回复 跳过）",
        "从什么时候开始的？",
        (("complaint", "向有关部门投诉过"), ("arbitration", "申请过仲裁"), ("court", "到法院起诉过"), (NONE, "都还没有")),
        frozenset({"complaint", "arbitration", "court"}),
        "提醒：请同时向主管部门反映；不清楚该找谁的，可以打 12309 检察服务热线或 12348 公共法律服务热线问一问。",
        (("contract", "合同"), ("chat", "聊天记录"), ("transfer", "转账记录"), ("witness", "证人"), ("photo", "照片"),
         (NONE, "都没有")),  # fmt: skip
        "身份证；能证明这件事的合同、聊天记录、单据、照片；对方的名称和联系方式。",
    ),
)
BY_KIND: dict[str, KindSpec] = {spec.kind.value: spec for spec in KINDS}


def spec(kind: str | None) -> KindSpec:
    return BY_KIND.get(kind or "", BY_KIND[CaseKind.OTHER])


def labels(options: tuple[tuple[str, str], ...], codes: list[str]) -> str:
    """"欠条、聊天记录" for the codes chosen, in the options' order."""
    return "、".join(label for code, label in options if code in codes)
