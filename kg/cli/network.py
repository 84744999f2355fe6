"""Commands over the collaboration networks: ``kg network stats|export`` and ``kg viz``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

import kg
from kg.cli._common import endpoint_option, project_option, user_errors
from kg.networks.export import FORMATS
from kg.networks.views import DEFAULT_VIEW, VIEWS
from kg.project import Project


def network_options(f: Callable) -> Callable:
    """The view and filter options every network command shares, passed as ``spec`` (a dict)."""
    options = [
        click.option("--view", type=click.Choice(list(VIEWS)), default=None,
                     help="; ".join(f"{v.name}{' (default)' if v.name == DEFAULT_VIEW else ''}: {v.summary}"
                                    for v in VIEWS.values()) + "."),
        click.option("--entity", metavar="ID",
                     help="The centre of the ego view (implies --view ego): an id, or a name in any language."),
        click.option("--depth", type=click.IntRange(min=1), default=2, show_default=True,
                     help="Steps from --entity in the ego view."),
        click.option("--type", "types", multiple=True, metavar="CLASS",
                     help="Keep actors or activities of this class or a subclass (repeatable)."),
        click.option("--role", "roles", multiple=True, metavar="ROLE",
                     help="Keep this role and narrower ones (repeatable)."),
        click.option("--source", "sources", multiple=True, metavar="SOURCE",
                     help="Keep what this source states (repeatable)."),
        click.option("--region", "regions", multiple=True, metavar="REGION",
                     help="Keep activities in or serving this region or a sub-region, and actors "
                          "located there (repeatable)."),
        click.option("--serves", "serves", multiple=True, metavar="GROUP",
                     help="Keep activities (and actors) that serve this beneficiary group or a narrower "
                          "one, such as rural-students (repeatable)."),
        click.option("--since", type=int, metavar="YEAR", help="Keep participations from this year on."),
        click.option("--until", type=int, metavar="YEAR", help="Keep participations up to this year."),
        click.option("--min-weight", type=float, default=0.0, help="Drop lighter edges."),
        click.option("--roll-up", "roll_up", is_flag=True, default=None,
                     help="Count units, sub-organizations and affiliated foundations with the organization "
                          "they belong to (ontology/README.md states the rule); a rolled node lists its members."),
        click.option("--lang", type=click.Choice(["en", "zh"]), default="en", show_default=True,
                     help="The language of labels."),
    ]
    for option in reversed(options):
        f = option(f)
    return f


@click.group("network")
def network_cmd() -> None:
    """Collaboration networks: metrics and exports for Gephi, Cytoscape and spreadsheets.

    \b
    Example:
      kg network stats --view coparticipation
      kg network export --format gexf -o actors.gexf
    """


@network_cmd.command("stats")
@network_options
@click.option("--top", type=click.IntRange(min=1), default=10, show_default=True,
              help="How many actors to list for each metric.")
@endpoint_option
@project_option
@user_errors
def stats_cmd(top: int, project: Project, **spec: Any) -> None:
    """Print a view's size, components and communities, and the top actors by each metric.

    \b
    Example:
      kg network stats --view coparticipation --top 5
      kg network stats --entity tencent-education --depth 2
    """
    s = kg.open(project=project).network_stats(top=top, **spec)
    click.echo(f"view: {s.view}" + (f" ({s.filters})" if s.filters else ""))
    sample = f"sampled from {s.betweenness_sample} pivots" if s.betweenness_sample else "exact"
    click.echo(f"nodes: {s.nodes}  edges: {s.edges}  components: {s.components} "
               f"(largest: {s.largest_component} nodes)  communities: {s.communities}  betweenness: {sample}")
    for metric, rows in s.top.items():
        click.echo(f"top actors by {metric.replace('_', ' ')}:")
        for node, label, value in rows:
            click.echo(f"  {value:>9.4g}  {label} [{node}]")
    click.echo("communities (size: members with the highest weighted degree):")
    for c, size, labels in s.community_members:
        click.echo(f"  {c:>3}  {size:>4}: {', '.join(labels)}")


@network_cmd.command("export")
@click.option("--format", "fmt", type=click.Choice(list(FORMATS)), required=True,
              help="gexf and graphml write one file; csv writes nodes.csv and edges.csv into a folder.")
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True,
              help="The file to write (for csv: the folder).")
@network_options
@endpoint_option
@project_option
@user_errors
def export_cmd(fmt: str, output: Path, project: Project, **spec: Any) -> None:
    """Write a view, with its metrics, as GEXF, GraphML or CSV node and edge lists.

    \b
    Example:
      kg network export --format gexf -o actors.gexf
      kg network export --view coparticipation --format csv -o coparticipation/
    """
    g = kg.open(project=project)
    net = g.drawable(**spec)
    for path in g.export_network(net, fmt, output, lang=spec["lang"]):
        click.echo(f"wrote {path} ({net.number_of_nodes()} nodes, {net.number_of_edges()} edges)", err=True)


@click.command("viz")
@network_options
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              default=Path("network.html"), show_default=True, help="The HTML file to write.")
@endpoint_option
@project_option
@user_errors
def viz_cmd(output: Path, project: Project, **spec: Any) -> None:
    """Write one self-contained, interactive HTML page of a view; it needs no network to open.

    Without options it draws every actor with the initiatives and events it takes part in,
    edges coloured by role. Where roll-up would merge organizations in the view, the page has a
    switch between the view with and without it (--roll-up: rolled up at first).

    \b
    Example:
      kg viz -o network.html
      kg viz --view coparticipation --lang zh -o 合作网络.html
      kg viz --entity tencent-education --depth 2 -o tencent.html
    """
    page = kg.open(project=project).show(spec.pop("view"), **spec)
    path = page.save(output)
    click.echo(f"wrote {path} ({page.nodes} nodes, {page.edges} edges)", err=True)
