"""Benchmark of classify with the full default taxonomy, beside a naive baseline, and the handler's import time.

Measures, each several times (median and best of the repetitions), in one process:

- classifying 2,000 title-plus-summary items (the shape of most feed items), 300 articles
  of about 5 KB (and the same 300 with one name outside ASCII, the other road of cutting text
  into words; and 300 Chinese articles of about 5,000 characters, the third road), and the real
  sample article (``events/samples/xi-putin-sco-astana.txt``, 2.5 KB, read as ingest reads it)
  100 times, with ``newsalert.classify.topics.classify`` and the bundled taxonomy;
- the **naive baseline** on the same texts: one compiled regular expression per term and
  alias of the taxonomy (whole words; case-sensitive for terms in capitals, as the taxonomy
  reads them), each run over the title, summary and body; it only finds the terms, without
  queries, context rules, scores or evidence, so it is a floor for "just look for every word";
- the ratio of the two;
- importing the classify handler (``functions/classify/app.py``) in fresh interpreters, and
  importing it plus loading the taxonomy (what its first invocation adds).

The texts are generated in memory from a fixed seed, out of a general news vocabulary with
the taxonomy's own ASCII terms sprinkled in (so topics do match; its terms in other scripts
would make every English article a mixed-script one); nothing else is read from disk but
the taxonomy and the sample article, a real story dense with the watch topics' entities.
``--agnews PATH`` also times real title-plus-summary items from a JSON-lines file
such as ``../shared/data/agnews-dev.jsonl`` (never read unless asked: its licence keeps it out
of the project).

Run: ``.venv/bin/python bench/bench_classify.py [--items N] [--long-items N] [--repeat N] [--agnews PATH]``
(``--no-baseline`` skips the baseline while iterating; the default run always includes it).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import random
import re
import statistics
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from timing import Result, cpu_model, measure

from newsalert.classify.collector import settle_after_loading
from newsalert.classify.taxonomy import load_taxonomy
from newsalert.classify.topics import classify
from newsalert.ingest.formats.raw_text import parse_raw_article
from newsalert.ingest.sources import load_source_catalog
from newsalert.models import Article

SEED = 20240704
SHORT_ITEMS = 2_000
LONG_ITEMS = 300
"""Fewer long articles: the baseline takes tens of milliseconds over each, and every case runs repeat + 1 times."""
LONG_ARTICLE_CHARACTERS = 5_000
TERM_SHARE = 0.06
"""About one word in sixteen is a taxonomy term. The baseline then finds about 10 term occurrences per
100 words: twice as many as in AG News items (5), less than half as many as in the sample SCO article
(25), so the generated text is as hard as news that is about something."""
RECEIVED = datetime(2024, 7, 4, 9, 30, tzinfo=UTC)
PROJECT = Path(__file__).resolve().parents[1]
HANDLER = PROJECT / "functions" / "classify" / "app.py"
SAMPLE_ARTICLE = PROJECT / "events" / "samples" / "xi-putin-sco-astana.txt"
SAMPLE_COPIES = 100

_GENERAL_VOCABULARY = """
the a of to and in on for with at by from after before over under about against between during
said says told added according officials spokesman statement report reports reported week month
year today yesterday Monday Tuesday Wednesday Thursday Friday Saturday Sunday morning evening night
city town region country capital province district village border coast river bridge road railway
people residents workers families children students teachers doctors farmers drivers police
council mayor agency committee company group board office court judge lawyers hearing case
plan plans project programme budget cost costs money funds million billion percent rise fall rose
fell higher lower new old first last next second third several many few more most less least
expected announced agreed rejected approved opened closed started ended began continued
water power energy fuel food prices homes houses schools hospitals roads trains flights port
weather rain storm heat snow floods wind season spring summer autumn winter local national
meeting talks deal agreement decision vote proposal changes rules law order measures steps
public private small large major key main long short early late recent current
support help work service services system network data record records level levels rate
"""
_NAMES = "Dhaka Lagos Lima Oslo Quito Accra Hanoi Leeds Porto Perth Malik Santos Okafor Lindqvist Moreau Tanaka Osei"
GENERAL_WORDS = tuple(_GENERAL_VOCABULARY.split())
"""Words of everyday news that no topic looks for (some do, by chance, as in real text)."""
CAPITALISED = tuple(_NAMES.split())
_GENERAL_CHINESE = """
表示 报道 官员 发言人 声明 本周 本月 今年 今天 昨天 上午 晚上 城市 地区 首都 省份 村庄 边境 沿海 河流
桥梁 道路 铁路 居民 工人 家庭 儿童 学生 教师 医生 农民 司机 警方 委员会 市长 机构 公司 董事会 办公室
法院 法官 律师 听证 计划 项目 预算 成本 资金 百万 十亿 百分之 增加 减少 更高 更低 新的 第一 最后 下一个
几个 许多 宣布 同意 批准 开放 关闭 开始 结束 继续 用水 电力 燃料 食品 住房 学校 医院 航班 港口 降雨
风暴 高温 降雪 洪水 季节 春季 夏季 秋季 冬季 当地 全国 决定 提案 变化 规则 法律 措施 公共 私营 主要
近期 目前 支持 帮助 工作 服务 系统 网络 数据 记录 水平 比率 的 了 在 和 与 对 从 将 已经 正在
"""
GENERAL_CHINESE_WORDS = tuple(_GENERAL_CHINESE.split())
"""Everyday Chinese news words (written for this bench), for the Chinese case."""
_HAN = re.compile(r"[\u4e00-\u9fff]")


# ---------------------------------------------------------------------------
# The taxonomy's terms, for the generator and the baseline
# ---------------------------------------------------------------------------

_QUERY_PHRASE = re.compile(r'"([^"]+)"')
_QUERY_WORD = re.compile(r"(?<![@\w])([\w][\w'\u2019.-]*\*?)(?!:)")
_QUERY_OPERATOR = re.compile(r"^(?:AND|OR|NOT|NEAR/\d+)$")
_WORD = re.compile(r"\w+")
_ALL_CAPS = re.compile(r"^[A-Z0-9][A-Z0-9&-]*[A-Z0-9]$")


def _strings_of(value: Any) -> Iterator[str]:
    """The terms of a taxonomy or entity value, whatever its shape (string, list, {text, aliases}...)."""
    if isinstance(value, str):
        if not value.startswith("@"):  # a reference to an entity, whose aliases are read from entities.yaml
            yield value
    elif isinstance(value, list):
        for item in value:
            yield from _strings_of(item)
    elif isinstance(value, dict):
        for key in (
            "text",
            "alias",
            "aliases",
            "demonyms",
            "metonyms",
            "any_of",
            "none_of",
            "phrases",
            "case_sensitive",
        ):
            if key in value:
                yield from _strings_of(value[key])
        for key in ("requires_context", "context", "ambiguous", "all_of", "match"):
            if key in value:
                yield from _strings_of(value[key])


def _query_terms(query: str) -> Iterator[str]:
    """Phrases and words of a query string, without operators, field names, weights or entity references."""
    yield from _QUERY_PHRASE.findall(query)
    for word in _QUERY_WORD.findall(_QUERY_PHRASE.sub(" ", re.sub(r"\^[\d.]+", " ", query))):
        if not _QUERY_OPERATOR.match(word):
            yield word


def taxonomy_terms() -> list[str]:
    """Every term, alias and context phrase of the bundled taxonomy (and entities, when there are any)."""
    data = resources.files("newsalert").joinpath("data")
    terms: list[str] = []
    for topic in yaml.safe_load(data.joinpath("taxonomy.yaml").read_text(encoding="utf-8"))["topics"]:
        if isinstance(topic.get("query"), str):
            terms.extend(_query_terms(topic["query"]))
        terms.extend(_strings_of(topic.get("match", {})))
    entities_file = data.joinpath("entities.yaml")
    if entities_file.is_file():
        for entity in yaml.safe_load(entities_file.read_text(encoding="utf-8")).get("entities", []):
            terms.extend(_strings_of(entity))
    return sorted(set(terms))


def baseline_patterns(terms: list[str]) -> list[re.Pattern[str]]:
    """One regular expression per term: whole words, any case unless written in capitals, ``word*`` a prefix."""
    patterns = []
    for term in terms:
        prefix = term.endswith("*")
        words = term.rstrip("*").split()
        body = r"\s+".join(re.escape(word) for word in words) + (r"\w*" if prefix else "")
        flags = 0 if _ALL_CAPS.match(term.rstrip("*")) else re.IGNORECASE
        patterns.append(re.compile(rf"(?<!\w){body}(?!\w)", flags))
    return patterns


def run_baseline(patterns: list[re.Pattern[str]], articles: list[Article]) -> int:
    found = 0
    for article in articles:
        for text in (article.title, article.summary, article.body):
            if text:
                for pattern in patterns:
                    for _ in pattern.finditer(text):
                        found += 1
    return found


# ---------------------------------------------------------------------------
# Generated articles
# ---------------------------------------------------------------------------


class Writer:
    """Sentences from the general vocabulary with taxonomy terms sprinkled in, from a fixed seed."""

    def __init__(self, terms: list[str], seed: int = SEED) -> None:
        self._rng = random.Random(seed)
        self._terms = [term.rstrip("*") for term in terms]

    def _word(self) -> str:
        rng = self._rng
        if rng.random() < TERM_SHARE:
            return rng.choice(self._terms)
        return rng.choice(CAPITALISED) if rng.random() < 0.05 else rng.choice(GENERAL_WORDS)

    def sentence(self, low: int, high: int) -> str:
        words = [self._word() for _ in range(self._rng.randint(low, high))]
        return words[0][:1].upper() + " ".join(words)[1:] + "."

    def title(self) -> str:
        return self.sentence(6, 12).rstrip(".。")

    def body(self, characters: int) -> str:
        paragraphs: list[str] = []
        size = 0
        while size < characters:
            paragraph = " ".join(self.sentence(12, 28) for _ in range(self._rng.randint(2, 5)))
            paragraphs.append(paragraph)
            size += len(paragraph) + 2
        return "\n\n".join(paragraphs)


class ChineseWriter(Writer):
    """The same, in Chinese: everyday words and the taxonomy's Han terms, written without spaces."""

    def _word(self) -> str:
        rng = self._rng
        return rng.choice(self._terms) if rng.random() < TERM_SHARE else rng.choice(GENERAL_CHINESE_WORDS)

    def sentence(self, low: int, high: int) -> str:
        return "".join(self._word() for _ in range(self._rng.randint(low, high))) + "。"


