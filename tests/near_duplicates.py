"""A labelled set of near-duplicate suggestions: real-looking originals, and rewordings of some of them.

Each original names a place, an object and figures, so that suggestions on the same topic in other
places are close but distinct (hard negatives). A near-duplicate rewords the original with synonyms,
reorders its sentences, drops one and adds another, and retitles it. Used by the tests and bench/.
"""
from __future__ import annotations

import random
from dataclasses import dataclass

TOWNSHIPS = ["柯桥街道", "柯岩街道", "华舍街道", "湖塘街道", "漓渚镇", "福全街道", "钱清街道", "杨汛桥街道",
             "安昌街道", "齐贤街道", "马鞍街道", "平水镇", "王坛镇", "稽东镇", "夏履镇", "兰亭街道"]
VILLAGES = ["新村", "东村", "塘头村", "山后村", "桥头社区", "花园社区", "江南社区", "梅林村", "双桥村", "湖畔社区",
            "上方村", "下湾村", "永兴社区", "金山村", "南岸社区", "凤凰村"]
TOPICS = [
    ("加快", "老旧小区改造", "小区", ["外墙脱落", "管网老化", "停车位不足", "电梯缺失"]),
    ("增设", "公交线路和站点", "公交", ["班次间隔过长", "站点距离过远", "末班车过早", "换乘不便"]),
    ("整治", "河道水环境", "河道", ["水体发黑发臭", "沿岸垃圾堆放", "排污口未截污", "护岸坍塌"]),
    ("完善", "农村生活垃圾分类", "垃圾分类", ["分类设施不足", "清运频次偏低", "村民参与率不高", "终端处理能力不足"]),
    ("改善", "学校周边交通秩序", "学校周边", ["接送车辆乱停", "缺少人行过街设施", "高峰时段拥堵", "缺少交通协管"]),
    ("推进", "社区居家养老服务", "养老服务", ["助餐点覆盖不足", "护理人员短缺", "服务项目单一", "运营经费不足"]),
    ("提升", "基层医疗服务能力", "卫生院", ["全科医生短缺", "检查设备陈旧", "药品种类偏少", "夜间无人值守"]),
    ("规范", "农贸市场管理", "农贸市场", ["占道经营严重", "排水不畅异味大", "食品检测不足", "停车混乱"]),
    ("加强", "电动自行车充电安全", "电动自行车", ["飞线充电现象普遍", "集中充电桩不足", "楼道停放堵塞通道", "消防设施缺失"]),
    ("优化", "小微企业融资服务", "小微企业", ["贷款门槛偏高", "审批周期较长", "担保方式单一", "政策知晓率低"]),
]
BACKGROUND = [
    "{place}{village}现有常住人口约{n}人，{object}相关问题近年来群众反映较多。",
    "近年来{place}经济社会快速发展，但{object}方面的短板日益突出。",
    "据{place}{village}统计，去年涉及{object}的群众来电来访达{m}件。",
    "{village}位于{place}中部，区域内{object}建设起步较早、标准偏低。",
]
PROBLEMS = [
    "一是{issue0}，群众出行和生活受到明显影响。",
    "二是{issue1}，存在较大的安全隐患。",
    "三是{issue2}，相关部门之间缺乏有效协调。",
    "目前{place}{object}的{issue3}问题尤为突出，群众意见较大。",
]
PROPOSALS = [
    "建议由相关部门牵头，对{place}{village}的{object}进行全面摸底调查，制定分年度实施计划。",
    "建议加大财政投入，统筹安排专项资金约{k}万元，优先解决{issue0}问题。",
    "建议建立长效管理机制，明确属地责任，定期开展督查考核。",
    "建议广泛听取群众意见，把{object}工作纳入为民办实事项目，争取在{year}年底前完成。",
]
EXTRA = [
    "希望有关部门高度重视，切实回应群众关切。",
    "此事关系群众切身利益，恳请早日研究解决。",
    "建议同时加强宣传引导，营造良好氛围。",
]
SYNONYMS = {
    "建议": "提议", "加快": "加速", "群众": "居民", "问题": "难题", "加强": "强化", "完善": "健全", "部门": "单位",
    "目前": "当前", "近年来": "这几年", "明显": "较大", "全面": "系统", "制定": "研究制定", "统筹安排": "安排",
    "优先解决": "重点解决", "长效管理机制": "长效机制", "定期": "经常", "广泛听取": "充分听取", "尤为突出": "比较突出",
    "意见较大": "反映强烈", "存在较大的": "有较大的", "相关": "有关", "约": "大约", "现有": "目前有", "受到": "受",
    "缺乏": "缺少", "有效协调": "协调配合", "争取": "力争", "底前": "年底以前", "进行": "开展",
}


@dataclass
class Text:
    title: str
    body: str


@dataclass
class LabelledSet:
    originals: list[Text]
    queries: list[tuple[Text, int]]  # a near-duplicate and the index of its original
    unrelated: list[Text]  # new suggestions on topics or places no original has


def _fill(template: str, slots: dict) -> str:
    return template.format(**slots)


def original(rng: random.Random, topic=None, place=None, village=None) -> Text:
    action, obj, short, issues = topic or rng.choice(TOPICS)
    issues = rng.sample(issues, len(issues))
    slots = {"place": place or rng.choice(TOWNSHIPS), "village": village or rng.choice(VILLAGES), "object": obj,
             "n": rng.randrange(2000, 30000), "m": rng.randrange(20, 300), "k": rng.randrange(50, 2000),
             "year": rng.choice([2025, 2026, 2027])}
    slots.update({f"issue{i}": issue for i, issue in enumerate(issues)})
    sentences = [_fill(s, slots) for s in rng.sample(BACKGROUND, 2) + PROBLEMS[:3] + rng.sample(PROPOSALS, 3)]
    title = f"关于{action}{slots['place']}{slots['village']}{obj}的建议"
    return Text(title, "".join(sentences))


def near_duplicate(rng: random.Random, text: Text) -> Text:
    """Reword with synonyms, reorder the sentences, drop one, add one, retitle."""
    sentences = [s + "。" for s in text.body.split("。") if s]
    sentences.pop(rng.randrange(len(sentences)))
    rng.shuffle(sentences)
    sentences.insert(rng.randrange(len(sentences) + 1), rng.choice(EXTRA))
    body = "".join(sentences)
    for word, synonym in SYNONYMS.items():
        if rng.random() < 0.7:
            body = body.replace(word, synonym)
    subject = text.title.removeprefix("关于").removesuffix("的建议")
    title = rng.choice(["关于进一步{}的提议", "建议尽快{}", "关于{}有关问题的建议"]).format(subject)
    return Text(title, body)


def build(originals: int = 300, queries: int = 100, seed: int = 7) -> LabelledSet:
    rng = random.Random(seed)
    texts = [original(rng, topic=TOPICS[n % len(TOPICS)]) for n in range(originals)]
    picked = rng.sample(range(originals), queries)
    labelled = [(near_duplicate(rng, texts[i]), i) for i in picked]
    unrelated = [Text(f"关于保护{rng.choice(['古桥', '古戏台', '非遗技艺'])}文化遗产的建议{n}",
                      "当地历史文化资源丰富，但保护修缮资金不足，专业人才缺乏，展示利用水平不高。"
                      "建议编制保护规划，设立专项资金，培养传承人才，推动文旅融合发展。") for n in range(20)]
    return LabelledSet(texts, labelled, unrelated)
