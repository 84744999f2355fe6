"""Adding a source document and checking the evidence: `kg source add`, `kg source show`,
fingerprints in data/sources/, and paragraph checks that never switch off silently."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.build.validate import validate, validate_with_notes
from kg.cli import main
from kg.curation.archive import fingerprint_path, paragraphs, read_document
from kg.errors import UserError

PAGE = """<html><head><title>Village teachers 2024</title></head><body>
<nav>Home | About | Donate</nav>
<article><h1>Village teachers 2024</h1>
<p>Alpha Org and Beta Foundation trained teachers of village schools in the spring of that year.</p>
<p>A second paragraph about the training, long enough for the extractor to treat it as main text.</p>
</article><footer>All rights reserved</footer></body></html>
"""


def kg(project, *args: str, ok: bool = True):
    result = CliRunner().invoke(main, [*args, "--project", str(project.root)])
    assert (result.exit_code == 0) == ok, result.output
    return result


def _pdf(text: str | None, *, encrypt: bool = False) -> bytes:
    """A one-page PDF: with ``text`` in its text layer, or a blank page (as a scan has no text)."""
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    writer = PdfWriter()
    page = writer.add_blank_page(width=300, height=200)
    if text is not None:
        font = DictionaryObject({NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
                                 NameObject("/BaseFont"): NameObject("/Helvetica")})
        page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): DictionaryObject(
            {NameObject("/F1"): writer._add_object(font)})})
        stream = DecodedStreamObject()
        stream.set_data(f"BT /F1 12 Tf 20 150 Td ({text}) Tj ET".encode())
        page[NameObject("/Contents")] = writer._add_object(stream)
    if encrypt:
        writer.encrypt("secret")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture
def project(make_project, tmp_path, monkeypatch):
    p = make_project()
    monkeypatch.setenv("KG_ARCHIVE", str(tmp_path / "archive"))
    return p


def test_an_html_page_is_added_archived_fingerprinted_and_registered(project, tmp_path):
    page = tmp_path / "page.html"
    page.write_text(PAGE, encoding="utf-8")
    kg(project, "source", "add", str(page), "--id", "village-2024", "--url", "https://example.org/v")
    shown = kg(project, "source", "show", "village-2024").output.splitlines()
    assert shown[0].startswith("p1  ") and any("Alpha Org" in line for line in shown)
    assert not any("Donate" in line or "rights reserved" in line for line in shown), "page furniture kept"
    assert kg(project, "source", "show", "village-2024", "--para", "2").output.startswith("p2  ")
    registry = (project.data_dir / "sources.yaml").read_text(encoding="utf-8")
    assert "id: village-2024" in registry and "https://example.org/v" in registry and "accessed:" in registry
    assert fingerprint_path(project.data_dir, "village-2024").is_file()
    assert validate(project) == []
    from kg.build.triples import dataset_quads
    from kg.curation.reader import load_curation

    said = {(q.predicate.value.rpartition("/")[2].rpartition("#")[2], q.object.value)
            for q in dataset_quads(load_curation(project)[0]) if q.subject.value.endswith("/source/village-2024")}
    assert ("url", "https://example.org/v") in said and any(p == "accessed" for p, _ in said)
    # a fact citing the new source is checked against its paragraphs
    fact = ("source: village-2024\nfacts:\n  - at: p{n}\n    actor: alpha-foundation\n    role: participant\n"
            "    in: gamma-plan\n")
    (project.data_dir / "facts" / "village-2024.yaml").write_text(fact.format(n=2), encoding="utf-8")
    assert validate(project) == []
    (project.data_dir / "facts" / "village-2024.yaml").write_text(fact.format(n=99), encoding="utf-8")
    assert [p.line for p in validate(project)] == [3]


def test_a_changed_archived_text_is_reported_and_a_missing_one_checked_by_count(project, tmp_path):
    page = tmp_path / "page.txt"
    page.write_text("First paragraph.\n\nSecond paragraph.\n", encoding="utf-8")
    kg(project, "source", "add", str(page), "--id", "plain-2024", "--title", "Plain")
    archived = tmp_path / "archive" / "plain-2024.txt"
    archived.write_text("First paragraph.\nA different second one.\n", encoding="utf-8")
    problems = validate(project)
    assert [(p.file, p.line) for p in problems] == [("data/sources/plain-2024.yaml", 1)]
    assert "paragraph 2" in problems[0].message
    archived.unlink()
    problems, notes = validate_with_notes(project)
    assert problems == [] and any("plain-2024" in n for n in notes), "count-only checking must be said"


def test_a_text_neither_at_hand_nor_fingerprinted_is_a_problem_not_silence(project, monkeypatch, tmp_path):
    monkeypatch.setenv("KG_SEEDS", str(tmp_path / "nowhere"))
    problems = validate(project)
    assert len(problems) == 1 and problems[0].file == "data/sources.yaml" and "doc-a" in problems[0].message


def test_stated_words_must_be_in_the_cited_paragraph(make_project):
    base = "source: doc-a\nfacts:\n  - at: p1\n    subject: gamma-plan\n    theme: rural-education\n"
    project = make_project({"data/facts/doc-a.yaml": base + "    stated: no such words anywhere\n"})
    problems = validate(project)
    assert [p.line for p in problems] == [3] and "stated" in problems[0].message


@pytest.mark.parametrize("name", ["../../../../etc/passwd", "sub/doc.txt", ".hidden"])
def test_a_source_file_outside_the_archive_is_refused(make_project, name):
    project = make_project()
    registry = project.data_dir / "sources.yaml"
    registry.write_text(registry.read_text(encoding="utf-8").replace("file: doc-a.txt", f"file: {name}"),
                        encoding="utf-8")
    problems = validate(project)
    assert any(p.file == "data/sources.yaml" and "plain file name" in p.message for p in problems), problems


def test_pdfs_with_text_are_read_and_scans_or_encrypted_ones_refused(tmp_path):
    good = tmp_path / "good.pdf"
    good.write_bytes(_pdf("Village schools got tablets"))
    assert read_document(good).paragraphs == ["Village schools got tablets"]
    for name, data in (("scan.pdf", _pdf(None)), ("locked.pdf", _pdf("x", encrypt=True)),
                       ("broken.pdf", b"%PDF-1.4 not really")):
        path = tmp_path / name
        path.write_bytes(data)
        with pytest.raises(UserError) as err:
            read_document(path)
        assert len(str(err.value).splitlines()) == 1 and str(path) in str(err.value)


def test_bad_documents_are_one_line_errors_and_nothing_is_written(project, tmp_path):
    before = {p: p.read_bytes() for p in project.data_dir.rglob("*") if p.is_file()}
    empty_page = tmp_path / "empty.html"
    empty_page.write_text("<html><head><title>x</title></head><body><div id=app></div></body></html>", encoding="utf-8")
    latin = tmp_path / "latin.txt"
    latin.write_bytes("caf\xe9\n".encode("latin-1"))
    doc = tmp_path / "doc.docx"
    doc.write_bytes(b"PK")
    folder = tmp_path / "folder.txt"
    folder.mkdir()
    seed = project.root.parent / "shared" / "seeds" / "doc-a.txt"
    cases = [
        (empty_page, "fresh-a"), (latin, "fresh-b"), (doc, "fresh-c"), (folder, "fresh-d"),
        (tmp_path / "missing.txt", "fresh-e"), (seed, "doc-a"), (seed, "Bad_Id"),
    ]
    if os.path.exists("/dev/zero"):
        cases.append((Path("/dev/zero"), "fresh-f"))
    for path, sid in cases:
        result = kg(project, "source", "add", str(path), "--id", sid, "--title", "T", ok=False)
        assert "Traceback" not in result.output and result.output.strip(), (path, result.output)
    # the same text under a new id is refused once the first is registered
    kg(project, "source", "add", str(seed), "--id", "doc-a-again", "--title", "T")
    after_first = {p: p.read_bytes() for p in project.data_dir.rglob("*") if p.is_file()}
    again = kg(project, "source", "add", str(seed), "--id", "doc-a-third", "--title", "T", ok=False)
    assert "already registered as source 'doc-a-again'" in again.output
    assert {p: p.read_bytes() for p in project.data_dir.rglob("*") if p.is_file()} == after_first
    assert set(after_first) - set(before) == {fingerprint_path(project.data_dir, "doc-a-again")}


def test_paragraphs_follow_the_seeds_counting_rule():
    """Non-empty lines, counted from 1: the same count as the seeds' README states."""
    text = "one\n\n   \ntwo  words\r\nthree\n"
    assert paragraphs(text) == ["one", "two words", "three"]


