"""The installed distribution's version, for the build's provenance and ``mskg --version``."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("multiscale-kg")
except PackageNotFoundError:  # running from a source tree without an install
    __version__ = "0.0.0"
