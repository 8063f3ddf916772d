"""The AWS adapters: the only modules that touch botocore (tables, queues, topic, buckets, the archive).

Each adapter receives its client and implements a port of ``newsalert.ports``; no domain
module imports one. Handlers and tools make the clients and hand them in.
"""
