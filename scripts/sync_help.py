#!/usr/bin/env python3
"""Copies `tiktok-review run --help` into docs/cli.md's run-help block (tests/docs.rs checks it)."""
import os
import subprocess

help_text = subprocess.run(["cargo", "run", "-q", "--", "run", "--help"], capture_output=True,
                           text=True, check=True, env={"PATH": os.environ["PATH"]}).stdout
start, end = "<!-- run-help:start -->\n```text\n", "```\n<!-- run-help:end -->"
path = os.path.join(os.path.dirname(__file__), "..", "docs", "cli.md")
doc = open(path).read()
a = doc.index(start) + len(start)
b = doc.index(end)
open(path, "w").write(doc[:a] + help_text + doc[b:])
