"""The monthly circular (通报), drafted from the data.

Every sentence is built from the `status --json` document of the same month (so
every number in it is a number of that document), the month's important
situations, and the department's own 下步要求 template in the data folder.
The draft is a list of blocks of plain text; markdown (escaping each block) and docx render the same blocks.
"""

from __future__ import annotations

import datetime as dt
import re
import string
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Optional

from yejin.campaign.wording import next_month
from yejin.reading.layout import refusal
from yejin.safe_text import markdown
from yejin.words import (
    CITIES,
    DEPARTMENT,
    DONE,
    DRAFT,
    EXCLUDED,
    IN_PROGRESS,
    NO_REPORT,
    NOT_REPORTED,
    NOT_STARTED,
    carried_words,
    date_words,
    short_month,
    total_words,
    zh,
)

TEMPLATE_NAME = "bulletin-template.md"
NUMERALS = "一二三四五六七八九十"


class TemplateError(ValueError):
    pass


@dataclass(frozen=True)
class Block:
    kind: str  # title | addressee | p | h1 | h2 | attachment | signature | date | public | copy_to | printed
    text: str


def _pct(share: Optional[float]) -> str:
    return "/" if share is None else f"{share * 100:.1f}%"


def month_text(month: str) -> str:
    return zh(short_month(month))


def date_text(iso: str) -> str:
    return date_words(dt.date.fromisoformat(iso))


def _sub(n: int) -> str:
    return f"（{NUMERALS[n - 1] if n <= 10 else n}）"


def _measure(m: dict) -> str:
    return zh("措施", m["number"], "（", m["short_title"], "）")


def _indicator_sentence(ind: dict, this_month: bool = False) -> str:
    """设计审查率53.3%，目标100% / 执法检查重大危险源数累计62个（本月10个），完成目标80个的77.5%."""
    name, unit = ind["name"], ind["unit"]
    if ind["kind"] == "yesno":  # a total: the units that answered 是
        return zh(name, "的单位", ind["value"], "个")
    if ind["kind"] == "rate":
        if ind["value"] is None:
            text = zh(name, "/（分母为0，无法计算）")
        else:
            text = zh(name, f"{ind['value']:.1f}%")
        if ind["target"] is not None:
            text += zh("，目标", ind["target"], "%")
        return text
    text = zh(name, "累计", ind["value"], unit)
    if this_month and ind.get("this_month"):
        text += zh("（本月", ind["this_month"], unit, "）")
    if ind["target"] is not None:
        text += zh("，完成目标", ind["target"], unit, "的", _pct(ind["achieved_share"]))
    return text


def _total_words(t: dict) -> str:
    """A province total of the status document (json_doc totals), as words.total_words says it."""

    def dec(v):
        return None if v is None else Decimal(str(v))

    return total_words(t["name"], dec(t["value"]), dec(t["this_month"]), t["unit"], t["kind"], grouped=False)


def build(
    doc: dict,
    events: list[dict],
    template: str,
    attachment: str,
    written_on: dt.date,
    units_label: str = "各市应急管理局",
    imprint: Optional[Imprint] = None,
) -> list[Block]:
    """The circular as blocks, from the status document `doc` (see json_doc.picture_json).

    Three dates: the figures stand at the month's end (doc period_end), submissions are counted up to
    doc as_of, and the circular is dated written_on (成文日期).  Sections with nothing to say are left
    out (no "无。"); the headings are numbered after that."""
    camp = doc["campaign"]
    blocks = [
        Block("title", zh("关于", camp["name"], camp["year"], "年", month_text(doc["month"]), "份工作进展情况的通报")),
        Block("addressee", f"{units_label}："),
        Block(
            "p",
            zh(
                "按照",
                notice_citation(camp),
                "要求，现将截至",
                date_text(doc["period_end"]),
                "全省",
                camp["name"],
                camp["year"],
                "年重点任务推进情况通报如下。",
            ),
        ),  # fmt: skip
    ]
    sections = [
        ("总体情况", _overview(doc)),
        ("报送情况", _submissions(doc)),
        ("各项任务进展", _progress(doc)),
        ("存在问题", _problems(doc)),
        ("重要情况", _events(events)),
        ("下步要求", fill_template(template, doc)),
    ]
    for heading, body in (x for x in sections if x[1]):
        n = sum(1 for b in blocks if b.kind == "h1") + 1
        blocks.append(Block("h1", f"{NUMERALS[n - 1]}、{heading}"))
        blocks += body
    blocks += [
        Block("attachment", f"附件：{zh(attachment)}"),
        Block("signature", camp["issuer"]),
        Block("date", date_words(written_on)),  # 成文日期, in full arabic numerals (GB/T 9704)
    ]
    return blocks + (_imprint_blocks(imprint, camp["issuer"], written_on) if imprint else [])


