#!/usr/bin/env python3
"""Cuts the test fixtures from the real data sets (run once; the output is committed).

    python3 scripts/cut-fixtures.py ~/.dlbank/data

MNIST and Fashion-MNIST: the first 2,000 training and the first 1,000 test images and labels, as
gzip-compressed IDX files with corrected counts. IMDb: the first 200 negative and the first 200 positive reviews,
alternating, as compact JSON. Everything is byte-for-byte the real data, only fewer items.
"""
import gzip
import json
import struct
import sys
from pathlib import Path

data = Path(sys.argv[1] if len(sys.argv) > 1 else Path.home() / ".dlbank" / "data")
out = Path(__file__).resolve().parent.parent / "src" / "test" / "resources" / "fixtures"


def cut_idx(source: Path, target: Path, count: int) -> None:
    # MNIST comes as raw IDX, Fashion-MNIST gzip-compressed.
    raw = gzip.decompress(source.read_bytes()) if source.suffix == ".gz" else source.read_bytes()
    rank = raw[3]
    dims = list(struct.unpack(">" + "I" * rank, raw[4:4 + 4 * rank]))
    item = 1
    for d in dims[1:]:
        item *= d
    header = raw[:4] + struct.pack(">" + "I" * rank, count, *dims[1:])
    body = raw[4 + 4 * rank: 4 + 4 * rank + count * item]
    target.parent.mkdir(parents=True, exist_ok=True)
    # mtime=0 keeps the gzip bytes identical from run to run.
    with open(target, "wb") as f, gzip.GzipFile(fileobj=f, mode="wb", mtime=0) as gz:
        gz.write(header + body)


for folder, suffix in (("mnist", ""), ("fashion-mnist", ".gz")):
    for prefix, count in (("train", 2000), ("t10k", 1000)):
        for kind in ("images-idx3-ubyte", "labels-idx1-ubyte"):
            name = f"{prefix}-{kind}"
            cut_idx(data / folder / (name + suffix), out / folder / (name + ".gz"), count)

reviews = json.loads((data / "imdb" / "reviews.json").read_text())
negative = [r for r in reviews if r["s"] == 0][:200]
positive = [r for r in reviews if r["s"] == 1][:200]
mixed = [r for pair in zip(negative, positive) for r in pair]
(out / "imdb").mkdir(parents=True, exist_ok=True)
(out / "imdb" / "reviews.json").write_text(json.dumps(mixed, ensure_ascii=False, separators=(",", ":")))
print("fixtures written to", out)
