#!/usr/bin/env python3
"""Python reference checker for benchmarks (dev-time only; what a team would write without newslint).

Checks the same five families as newslint's default rule set, the idiomatic Python way:
  front matter  YAML-ish `---` / TOML `+++` block, required title and date, terminated block
  hygiene       trailing whitespace, CRLF / lone CR, final newline, leading blank lines
  script        mojibake (ftfy), Simplified/Traditional mix (hanzidentifier), pinyin artifacts,
                half-width punctuation next to Han characters, invisible characters
  boilerplate   literal list (the same file `rg -F -f` gets)
  images        Markdown image links: empty, relative, unterminated, spaces in the URL;
  cross-file    duplicate slugs and duplicate bodies (hash of the normalised body)

Uses a process pool over files (like newslint's --jobs); prints `path:line: rule: message`.

    python Scripts/reference_checker.py CORPUS_DIR [--jobs N] [--boilerplate FILE]
"""
import argparse
import hashlib
import os
import re
import sys
from multiprocessing import Pool

import ftfy
import hanzidentifier

HAN = r"[\u4e00-\u9fff]"
HALF_WIDTH = re.compile(HAN + r"[,.;:?!()]|[,;:?!()]" + HAN)
PINYIN = re.compile(r"[a-zA-Z]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]*|" + HAN + r"[a-z]{2,6} [a-z]{2,6}")
INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\u00ad\ufeff]")
IMAGE = re.compile(r"!\[([^\]]*)\]\(([^)\n]*)(\)?)")
BOILERPLATE = []


def load_boilerplate(path):
    with open(path, encoding="utf-8") as f:
        return [l.rstrip("\n") for l in f if l.strip()]


def check(path):
    out = []
    with open(path, "rb") as f:
        raw = f.read()
    text = raw.decode("utf-8", errors="replace")
    lines = text.split("\n")
    # Hygiene.
    if raw and not raw.endswith(b"\n"):
        out.append((len(lines), "final-newline", "file does not end with a newline"))
    if b"\r\n" in raw or re.search(rb"\r(?!\n)", raw):
        out.append((1, "line-endings", "CRLF or CR line endings"))
    lead = 0
    while lead < len(lines) and lines[lead].strip("\r") == "":
        lead += 1
    if lead and lead < len(lines):
        out.append((1, "leading-blank-lines", f"{lead} leading blank lines"))
    for n, line in enumerate(lines, 1):
        stripped = line.rstrip("\r")
        if stripped != stripped.rstrip(" \t"):
            out.append((n, "trailing-whitespace", "trailing whitespace"))
    # Front matter.
    slug = None
    body_start = 0
    first = lines[lead].rstrip("\r") if lead < len(lines) else ""
    if first in ("---", "+++"):
        end = None
        for k in range(lead + 1, len(lines)):
            if lines[k].rstrip("\r") == first:
                end = k
                break
        if end is None:
            out.append((lead + 1, "front-matter-malformed", "unterminated front matter"))
        else:
            keys = {}
            sep = ":" if first == "---" else "="
            for k in range(lead + 1, end):
                m = re.match(r"^([A-Za-z_][\w-]*)\s*" + re.escape(sep) + r"\s*(.*)$", lines[k].rstrip("\r"))
                if m:
                    keys[m.group(1)] = m.group(2).strip().strip('"')
            for req in ("title", "date"):
                if not keys.get(req):
                    out.append((lead + 1, "front-matter-field", f"missing {req}"))
            slug = keys.get("slug")
            body_start = end + 1
            if lead:
                out.append((lead + 1, "front-matter-malformed", "front matter not at the start"))
    else:
        out.append((1, "front-matter-missing", "no front matter"))
    # Script, boilerplate, images (body only).
    body = []
    for n in range(body_start, len(lines)):
        line = lines[n].rstrip("\r")
        body.append(line)
        num = n + 1
        if not line:
            continue
        if ftfy.fix_encoding(line) != line:
            out.append((num, "mojibake", "text looks like mis-decoded UTF-8"))
        han = re.sub(r"[^\u4e00-\u9fff]", "", line)
        if len(han) >= 8 and hanzidentifier.identify(han) == hanzidentifier.MIXED:
            out.append((num, "mixed-script", "Simplified and Traditional characters mixed"))
        if PINYIN.search(line):
            out.append((num, "pinyin-artifact", "pinyin in Chinese text"))
        if HALF_WIDTH.search(line):
            out.append((num, "half-width-punctuation", "half-width punctuation in Chinese text"))
        if INVISIBLE.search(line):
            out.append((num, "invisible-character", "invisible character"))
        for b in BOILERPLATE:
            if b in line:
                out.append((num, "boilerplate-line", f"boilerplate: {b}"))
                break
        for m in IMAGE.finditer(line):
            url = m.group(2).strip()
            if not m.group(3):
                out.append((num, "image-link", "unterminated image link"))
            elif not url:
                out.append((num, "image-link", "empty image URL"))
            elif " " in url:
                out.append((num, "image-link", "space in image URL"))
            elif not re.match(r"^(https?:|data:|/)", url):
                out.append((num, "image-link", "relative image URL"))
    normalised = re.sub(r"\s+", "", "".join(body))
    digest = hashlib.sha1(normalised.encode("utf-8")).hexdigest() if len(normalised) > 50 else None
    return path, out, slug, digest


def init(boilerplate):
    global BOILERPLATE
    BOILERPLATE = boilerplate


def files_under(root, extensions=(".md", ".markdown", ".txt")):
    found = []
    for d, dirs, names in os.walk(root):
        dirs[:] = sorted(x for x in dirs if not x.startswith("."))
        for n in sorted(names):
            if n.endswith(extensions):
                found.append(os.path.join(d, n))
    return sorted(found)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("root")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--boilerplate", default=os.path.join(os.path.dirname(__file__), "bench_boilerplate.txt"))
    ap.add_argument("--extensions", default=".md,.markdown,.txt", help="comma-separated file name endings to check")
    a = ap.parse_args()
    boilerplate = load_boilerplate(a.boilerplate)
    paths = files_under(a.root, tuple(e for e in a.extensions.split(",") if e))
    with Pool(a.jobs, initializer=init, initargs=(boilerplate,)) as pool:
        results = pool.map(check, paths, chunksize=64)
    slugs, digests = {}, {}
    lines = []
    for path, diags, slug, digest in results:
        for n, rule, msg in diags:
            lines.append(f"{path}:{n}: {rule}: {msg}")
        if slug:
            if slug in slugs:
                lines.append(f"{path}:1: duplicate-slug: also used by {slugs[slug]}")
            else:
                slugs[slug] = path
        if digest:
            if digest in digests:
                lines.append(f"{path}:1: duplicate-content: same body as {digests[digest]}")
            else:
                digests[digest] = path
    sys.stdout.write("\n".join(lines) + ("\n" if lines else ""))
    sys.stderr.write(f"{len(paths)} files, {len(lines)} findings\n")


if __name__ == "__main__":
    main()