# ---------------------------------------------------------------------------- drafting and review

ZH_DOC = ("甲基金会与丁科技有限公司在甘肃省联合发起乡村学校计划。\n"
          "去年，甲基金会为 Gamma Plan 资助300万元，培训150名乡村教师，覆盖三百所学校。\n"
          "In partnership with the Epsilon Education Foundation, Alpha Foundation launched it on 10 May 2024.\n")


def test_a_draft_proposes_reviewable_candidates_that_rest_on_the_text(project, tmp_path):
    from kg.curation.yamlio import read_yaml

    doc = tmp_path / "zh.txt"
    doc.write_text(ZH_DOC, encoding="utf-8")
    kg(project, "source", "add", str(doc), "--id", "zh-2024", "--title", "乡村学校计划", "--language", "zh")
    registry = project.data_dir / "sources.yaml"
    registry.write_text(registry.read_text(encoding="utf-8").replace('    accessed: "', '    date: "2024-06-01"\n'
                                                                      '    accessed: "'), encoding="utf-8")
    kg(project, "draft", "zh-2024")
    path = project.data_dir / "drafts" / "zh-2024.yaml"
    drafted, problems = read_yaml(path, "d.yaml")
    assert problems == []
    paras = kg(project, "source", "show", "zh-2024").output.splitlines()
    by_kind: dict[str, list[dict]] = {}
    for c in drafted["candidates"]:
        assert c["review"] == "needed"
        n = int(str(c["at"])[1:])
        assert 1 <= n <= len(paras) and str(c["words"]) in paras[n - 1], c  # rests on the cited paragraph
        assert len(str(c["words"])) <= 40, "a candidate quotes a few words, never a sentence"
        by_kind.setdefault("amount" if "amount" in c else str(c["kind"]), []).append(c)
    assert {str(c["entity"]) for c in by_kind["mention"]} >= {"alpha-foundation", "gamma-plan"}
    assert any(str(c["region"]) == "CN-GS" for c in by_kind["region"])
    assert any((str(c["amount"]), str(c["currency"])) == ("3000000", "CNY") for c in by_kind["amount"])
    assert {"150", "300"} <= {str(c["value"]) for c in by_kind["figure"]}
    dates = {str(c["value"]): c for c in by_kind["date"]}
    assert "2024-05-10" in dates and "2023" in dates and "inferred" in dates["2023"], "去年 resolves against 2024"
    names = {str(v) for c in by_kind["new-organization"] for v in c["name"].values()}
    assert {"丁科技有限公司", "Epsilon Education Foundation"} <= names, names
    roles = {str(c["role"]) for c in by_kind["role"]}
    assert {"initiator", "partner", "launcher", "funder"} <= roles, roles
    for c in by_kind["role"]:  # each in a fact's form: an actor, a role and what it is in
        assert {"actor", "role", "in"} <= set(c), c
    assert any((str(c["actor"]), str(c["role"]), str(c["in"])) == ("alpha-foundation", "funder", "gamma-plan")
               for c in by_kind["role"])
    money = next(c for c in by_kind["amount"] if str(c["amount"]) == "3000000")
    assert (str(money["from"]), str(money["to"]), str(money["kind"])) == ("alpha-foundation", "gamma-plan", "committed")
    assert any((str(c["subject"]), str(c["serves"])) == ("gamma-plan", "rural-teachers") for c in by_kind["serves"])
    # drafts stay out of the graph until reviewed; review lists them and fails while any remain
    review = kg(project, "review", ok=False).output
    assert "data/drafts/zh-2024.yaml:" in review and "await review" in review
    built = kg(project, "build").output
    assert "await review" in built
    path.write_text(path.read_text(encoding="utf-8").replace("candidates:\n", "candidates:\n  - [broken\n", 1),
                    encoding="utf-8")
    assert "data/drafts/zh-2024.yaml:" in kg(project, "review", ok=False).output
    path.unlink()
    assert "nothing awaits review" in kg(project, "review").output