def _article(title: str, summary: str = "", body: str = "") -> Article:
    return Article.create(
        title=title, source="Bench", published=RECEIVED, received_at=RECEIVED, summary=summary, body=body
    )


def short_items(writer: Writer, count: int) -> list[Article]:
    return [_article(writer.title(), writer.sentence(18, 30) + " " + writer.sentence(10, 20)) for _ in range(count)]


def long_articles(writer: Writer, count: int) -> list[Article]:
    articles = []
    for _ in range(count):
        body = writer.body(LONG_ARTICLE_CHARACTERS - 400)
        articles.append(_article(writer.title(), writer.sentence(25, 40), body))
    return articles


def with_name(article: Article, name: str) -> Article:
    """The same article with one more sentence, naming ``name``."""
    return _article(article.title, article.summary, f"{article.body} {name} said so.")


def sample_articles(count: int) -> list[Article]:
    """The project's real sample article, parsed as ingest parses a dropped file, ``count`` times."""
    data = SAMPLE_ARTICLE.read_bytes()
    article = parse_raw_article(data, received_at=RECEIVED, origin=SAMPLE_ARTICLE.name, catalog=load_source_catalog())
    return [article] * count


def agnews_items(path: Path) -> list[Article]:
    with path.open(encoding="utf-8") as lines:
        records = [json.loads(line) for line in lines if line.strip()]
    return [_article(record["title"], record.get("summary", "")) for record in records if record.get("title")]


