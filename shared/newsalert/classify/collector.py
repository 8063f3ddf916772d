"""How the garbage collector runs in a warm classify environment.

Classify keeps a large heap for as long as its execution environment lives (the taxonomy:
thousands of patterns, compiled queries and entity names) and makes thousands of short-lived
containers for every article it reads (occurrences, hits, evidence), which reference counting
frees as soon as the article is done: none of them is part of a reference cycle. Python's
cyclic collector does not know that. By default it runs a young collection every 700 net
container allocations, about three times per long article, and each older collection walks
everything that survived, the taxonomy included.

``settle_after_loading`` is called once the long-lived state is loaded:

* ``gc.freeze()`` moves everything alive (modules, taxonomy) to a generation the collector
  never walks; it frees nothing and changes nothing else;
* young collections happen every ``YOUNG_COLLECTION_EVERY`` allocations instead of 700. The
  collector still runs, and would still free any cycle; it runs less often. At worst that
  many small containers wait a little longer to be freed: a few hundred kilobytes.

Measured with ``bench/bench_classify.py`` (docs/classifier.md): long articles classify about
15-20 % faster in the benchmark's median, and the spread between runs shrinks.
"""

from __future__ import annotations

import gc

YOUNG_COLLECTION_EVERY = 10_000
"""Net container allocations between young collections (Python's default is 700)."""


def settle_after_loading() -> None:
    """Freeze what is alive now and make young collections rarer (see the module docstring)."""
    gc.freeze()
    _young, older, oldest = gc.get_threshold()
    gc.set_threshold(YOUNG_COLLECTION_EVERY, older, oldest)
