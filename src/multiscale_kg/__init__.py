"""multiscale-kg: a knowledge graph of nano-, micro- and multiscale battery electrode particles."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("multiscale-kg")
except PackageNotFoundError:  # running from a source tree without an install
    __version__ = "0.0.0"
