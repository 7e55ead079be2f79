"""Exit 0 when two results directories hold the same HDF5 content: every dataset's values, dtype
and shape and every attribute (dimension scales by what they label), in summary.h5 and points/*.h5, except the wall-clock times in /meta
(start_time, end_time). Used by `make test-cluster` (Slurm results vs a local run)."""
import sys
from pathlib import Path

import h5py
import numpy as np

IGNORED = {("/meta", "start_time"), ("/meta", "end_time")}


def attribute(f, name, v):
    """An attribute's value, comparable across files: a dimension scale's references (object
    addresses) by the names of the datasets they point to."""
    if name == "DIMENSION_LIST":
        return repr([[f[r].name for r in refs] for refs in v])
    if name == "REFERENCE_LIST":
        return repr(sorted((f[r].name, int(i)) for r, i in v))
    return np.asarray(v).tobytes() if not isinstance(v, (str, bytes)) else v


def content(path):
    items = {}
    with h5py.File(path, "r") as f:
        def visit(name, obj):
            key = "/" + name
            for a, v in obj.attrs.items():
                if (key, a) not in IGNORED:
                    items[(key, "@" + a)] = attribute(f, a, v)
            if isinstance(obj, h5py.Dataset):
                data = obj[()]
                items[(key, "dtype")] = str(obj.dtype)
                items[(key, "shape")] = obj.shape
                items[(key, "data")] = np.asarray(data).tobytes()
        for a, v in f.attrs.items():
            items[("/", "@" + a)] = v
        f.visititems(visit)
    return items


def main(a, b):
    a, b = Path(a), Path(b)
    files = sorted(p.relative_to(a) for p in [a / "summary.h5", *a.glob("points/*.h5")] if p.exists())
    other = sorted(p.relative_to(b) for p in [b / "summary.h5", *b.glob("points/*.h5")] if p.exists())
    if files != other:
        print(f"different files: {sorted(set(map(str, files)) ^ set(map(str, other)))}")
        return 1
    if not files:
        print(f"no results in {a}")
        return 1
    bad = 0
    for rel in files:
        x, y = content(a / rel), content(b / rel)
        diff = sorted(k for k in set(x) | set(y) if k not in x or k not in y or x[k] != y[k])
        if diff:
            bad += 1
            print(f"{rel}: {len(diff)} difference(s), e.g. {diff[:5]}")
    print(f"{len(files) - bad} of {len(files)} file(s) identical (ignoring /meta start_time, end_time)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
