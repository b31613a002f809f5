#!/usr/bin/env python3
"""Render krew/personapack.yaml (the release template) into a concrete krew
manifest: the version, and for each platform built its URI and sha256.
Platforms not given are left out, so the result never holds a placeholder.

    render-manifest.py TEMPLATE OUT VERSION OS_ARCH=URI@SHA256 [...]
    e.g. render-manifest.py krew/personapack.yaml out.yaml 0.1.0 linux_amd64=https://.../x.tar.gz@abc...
"""
import re
import sys


def main():
    src, dst, version, *platforms = sys.argv[1:]
    built = {}
    for p in platforms:
        key, rest = p.split("=", 1)
        uri, sha = rest.rsplit("@", 1)
        if not re.fullmatch(r"[0-9a-f]{64}", sha):
            sys.exit(f"render-manifest: {key}: not a sha256: {sha!r}")
        built[key] = (uri, sha)
    text = "\n".join(l for l in open(src).read().splitlines() if not l.startswith("#")) + "\n"
    head, platforms_text = text.split("  platforms:\n")
    out = [head.replace("{{VERSION}}", version), "  platforms:\n"]
    for block in re.split(r"(?m)^(?=  - selector:)", platforms_text):
        m = re.search(r"\{\{URI_(\w+)\}\}", block)
        if not m or m.group(1) not in built:
            continue
        uri, sha = built[m.group(1)]
        out.append(block.replace(f"{{{{URI_{m.group(1)}}}}}", uri).replace(f"{{{{SHA256_{m.group(1)}}}}}", sha))
    if len(out) == 2:
        sys.exit("render-manifest: no platform given")
    rendered = "".join(out)
    assert "{{" not in rendered, rendered
    open(dst, "w").write(rendered)


if __name__ == "__main__":
    main()