@dataclass(frozen=True)
class Imprint:
    """附注 and 版记 (GB/T 9704 7.3.6, 8), each optional: 公开属性 such as 此件公开发布; 抄送机关; 印发机关
    (the 印发日期 is the 成文日期)."""

    public: str = ""
    copy_to: tuple[str, ...] = ()
    printed_by: str = ""


def _imprint_blocks(imprint: Imprint, issuer: str, written_on: dt.date) -> list[Block]:
    out = []
    if imprint.public:
        out.append(Block("public", f"（{imprint.public.strip('（）()')}）"))
    if imprint.copy_to:
        out.append(Block("copy_to", "抄送：" + "，".join(imprint.copy_to) + "。"))
    if imprint.printed_by or imprint.copy_to:  # 印发机关和印发日期 end every 版记
        out.append(Block("printed", (imprint.printed_by or issuer) + "\t" + date_words(written_on) + "印发"))
    return out


def notice_citation(camp: dict) -> str:
    """《…通知》（晋应急发〔2022〕80号）: a document is cited by its title, then its number."""
    return f"《{camp['notice_title']}》（{camp['document_number']}）"


def _names(units: list[dict]) -> str:
    return "、".join(u["unit"] for u in units)


def _overview(doc: dict) -> list[Block]:
    """The province-wide totals with this month's part (the picture's totals: 执法情况 once per report,
    and the figures summed across measures), then the measures in one sentence: how many finished,
    and the warnings."""
    out: list[Block] = []
    totals = doc.get("totals") or {}
    parts = [
        label + "、".join(_total_words(t) for t in totals[key])
        for key, label in (("enforcement", "全省累计"), ("summed", "各项措施累计"))
        if totals.get(key)
    ]
    if parts:
        out.append(Block("p", zh("截至", month_text(doc["month"]), "底，", "；".join(parts), "。")))
    measures = doc["measures"]
    w = doc["summary"]["warnings"]
    done = sum(1 for m in measures if m["done"])
    lights = zh("红灯", w["red"], "条、黄灯", w["yellow"], "条、绿灯", w["green"], "条")
    if w["pending"]:
        lights += zh("，待报", w["pending"], "条")
    text = zh(len(measures), "条措施中，全部责任单位均已完成", done, "条")
    if done < len(measures):
        text += zh("，其余", len(measures) - done, "条正在推进")
    return out + [Block("p", f"{text}；按完成时限和序时进度，{lights}。")]


def _submissions(doc: dict) -> list[Block]:
    """The cities' submissions (the department is not counted among them), then whose figures are carried."""
    cities = [x for x in doc["submissions"] if not x["department"]]
    s = doc["summary"]["submissions"]
    month = month_text(doc["month"])
    text = zh(
        "截至",
        date_text(doc["as_of"]),
        "，",
        month,
        "应报送月报的",
        CITIES,
        len(cities),
        "个，按时报送",
        s["on_time"],
        "个",
    )
    late = [x for x in cities if x["state_code"] == "late"]
    missing = [x for x in cities if x["state_code"] == "missing"]
    not_due = [x for x in cities if x["state_code"] == "not_due"]
    if late:
        text += zh("；迟报", len(late), "个：") + "、".join(zh(x["unit"], "（迟", x["days_late"], "天）") for x in late)
    if missing:
        text += zh("；未报送", len(missing), "个：") + _names(missing)
    if not_due:
        text += zh("；尚未到报送日", len(not_due), "个：") + _names(not_due)
    sentences = [text]
    by_month: dict[str, list[dict]] = {}
    for x in cities:
        if x["carried_from"]:
            by_month.setdefault(x["carried_from"], []).append(x)
    for carried, units in sorted(by_month.items()):
        sentences.append(zh(_names(units), month, "未报，数据沿用", month_text(carried)))
    for x in doc["submissions"]:
        if x["department"] and x["carried_from"]:
            sentences.append(zh(DEPARTMENT, "负责的措施沿用", month_text(x["carried_from"]), "情况"))
    never = [x for x in cities if x["never_reported"]]
    if never:
        sentences.append(f"{_names(never)}本年度{NO_REPORT}，未计入统计")
    broken = [x for x in doc["submissions"] if x["excluded"]]
    if broken:
        sentences.append(zh(_names(broken), month, EXCLUDED))
    drafts = [x for x in doc["submissions"] if x["draft"]]
    if drafts:
        sentences.append(zh(_names(drafts), month, "报告尚为", DRAFT, "，未计入"))
    return [Block("p", "。".join(sentences) + "。")]


