"""One rule for "a class with its subclasses" (or its superclasses, or a role with its
broader roles, or a place with the places it lies in): the reflexive transitive closure of
a link table.

>>> parents = {"Kindergarten": {"School"}, "School": {"Organization"}}
>>> sorted(closure(parents, "Kindergarten"))
['Kindergarten', 'Organization', 'School']
>>> sorted(closure(inverse(parents), "Organization"))
['Kindergarten', 'Organization', 'School']
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TypeVar

T = TypeVar("T")


def closure(links: Mapping[T, Iterable[T]], start: T) -> frozenset[T]:
    """``start`` and everything reached from it by following ``links`` (cycles are fine).

    >>> sorted(closure({"a": ["b"], "b": ["a", "c"]}, "a"))
    ['a', 'b', 'c']
    >>> closure({}, "x")
    frozenset({'x'})
    """
    seen, todo = {start}, [start]
    while todo:
        for x in links.get(todo.pop(), ()):
            if x not in seen:
                seen.add(x)
                todo.append(x)
    return frozenset(seen)


def inverse(links: Mapping[T, Iterable[T]]) -> dict[T, set[T]]:
    """The links turned around: parents -> children, or children -> parents.

    >>> sorted(inverse({"School": ["Organization"], "Company": ["Organization"]})["Organization"])
    ['Company', 'School']
    """
    out: dict[T, set[T]] = {}
    for x, ys in links.items():
        for y in ys:
            out.setdefault(y, set()).add(x)
    return out
