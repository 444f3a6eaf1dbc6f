"""Per-document builds: the part of a build that depends on one document folder (and the corpus's shared
concepts) only, run in a process pool or on a Dask cluster and cached by its inputs' digest.

``work.build_document`` is the pure function; ``cache.DocumentCache`` keeps its results beside the build
folder (``.<out>-cache/``); ``run.run_documents`` maps it over the corpus in-process, in processes or on a
cluster, the results always in the corpus's order; ``corpus.run_corpus`` puts the three together.
"""
