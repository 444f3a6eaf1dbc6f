"""multiscale-kg: a knowledge graph of nano-, micro- and multiscale battery electrode particles."""

from .version import __version__


def load(folder=None, corpus=None):
    """Load the knowledge graph built in ``folder`` (building it first when needed; by default $MSKG_DB, else
    ``db/``, from $MSKG_CORPUS, else ``corpus/``); see ``api.load``."""
    from .api import load as _load

    return _load(folder, corpus)


__all__ = ["__version__", "load"]
