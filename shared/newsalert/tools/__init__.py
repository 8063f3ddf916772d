"""Tools for people, never imported by a handler and not shipped in the Lambda layer.

The ``newsalert`` command line (``cli``, ``commands/``), the local runtime that deploys
template.yaml into embedded AWS (``local/``), and what the classify commands read and measure.
"""
