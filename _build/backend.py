"""setuptools' build backend, unchanged but for one notice.

The required top-level folders (ingest/, nlp/, db/, templates/) install as
subpackages of ``boardpapers`` through ``package-dir``. For such a mapping an
editable install (``pip install -e .``) always uses setuptools' meta-path
finder and says so with an ``InformationOnly`` notice ("Editable
installation. ... Please be careful with folders in your working directory").
That notice is the whole point of the mapping here, not a problem to act on,
so it is silenced; every other warning passes through. Nothing in this folder
is installed.
"""

import warnings

from setuptools import build_meta as _orig
from setuptools.build_meta import *  # noqa: F403  (the PEP 517 hooks)
from setuptools.warnings import InformationOnly


def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=InformationOnly, message="Editable installation")
        return _orig.build_editable(wheel_directory, config_settings, metadata_directory)
