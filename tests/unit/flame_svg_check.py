#!/usr/bin/env python3
"""Checks a flame graph SVG the way a viewer reads it: parses it as XML with
the standard library's parser (expat; an ill-formed file exits 1 with the
parser's message) and prints what it found as one JSON object: the root tag,
the title and subtitle, the frames (hover text of each), the ids present.
With a second argument, writes the <script> text there (for node --check).
Used by tests/unit/flame_render_test.cpp."""
import json
import sys
import xml.etree.ElementTree as ET

NS = "{http://www.w3.org/2000/svg}"


def main():
    try:
        root = ET.parse(sys.argv[1]).getroot()
    except ET.ParseError as e:
        print(f"not well-formed XML: {e}", file=sys.stderr)
        return 1
    frames = root.find(f"{NS}g[@id='frames']")
    groups = frames.findall(f"{NS}g") if frames is not None else []
    ids = sorted(el.get("id") for el in root.iter() if el.get("id"))
    script = root.find(f"{NS}script")
    if len(sys.argv) > 2:
        with open(sys.argv[2], "w", encoding="utf-8") as out:
            out.write(script.text if script is not None and script.text else "")
    print(json.dumps({
        "root": root.tag,
        "title": root.findtext(f"{NS}text[@id='title']"),
        "subtitle": root.findtext(f"{NS}text[@id='subtitle']"),
        "frames": [g.findtext(f"{NS}title") for g in groups],
        "ids": ids,
    }, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
