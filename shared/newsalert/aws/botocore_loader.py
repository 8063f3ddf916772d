"""botocore's data loader, minus two costs of a cold start that a handler's clients never needed.

Imported by ``newsalert.aws.clients`` when the first client is made, with botocore.

- ``PlainJsonFiles``: botocore's data files (``endpoints.json``, 1.2 MB, and each service's model
  and endpoint rules) read with ``json.loads``. botocore's own reader makes every JSON object an
  ``OrderedDict``, which takes twice as long as making dicts, ordered as well.
- ``ModelLoader.load_service_model``: botocore lists every service folder it has (about 420, a
  directory listing and a ``stat`` or two each) before loading any model of one service, only so
  that an unknown service name fails with the list of known ones. Here the model is looked for
  first; only when it is not found does botocore's own method run, to raise what it raises.
  (botocore pull request 3687, open as this is written, proposes the same change.)

Measured on this machine (CPU time to make the clients, median of 9 fresh processes): DynamoDB
and SQS 57 ms with botocore's loader, 44 ms with plain JSON, 27 ms with both changes; DynamoDB,
SQS and S3 120, 81 and 64 ms. ``tests/unit/test_handlers_cold_start.py`` checks that
both give exactly what botocore's loader gives.
"""

from __future__ import annotations

import gzip
import json
import os
from typing import Any

from botocore.exceptions import DataNotFoundError
from botocore.loaders import JSONFileLoader, Loader, instance_cache


class PlainJsonFiles(JSONFileLoader):
    """What botocore's ``JSONFileLoader`` reads (``name.json``, else ``name.json.gz``), as dicts."""

    def exists(self, file_path: str) -> bool:
        return os.path.isfile(file_path + ".json.gz") or os.path.isfile(file_path + ".json")

    def load_file(self, file_path: str) -> Any:
        if os.path.isfile(file_path + ".json"):
            with open(file_path + ".json", "rb") as plain:
                return json.loads(plain.read().decode("utf-8"))
        if os.path.isfile(file_path + ".json.gz"):
            with gzip.open(file_path + ".json.gz", "rb") as compressed:
                return json.loads(compressed.read().decode("utf-8"))
        return None


class ModelLoader(Loader):
    """botocore's ``Loader``, which lists the known services only when a model is not found."""

    @instance_cache
    def load_service_model(self, service_name: str, type_name: str, api_version: str | None = None) -> Any:
        try:
            version = api_version or self.determine_latest_version(service_name, type_name)
            model = self.load_data(os.path.join(service_name, version, type_name))
        except DataNotFoundError:  # an unknown service, or no such model: botocore's own error
            return super().load_service_model(service_name, type_name, api_version)
        loader: Any = self  # what follows is botocore's own method, which uses what its stubs leave out
        loader._extras_processor.process(model, loader._find_extras(service_name, type_name, version))
        return model


def model_loader(data_path: str | None) -> Loader:
    """The loader botocore's session would make (its ``create_loader`` of ``AWS_DATA_PATH``), made as above."""
    paths = None
    if data_path is not None:
        paths = [os.path.expanduser(os.path.expandvars(path)) for path in data_path.split(os.pathsep)]
    return ModelLoader(extra_search_paths=paths, file_loader=PlainJsonFiles())
