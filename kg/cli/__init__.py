"""The ``kg`` command: a thin layer over the library.

Commands are registered here by name and imported only when run, so ``kg --help`` stays
fast: each entry is ``name: (module, function, one-line summary)``.
"""

from __future__ import annotations

import importlib

import click

COMMANDS: dict[str, tuple[str, str, str]] = {
    "build": ("kg.cli.data", "build_cmd", "Check data/ and build the dataset under build/."),
    "validate": ("kg.cli.data", "validate_cmd", "Check data/ and report every problem as file:line."),
    "stats": ("kg.cli.data", "stats_cmd", "Count entities, facts and labels by class, role, source, language."),
    "export": ("kg.cli.data", "export_cmd", "Write the whole dataset, with provenance, as RDF."),
    "describe": ("kg.cli.data", "describe_cmd", "Show everything known about one entity, with sources."),
    "classes": ("kg.cli.data", "classes_cmd", "List the entity classes, roles and themes data/ may use."),
    "query": ("kg.cli.query", "query_cmd", "Answer a SPARQL question: named, from a file, or inline."),
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
@click.version_option(package_name="kg")
def main() -> None:
    """kg: an open knowledge graph of the actors working on education equity.

    \b
    Example:
      kg build && kg stats && kg describe tencent-education
    """
