"""The cyclic garbage collector paused while a handler starts: its imports and its first invocation.

A cold start allocates hundreds of thousands of long-lived objects (modules, classes, pydantic's
validators, botocore's service models, classify's taxonomy) and nearly no garbage in reference
cycles. Python's collector does not know that: it runs a young collection every 700 net container
allocations and an older one every ten of those, and each older collection walks everything that
survived so far, which at a cold start is all of it. That is work for nothing, 5-15 % of a cold start.

Each ``functions/*/app.py`` calls ``pause_collector()`` before its other imports;
``newsalert.observability.log_invocation`` calls ``resume_collector()`` when the first
invocation returns (or raises), once its setup (configuration, clients, taxonomy) is done:

* ``gc.freeze()`` moves everything alive then into a generation the collector never walks
  (what a warm environment keeps for its whole life: walking it again would find nothing);
* ``gc.enable()`` turns the collector back on for every later invocation, as before.

The cost: a reference cycle that became garbage during the import or the first invocation is
frozen too and never freed (reference counting frees everything else as usual). That is once
per execution environment, bounded by what the import and one first invocation leave: importing
a handler leaves 600-800 such objects (``gc.collect()`` right after the import finds them), beside
29,000-38,000 tracked objects that live on anyway.

Where the collector was already off (someone else paused it), neither call does anything.

``pause_collector`` also tells pydantic not to look for plugins, unless the environment already
says otherwise (``PYDANTIC_DISABLE_PLUGINS``): the first model pydantic builds would otherwise read
the entry points of every installed distribution (10-20 ms in this project's virtualenv; fewer in
the layer), and newsalert uses no pydantic plugin. A function that is given one sets the variable
to the empty string in template.yaml.
"""

from __future__ import annotations

import gc
import os

NO_PYDANTIC_PLUGINS = ("PYDANTIC_DISABLE_PLUGINS", "__all__")

_paused: list[bool] = []
"""``[True]`` while this module has the collector paused (a list: changed in place, no ``global``)."""


def pause_collector() -> None:
    """Turn the cyclic collector off for the cold start, if it is on (and pydantic's plugin search off)."""
    os.environ.setdefault(*NO_PYDANTIC_PLUGINS)
    if gc.isenabled() and not _paused:
        gc.disable()
        _paused.append(True)


def resume_collector() -> None:
    """Freeze what the cold start made and turn the collector back on (only if ``pause_collector`` turned it off)."""
    if _paused:
        _paused.clear()
        gc.freeze()
        gc.enable()


def collector_paused() -> bool:
    """Whether ``pause_collector`` has the collector off now."""
    return bool(_paused)
