#!/usr/bin/env python3
"""Cuts the real-handwriting fixture: the first 100 of the 1,797 UCI digits (run once; the output is committed).

    cd /tmp && apt-get download python3-sklearn && dpkg-deb -x python3-sklearn_*.deb sklearn-deb
    python3 scripts/cut-handwriting.py /tmp/sklearn-deb/usr/lib/python3/dist-packages/sklearn/datasets/data/digits.csv.gz

The digits are the test set of UCI's "Optical Recognition of Handwritten Digits" (E. Alpaydin and
C. Kaynak, 1998; 43 writers, 32x32 bitmaps from NIST's preprocessing, counted in 4x4 blocks into 8x8
grids of 0-16), as scikit-learn ships them (BSD-3-Clause; UCI lists the data set under CC BY 4.0).
Each line: 64 counts, row by row, then the label. The lines are copied as they are, only fewer.
"""
import gzip
import sys
from pathlib import Path

source = Path(sys.argv[1])
out = Path(__file__).resolve().parent.parent / "src" / "test" / "resources" / "fixtures" / "uci-digits"
lines = gzip.open(source, "rt").read().splitlines()[:100]
out.mkdir(parents=True, exist_ok=True)
(out / "digits-100.csv").write_text("\n".join(lines) + "\n")
print(len(lines), "digits written to", out / "digits-100.csv")
