"""The article archive in the ingest bucket: every article classify read, kept for replay and backtests.

Articles travel on the queues; the articles table keeps only their fates. So that they can be
classified again (``newsalert backtest``, a replay after a taxonomy change), classify writes the
articles of each batch it processed as one gzip JSON-lines object under ``archive/``, by the hour
they arrived: ``archive/2024/07/04/09/<batch id>.jsonl.gz``. One PUT per batch, not per article,
and the bucket's lifecycle rule expires the archive as the table's TTL expires the fates.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from datetime import datetime
from typing import TYPE_CHECKING

from newsalert.models import Article

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

ARCHIVE_PREFIX = "archive/"


class ArticleArchive:
    """Receives its S3 client; never creates one."""

    def __init__(self, s3: S3Client, bucket: str) -> None:
        self._s3 = s3
        self._bucket = bucket

    def keep(self, articles: list[Article], *, batch_id: str, arrived: datetime) -> str | None:
        """Write one batch's articles as one object; returns its key (None for an empty batch)."""
        if not articles:
            return None
        key = f"{ARCHIVE_PREFIX}{arrived:%Y/%m/%d/%H}/{batch_id}.jsonl.gz"
        body = gzip.compress("".join(article.model_dump_json() + "\n" for article in articles).encode("utf-8"))
        self._s3.put_object(Bucket=self._bucket, Key=key, Body=body, ContentEncoding="gzip")
        return key

    def articles(self, *, since: datetime | None = None) -> Iterator[tuple[str, str]]:
        """Every archived article as ``(where, its JSON)``, oldest hour first; from ``since``'s hour when given."""
        start_after = f"{ARCHIVE_PREFIX}{since:%Y/%m/%d/%H}/" if since is not None else ""
        pages = self._s3.get_paginator("list_objects_v2").paginate(
            Bucket=self._bucket, Prefix=ARCHIVE_PREFIX, StartAfter=start_after
        )
        for page in pages:
            for entry in page.get("Contents", []):
                body = self._s3.get_object(Bucket=self._bucket, Key=entry["Key"])["Body"].read()
                for number, line in enumerate(gzip.decompress(body).decode("utf-8").splitlines(), start=1):
                    if line.strip():
                        yield f"s3://{self._bucket}/{entry['Key']}:{number}", line