# ---------------------------------------------------------------------------
# Measuring
# ---------------------------------------------------------------------------


_IMPORT_SCRIPT = """
import importlib.util, sys, time
started = time.perf_counter()
spec = importlib.util.spec_from_file_location("classify_app", sys.argv[1])
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
imported = time.perf_counter()
if sys.argv[2] == "load":
    from newsalert.classify.taxonomy import load_taxonomy
    load_taxonomy()
print((imported - started) * 1000, (time.perf_counter() - started) * 1000)
"""


def handler_import_ms(runs: int) -> tuple[float, float]:
    """Median ms, in fresh interpreters, to import the handler, and to import it and load the taxonomy."""
    # The handler reads no configuration at import; region and credentials are set only so that nothing
    # looks for them on disk. No AWS call is made.
    env = os.environ | {"AWS_DEFAULT_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "x", "AWS_SECRET_ACCESS_KEY": "x"}
    imports: list[float] = []
    with_taxonomy: list[float] = []
    for mode in ["import"] * runs + ["load"] * runs:
        output = subprocess.run(
            [sys.executable, "-c", _IMPORT_SCRIPT, str(HANDLER), mode],
            check=True,
            capture_output=True,
            text=True,
            env=env,
            cwd=PROJECT,
        ).stdout.split()
        (imports if mode == "import" else with_taxonomy).append(float(output[0 if mode == "import" else 1]))
    return statistics.median(imports), statistics.median(with_taxonomy)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--items", type=int, default=SHORT_ITEMS, help=f"title+summary items (default {SHORT_ITEMS:,})")
    parser.add_argument("--long-items", type=int, default=LONG_ITEMS, help=f"~5 KB articles (default {LONG_ITEMS})")
    parser.add_argument("--repeat", type=int, default=5, help="measured repetitions of each case (default 5)")
    parser.add_argument("--imports", type=int, default=7, help="fresh interpreters per import measurement")
    parser.add_argument("--agnews", type=Path, help="also time the title+summary items of this JSON-lines file")
    parser.add_argument(
        "--no-baseline", action="store_true", help="skip the (slow) naive baseline, e.g. while iterating"
    )
    parser.add_argument(
        "--default-gc-threshold",
        action="store_true",
        help="keep Python's young-collection threshold (700) instead of the classify handler's",
    )
    args = parser.parse_args()

    taxonomy = load_taxonomy()
    terms = taxonomy_terms()
    patterns = baseline_patterns(terms)
    # The generated text is English news, so its terms are the taxonomy's ASCII ones: since the
    # taxonomy speaks ten languages, the others would put Cyrillic, Arabic or Han words in every
    # article. A second 5 KB case adds one name outside ASCII to each article, which sends the
    # whole text down the Unicode word-cutting path, as every article in another script takes. Chinese,
    # written without spaces, takes a third road (the word pattern over Han text); its case is made of
    # the taxonomy's Han terms among everyday Chinese words.
    writer = Writer([term for term in terms if term.isascii()])
    long_items = long_articles(writer, args.long_items)
    cases = {
        "title+summary": short_items(writer, args.items),
        f"~{LONG_ARTICLE_CHARACTERS // 1000} KB article": long_items,
        f"~{LONG_ARTICLE_CHARACTERS // 1000} KB, a name outside ASCII": [with_name(a, "Erdoğan") for a in long_items],
        f"~{LONG_ARTICLE_CHARACTERS:,} characters of Chinese": long_articles(
            ChineseWriter([term for term in terms if _HAN.search(term)]), args.long_items
        ),
        "sample article (real)": sample_articles(SAMPLE_COPIES),
    }
    if args.agnews:
        cases["AG News title+summary"] = agnews_items(args.agnews)
    # As the classify handler does once its taxonomy is loaded (see its stage() and newsalert.classify.collector):
    # what lives for the whole run is moved out of the collector's generations, and young collections
    # are made rarer. --default-gc-threshold only freezes, to show what the second part is worth.
    if args.default_gc_threshold:
        gc.freeze()
    else:
        settle_after_loading()

    def classify_all(articles: list[Article]) -> Callable[[], object]:
        return lambda: [classify(article, taxonomy) for article in articles]

    def baseline_all(articles: list[Article]) -> Callable[[], int]:
        return lambda: run_baseline(patterns, articles)

    rows: list[tuple[Result, Result | None, float]] = []
    for kind, articles in cases.items():
        size = statistics.mean(len(a.title) + len(a.summary) + len(a.body) for a in articles)
        label = f"{len(articles):,} {kind} ({size:,.0f} chars)"
        ours, _ = measure(f"classify {label}", len(articles), classify_all(articles), args.repeat)
        if args.no_baseline:
            rows.append((ours, None, 0.0))
            continue
        naive, found = measure(f"baseline {label}", len(articles), baseline_all(articles), args.repeat)
        words = sum(len(_WORD.findall(f"{a.title} {a.summary} {a.body}")) for a in articles)
        rows.append((ours, naive, 100 * found / words))
    import_ms, first_call_ms = handler_import_ms(args.imports)

    print(
        f"Python {platform.python_version()} on {cpu_model()} ({os.cpu_count()} CPUs), one thread, "
        f"{args.repeat} repetitions; taxonomy: {len(taxonomy.topics)} topics, baseline: {len(patterns)} regexes"
    )
    print()
    print(f"| {'case':<58} | {'median':>9} | {'best':>9} | {'per item':>9} | {'items/s':>9} |")
    print(f"|{'-' * 60}|{'-' * 11}|{'-' * 11}|{'-' * 11}|{'-' * 11}|")
    for result in (result for ours, naive, _ in rows for result in (ours, naive) if result is not None):
        per_item = result.median / result.items
        print(
            f"| {result.name:<58} | {result.median * 1000:>6.0f} ms | {result.best * 1000:>6.0f} ms "
            f"| {per_item * 1e6:>6.0f} µs | {result.per_second:>9,.0f} |"
        )
    print()
    for classified, baseline, density in rows:
        if baseline is None:
            continue
        print(
            f"classify / baseline, {classified.name.removeprefix('classify ')}: "
            f"{classified.per_second / baseline.per_second:.2f}x"
            f" (the baseline finds {density:.1f} term occurrences per 100 words)"
        )
    print()
    print(f"import functions/classify/app.py (fresh interpreter, median of {args.imports}): {import_ms:.0f} ms")
    print(f"import it and load the taxonomy (its first invocation's extra work): {first_call_ms:.0f} ms")


if __name__ == "__main__":
    main()
