"""Where classify's taxonomy comes from: the operator's override in S3, or the bundled default.

An operator changes topics without a deployment by putting a taxonomy file at the
``TaxonomyKey`` of the ingest bucket; classify reads it at cold start. A file that does
not load (bad YAML, an unknown parent, a query with a syntax error...) must never take the
function down: classify keeps the bundled taxonomy, and the error, which names the topic
and the problem, goes to the log and to the ``TaxonomyOverrideRejected`` metric.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from newsalert.classify.taxonomy import Taxonomy, TaxonomyError, load_taxonomy, parse_taxonomy

MAX_TAXONOMY_BYTES = 1024 * 1024


@dataclass(frozen=True)
class LoadedTaxonomy:
    taxonomy: Taxonomy
    origin: str
    """``bundled`` or the S3 URI the taxonomy came from."""
    rejected: str | None = None
    """Why the operator's file was not used, when there was one and it did not load."""


def load_classify_taxonomy(s3: Any, bucket: str, key: str) -> LoadedTaxonomy:
    """The operator's taxonomy at ``s3://bucket/key`` if it exists and loads, else the bundled one."""
    uri = f"s3://{bucket}/{key}"
    try:
        response = s3.get_object(Bucket=bucket, Key=key)
    except s3.exceptions.NoSuchKey:
        return LoadedTaxonomy(load_taxonomy(), "bundled")
    except Exception as error:  # any failure to read falls back to the bundled one; the reason is reported
        return LoadedTaxonomy(load_taxonomy(), "bundled", rejected=f"{uri} could not be read: {error}")
    data = response["Body"].read(MAX_TAXONOMY_BYTES + 1)
    if len(data) > MAX_TAXONOMY_BYTES:
        return LoadedTaxonomy(load_taxonomy(), "bundled", rejected=f"{uri} is over {MAX_TAXONOMY_BYTES} bytes")
    try:
        return LoadedTaxonomy(parse_taxonomy(data.decode("utf-8"), source=uri), uri)
    except (TaxonomyError, UnicodeDecodeError) as error:
        return LoadedTaxonomy(load_taxonomy(), "bundled", rejected=str(error))