# A draft of the tiny project's doc-a as a curator leaves it after review: one candidate edited
# into a fact, one into an entity, one rejected, one still to do.
REVIEWED = """# Draft of source doc-a, proposed by `kg draft` from its archived text.
source: doc-a
candidates:
  - review: accepted
    kind: role
    at: p3
    words: "支持"
    # the foundation supports the plan (p3)
    actor: alpha-foundation
    role: supporter
    in: gamma-plan
  - review: accepted
    kind: new-organization
    at: p1
    words: "Delta Trust"
    id: delta-trust
    type: Foundation
    name: {en: Delta Trust}
  - review: rejected
    kind: figure
    at: p2
    words: "2025"
    value: "2025"
  - review: needed
    kind: figure
    at: p2
    words: "100 rural schools"
    value: "100"
    unit: "rural schools"
"""


def _data_bytes(project) -> dict[str, bytes]:
    files = sorted(project.data_dir.rglob("*"))
    return {str(p.relative_to(project.root)): p.read_bytes() for p in files if p.is_file()}


def test_review_accept_moves_reviewed_candidates_into_data_and_shrinks_the_draft(project):
    draft = project.data_dir / "drafts" / "doc-a.yaml"
    draft.parent.mkdir()
    draft.write_text(REVIEWED, encoding="utf-8")
    facts = project.data_dir / "facts" / "doc-a.yaml"
    before = facts.read_text(encoding="utf-8")
    listed = kg(project, "review", ok=False).output
    assert "[accepted: run kg review --accept]" in listed and "[rejected: run kg review --accept]" in listed
    out = kg(project, "review", "--accept", "--entities", "all.yaml").output
    assert "data/facts/doc-a.yaml: 1 added" in out and "data/entities/all.yaml: 1 added" in out, out
    assert "1 rejected" in out and "1 candidates still await review" in out, out
    # the fact is appended, the curator's comment with it, the draft's keys left behind
    added = facts.read_text(encoding="utf-8")
    assert added.startswith(before)
    assert added[len(before):] == ("  - at: p3\n    # the foundation supports the plan (p3)\n"
                                   "    actor: alpha-foundation\n    role: supporter\n    in: gamma-plan\n")
    entities = (project.data_dir / "entities" / "all.yaml").read_text(encoding="utf-8")
    assert entities.endswith("\n\n- id: delta-trust\n  type: Foundation\n  name: {en: Delta Trust}\n"
                             "  seen: [doc-a:p1]\n"), entities  # its `at` became its seen citation
    # the draft keeps only what still awaits review
    left = draft.read_text(encoding="utf-8")
    assert "100 rural schools" in left and "delta-trust" not in left and "2025" not in left
    assert kg(project, "validate").exit_code == 0
    assert "supporter" in kg(project, "describe", "alpha-foundation").output
    assert "Delta Trust" in kg(project, "describe", "delta-trust").output
    # once nothing is left, the draft goes
    draft.write_text(left.replace("review: needed", "review: rejected"), encoding="utf-8")
    assert "every candidate decided; removed" in kg(project, "review", "--accept").output
    assert not draft.exists()
    assert "nothing awaits review" in kg(project, "review").output