_DEPARTMENT_DID = {DONE: "已完成", IN_PROGRESS: "正在推进", NOT_STARTED: "尚未启动", NOT_REPORTED: "尚未报告"}


def _department(state: dict) -> str:
    """What the department did on a measure, in its own words: 省厅已完成（数据截至6月）."""
    text = f"{DEPARTMENT}{_DEPARTMENT_DID[state['status']]}"
    return text + (f"（{zh(carried_words(state['carried_from']))}）" if state["carried_from"] else "")


def _measure_sentence(m: dict) -> str:
    """措施3（重大危险源辨识评估）已有2个设区市完成（共11个），省厅正在推进，…"""
    part = _measure(m)
    if m["department_only"]:
        part += _department(m["department"])
    else:
        c = m["cities"]
        if c["done"] == c["applicable"]:
            part += zh(c["applicable"], "个", CITIES, "均已完成")
        elif c["done"] == 0:
            part += zh("尚无", CITIES, "完成")
        else:
            part += zh("已有", c["done"], "个", CITIES, "完成（共", c["applicable"], "个）")
        if m["department"]:
            part += "，" + _department(m["department"])
    key = [i for i in m["indicators"] if i["target"] is not None or i.get("headline")]
    if key:
        part += "，" + "，".join(_indicator_sentence(i, this_month=True) for i in key)
        if any(i["target"] is not None for i in key) and not m["done"] and not m["pending"]:
            part += zh("，序时进度", _pct(m["time_share"]))
    if m["pending"]:  # no responsible unit has reported the month: pace is not judged (统计口径 6)
        part += "，本月待报"
    return part


def _progress(doc: dict) -> list[Block]:
    """Task by task: each measure where it stands, and its key figures against target."""
    out: list[Block] = []
    tasks: dict[int, list[dict]] = {}
    for m in doc["measures"]:
        tasks.setdefault(m["task"], []).append(m)
    for n, (task, items) in enumerate(sorted(tasks.items()), start=1):
        title = items[0].get("task_title") or zh("任务", task)
        out.append(Block("h2", f"{_sub(n)}{title}"))
        out.append(Block("p", "；".join(_measure_sentence(m) for m in items) + "。"))
    return out


def _unit_state(u: dict) -> str:
    """太原市（推进中） / 吕梁市（推进中，数据截至5月）."""
    note = f"，{zh(carried_words(u['carried_from']))}" if u["carried_from"] else ""
    return f"{u['unit']}（{u['status']}{note}）"


def _not_done(m: dict) -> str:
    """Who has not finished: the department's own measure says what it did (省厅正在推进)."""
    if m["department_only"]:
        return _department(m["department"])
    return "、".join(_unit_state(u) for u in m["units_not_done"]) + "尚未完成"


def _behind_unit(b: dict) -> str:
    """运城市逾期未完成措施6，措施17设计审查率落后序时进度（数据截至5月）."""
    parts = []
    if b["overdue"]:
        parts.append(zh("逾期未完成措施", "、".join(str(n) for n in b["overdue"])))
    if b["behind_pace"]:
        parts.append("、".join(zh("措施", x["measure"], x["name"]) for x in b["behind_pace"]) + "落后序时进度")
    carried = f"（{zh(carried_words(b['carried_from']))}）" if b["carried_from"] else ""
    return b["unit"] + "，".join(parts) + carried


