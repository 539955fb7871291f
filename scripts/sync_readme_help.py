#!/usr/bin/env python3
"""Copies `tiktok-review run --help` into the README's run-help block (tests/docs.rs checks it)."""
import subprocess

help_text = subprocess.run(["cargo", "run", "-q", "--", "run", "--help"], capture_output=True,
                           text=True, check=True, env={"PATH": __import__("os").environ["PATH"]}).stdout
start, end = "<!-- run-help:start -->\n```text\n", "```\n<!-- run-help:end -->"
readme = open("README.md").read()
a = readme.index(start) + len(start)
b = readme.index(end)
open("README.md", "w").write(readme[:a] + help_text + readme[b:])