def test_review_accept_reports_every_problem_at_its_draft_line_and_writes_nothing(project):
    draft = project.data_dir / "drafts" / "doc-a.yaml"
    draft.parent.mkdir()
    broken = (REVIEWED.replace("    in: gamma-plan\n", "")  # a role without what it is in
              .replace("type: Foundation", "type: Foundatoin")  # a misspelt class
              .replace("    value: \"2025\"\n", ""))
    draft.write_text(broken, encoding="utf-8")
    before = _data_bytes(project)
    out = kg(project, "review", "--accept", "--entities", "all.yaml", ok=False).output
    lines = broken.splitlines()
    problems = [line for line in out.splitlines() if line.startswith("data/")]
    assert len(problems) == 2 and "Traceback" not in out, out
    assert all(p.startswith("data/drafts/doc-a.yaml:") for p in problems), out
    cited = {int(p.split(":")[1]) for p in problems}
    assert any("actor: alpha-foundation" in lines[n - 1] or "at: p3" in lines[n - 1] for n in cited), out
    assert any("Foundatoin" in lines[n - 1] for n in cited), out
    assert _data_bytes(project) == before, "nothing is written while a candidate has a problem"
    # an accepted candidate written in flow style cannot move line by line
    draft.write_text("source: doc-a\ncandidates:\n  - {review: accepted, at: p3, actor: alpha-foundation, "
                     "role: funder, in: gamma-plan}\n", encoding="utf-8")
    out = kg(project, "review", "--accept", ok=False).output
    assert out.startswith("data/drafts/doc-a.yaml:3: an accepted candidate is written in block style"), out
    # a review that is neither needed, accepted nor rejected is an error at its line, before anything
    draft.write_text(REVIEWED.replace("review: rejected", "review: done"), encoding="utf-8")
    out = kg(project, "review", "--accept", ok=False).output
    assert out.startswith(f"data/drafts/doc-a.yaml:{REVIEWED.splitlines().index('  - review: rejected') + 1}:")
    assert _data_bytes(project) == {**before, "data/drafts/doc-a.yaml": draft.read_bytes()}, "nothing else written"


