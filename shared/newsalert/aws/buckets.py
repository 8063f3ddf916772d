"""S3 objects the stages read: files dropped in the inbox, the operator's taxonomy."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client


class Buckets:
    """Reads objects (``newsalert.ports.ObjectReader``). Receives its S3 client; never creates one."""

    def __init__(self, s3: S3Client) -> None:
        self._s3 = s3

    def read(self, bucket: str, key: str, *, limit: int) -> bytes | None:
        """At most ``limit`` bytes of ``s3://bucket/key``, or None when there is no such object."""
        try:
            response = self._s3.get_object(Bucket=bucket, Key=key)
        except self._s3.exceptions.NoSuchKey:
            return None
        return response["Body"].read(limit)
