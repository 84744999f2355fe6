"""What changed between two datasets: entities, participations, figures, amounts and statements, with sources.

A side of the comparison is a build folder (with ``kg.nq``), a project folder (built if needed),
or a git revision of the project, whose data/ and ontology/ are built with this kg in a
temporary folder. Each change names the sources and locators behind it, so a reviewer of a
pull request sees what a new document adds and on what evidence.

>>> from kg.build.dataset import ensure_built
>>> from kg.project import Project
>>> nq = ensure_built(Project.default()).nquads
>>> diff_datasets(read_dataset(nq), read_dataset(nq))
[]
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tarfile
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from kg.errors import UserError
from kg.model.money import amount_text
from kg.model.relations import FIGURE_CLASSES
from kg.model.vocab import DCTERMS, GRAPH, ID, KG, PROV, RDF, SCHEMA, SKOS, SRC, shorten
from kg.project import Project
from kg.sparql import Term

_FIGURES = {iri: key for key, iri in FIGURE_CLASSES.items()}


@dataclass
class Dataset:
    """A dataset read for comparison: each statement (triple) with the citations that state it."""

    cites: dict[tuple[str, str, str], set[str]] = field(default_factory=lambda: defaultdict(set))
    cites_of: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # by subject
    names: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    participations: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    figures: dict[str, str] = field(default_factory=dict)
    amounts: dict[str, str] = field(default_factory=dict)


def _term(t: Term | ox.Triple) -> str:
    if isinstance(t, ox.NamedNode):
        return shorten(t.value).removeprefix("kgid:")
    if isinstance(t, ox.Literal):
        return f"{t.value}@{t.language}" if t.language else t.value
    return str(t)


def read_dataset(nquads: Path) -> Dataset:
    """A build's kg.nq as statements with citations."""
    quads = list(ox.parse(path=str(nquads), format=ox.RdfFormat.N_QUADS))
    source_of: dict[str, str] = {}
    locator_of: dict[str, str] = {}
    for q in quads:
        if q.graph_name == ox.NamedNode(GRAPH.provenance):
            if q.predicate.value == PROV.wasDerivedFrom:
                source_of[q.subject.value] = q.object.value.removeprefix(SRC[""])
            elif q.predicate.value == KG.locator:
                locator_of[q.subject.value] = q.object.value
    d = Dataset()
    parts: dict[str, dict[str, str]] = defaultdict(dict)
    figure_parts: dict[str, dict[str, str]] = defaultdict(dict)
    for q in quads:
        g = q.graph_name
        if not isinstance(g, ox.NamedNode) or g.value not in source_of:
            continue
        cite = f"{source_of[g.value]}:{locator_of.get(g.value, '')}"
        s, p, o = q.subject.value, q.predicate.value, q.object
        d.cites[(_term(q.subject), shorten(p), _term(o))].add(cite)
        d.cites_of[_term(q.subject)].add(cite)
        if p == SKOS.prefLabel and s.startswith(ID[""]) and isinstance(o, ox.Literal):
            d.names[_term(q.subject)].add(_term(o))
        if p in (PROV.agent, PROV.hadRole, KG.activity):
            parts[s][p] = _term(o)
        if p == RDF.type and o.value in _FIGURES:
            figure_parts[s]["kind"] = _FIGURES[o.value]
        elif p == RDF.type and o.value == KG.Amount:
            figure_parts[s]["amount"] = "amount"
        elif p in (SCHEMA.observationAbout, SCHEMA.value, SCHEMA.unitText, SCHEMA.observationDate,
                   SCHEMA.currency, KG.amountKind, KG.qualifier, SCHEMA.funder, SCHEMA.fundedItem, DCTERMS.date):
            figure_parts[s][p] = _term(o)
    for node, v in parts.items():
        if len(v) == 3:
            d.participations[_term(ox.NamedNode(node))] = (v[PROV.agent], v[PROV.hadRole].removeprefix("role:"),
                                                          v[KG.activity])
    for node, v in figure_parts.items():
        if "amount" in v:
            giver = f" from {v[SCHEMA.funder]}" if SCHEMA.funder in v else ""
            when = f" ({v[DCTERMS.date]})" if DCTERMS.date in v else ""
            text = amount_text(v.get(SCHEMA.value, "?"), v.get(SCHEMA.currency, "?"),
                               kind=v.get(KG.amountKind, "").removeprefix("kg:"), qualifier=v.get(KG.qualifier, ""))
            d.amounts[_term(ox.NamedNode(node))] = f"{v.get(SCHEMA.fundedItem, '?')}: {text}{giver}{when}"
        if "kind" in v:
            unit = f" {v[SCHEMA.unitText]}" if SCHEMA.unitText in v else ""
            when = f" ({v[SCHEMA.observationDate]})" if SCHEMA.observationDate in v else ""
            d.figures[_term(ox.NamedNode(node))] = (f"{v.get(SCHEMA.observationAbout, '?')}: {v['kind']} "
                                                    f"{v.get(SCHEMA.value, '?')}{unit}{when}")
    return d