def test_review_accept_starts_the_facts_file_of_a_new_source(project, tmp_path):
    doc = tmp_path / "notes.txt"
    doc.write_text("Alpha Foundation funds the Gamma Plan.\nIt reaches schools.\n", encoding="utf-8")
    kg(project, "source", "add", str(doc), "--id", "notes-2024", "--title", "Notes", "--language", "en")
    kg(project, "draft", "notes-2024")
    draft = project.data_dir / "drafts" / "notes-2024.yaml"
    text = draft.read_text(encoding="utf-8")
    # the curator keeps the drafted role of the foundation, edited into a fact, and rejects the rest
    text = text.replace("review: needed", "review: rejected")
    text += ("  - review: accepted\n    kind: role\n    at: p1\n    words: funds\n    actor: alpha-foundation\n"
             "    role: funder\n    in: gamma-plan\n")
    draft.write_text(text, encoding="utf-8")
    kg(project, "review", "--accept")
    facts = (project.data_dir / "facts" / "notes-2024.yaml").read_text(encoding="utf-8")
    assert facts == ("source: notes-2024\nfacts:\n  - at: p1\n    actor: alpha-foundation\n    role: funder\n"
                     "    in: gamma-plan\n")
    assert not draft.exists()
    assert "funder" in kg(project, "describe", "gamma-plan").output


def test_drafted_roles_amounts_and_groups_served_are_accepted_as_they_stand(project, tmp_path):
    """A curator who checks a drafted role, post, amount or serves candidate only sets `review: accepted`."""
    from kg.curation.yamlio import read_yaml

    doc = tmp_path / "zh.txt"
    doc.write_text(ZH_DOC, encoding="utf-8")
    kg(project, "source", "add", str(doc), "--id", "zh-2024", "--title", "乡村学校计划", "--language", "zh")
    kg(project, "draft", "zh-2024")
    path = project.data_dir / "drafts" / "zh-2024.yaml"
    drafted, _ = read_yaml(path, "d.yaml")
    known = {"alpha-foundation", "gamma-plan"}
    take = [c.line for c in drafted["candidates"]
            if ("amount" in c or str(c["kind"]) in ("role", "serves"))
            and {str(c.get(k)) for k in ("actor", "in", "from", "to", "subject") if k in c} <= known]
    assert len(take) >= 3, take
    lines = path.read_text(encoding="utf-8").splitlines()
    lines = [line.replace("review: needed", "review: accepted" if n in take else "review: rejected")
             for n, line in enumerate(lines, 1)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = kg(project, "review", "--accept").output
    assert f"data/facts/zh-2024.yaml: {len(take)} added" in out, out
    assert kg(project, "validate").exit_code == 0
    described = kg(project, "describe", "gamma-plan").output
    assert "funder" in described and "rural teachers" in described, described


def test_main_carries_no_unreviewed_drafts(project):
    """make test runs this: a draft lands on main only once every candidate is reviewed."""
    from kg.curation.draft import pending

    found, problems = pending(project)
    assert problems == [] and found == [], [f"{p.file}:{p.line}" for p in found]


# ---------------------------------------------------------------------------- kg diff


def test_diff_names_what_a_new_fact_adds_with_its_source(make_project, tmp_path):
    import subprocess

    project = make_project()
    root = project.root
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    subprocess.run(["git", "-C", str(root), "-c", "user.email=t@example.org", "-c", "user.name=t", "add", "-A"],
                   check=True)
    subprocess.run(["git", "-C", str(root), "-c", "user.email=t@example.org", "-c", "user.name=t", "commit", "-qm",
                    "data"], check=True)
    assert kg(project, "diff").output.strip() == "no changes"
    facts = project.data_dir / "facts" / "doc-a.yaml"
    facts.write_text(facts.read_text(encoding="utf-8") + "  - at: p3\n    actor: alpha-foundation\n"
                     "    role: funder\n    in: gamma-plan\n", encoding="utf-8")
    out = kg(project, "diff").output
    assert "+ participation: alpha-foundation — funder — gamma-plan  [doc-a:p3]" in out, out
    md = kg(project, "diff", "HEAD", "--format", "markdown").output
    assert "| added | participation | alpha-foundation — funder — gamma-plan | doc-a:p3 |" in md
    assert kg(project, "diff", "no-such-rev", ok=False).output.count("\n") == 1
