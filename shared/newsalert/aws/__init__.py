"""The AWS adapters: the only modules that touch boto3 (tables, queues, topic, buckets, idempotency).

Each adapter receives its client and implements a port of ``newsalert.ports``; no domain
module imports one. Handlers and tools make the clients and hand them in.
"""
