"""Work Datasette repeats on every request that a server of one build does once, or more cheaply.

- The permission checks of anonymous visitors are answered once per process and build (they depend on
  the metadata, the settings and the build's tables, none of which change while a build is served; a
  switch to another build forgets them). Checks answered from memory are not listed again on
  ``/-/permissions``; visitors who are signed in are checked every time.
- An absolute URL of a path on this site (every facet value's toggle link) is the request's scheme and
  host before the path, as ``urljoin`` would make it, without parsing both URLs each time.
"""

from __future__ import annotations


def remember_anonymous_permissions(datasette) -> None:
    checks = datasette.permission_allowed
    answers: dict = {}

    async def permission_allowed(actor, action, resource=None, default=False):
        if actor is not None:
            return await checks(actor, action, resource, default)
        key = (action, tuple(resource) if isinstance(resource, list) else resource, default)
        if key not in answers:
            answers[key] = await checks(actor, action, resource, default)
        return answers[key]

    permission_allowed.forget = answers.clear  # type: ignore[attr-defined]
    datasette.permission_allowed = permission_allowed


def cheap_absolute_urls(datasette) -> None:
    joined = datasette.absolute_url

    def absolute_url(request, path):
        path = str(path)  # a plain string: Datasette's PrefixedUrlString wraps every method call
        if not path.startswith("/") or path.startswith("//") or "/." in path:
            return joined(request, path)  # relative, another host, or dot segments: urljoin resolves them
        origin = getattr(request, "_mskg_origin", None)
        if origin is None:
            scheme = "https" if datasette.setting("force_https_urls") else request.scheme
            origin = request._mskg_origin = f"{scheme}://{request.host}"
        return origin + path

    datasette.absolute_url = absolute_url


def install(datasette) -> None:
    remember_anonymous_permissions(datasette)
    cheap_absolute_urls(datasette)
