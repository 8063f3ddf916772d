"""Which topics a taxonomy defines, read without compiling it: for checking what subscribers follow.

Loading a taxonomy compiles every query (a tenth of a second and more); knowing its topic ids
needs only the YAML. Subscribers may follow the topics of the operator's override at ``TaxonomyKey`` when
there is one that lists topics, else the bundled taxonomy's. (An override that lists topics but
fails classify's deeper checks is rejected by classify, which keeps the bundled taxonomy and
raises the TaxonomyOverrideRejected alarm; a subscriber of one of its new topics gets nothing
until the operator mends it.)
"""

from __future__ import annotations

from newsalert.bundled_data import bundled_document
from newsalert.ports import ObjectReader

MAX_TAXONOMY_BYTES = 1024 * 1024


def topic_ids(text: str) -> frozenset[str]:
    """The ids of the topics a taxonomy file lists; empty when it lists none readably."""
    import yaml  # only for an operator's file: the bundled taxonomy is read from JSON (newsalert.bundled_data)

    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError:
        return frozenset()
    return _listed_topic_ids(document)


def _listed_topic_ids(document: object) -> frozenset[str]:
    topics = document.get("topics") if isinstance(document, dict) else None
    if not isinstance(topics, list):
        return frozenset()
    return frozenset(str(topic["id"]) for topic in topics if isinstance(topic, dict) and topic.get("id"))


def bundled_topic_ids() -> frozenset[str]:
    return _listed_topic_ids(bundled_document("taxonomy.yaml"))


def operator_topic_ids(objects: ObjectReader, bucket: str, key: str) -> frozenset[str]:
    """The topics of the operator's override when it is there and lists some, else the bundled ones."""
    try:
        data = objects.read(bucket, key, limit=MAX_TAXONOMY_BYTES + 1)
    except Exception:  # an override that cannot be read is not the one classify uses either
        data = None
    if data is not None and len(data) <= MAX_TAXONOMY_BYTES:
        override = topic_ids(data.decode("utf-8", errors="replace"))
        if override:
            return override
    return bundled_topic_ids()
