"""The ``kg`` command: a thin layer over the library.

Commands are registered here by name and imported only when run, so ``kg --help`` stays
fast: each entry is ``name: (module, function, one-line summary)``.
"""

from __future__ import annotations

import importlib

import click

COMMANDS: dict[str, tuple[str, str, str]] = {
    # curated data and the built dataset
    "build": ("kg.cli.data", "build_cmd", "Check data/ and build the dataset under build/."),
    "validate": ("kg.cli.data", "validate_cmd", "Check data/ and report every problem as file:line."),
    "lint": ("kg.cli.lint", "lint_cmd", "Find likely duplicate entities, unused entities, unregistered sources."),
    "stats": ("kg.cli.data", "stats_cmd", "Count entities, facts and labels by class, role, source, language."),
    "export": ("kg.cli.data", "export_cmd", "Write the whole dataset, with provenance, as RDF."),
    "describe": ("kg.cli.data", "describe_cmd", "Show everything known about one entity, with sources."),
    "classes": ("kg.cli.data", "classes_cmd", "List the classes, roles, themes, groups, amount kinds data/ may use."),
    "source": ("kg.cli.source", "source_cmd", "Register a source document (txt, html, pdf); show its paragraphs."),
    "draft": ("kg.cli.source", "draft_cmd", "Propose candidate facts from an archived source, for review."),
    "review": ("kg.cli.source", "review_cmd", "List draft candidates awaiting review; --accept moves reviewed ones."),
    "diff": ("kg.cli.source", "diff_cmd", "What changed between two builds or git revisions, with sources."),
    # questions
    "query": ("kg.cli.query", "query_cmd", "Answer a SPARQL question: named, from a file, or inline."),
    "queries": ("kg.cli.query", "queries_cmd", "List the named questions with their parameters."),
    "search": ("kg.cli.query", "search_cmd", "Find entities by name or alias in English, Chinese or pinyin."),
    # networks
    "network": ("kg.cli.network", "network_cmd", "Collaboration networks: metrics and exports for Gephi."),
    "viz": ("kg.cli.network", "viz_cmd", "Write the interactive, self-contained network page."),
    # scale
    "serve": ("kg.cli.scale", "serve_cmd", "Serve the dataset as a read-only SPARQL endpoint on 127.0.0.1."),
    "push": ("kg.cli.push", "push_cmd", "Load the build into a shared SPARQL server, replacing what changed."),
    "synth": ("kg.cli.scale", "synth_cmd", "Write a synthetic curated project of about N triples, for benchmarks."),
    # a new project
    "init": ("kg.cli.init", "init_cmd", "Start a new project folder: data/, queries/, kg.toml."),
}


class LazyGroup(click.Group):
    """A group that imports a command's module only when that command runs."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS:
            return None
        module, attr, _ = COMMANDS[name]
        return getattr(importlib.import_module(module), attr)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, COMMANDS[name][2]) for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="edu-equity-kg")
@click.pass_context
def main(ctx: click.Context) -> None:
    """kg: an open knowledge graph of the actors working on education equity.

    \b
    Example:
      kg build && kg stats && kg describe tencent-education
    """
    from kg.progress import shown

    ctx.with_resource(shown())  # long steps draw a progress line on a terminal, nothing elsewhere
