"""One face: the same misuse gives the same error from the command line and from ``kg.open()``.

Each case is run twice, through click (as a user types it) and through the Graph method the
command calls; the messages must be the same, line for line, and the command must exit 1
with no traceback. The checks themselves live in the library, so a new check is one place.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from click.testing import CliRunner

import kg
from kg.cli import main
from kg.errors import UserError
from kg.graph import Graph

Call = Callable[[Graph], Any]

MISUSES: list[tuple[str, list[str], Call]] = [
    ("unknown entity", ["describe", "nobody-at-all"], lambda g: g.description("nobody-at-all")),
    ("misspelt ego centre", ["network", "stats", "--entity", "tencent-educaton"],
     lambda g: g.network(entity="tencent-educaton")),
    ("entity with a view other than ego", ["network", "stats", "--view", "participation", "--entity", "iioe"],
     lambda g: g.network("participation", entity="iioe")),
    ("ego without an entity", ["viz", "--view", "ego"], lambda g: g.show("ego")),
    ("unknown role", ["network", "stats", "--role", "fundr"], lambda g: g.network(roles="fundr")),
    ("unknown region and source", ["network", "export", "--format", "csv", "-o", "unused", "--region", "Beijing",
                                   "--source", "nowhere"],
     lambda g: g.network(regions="Beijing", sources=["nowhere"])),
    ("empty year range", ["network", "stats", "--since", "2022", "--until", "2019"],
     lambda g: g.network_stats(since=2022, until=2019)),
    ("empty page", ["viz", "--since", "2099"], lambda g: g.show(since=2099)),
    ("empty export", ["network", "export", "--format", "gexf", "-o", "x.gexf", "--role", "funder", "--until", "1990"],
     lambda g: g.export_network(None, "gexf", "x.gexf", roles="funder", until=1990)),
    ("no question", ["query"], lambda g: g.result()),
    ("two questions", ["query", "funders", "--sparql", "ASK {}"], lambda g: g.result("funders", sparql="ASK {}")),
    ("unknown named question", ["query", "fundrs"], lambda g: g.query("fundrs")),
    ("unknown parameter", ["query", "partners-of-organization", "-p", "organisation=tencent"],
     lambda g: g.query("partners-of-organization", organisation="tencent")),
    ("missing parameter", ["query", "facts-from-source"], lambda g: g.query("facts-from-source")),
    ("value outside the enumeration", ["query", "facts-from-source", "-p", "source=nowhere"],
     lambda g: g.query("facts-from-source", source="nowhere")),
    ("badly typed value", ["query", "timeline", "-p", "from=soon"], lambda g: g.query("timeline", from_="soon")),
    ("nobody by that name", ["query", "partners-of-organization", "-p", "org=Nobody At All"],
     lambda g: g.query("partners-of-organization", org="Nobody At All")),
    ("parameters with SPARQL text", ["query", "--sparql", "SELECT * WHERE { ?s ?p ?o }", "-p", "org=tencent"],
     lambda g: g.query("SELECT * WHERE { ?s ?p ?o }", org="tencent")),
    ("an update", ["query", "--sparql", "DROP ALL"], lambda g: g.query("DROP ALL")),
    ("a syntax error", ["query", "--sparql", "SELECT ?s WHERE {\n ?s ?p"],
     lambda g: g.result(sparql="SELECT ?s WHERE {\n ?s ?p")),
]


@pytest.fixture(scope="module")
def g(project, built) -> Graph:
    return kg.open(project=project)


@pytest.mark.parametrize(("args", "call"), [(a, c) for _, a, c in MISUSES], ids=[m[0] for m in MISUSES])
def test_the_same_misuse_gives_the_same_error_from_both_faces(project, g: Graph, tmp_path, monkeypatch,
                                                               args: list[str], call: Call) -> None:
    monkeypatch.chdir(tmp_path)  # where an output file would go: none may be written
    result = CliRunner().invoke(main, [*args, "--project", str(project.root)])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    with pytest.raises(UserError) as raised:
        call(g)
    told = [line for line in result.stderr.splitlines() if not line.endswith(" problems")]
    assert told == str(raised.value).splitlines()
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("by_id", "by_name"), [
    (["describe", "tencent-education"], ["describe", "腾讯教育"]),
    (["describe", "tencent-charity-foundation"], ["describe", "kgid:tencent-charity-foundation"]),
    (["network", "stats", "--entity", "tencent-education", "--depth", "1"],
     ["network", "stats", "--entity", "Tencent Education", "--depth", "1"]),
], ids=["describe by Chinese name", "describe by prefixed name", "ego centre by English name"])
def test_an_entity_is_named_the_same_way_everywhere(project, by_id: list[str], by_name: list[str]) -> None:
    """``kg describe 腾讯教育`` works as ``--param org=腾讯教育`` does: the name resolves to the entity."""
    expected = CliRunner().invoke(main, [*by_id, "--project", str(project.root)])
    given = CliRunner().invoke(main, [*by_name, "--project", str(project.root)])
    assert expected.exit_code == 0, expected.output
    assert given.output == expected.output


def test_the_api_resolves_names_as_the_command_line_does(g: Graph) -> None:
    assert g.description("腾讯公益慈善基金会").id == "tencent-charity-foundation"
    assert sorted(g.network(entity="腾讯公益慈善基金会", depth=1)) == sorted(
        g.network(entity="tencent-charity-foundation", depth=1))


def test_an_empty_view_is_an_empty_graph_to_count_but_not_to_draw(g: Graph) -> None:
    """Counting links year by year meets empty years; a page or an export of nothing is a mistake."""
    empty = g.network("coparticipation", since=2099)
    assert empty.number_of_edges() == 0 and len(g.metrics(empty)) == 0
    with pytest.raises(UserError, match="the view is empty"):
        g.network_stats("coparticipation", since=2099)
