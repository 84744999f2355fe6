"""The roll-up rule, written once: which organization a unit or an affiliated foundation is
counted with when a view, a question or the page rolls organizations up to their parents.

An organization rolls up along one of its affiliation links to another organization, the
first key of :data:`ROLL_UP` that gives it a parent winning:

1. ``unit_of`` (org:unitOf): a unit to its organization;
2. ``part_of`` between organizations (org:subOrganizationOf): a sub-organization to its parent;
3. ``affiliated_with`` (kg:affiliatedWith): an organization to the one it is attached to;
4. ``founded_by`` (schema:founder), for a **foundation** only: to the organization that founded it
   (a foundation set up by a company or a university acts for it; a school or a company
   founded by another organization is an actor of its own and stays).

``member_of`` (alliances, networks) never rolls up: members of an alliance stay themselves.
A parent must be an organization (a founder who is a person is no parent). Where the winning
key gives two or more parents, the organization is ambiguous and stays itself. Parents roll
up in turn, so a division rolls up to its ministry. Everything is sorted: the same links give
the same roots.

>>> links = [("dept", "unit_of", "ministry"), ("division", "unit_of", "dept"),
...          ("fund", "founded_by", "company"), ("school", "founded_by", "company")]
>>> classes = {"dept": {"Organization"}, "ministry": {"Organization"}, "division": {"Organization"},
...            "fund": {"Organization", "Foundation"}, "company": {"Organization"},
...            "school": {"Organization", "School"}}
>>> roots(parents(links, classes))
{'dept': 'ministry', 'division': 'ministry', 'fund': 'company'}
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Set

#: The relation keys roll-up follows, in order of preference, with the class the child must
#: have (None: any organization).
ROLL_UP: tuple[tuple[str, str | None], ...] = (
    ("unit_of", None),
    ("part_of", None),
    ("affiliated_with", None),
    ("founded_by", "Foundation"),
)
#: The relation keys that link an organization to another organization (affiliations).
AFFILIATIONS: tuple[str, ...] = ("unit_of", "part_of", "affiliated_with", "founded_by", "member_of")

#: A link: (child id, relation key, parent id).
Link = tuple[str, str, str]


def rolls_up(key: str, child_classes: Set[str], parent_classes: Set[str]) -> bool:
    """Whether a link of ``key`` from an entity of these classes to one of those is one roll-up follows.

    >>> rolls_up("founded_by", {"Organization", "Foundation"}, {"Organization"})
    True
    >>> rolls_up("founded_by", {"Organization", "School"}, {"Organization"})
    False
    >>> rolls_up("member_of", {"Organization"}, {"Organization"})
    False
    """
    if "Organization" not in child_classes or "Organization" not in parent_classes:
        return False
    return any(key == k and (need is None or need in child_classes) for k, need in ROLL_UP)


def parents(links: Iterable[Link], classes: Mapping[str, Set[str]]) -> dict[str, str]:
    """Each organization's roll-up parent, where it has exactly one under the rule (child -> parent).

    ``classes`` gives each id's classes with every superclass (``{"Foundation",
    "Organization"}``); ids it lacks are not organizations.

    >>> parents([("u", "unit_of", "a"), ("u", "affiliated_with", "b"), ("v", "unit_of", "a"),
    ...          ("v", "unit_of", "b")], {x: {"Organization"} for x in "uvab"})
    {'u': 'a'}
    """
    found: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for child, key, parent in links:
        if child != parent and rolls_up(key, classes.get(child, set()), classes.get(parent, set())):
            found[child][key].add(parent)
    out: dict[str, str] = {}
    for child in sorted(found):
        for key, _need in ROLL_UP:
            if found[child].get(key):
                if len(found[child][key]) == 1:
                    out[child] = next(iter(found[child][key]))
                break
    return out


def roots(parent: Mapping[str, str]) -> dict[str, str]:
    """Each rolled organization's top parent (child -> root), following parents upwards.

    An organization on a cycle (which ``kg validate`` reports: see :func:`cycles`) stays itself.

    >>> roots({"a": "b", "b": "c", "x": "y", "y": "x"})
    {'a': 'c', 'b': 'c'}
    """
    out: dict[str, str] = {}
    for start in sorted(parent):
        path, node = [start], parent[start]
        while node in parent and node not in path:
            path.append(node)
            node = parent[node]
        if node in path:  # a cycle: no root
            continue
        out[start] = node
    return out


def members(root_of: Mapping[str, str]) -> dict[str, list[str]]:
    """The inverse of :func:`roots`: each root and the organizations rolled up into it, sorted.

    >>> members({"a": "c", "b": "c"})
    {'c': ['a', 'b']}
    """
    out: dict[str, list[str]] = defaultdict(list)
    for child, root in sorted(root_of.items()):
        out[root].append(child)
    return dict(sorted(out.items()))


def cycles(links: Iterable[Link], classes: Mapping[str, Set[str]]) -> list[list[str]]:
    """The cycles among the links roll-up follows (every parent candidate, not only the chosen
    one), each as the ids around it starting from its smallest, sorted.

    >>> cycles([("a", "unit_of", "b"), ("b", "affiliated_with", "a"), ("c", "unit_of", "a")],
    ...        {x: {"Organization"} for x in "abc"})
    [['a', 'b']]
    """
    import networkx as nx

    g: nx.DiGraph[str] = nx.DiGraph()
    for child, key, parent in sorted(links):
        if child != parent and rolls_up(key, classes.get(child, set()), classes.get(parent, set())):
            g.add_edge(child, parent)
    out = []
    for component in nx.strongly_connected_components(g):
        if len(component) > 1:
            cycle = nx.find_cycle(g.subgraph(component), source=min(component))
            nodes = [a for a, _b in cycle]
            first = nodes.index(min(nodes))
            out.append(nodes[first:] + nodes[:first])
    return sorted(out)
