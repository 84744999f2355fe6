"""What the map holds and how well it connects: the figures issue 16 asks for, each from the data.

Prints, for the project (``--project``, else the current one), each figure with the library
call or command that gives it:

- **sources**: the registered sources; the documents among them (neither the curators' own
  file nor a gazetteer) by language, and those without a url or an accessed date;
- **entities** in all and by class, **participations**, **figures** and **amounts of money**
  (``kg stats``);
- the **largest component's share** of the participation view's nodes, without and with
  roll-up (``kg network stats --view participation [--roll-up]``);
- the **ten strongest brokers** (betweenness among actors) and the **communities** (their
  size and best-linked members), with roll-up and without.

usage: python benchmarks/map_report.py [--project DIR] [--top 10]
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from pathlib import Path

import kg
from kg.graph import Graph
from kg.networks.views import NetworkStats
from kg.project import Project

NOT_DOCUMENTS = ("curation", "gazetteer")  # source kinds that are not documents someone published

_SOURCES = """
SELECT ?source ?kind ?language ?url ?accessed WHERE {
  ?source a kg:Source ; kg:sourceKind ?kind ; schema:inLanguage ?language .
  OPTIONAL { ?source schema:url ?url }
  OPTIONAL { ?source kg:accessed ?accessed }
} ORDER BY ?source
"""


_ENTITIES_BY_CLASS = """
SELECT ?class (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a ?class . ?class rdfs:subClassOf* kg:Entity }
GROUP BY ?class ORDER BY DESC(?n) ?class
"""


def source_lines(g: Graph) -> Iterator[str]:
    """The sources: how many, the documents by language, those lacking a url or an accessed date."""
    rows = [[cell.value if cell is not None else None for cell in row] for row in g.result(_SOURCES).rows]
    documents = [r for r in rows if r[1] not in NOT_DOCUMENTS]
    by_language: dict[str, int] = {}
    for r in documents:
        by_language[r[2]] = by_language.get(r[2], 0) + 1
    yield f"sources: {len(rows)} registered, {len(documents)} of them documents " + \
        "(" + ", ".join(f"{n} {lang}" for lang, n in sorted(by_language.items())) + ")"
    for what, index in (("url", 3), ("accessed date", 4)):
        missing = [r[0].rsplit("/", 1)[-1] for r in documents if r[index] is None]
        yield f"  documents without {what}: {len(missing)}" + (f" ({', '.join(missing)})" if missing else "")


def count_lines(g: Graph) -> Iterator[str]:
    """Entities in all and by class, participations, figures and amounts (``kg stats``; its
    "by class" also counts what is not an entity, participations and figures among them)."""
    totals = dict(g.stats()["totals"])
    yield f"entities: {totals['entities']}"
    for row in g.result(_ENTITIES_BY_CLASS).rows:
        yield f"  {row[0].value.rsplit('#', 1)[-1]:<28} {int(row[1].value):>6}"
    for what in ("participations", "figures", "amounts of money"):
        yield f"{what}: {totals[what]}"


def _share(s: NetworkStats) -> str:
    share = s.largest_component / s.nodes
    return f"{s.largest_component} of {s.nodes} nodes ({share:.1%}) in {s.components} components"


def network_lines(g: Graph, *, top: int = 10) -> Iterator[str]:
    """The participation view without and with roll-up: the largest component's share, the
    ``top`` brokers by betweenness and the communities."""
    views = {False: g.network_stats("participation", top=top),
             True: g.network_stats("participation", top=top, roll_up=True)}
    for roll_up, s in views.items():
        yield f"largest component{' with roll-up' if roll_up else ''}: {_share(s)}"
    for roll_up, s in views.items():
        flag = " --roll-up" if roll_up else ""
        yield f"the {top} strongest brokers{' with roll-up' if roll_up else ''} " \
              f"(betweenness; kg network stats --view participation{flag}):"
        for node, label, value in s.top["betweenness"]:
            yield f"  {value:8.4f}  {label} [{node}]"
        shown = f", the {len(s.community_members)} largest" if len(s.community_members) < s.communities else ""
        yield f"communities{' with roll-up' if roll_up else ''}: {s.communities}{shown} (size: best-linked members)"
        for c, size, labels in s.community_members:
            yield f"  {c:>3}  {size:>4}: {', '.join(labels)}"


def report(g: Graph, *, top: int = 10) -> list[str]:
    """Every line of the report, in order.

    >>> lines = report(kg.open(), top=3)
    >>> lines[0].startswith("sources: ") and any(line.startswith("largest component with roll-up: ") for line in lines)
    True
    """
    return [*source_lines(g), *count_lines(g), *network_lines(g, top=top)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project", type=Path, help="the project folder (default: the current project)")
    parser.add_argument("--top", type=int, default=10, help="how many brokers and communities to list")
    args = parser.parse_args(argv)
    g = kg.open(project=Project(args.project.resolve())) if args.project else kg.open()
    for line in report(g, top=args.top):
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
