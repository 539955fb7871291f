#!/usr/bin/env python3
"""Prints the longest functions and files of src/ (test modules left out): what a newcomer reads.

    python3 scripts/code_sizes.py [--top N]

A function's length runs from its `fn` line to its closing brace; a file's is its line count.
Strings and comments are skipped when braces are counted.
"""
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "src"
FN = re.compile(r"^\s*(pub(\([^)]*\))?\s+)?(const\s+)?(async\s+)?(unsafe\s+)?fn\s+(\w+)")


def is_test(path: Path) -> bool:
    return path.name == "tests.rs" or "tests" in path.relative_to(ROOT).parts[:-1]


def code_of(line: str) -> str:
    """The line without string literals, char literals and a trailing comment."""
    line = re.sub(r'"(\\.|[^"\\])*"', '""', line)
    line = re.sub(r"'(\\.|[^'\\])'", "''", line)
    return line.split("//", 1)[0]


def functions(path: Path):
    lines = path.read_text().splitlines()
    in_tests = False
    for i, line in enumerate(lines):
        if line.strip() == "#[cfg(test)]":
            in_tests = True  # the rest of the file is a test module, by this project's layout
        match = FN.match(line)
        if in_tests or not match:
            continue
        depth, opened = 0, False
        for j in range(i, len(lines)):
            code = code_of(lines[j])
            if not opened and ";" in code and "{" not in code:
                break  # a declaration without a body
            depth += code.count("{") - code.count("}")
            opened = opened or "{" in code
            if opened and depth <= 0:
                yield match.group(6), i + 1, j - i + 1
                break


def main() -> None:
    top = int(sys.argv[sys.argv.index("--top") + 1]) if "--top" in sys.argv else 10
    files = [p for p in sorted(ROOT.rglob("*.rs")) if not is_test(p)]
    fns = [(n, p.relative_to(ROOT.parent), line, length) for p in files for n, line, length in functions(p)]
    fns.sort(key=lambda f: -f[3])
    print(f"{len(fns)} functions in {len(files)} files of src/ (tests left out)")
    print(f"longest functions:")
    for name, path, line, length in fns[:top]:
        print(f"  {length:4} lines  {path}:{line} {name}")
    over = [f for f in fns if f[3] > 80]
    print(f"functions over 80 lines: {len(over)}")
    sizes = sorted(((len(p.read_text().splitlines()), p.relative_to(ROOT.parent)) for p in files), reverse=True)
    print("longest files:")
    for length, path in sizes[:top]:
        print(f"  {length:4} lines  {path}")


if __name__ == "__main__":
    main()