@dataclass
class Change:
    """One change: what (entity, participation, figure, amount, statement), how, in words, and its sources."""

    what: str
    how: str  # added, removed, sources changed
    text: str
    sources: list[str]


def _cites(d: Dataset, node: str) -> set[str]:
    return d.cites_of.get(node, set())


def diff_datasets(old: Dataset, new: Dataset) -> list[Change]:
    """The changes from ``old`` to ``new``, in a stable order."""
    out: list[Change] = []
    for e in sorted(set(old.names) | set(new.names)):
        if e not in old.names:
            out.append(Change("entity", "added", f"{e}: {' | '.join(sorted(new.names[e]))}", sorted(_cites(new, e))))
        elif e not in new.names:
            out.append(Change("entity", "removed", f"{e}: {' | '.join(sorted(old.names[e]))}", sorted(_cites(old, e))))
        elif old.names[e] != new.names[e]:
            out.append(Change("entity", "renamed", f"{e}: {' | '.join(sorted(old.names[e]))} -> "
                              f"{' | '.join(sorted(new.names[e]))}", sorted(_cites(new, e))))
    units = {**{k: " — ".join(v) for k, v in old.participations.items()},
             **{k: " — ".join(v) for k, v in new.participations.items()}}
    figures = {**old.figures, **new.figures}
    amounts = {**old.amounts, **new.amounts}
    sides: dict[str, tuple[set[str], set[str]]] = {
        "participation": (set(old.participations), set(new.participations)),
        "figure": (set(old.figures), set(new.figures)), "amount": (set(old.amounts), set(new.amounts))}
    for what, table in (("participation", units), ("figure", figures), ("amount", amounts)):
        before, after = sides[what]
        for node in sorted(after - before):
            out.append(Change(what, "added", table[node], sorted(_cites(new, node))))
        for node in sorted(before - after):
            out.append(Change(what, "removed", table[node], sorted(_cites(old, node))))
        for node in sorted(before & after):
            if _cites(old, node) != _cites(new, node):
                out.append(Change(what, "sources changed", table[node], sorted(_cites(new, node))))
    skip = set(units) | set(figures) | set(amounts)
    for key in sorted(set(old.cites) | set(new.cites)):
        if key[0] in skip or key[1] == "skos:prefLabel":
            continue
        text = " ".join(key)
        a, b = old.cites.get(key, set()), new.cites.get(key, set())
        if not a:
            out.append(Change("statement", "added", text, sorted(b)))
        elif not b:
            out.append(Change("statement", "removed", text, sorted(a)))
        elif a != b:
            out.append(Change("statement", "sources changed", text, sorted(b)))
    return out


# ---------------------------------------------------------------------------- the two sides


def dataset_of(project: Project, spec: str | None, *, work: Path) -> Dataset:
    """``spec``: a build or project folder, a git revision, or None for the project's own data."""
    from kg.build.dataset import ensure_built

    if spec is None:
        return read_dataset(ensure_built(project).nquads)
    path = Path(spec)
    if (path / "kg.nq").is_file():
        return read_dataset(path / "kg.nq")
    if (path / "data").is_dir():
        return read_dataset(ensure_built(Project(path.resolve())).nquads)
    return read_dataset(ensure_built(_checkout(project, spec, work)).nquads)


