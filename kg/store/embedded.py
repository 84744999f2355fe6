"""The embedded store: the on-disk Oxigraph store of a build, opened read-only (several ``kg``
processes can read it at once; opening it takes milliseconds at any size), or one in memory.

>>> import kg
>>> store = kg.open().store
>>> store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s a kg:Source }").rows[0][0].value > "0"
True
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, TypeVar

import pyoxigraph as ox

from kg.model.vocab import PREFIXES
from kg.sparql import with_values
from kg.store.base import LABEL_PREDICATES, Result, Term, is_label, result_of, union_default_graph

T = TypeVar("T")


class EmbeddedStore:
    """An Oxigraph store: on disk and read-only, or in memory from a list of named-graph quads.
    Either way it never changes once made, so what is worked out from it may be kept with it
    (:meth:`cached`)."""

    def __init__(self, path: Path | None = None, *, quads: list[ox.Quad] | None = None):
        self._labels: dict[str, list[list[str]]] | None = None
        self._cache: dict[str, Any] = {}
        self._cache_lock = threading.RLock()  # a computation may ask for another kept value
        self._labels_file = Path(path).parent / "labels.json" if path is not None else None
        if path is not None:
            self._store = ox.Store.read_only(str(path))
        else:
            self._store = ox.Store()
            self._store.extend(quads or [])
            self._store.extend(union_default_graph(quads or []))

    def query(self, sparql: str, *, bindings: Mapping[str, Term] | None = None) -> Result:
        """Run a SPARQL query with the project's prefixes predeclared and ``bindings`` bound.

        Bindings are data, passed the SPARQL 1.1 way: a ``VALUES`` block of RDF terms that
        pyoxigraph serializes (see :func:`with_values`), so a value is one term and can never
        change the query. (Oxigraph's own substitution, SEP-0007, gives the same answers, but
        its planner then treats the variable as free: 25 s instead of 0.44 s for
        partners-of-organization at 1M triples, 1.5 s instead of 0.07 s to describe an entity.)
        """
        text = with_values(sparql, bindings) if bindings else sparql
        return result_of(self._store.query(text, prefixes=PREFIXES))

    def cached(self, key: str, compute: Callable[[], T]) -> T:
        """What ``compute`` returns, worked out once for this store (the store does not change):
        for indexes read from the whole store, such as the names that search looks through.

        >>> store = EmbeddedStore(quads=[])
        >>> store.cached("answer", lambda: 42), store.cached("answer", lambda: 0)
        (42, 42)
        """
        with self._cache_lock:
            if key not in self._cache:
                self._cache[key] = compute()
            return self._cache[key]

    def quads(self) -> list[ox.Quad]:
        """The named-graph quads (the dataset as built, without the derived default graph)."""
        return [q for q in self._store.quads_for_pattern(None, None, None, None)
                if not isinstance(q.graph_name, ox.DefaultGraph)]

    def labels(self, iris: Iterable[str]) -> dict[str, list[ox.Literal]]:
        """The preferred labels (and pinyin) of just these IRIs, read straight from the index.

        >>> import kg
        >>> store = kg.open().store
        >>> found = {str(l) for l in store.labels(["https://w3id.org/edu-equity-kg/id/tencent"])[
        ...     "https://w3id.org/edu-equity-kg/id/tencent"]}
        >>> {'"Tencent"@en', '"腾讯"@zh', '"téng xùn"@zh-latn-pinyin'} <= found
        True
        """
        wanted = list(dict.fromkeys(iris))
        index = self._label_index(len(wanted))
        if index is not None:
            return {iri: [ox.Literal(v, language=lang) if lang else ox.Literal(v) for v, lang in index[iri]]
                    for iri in wanted if iri in index}
        out: dict[str, list[ox.Literal]] = {}
        for iri in wanted:
            found = _labels_of(self._store, ox.NamedNode(iri))
            if found:
                out[iri] = found
        return out

    def _label_index(self, wanted: int) -> dict[str, list[list[str]]] | None:
        """The build's ``labels.json`` beside the store, once reading it is cheaper than
        ``wanted`` lookups (then kept), or None."""
        if self._labels is None and self._labels_file is not None:
            try:
                size = self._labels_file.stat().st_size
            except OSError:  # a build from before the index: look the names up
                return None
            if wanted * _BYTES_PER_LOOKUP >= size:
                import json  # here: most answers name few entities, and look them up

                self._labels = json.loads(self._labels_file.read_text(encoding="utf-8"))
        return self._labels


# One lookup in the store costs about what reading 3 kB of the label index does (~50 us), so
# an answer naming more entities than the index has kB/3 reads the whole index: at 1M triples
# 4 MB, from 1,400 entities on (20k entities: 1.1 s looked up, 0.07 s from the index).
_BYTES_PER_LOOKUP = 3000


def build_store(path: Path) -> EmbeddedStore:
    """The store of a finished build (``build/dataset-HASH/store``), opened once per process.

    A build's folder is named by the hash of its inputs and never changes once written, so the
    store (opening it reads its files' index: 10-40 ms), its labels and what :meth:`EmbeddedStore.cached`
    keeps serve every later ``kg.open()`` of the same build in a notebook, a server or the tests.
    The last few builds are kept open; an older one is closed when nothing uses it any more. A
    folder made again under the same name (a damaged build replaced) is a new file on disk, and
    is opened anew: the store's files are read lazily, and the old ones are gone.
    """
    st = (path / "CURRENT").stat()
    return _opened(path, st.st_ino, st.st_mtime_ns)


@functools.lru_cache(maxsize=4)
def _opened(path: Path, inode: int, mtime_ns: int) -> EmbeddedStore:
    return EmbeddedStore(path)


def _labels_of(store: ox.Store, node: ox.NamedNode) -> list[ox.Literal]:
    default = ox.DefaultGraph()
    return [q.object for pred in LABEL_PREDICATES
            for q in store.quads_for_pattern(node, ox.NamedNode(pred), None, default)
            if isinstance(q.object, ox.Literal) and is_label(pred, q.object)]


def write_label_index(store: ox.Store, path: Path) -> None:
    """Write every entity's labels (as :meth:`EmbeddedStore.labels` gives them) to ``path`` as
    JSON: IRI -> [[text, language], ...], sorted, so the same data gives the same bytes."""
    import json

    index: dict[str, list[list[str]]] = {}
    for pred in LABEL_PREDICATES:
        for q in store.quads_for_pattern(None, ox.NamedNode(pred), None, ox.DefaultGraph()):
            if isinstance(q.subject, ox.NamedNode) and isinstance(q.object, ox.Literal) and is_label(pred, q.object):
                index.setdefault(q.subject.value, []).append([q.object.value, q.object.language or ""])
    text = json.dumps({iri: sorted(labels) for iri, labels in sorted(index.items())}, ensure_ascii=False,
                      separators=(",", ":"))
    path.write_text(text, encoding="utf-8")