def _problems(doc: dict) -> list[Block]:
    """Overdue, near the deadline, behind pace, cities behind: each only when there is something to say."""
    out: list[Block] = []
    measures = doc["measures"]
    red = [m for m in measures if m["warning"] == "red"]
    yellow = [m for m in measures if m["warning"] == "yellow" and m["days_left"] <= doc["within_days"]]
    behind = [(m, i) for m in measures for i in m["indicators"] if i["behind_pace"]]
    units = doc["units_behind"]  # every city behind, none cut off
    sections = [
        (
            "逾期未完成的措施",
            [
                zh(_measure(m), "完成时限为", m["deadline_text"], "，已逾期", -m["days_left"], "天，") + _not_done(m)
                for m in red
            ],
        ),
        (
            "临近完成时限的措施",
            [zh(_measure(m), "距完成时限还有", m["days_left"], "天，") + _not_done(m) for m in yellow],
        ),
        (
            "落后于序时进度的指标",
            [zh(_measure(m), _indicator_sentence(i), "，低于序时进度", _pct(m["time_share"])) for m, i in behind],
        ),
        (
            f"进度滞后的{CITIES}",
            [
                "按逾期未完成的措施数、本市比率指标落后序时进度的项数由多到少排列：" + _behind_unit(units[0]),
                *(_behind_unit(b) for b in units[1:]),
            ]
            if units
            else [],
        ),
    ]
    for title, lines in (x for x in sections if x[1]):
        n = sum(1 for b in out if b.kind == "h2") + 1
        out += [Block("h2", f"{_sub(n)}{title}"), Block("p", "；".join(lines) + "。")]
    return out


def _events(events: list[dict]) -> list[Block]:
    lines = []
    for e in events:
        _, m, d = (int(x) for x in e["date"].split("-"))
        measures = zh("，涉及措施", "、".join(str(x) for x in e["measures"])) if e["measures"] else ""
        lines.append(
            Block("p", zh(m, "月", d, "日，", e["unit"], "报告", e["category"], "：") + e["title"] + measures + "。")
        )
    return lines


def template_values(doc: dict) -> dict[str, str]:
    upcoming = sorted({m["deadline"] for m in doc["measures"] if m["days_left"] >= 0 and not m["done"]})
    next_deadline = upcoming[0] if upcoming else None
    due = [str(m["number"]) for m in doc["measures"] if m["deadline"] == next_deadline and not m["done"]]
    return {
        "month_text": month_text(doc["month"]),
        "next_month_text": short_month(next_month(doc["month"])),
        "report_day": str(doc["campaign"]["report_day"]),
        "next_deadline": date_text(next_deadline) if next_deadline else "年底",
        "next_deadline_measures": zh("措施", "、".join(due)) if due else "各项措施",
        "red_count": str(doc["summary"]["warnings"]["red"]),
        "document_number": doc["campaign"]["document_number"],
        "notice": notice_citation(doc["campaign"]),
    }


def fill_template(template: str, doc: dict) -> list[Block]:
    values = template_values(doc)
    blocks = []
    for number, line in enumerate(template.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        unknown = [
            m.group("named") or m.group("braced")
            for m in string.Template.pattern.finditer(line)
            if (m.group("named") or m.group("braced")) and (m.group("named") or m.group("braced")) not in values
        ]
        if unknown:
            raise TemplateError(f"第 {number} 行的占位符 ${{{unknown[0]}}} 无法识别；可用的有：{'、'.join(values)}")
        text = zh(string.Template(line).safe_substitute(values))
        if re.match(r"^（[一二三四五六七八九十]+）", text):  # a heading on a line of its own ends without a stop,
            blocks.append(Block("h2", text.rstrip("。")))  # like the other （一） headings of the circular
        else:
            blocks.append(Block("p", text))
    return blocks


def load_template(data_dir: Path) -> str:
    path = data_dir / TEMPLATE_NAME
    refused = refusal(data_dir, path)  # a link out of the data folder, a pipe: never opened
    if refused:
        raise TemplateError(f"{TEMPLATE_NAME}：{refused}")
    if not path.is_file():
        raise TemplateError(
            f"数据目录中没有 {TEMPLATE_NAME}（通报“下步要求”的模板）；"
            f"yejin init 新建的数据仓库自带这个文件，也可以从 yejin 项目的 data/{TEMPLATE_NAME} 复制一份"
        )
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise TemplateError(f"{TEMPLATE_NAME} 不是 UTF-8 编码，请另存为 UTF-8") from None
    except OSError as exc:  # no permission, a folder of that name …
        raise TemplateError(f"无法读取 {TEMPLATE_NAME}：{exc.strerror or exc}") from None


def to_markdown(blocks: list[Block]) -> str:
    """The blocks as Markdown.  A block's text is plain text (titles and names from the data among it):
    each is escaped here (safe_text.markdown), so only this function makes headings and paragraphs."""
    out: list[str] = []
    marks = {"title": "# ", "h1": "## ", "h2": "### "}
    for b in blocks:
        text = b.text.replace("\t", "　　") if b.kind == "printed" else b.text
        out += [marks.get(b.kind, "") + markdown(text), ""]
    return "\n".join(out).rstrip() + "\n"
