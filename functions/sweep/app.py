"""Sweep: what the pipeline left unfinished, found on a schedule, finished or dead-lettered, and counted."""

from __future__ import annotations

from newsalert.cold_start import pause_collector

pause_collector()  # before every other import; the first invocation resumes it (newsalert.cold_start)

import os
from dataclasses import asdict
from datetime import UTC, datetime
from functools import cache
from typing import Any

from aws_lambda_powertools import Metrics
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from newsalert.aws.alert_ledger import AlertLedger
from newsalert.aws.articles_table import ArticlesTable
from newsalert.aws.clients import AwsClients
from newsalert.aws.stalled_scan import StalledScan
from newsalert.config import SweepSettings, load_settings
from newsalert.observability import log_invocation, make_logger, make_tracer
from newsalert.sweep.sweeper import Sweeper

logger = make_logger()
metrics = Metrics()
tracer = make_tracer()


@cache
def sweeper() -> Sweeper:
    settings = load_settings(SweepSettings, os.environ)
    aws = AwsClients(tracer)
    return Sweeper(
        StalledScan(aws.dynamodb, settings.articles_table),
        ArticlesTable(aws.dynamodb, settings.articles_table),
        AlertLedger(aws.dynamodb, settings.articles_table),
        unfinished_after=settings.unfinished_after,
    )


@log_invocation(logger)
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    scheduled = event.get("scheduled_time")
    now = datetime.fromisoformat(scheduled) if scheduled else datetime.now(UTC)
    report = sweeper().sweep(now, context)
    metrics.add_metric(name="ArticlesUnfinished", unit=MetricUnit.Count, value=report.articles_unfinished)
    metrics.add_metric(name="AlertsUnconfirmed", unit=MetricUnit.Count, value=len(report.alerts_unconfirmed))
    metrics.add_metric(name="AlertClaimsReleased", unit=MetricUnit.Count, value=len(report.claims_released))
    summary = asdict(report)
    if report.articles_unfinished or report.alerts_unconfirmed:
        logger.warning("sweep found unfinished work", extra=summary)
    else:
        logger.info("sweep", extra={"scanned": report.scanned, "complete": report.complete})
    return summary
