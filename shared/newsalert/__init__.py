"""newsalert: event-driven breaking-news alerting on AWS.

The package is deployed as one Lambda layer and holds everything the three
handlers in ``functions/`` call: models, configuration, AWS adapters, the
domain logic of each stage, and the ``newsalert`` command line.
"""

__version__ = "0.1.0"