def _checkout(project: Project, rev: str, work: Path) -> Project:
    """The project's data/, ontology/ and checks at git revision ``rev``, in a folder under ``work``."""
    git = shutil.which("git")
    if git is None:
        raise UserError(f"{rev!r} is not a build or project folder, and git is not installed")
    top = subprocess.run([git, "-C", str(project.root), "rev-parse", "--show-toplevel"], capture_output=True,
                         text=True)
    commit = subprocess.run([git, "-C", str(project.root), "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"],
                            capture_output=True, text=True)
    if top.returncode or commit.returncode:
        raise UserError(f"{rev!r} is neither a build folder, a project folder nor a git revision of {project.root}")
    prefix = Path(project.root).resolve().relative_to(Path(top.stdout.strip()).resolve())
    paths = [str(prefix / p) if str(prefix) != "." else p for p in ("data", "ontology", "queries/checks")]
    # a project made by kg init may have no ontology/ or checks of its own: take those it has
    present = subprocess.run([git, "-C", top.stdout.strip(), "ls-tree", "--name-only", commit.stdout.strip(), "--",
                              *paths], capture_output=True, text=True)
    paths = [p for p in paths if p in present.stdout.splitlines()] or paths
    archive = subprocess.run([git, "-C", top.stdout.strip(), "archive", "--format=tar", commit.stdout.strip(),
                              *paths], capture_output=True)
    if archive.returncode:
        raise UserError(f"git archive {rev}: {archive.stderr.decode('utf-8', 'replace').strip()}")
    dest = work / commit.stdout.strip()[:12]
    tar_path = work / "rev.tar"
    tar_path.write_bytes(archive.stdout)
    with tarfile.open(tar_path) as tar:
        tar.extractall(dest, filter="data")
    root = dest / prefix
    # the revision's texts are the project's own: same seeds (KG_SEEDS wins if set) and archive
    seeds = root.parent / "shared" / "seeds"
    if not seeds.is_symlink():
        seeds.parent.mkdir(parents=True, exist_ok=True)
        seeds.symlink_to(project.seeds_dir.resolve())
    (root / "kg.toml").write_text(f"archive = {json.dumps(str(project.archive_dir))}\n", encoding="utf-8")
    # a revision of kg's own checkout is built with its own ontology and checks, not the installed ones
    own = root if (root / "ontology" / "kg.ttl").is_file() else None
    return Project(root, build_root=work / f"build-{commit.stdout.strip()[:12]}", kg_root=own)


def diff(project: Project, old: str | None = "HEAD", new: str | None = None) -> list[Change]:
    """The changes from ``old`` to ``new`` (each as :func:`dataset_of` takes it)."""
    with tempfile.TemporaryDirectory(prefix="kg-diff-") as tmp:
        before = dataset_of(project, old, work=Path(tmp))
        after = dataset_of(project, new, work=Path(tmp))
    return diff_datasets(before, after)


def _cell(text: str) -> str:
    """Text safe in a Markdown table cell."""
    return text.replace("|", "\\|").replace("\n", " ")


def format_changes(changes: list[Change], fmt: str = "text") -> str:
    """Changes as plain text or as Markdown for a pull-request comment."""
    if not changes:
        return "no changes" if fmt == "text" else "_No changes to the graph._"
    counts: defaultdict[tuple[str, str], int] = defaultdict(int)
    for c in changes:
        counts[(c.what, c.how)] += 1
    summary = ", ".join(f"{n} {what}{'s' if n > 1 else ''} {how}" for (what, how), n in sorted(counts.items()))
    if fmt == "markdown":
        lines = [f"**{summary}**", "", "| change | what | statement | sources |", "|---|---|---|---|"]
        lines += [f"| {c.how} | {c.what} | {_cell(c.text)} | {', '.join(c.sources)} |" for c in changes]
        return "\n".join(lines)
    lines = [summary]
    lines += [f"{'+' if c.how == 'added' else '-' if c.how == 'removed' else '~'} {c.what}: {c.text}"
              f"  [{', '.join(c.sources)}]" for c in changes]
    return "\n".join(lines)
