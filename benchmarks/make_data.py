"""A synthetic data folder of any size for the benchmarks (示例数据, never official figures).

    python benchmarks/make_data.py OUT --units 100 --months 10      # 1,000 report files
    python benchmarks/make_data.py OUT --units 3000 --months 1      # one month of 3,000 units
    python benchmarks/make_data.py OUT --counties --months 10       # every county of Shanxi: 1,290 files

OUT gets a copy of data/tasks.yaml with `--units` reporting units appended (level 市 under the
province: extra rows of the province's tables, ids bench0001…, unique 6-digit codes) and
reports/<id>/<YYYY-MM>.yaml for the first
`--months` months from 2022-03, written by yejin.report_writer.render_report like real ones:
marked sample_data, ~14 KB each (long Chinese progress texts), cumulative figures growing month
by month and numerators within denominators, so the folder validates without a problem.
Deterministic (fixed seed).  Never write into the repository's data/.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from yejin.campaign.counties import KEY_COUNTIES  # noqa: E402
from yejin.checking.dataset import load_tasks  # noqa: E402
from yejin.outputs.report_writer import MeasureDraft, ReportDraft, render_report  # noqa: E402
from yejin.words import NO, YES  # noqa: E402

MONTHS = [f"2022-{m:02d}" for m in range(3, 13)]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = ["建国", "海燕", "志强", "丽华", "晓东", "春梅", "卫东", "秀英", "国庆", "红梅", "文军", "小芳"]
# the building blocks of a progress text: what a county office writes in a monthly report
OPENINGS = [
    "按照省市统一部署",
    "对照任务分解清单",
    "结合本县冶金工贸行业实际",
    "坚持问题导向和目标导向",
    "在上月工作基础上",
    "围绕年度重点任务",
]
ACTIONS = [
    "组织专班深入企业开展现场检查",
    "召开专题推进会议研究部署",
    "聘请行业专家开展会诊式检查",
    "督促企业主要负责人落实第一责任",
    "对重点企业实行包保责任制",
    "开展“四不两直”明查暗访",
    "对照标准规范逐项核查企业制度和台账",
    "组织企业开展自查自改并建立问题清单",
    "对发现的问题隐患实行闭环管理",
    "利用信息化平台实施动态监管",
]
FINDINGS = [
    "部分企业煤气区域固定式报警仪设置不规范",
    "个别企业危险作业审批流于形式",
    "少数企业有限空间作业未落实先通风再检测后作业",
    "部分企业安全管理人员配备不足",
    "个别企业重大危险源包保责任人履职记录不全",
    "部分企业双重预防机制运行不够有效",
    "个别企业应急预案针对性不强、演练不足",
    "部分企业外包作业安全管理不到位",
]
FOLLOW = [
    "已全部下达整改通知书并跟踪督办",
    "已约谈企业主要负责人并限期整改",
    "对拒不整改的依法实施行政处罚",
    "整改情况纳入下月重点复查内容",
    "已将典型问题在全县通报",
    "督促企业举一反三开展全面排查",
]


def progress_text(
    rng: random.Random, unit_name: str, measure, status: str, values: dict, month: str, sentences: int
) -> str:
    m = int(month[5:])
    shown = [i for i in measure.indicators if i.kind != "rate"]
    figures = "，".join(f"累计{i.name}{values.get(i.key, 0)}{i.unit}" for i in shown) or "按计划推进相关工作"
    parts = [f"截至{m}月底，{unit_name}围绕“{measure.short_title}”{rng.choice(OPENINGS)}，{figures}。"]
    for _ in range(sentences):
        parts.append(
            f"{rng.choice(OPENINGS)}，{rng.choice(ACTIONS)}，检查中发现{rng.choice(FINDINGS)}等问题，"
            f"{rng.choice(FOLLOW)}。"
        )
    if status == "已完成":
        parts.append("该项工作已按要求完成，转入常态化监管。")
    parts.append("（示例数据）")
    return "".join(parts)


def write_tasks(out: Path, units: int) -> list[str]:
    """tasks.yaml: the real one with `units` counties added at the end of `units:`."""
    text = (REPO / "data" / "tasks.yaml").read_text(encoding="utf-8")
    head, sep, tail = text.partition("\ntasks:")
    ids = [f"bench{i:04d}" for i in range(1, units + 1)]
    lines = [
        f'  - {{id: {uid}, name: 样例{i:04d}单位, code: "{600000 + i:06d}", level: 市, parent: shanxi}}'
        for i, uid in enumerate(ids, 1)
    ]
    (out / "tasks.yaml").write_text(
        head.rstrip("\n") + "\n" + "\n".join(lines) + "\n" + sep + tail, encoding="utf-8", newline="\n"
    )
    return ids


def write_counties_tasks(out: Path) -> None:
    """tasks.yaml: the real one with every city opted in for its counties (`counties: {report: true}`)."""
    text = (REPO / "data" / "tasks.yaml").read_text(encoding="utf-8")
    head, sep, tail = text.partition("\ntasks:")
    lines = []
    for line in head.splitlines():
        if "level: 市" in line and "counties:" not in line:
            line = line.replace("parent: shanxi", "parent: shanxi, counties: {report: true}")
        lines.append(line)
    (out / "tasks.yaml").write_text("\n".join(lines) + "\n" + sep + tail, encoding="utf-8", newline="\n")


def make(out: Path, units: int, months: int, sentences: int = 2, seed: int = 2022, counties: bool = False) -> int:
    """Write the folder (replacing one that exists); the number of report files written.
    counties: every unit of the real task list with every county of Shanxi (`units` is not used)."""
    if out.resolve() == (REPO / "data").resolve():
        raise SystemExit("不写入仓库的 data/")
    if out.exists():
        shutil.rmtree(out)
    (out / "reports").mkdir(parents=True)
    if counties:
        write_counties_tasks(out)
    else:
        ids = write_tasks(out, units)
    campaign, _, problems, _ = load_tasks(out)
    if campaign is None:
        raise SystemExit(f"tasks.yaml 无效：{problems}")
    if counties:
        ids = [u.id for u in campaign.all_units]
    written = 0
    for number, uid in enumerate(ids, 1):
        rng = random.Random(seed * 100_000 + number)
        unit = campaign.unit_by_id[uid]
        scale = rng.uniform(0.5, 1.5)
        contacts = {
            "a": {"name": rng.choice(SURNAMES) + rng.choice(GIVEN), "phone": f"0351-55{rng.randint(10000, 99999)}"},
            "b": {"name": rng.choice(SURNAMES) + rng.choice(GIVEN), "phone": f"139{rng.randint(10000000, 99999999)}"},
        }
        totals: dict[tuple[int, str], float] = {}
        finished: set[int] = set()
        folder = out / "reports" / uid
        folder.mkdir()
        for month_index, month in enumerate(MONTHS[:months]):
            measures: dict[int, MeasureDraft] = {}
            for measure in campaign.applicable_measures(unit):
                values: dict[str, int | float | str] = {}
                for ind in measure.indicators:
                    if ind.kind == "rate":
                        continue
                    if ind.kind == "yesno":  # 是/否, once 是 it stays so
                        yes = totals.get((measure.number, ind.key), 0) or rng.random() < 0.4
                        totals[(measure.number, ind.key)] = int(yes)
                        values[ind.key] = YES if yes else NO
                        continue
                    key = (measure.number, ind.key)
                    step = rng.randint(0, int(8 * scale) + 1)
                    if ind.unit == "万元":
                        totals[key] = round(totals.get(key, 0) + step * 0.85, 2)
                    else:
                        totals[key] = totals.get(key, 0) + step
                    values[ind.key] = totals[key]
                for ind in measure.indicators:  # numerator within denominator, both still cumulative
                    if ind.kind == "rate" and ind.denominator == KEY_COUNTIES:  # the 重点县区 tasks.yaml lists
                        listed = len(campaign.key_counties(unit))
                        values[ind.numerator] = totals[(measure.number, ind.numerator)] = min(
                            values[ind.numerator], listed
                        )
                    elif ind.kind == "rate":
                        num, den = values[ind.numerator], values[ind.denominator]
                        if num > den:
                            values[ind.numerator], values[ind.denominator] = den, num
                            totals[(measure.number, ind.numerator)] = den
                            totals[(measure.number, ind.denominator)] = num
                # once 已完成, a measure stays so (going back is a reminder, Y217)
                if measure.number in finished or (month_index >= 6 and rng.random() < 0.3):
                    finished.add(measure.number)
                status = "已完成" if measure.number in finished else "推进中"
                cases = []
                if "typical_cases" in measure.indicator_map and rng.random() < 0.3:
                    cases.append(
                        {
                            "title": f"某{rng.choice(['钢铁', '铝加工', '铸造'])}企业未落实重点执法检查事项整改案（示例）",
                            "enterprise": f"{unit.name}某{rng.choice(['钢铁', '金属制品', '铝业'])}有限公司（示例）",
                            "summary": "执法检查发现该企业煤气区域未设置固定式报警仪，依法责令整改并处罚款。（示例数据）",
                        }
                    )
                measures[measure.number] = MeasureDraft(
                    status=status,
                    indicators=values,
                    cases=cases,
                    progress=progress_text(rng, unit.name, measure, status, values, month, sentences),
                )
            draft = ReportDraft(
                unit=unit,
                month=month,
                submitted=f"{month}-{rng.randint(20, 28):02d}",
                contacts=contacts,
                measures=measures,
                sample_data=True,
                problems=f"部分企业主体责任落实不到位，{int(month[5:])}月检查中发现的问题仍有未整改到位的。（示例数据）",
                next_steps="继续督促企业整改，加强执法检查，按时限完成各项任务。（示例数据）",
            )
            (folder / f"{month}.yaml").write_text(render_report(campaign, draft), encoding="utf-8", newline="\n")
            written += 1
    stamp = {"units": units, "months": months, "sentences": sentences, "seed": seed, "counties": counties}
    (out / "bench.json").write_text(json.dumps(stamp), encoding="utf-8")
    return written


def ensure(out: Path, units: int, months: int, sentences: int = 2, seed: int = 2022, counties: bool = False) -> Path:
    """The folder, generated only when it is missing or was made with other parameters."""
    stamp = out / "bench.json"
    want = {"units": units, "months": months, "sentences": sentences, "seed": seed, "counties": counties}
    try:
        if json.loads(stamp.read_text(encoding="utf-8")) == want:
            return out
    except (OSError, ValueError):
        pass
    make(out, units, months, sentences, seed, counties)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--units", type=int, default=100)
    parser.add_argument("--months", type=int, default=10, help="1–10, from 2022-03")
    parser.add_argument("--sentences", type=int, default=2, help="extra sentences per progress text (file size)")
    parser.add_argument("--seed", type=int, default=2022)
    parser.add_argument("--counties", action="store_true", help="every city opted in, every county reporting")
    args = parser.parse_args()
    if not 1 <= args.months <= len(MONTHS):
        parser.error(f"--months must be 1–{len(MONTHS)}")
    n = make(args.out, args.units, args.months, args.sentences, args.seed, args.counties)
    print(f"wrote {n} report files to {args.out / 'reports'}")


if __name__ == "__main__":
    main()
