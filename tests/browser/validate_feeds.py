#!/usr/bin/python3
"""Validates served feeds the way real consumers read them.

usage: validate_feeds.py URL...   (each an Atom, RSS or JSON Feed document)

- Atom and RSS: Python feedparser reads them with bozo = 0 (well-formed, no encoding
  trouble) and finds entries (Debian 12's feedparser 6.0 does not read JSON Feed);
- Atom: jing against RFC 4287's RELAX NG schema (tests/data/feeds/atom.rnc);
- JSON Feed: jsonschema against a JSON Feed 1.1 schema (tests/data/feeds/jsonfeed-1.1.schema.json).
Prints "ok URL" per valid document; exits 1 with the reasons otherwise. Debian packages:
python3-feedparser, python3-jsonschema, jing.
"""
import json
import os
import subprocess
import sys
import tempfile
import urllib.request

import feedparser
import jsonschema

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "feeds")


def fetch(url):
    with urllib.request.urlopen(url, timeout=30) as r:
        return r.headers.get("Content-Type", ""), r.read()


def check(url):
    content_type, body = fetch(url)
    problems = []
    if "xml" in content_type:
        parsed = feedparser.parse(body, response_headers={"content-type": content_type})
        if parsed.bozo:
            problems.append(f"feedparser: bozo ({parsed.bozo_exception!r})")
        if not parsed.entries:
            problems.append("feedparser: no entries")
    if "atom" in content_type:
        with tempfile.NamedTemporaryFile(suffix=".atom") as f:
            f.write(body)
            f.flush()
            jing = subprocess.run(["jing", "-c", os.path.join(DATA, "atom.rnc"), f.name],
                                  capture_output=True, text=True)
            if jing.returncode != 0:
                problems.append("jing (RFC 4287 schema): " + (jing.stdout + jing.stderr).strip())
    elif "json" in content_type:
        with open(os.path.join(DATA, "jsonfeed-1.1.schema.json"), encoding="utf-8") as f:
            schema = json.load(f)
        validator = jsonschema.Draft202012Validator(
            schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
        document = json.loads(body)
        for error in validator.iter_errors(document):
            problems.append(f"JSON Feed 1.1 schema: {'/'.join(map(str, error.path))}: {error.message}")
        if not document.get("items"):
            problems.append("JSON Feed: no items")
    return problems


def main():
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    failed = False
    for url in sys.argv[1:]:
        problems = check(url)
        if problems:
            failed = True
            print(f"FAIL {url}")
            for p in problems:
                print(f"  {p}")
        else:
            print(f"ok {url}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
