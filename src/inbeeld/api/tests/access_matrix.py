"""The machinery of the role × endpoint matrix: probes, expected statuses, and the URL conf walk.

The table itself is ``MATRIX`` in ``test_access_matrix.py``; its docstring says how to add an entry.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.views import APIView

from inbeeld.accounts.permissions import ROLE_PERMISSIONS, Permission
from inbeeld.api.tests.matrix_world import ANONYMOUS, ROLES, World

Status = int | tuple[int, ...]
IN, OUT, NONE = "in", "out", "-"


def roles_with(*permissions: Permission) -> frozenset[str]:
    """The roles that hold any of ``permissions`` (``accounts.permissions.ROLE_PERMISSIONS``)."""
    return frozenset(
        str(role) for role in ROLES if any(p in ROLE_PERMISSIONS[str(role)] for p in permissions)
    )


EVERY_ROLE = frozenset(str(role) for role in ROLES)


@dataclass(frozen=True)
class Target:
    """What a probe sends: the URL's kwargs, a query string and a body."""

    kwargs: Mapping[str, object] = field(default_factory=dict)
    query: Mapping[str, object] = field(default_factory=dict)
    data: object = None


#: (world, who, mine) → Target: ``mine`` is True for the object in scope of ``who`` (side A)
TargetFn = Callable[[World, str, bool], Target]


@dataclass(frozen=True)
class Expect:
    """The expected status of one probe per role and scope.

    A role in ``may`` gets ``ok`` on an object in scope and ``out`` on one out of scope; a role not
    in ``may`` gets ``denied``; anonymous gets ``anonymous``. ``special`` overrides any of these for
    ``"role"`` or ``"role:in"``/``"role:out"`` (``"anonymous"`` too). A status may be a tuple of
    acceptable ones. ``xfail`` names, with the same keys, the cases where today's code answers
    wrongly: the expectation stays the correct one, and the case is marked xfail(strict=True).
    """

    may: frozenset[str]
    ok: Status = 200
    out: Status = 404
    denied: Status = 403
    anonymous: Status = 302
    #: an anonymous 302 goes to the login page (False: the view redirects anonymous users elsewhere)
    to_login: bool = True
    special: Mapping[str, Status] = field(default_factory=dict)
    xfail: Mapping[str, str] = field(default_factory=dict)

    def status(self, who: str, scope: str) -> Status:
        for key in (f"{who}:{scope}", who):
            if key in self.special:
                return self.special[key]
        if who == ANONYMOUS:
            return self.anonymous
        if who not in self.may:
            return self.denied
        return self.out if scope == OUT else self.ok

    def xfail_reason(self, who: str, scope: str) -> str | None:
        return self.xfail.get(f"{who}:{scope}") or self.xfail.get(who)


@dataclass(frozen=True)
class Probe:
    """One request to try, as every role, on an object in scope and one out of scope (or once,
    scope ``-``, when ``target`` is None: the URL has no object)."""

    method: str
    expect: Expect
    target: TargetFn | None = None
    label: str = ""
    headers: Mapping[str, str] = field(default_factory=dict)
    json: bool = False  # send ``data`` as JSON (the API) instead of a form
    #: False when ``target`` fills in a body or query but names no object: probed once, scope "-"
    scoped: bool = True
    follow: bool = False  # follow redirects (to check the page a write leads to)
    #: (world, who) → None: prepares the request of ``who`` (in the case's savepoint), e.g. an
    #: authenticator being set up
    before: Callable[[World, str], None] | None = None
    #: (world, who, mine) → None: asserts what must hold after the request of a role in ``may``
    #: (``mine``: the object was in scope, or the probe names none)
    after: Callable[[World, str, bool], None] | None = None

    @property
    def name(self) -> str:
        return f"{self.method}{'[' + self.label + ']' if self.label else ''}"

    def scopes(self) -> tuple[str, ...]:
        return (IN, OUT) if self.target is not None and self.scoped else (NONE,)


def page(perm: Permission | Iterable[str] | None = None, **kw) -> Expect:
    """A screen: anonymous to the login page, no permission 403."""
    return Expect(may=_may(perm), **kw)


def api(perm: Permission | Iterable[str] | None = None, **kw) -> Expect:
    """An API endpoint: anonymous 401 (problem+json), no permission 403."""
    kw.setdefault("anonymous", 401)
    return Expect(may=_may(perm), **kw)


def _may(perm) -> frozenset[str]:
    if perm is None:
        return EVERY_ROLE
    if isinstance(perm, Permission):
        return roles_with(perm)
    return frozenset(perm)


# -- the URL conf ----------------------------------------------------------------------------------

_GROUP = re.compile(r"\(\?P<(\w+)>[^)]*\)")
_PARAM = re.compile(r"<(?:\w+:)?(\w+)>")


def _route(pattern) -> str:
    text = str(pattern.pattern)
    text = _GROUP.sub(r"<\1>", text)
    return text.replace("^", "").replace("$", "").replace("\\.", ".")


def url_patterns(resolver: URLResolver | None = None, prefix: str = "") -> dict[str, URLPattern]:
    """Every URL pattern of the URL conf by its full route (regex groups written ``<name>``)."""
    resolver = resolver or get_resolver()
    found: dict[str, URLPattern] = {}
    for entry in resolver.url_patterns:
        route = prefix + _route(entry)
        if isinstance(entry, URLResolver):
            found.update(url_patterns(entry, route))
        else:
            found[route] = entry
    return found


def api_methods(pattern: URLPattern) -> set[str]:
    """The HTTP methods a DRF view answers (besides OPTIONS/HEAD), or empty for a plain view."""
    actions = getattr(pattern.callback, "actions", None)
    if actions:
        return {method.upper() for method in actions} - {"HEAD", "OPTIONS"}
    cls = getattr(pattern.callback, "cls", None)
    if cls is None or not issubclass(cls, APIView):
        return set()
    return {
        m.upper() for m in cls.http_method_names if m not in ("options", "head") and hasattr(cls, m)
    }


def url_of(route: str, kwargs: Mapping[str, object]) -> str:
    return "/" + _PARAM.sub(lambda m: str(kwargs[m.group(1)]), route)


def suggestion(route: str, pattern: URLPattern) -> str:
    """An entry to paste for a pattern without one (to be corrected by hand)."""
    methods = sorted(api_methods(pattern)) or ["GET"]
    params = _PARAM.findall(route)
    target = ""
    if params:
        values = ", ".join(f"{p}=w.side(mine).<object>.pk" for p in params)
        target = f", target=lambda w, who, mine: Target(kwargs=dict({values}))"
    expect = "api(Permission.<X>)" if route.startswith("api/") else "page(Permission.<X>)"
    probes = ", ".join(f'Probe("{m}", {expect}{target})' for m in methods)
    return f'    "{route}": [{probes}],'
