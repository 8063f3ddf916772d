"""The ingest stage: feeds polled, files dropped and articles pushed, normalised into articles for classify."""
