"""The curation workflow: ``kg source add|show``, ``kg draft``, ``kg review`` and ``kg diff``."""

from __future__ import annotations

from pathlib import Path

import click

from kg.cli._common import project_option, user_errors
from kg.project import Project


@click.group("source")
def source_cmd() -> None:
    """Register source documents and read their numbered paragraphs.

    \b
    Example:
      kg source add ~/Downloads/page.html --id foundation-2024 --url https://example.org/p
      kg source show foundation-2024 --para 3
    """


@source_cmd.command("add")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--id", "source_id", required=True, help="The new source's id (lower-case, hyphens).")
@click.option("--url", help="Where the document was read.")
@click.option("--title", help="Its title (else the title the document gives).")
@click.option("--kind", default="web-page", show_default=True, help="web-page, news-article, report, ...")
@click.option("--language", type=click.Choice(["en", "zh"]), help="Its language (else guessed from the text).")
@click.option("--publisher", help="Who published it.")
@click.option("--accessed", help="The date it was read, YYYY-MM-DD (default: today).")
@project_option
@user_errors
def add_cmd(file: Path, source_id: str, url: str | None, title: str | None, kind: str, language: str | None,
            publisher: str | None, accessed: str | None, project: Project) -> None:
    """Read FILE (.txt, .html or .pdf), archive its paragraphs and register it as a source.

    The text goes to the project's archive folder (git-ignored); data/sources/ID.yaml gets
    its paragraph count and hashes, data/sources.yaml its entry. Nothing is written when
    anything is wrong.

    \b
    Example:
      kg source add /tmp/page.html --id foundation-2024 --url https://example.org/p
    """
    from kg.curation.sources import add_source

    added = add_source(project, file, source_id=source_id, url=url, title=title, kind=kind, language=language,
                       publisher=publisher, accessed=accessed)
    click.echo(f"added {added.id}: {added.paragraphs} paragraphs; text in {added.text}, "
               f"fingerprint in {project.relative(added.fingerprint)}, entry in {project.relative(added.registry)}")


@source_cmd.command("show")
@click.argument("source_id")
@click.option("--para", type=click.IntRange(min=1), help="Only this paragraph.")
@project_option
@user_errors
def show_cmd(source_id: str, para: int | None, project: Project) -> None:
    """Print an archived source's numbered paragraphs (the numbers locators cite).

    \b
    Example:
      kg source show meet-2021 --para 3
    """
    from kg.curation.sources import source_paragraphs
    from kg.errors import UserError

    paras = source_paragraphs(project, source_id)
    if para is not None and para > len(paras):
        raise UserError(f"{source_id} has {len(paras)} paragraphs; there is no p{para}")
    for i, text in enumerate(paras, 1):
        if para is None or i == para:
            click.echo(f"p{i}  {text}")


@click.command("draft")
@click.argument("source_id")
@click.option("--force", is_flag=True, help="Draft again over an existing draft.")
@project_option
@user_errors
def draft_cmd(source_id: str, force: bool, project: Project) -> None:
    """Propose data/drafts/SOURCE_ID.yaml from an archived source: the known actors and places it
    mentions, candidate new organizations, figures, money, dates and roles, each with its locator
    and marked `review: needed`. The build never reads drafts.

    \b
    Example:
      kg draft foundation-2024 && kg review
    """
    from collections import Counter

    from kg.curation.draft import write_draft

    path, result = write_draft(project, source_id, force=force)
    kinds = Counter(c.kind for c in result.candidates)
    summary = ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items()))
    click.echo(f"wrote {project.relative(path)}: {len(result.candidates)} candidates ({summary or 'none'})")


@click.command("review")
@click.argument("source_id", required=False)
@click.option("--accept", is_flag=True,
              help="Move the candidates marked `review: accepted` into data/facts and data/entities, drop those "
                   "marked `rejected`, and shrink the draft (removed once empty). Nothing is written while any "
                   "accepted candidate has a problem.")
@click.option("--entities", "entities_file", default="organizations.yaml", show_default=True,
              help="With --accept: the file in data/entities/ that accepted entities are added to.")
@project_option
@user_errors
def review_cmd(source_id: str | None, accept: bool, entities_file: str, project: Project) -> None:
    """List the draft candidates that await review (of SOURCE_ID's draft, or all); exit 1 while any remain.

    Review a candidate by editing it into a fact or an entity as data/README.md describes and
    setting `review: accepted` (or `rejected`); then `kg review --accept` moves it.

    \b
    Example:
      kg review
      kg review foundation-2024 --accept
    """
    from kg.curation.draft import pending
    from kg.errors import UserError

    if accept:
        from kg.curation.review import accept as accept_reviewed

        done = accept_reviewed(project, source_id, entities_file=entities_file)
        for file, n in sorted({**done.facts, **done.entities}.items()):
            click.echo(f"{file}: {n} added")
        if done.rejected:
            click.echo(f"{done.rejected} rejected candidates dropped")
        for file in done.removed:
            click.echo(f"{file}: every candidate decided; removed")
        for file, n in sorted(done.left.items()):
            click.echo(f"{file}: {n} candidates still await review")
        if not (done.facts or done.entities or done.rejected):
            click.echo("no candidate is marked `review: accepted` or `rejected`")
        return
    found, problems = pending(project)
    if problems:
        raise UserError(problems)
    if source_id is not None:
        found = [p for p in found if p.file.endswith(f"/{source_id}.yaml")]
    for p in found:
        state = "" if p.decision == "needed" else f" [{p.decision}: run kg review --accept]"
        click.echo(f"{p.file}:{p.line}: {p.kind} at {p.at}: {p.words}{state}")
    if found:
        raise UserError(f"{len(found)} candidates await review in data/drafts/: edit each into a fact or an entity "
                        "and mark it `review: accepted` (or `rejected`), then run kg review --accept")
    click.echo("nothing awaits review")


@click.command("diff")
@click.argument("old", required=False, default="HEAD")
@click.argument("new", required=False)
@click.option("--format", "fmt", type=click.Choice(["text", "markdown"]), default="text", show_default=True,
              help="markdown: a table for a pull-request comment.")
@project_option
@user_errors
def diff_cmd(old: str, new: str | None, fmt: str, project: Project) -> None:
    """What changed from OLD to NEW: entities, participations, figures, amounts and statements, with sources.

    OLD and NEW are build folders, project folders or git revisions (built with this kg in a
    temporary folder). OLD defaults to HEAD, NEW to the project's data as it is now.

    \b
    Example:
      kg diff                 # what the uncommitted data changes
      kg diff main --format markdown
    """
    from kg.build.diff import diff, format_changes

    click.echo(format_changes(diff(project, old, new), fmt))
