"""Citations of the model's figures: rewrite old-style references and check that every one resolves.

Every figure the models use is listed in ``docs/sources.md``; code and documents cite it by a source ID
(``[S55]``, ``[S16],[S17]``, a range ``[S74]-[S76]``) or by a figure group of that file
(``sources.md F4``, ``sources.md P7, P8``).

Usage (from the repository root)::

    python tools/cite.py --check      # exit 1 and list every citation that does not resolve
    python tools/cite.py --rewrite    # rewrite old-style citations in place, then check

``--rewrite`` turns references to the compiled fact files that preceded ``docs/sources.md``
(``FACTS.md s4``, ``FACTS_PJM s7 [S55]``, ``../shared/FACTS_PJM.md section 7``, ...) into the new form:
the source IDs when the old citation named some, otherwise the figure group (``FACTS.md`` section N is
group ``FN``, ``FACTS_PJM`` section N is group ``PN``). It is idempotent: a second run changes nothing.
Pass paths after the flag to limit either mode to some files or folders.

``--check`` fails on: a source ID or figure group that ``docs/sources.md`` does not define; any remaining
reference to the old fact files; an absolute path into the build machine (``/work/...``); a Markdown link
whose target lies outside the repository. Paths to the public data folder in command examples
(``../shared/data/...``) name input data the user supplies, not a citation, and are allowed.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "docs" / "sources.md"
#: what is checked (and rewritten): folders searched recursively, by suffix, and single files
SCOPE = {"src": (".py", ".html", ".js", ".md", ".toml"), "docs": (".md", ".py", ".html"), "examples": (".toml",),
         "tests": (".py",), "tools": (".py",), "benchmarks": (".py",)}
FILES = ("README.md", "BENCHMARKS.md", "Makefile", "pyproject.toml")
SELF = Path(__file__).resolve()

_IDS = r"\[S\d+\](?:\s*[,-]\s*\[S\d+\])*"
#: an old-style citation: the file, an optional section list, optional source IDs
OLD = re.compile(
    r"`{0,2}(?:\.\./|/work/)*(?:shared/)?FACTS(?P<pjm>_PJM)?(?:\.md)?`{0,2}"
    r"(?P<sec>(?:,?\s*(?:s|§\s*|sections?\s+)\d{1,2}\b(?:\s*(?:/|-|,|and)\s*s?\d{1,2}\b)*)?)"
    rf"(?P<ids>(?:,?\s*{_IDS})?)")
#: a bare section reference next to an old citation on the same line: "(s9 [S42])", "(s7)"
BARE = re.compile(rf"\(s(?P<n>\d{{1,2}})(?P<ids>\s*{_IDS})?\)")
BARE_WORD = re.compile(r"(?<=\s)s(?P<n>\d{1,2})(?=[)\"',;.]|$)")
ID = re.compile(r"\[S(\d+)\](?:\s*-\s*\[S(\d+)\])?")
GROUP = re.compile(r"sources\.md((?:,?\s+(?:and\s+)?[FP]\d+\b)+)")
#: references outside the repository: the old fact files, the build machine's paths, any document in the
#: shared data folder (its data files, named in command examples, are the user's input, not a citation)
FORBIDDEN = re.compile(r"FACTS(?:_PJM)?\b|FACTS\.md|/work/|shared/[\w./-]*\.md\b")
LINK = re.compile(r"\]\((?!https?:|mailto:|#)([^)\s]+)\)")


def _sections(text: str) -> list[int]:
    """Section numbers in ``s2/s5``, ``s2-s3``, ``sections 2 and 5``, ``s1, s2, s6``."""
    out: list[int] = []
    for m in re.finditer(r"(\d+)(?:\s*-\s*s?(\d+))?", text):
        a = int(m.group(1))
        b = int(m.group(2)) if m.group(2) else a
        out.extend(range(a, b + 1))
    return out


def _new(m: re.Match) -> str:
    ids = m.group("ids").strip(" ,\n")
    if ids:
        breaks = re.findall(r"\n[ \t]*", m.group(0))
        return "".join(breaks) + ids  # the IDs say it all; a wrapped citation keeps its line breaks
    prefix = "P" if m.group("pjm") else "F"
    secs = _sections(m.group("sec"))
    if not secs:
        return "sources.md"
    gap = re.match(r"[,\s]*", m.group("sec")).group().replace(",", "")
    sep = gap if "\n" in gap else " "  # a citation wrapped onto the next line keeps its line break
    return "sources.md" + sep + ", ".join(f"{prefix}{n}" for n in secs)


def rewrite_text(text: str) -> str:
    """``text`` with every old-style citation in the new form (idempotent)."""
    kinds = {}  # line -> figure-group prefix of the old citations on it ("P", "F"; None if both)
    for i, line in enumerate(text.split("\n")):
        found = {"P" if m.group("pjm") else "F" for m in OLD.finditer(line)}
        if found:
            kinds[i] = found.pop() if len(found) == 1 else None
    lines = OLD.sub(_new, text).split("\n")  # line breaks are kept, so the line numbers still match
    for i, prefix in kinds.items():
        if prefix is None:
            continue
        # a bare section next to an old citation, "(s9 [S42])", "(s7)", "... figures s5": the IDs, or the group
        line = BARE.sub(lambda b: f"({b.group('ids').strip()})" if b.group("ids")
                        else f"(sources.md {prefix}{b.group('n')})", lines[i])
        lines[i] = BARE_WORD.sub(lambda b: f"sources.md {prefix}{b.group('n')}", line)
    return "\n".join(lines)


def defined() -> tuple[set[int], set[str]]:
    """Source numbers and figure groups that ``docs/sources.md`` defines."""
    text = SOURCES.read_text(encoding="utf-8")
    ids = {int(n) for n in re.findall(r"^- \*\*\[S(\d+)\]\*\*", text, flags=re.M)}
    groups = set(re.findall(r"^## ([FP]\d+)\. ", text, flags=re.M))
    return ids, groups


def files(paths: list[str] | None = None) -> list[Path]:
    """The files in scope (or those under ``paths``), sorted."""
    out: list[Path] = []
    if paths:
        for p in map(Path, paths):
            p = p if p.is_absolute() else Path.cwd() / p
            out.extend(sorted(q for q in p.rglob("*") if q.is_file()) if p.is_dir() else [p])
    else:
        for folder, suffixes in SCOPE.items():
            out.extend(sorted(q for q in (ROOT / folder).rglob("*")
                              if q.is_file() and q.suffix in suffixes and "__pycache__" not in q.parts))
        out.extend(ROOT / f for f in FILES if (ROOT / f).is_file())
    return [p.resolve() for p in out if p.resolve() != SELF]


def problems(path: Path, ids: set[int], groups: set[str]) -> list[str]:
    """``file:line: message`` for each citation in ``path`` that does not resolve."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return []
    rel = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
    out = []
    for no, line in enumerate(text.split("\n"), 1):
        for m in ID.finditer(line):
            a = int(m.group(1))
            b = int(m.group(2)) if m.group(2) else a
            missing = [n for n in range(a, b + 1) if n not in ids] if b - a < 100 else [a, b]
            if missing:
                out.append(f"{rel}:{no}: source {', '.join(f'[S{n}]' for n in missing)} "
                           f"is not in docs/sources.md")
        for m in GROUP.finditer(line):
            for g in re.findall(r"[FP]\d+", m.group(1)):
                if g not in groups:
                    out.append(f"{rel}:{no}: figure group {g} is not in docs/sources.md")
        if FORBIDDEN.search(line):
            out.append(f"{rel}:{no}: points outside the repository: {line.strip()[:100]}")
        if path.suffix == ".md":
            for m in LINK.finditer(line):
                target = (path.parent / m.group(1).split("#")[0]).resolve()
                if not target.is_relative_to(ROOT):
                    out.append(f"{rel}:{no}: link outside the repository: {m.group(1)}")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    mode = ap.add_mutually_exclusive_group(required=True)
    mode.add_argument("--check", action="store_true", help="list citations that do not resolve; exit 1 if any")
    mode.add_argument("--rewrite", action="store_true", help="rewrite old-style citations in place, then check")
    ap.add_argument("paths", nargs="*", help="files or folders (default: src, docs, examples, tests, tools, "
                                             "benchmarks, README.md, BENCHMARKS.md)")
    args = ap.parse_args(argv)
    targets = files(args.paths)
    if args.rewrite:
        changed = 0
        for p in targets:
            try:
                old = p.read_text(encoding="utf-8")
            except UnicodeDecodeError:
                continue
            new = rewrite_text(old)
            if new != old:
                p.write_text(new, encoding="utf-8")
                changed += 1
                print(f"rewrote {p.relative_to(ROOT) if p.is_relative_to(ROOT) else p}")
        print(f"{changed} file(s) rewritten")
    ids, groups = defined()
    found = [msg for p in targets for msg in problems(p, ids, groups)]
    for msg in found:
        print(msg)
    print(f"{len(targets)} file(s) checked, {len(found)} problem(s)", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
