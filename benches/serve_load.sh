#!/usr/bin/env bash
# Load bench of `ofsearch serve` beside Datasette serving an SQLite FTS5 table of
# the same passages: 32 concurrent clients on loopback for a bounded time, mixed
# queries from the letters and reports; requests/s, p50 and p99 latency (wrk),
# and ofsearch's peak memory. ofsearch is measured twice: alone, and while an
# `ofsearch ingest` commits to the index it serves.
#
#   benches/serve_load.sh            # 20 s per run
#   SECS=60 benches/serve_load.sh
#
# Needs ../shared (reports and letters). Installs wrk (apt) and datasette (pip).
set -euo pipefail
cd "$(dirname "$0")/.."

SECS=${SECS:-20}
CONNS=${CONNS:-32}
DATA=${BENCH_DATA:-target/bench-data}/serve
B=target/release/ofsearch
PORT_OFS=${PORT_OFS:-7901}
PORT_DS=${PORT_DS:-7902}
log() { printf '>> %s\n' "$*" >&2; }

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
command -v datasette >/dev/null || pip install -q datasette
cargo build --release --quiet

rm -rf "$DATA" && mkdir -p "$DATA"
log "indexing the reports and letters"
OFSEARCH_INDEX=$DATA/index $B ingest -q ../shared/corpus/ofsted-reports ../shared/corpus/ofsted-letters

log "exporting the same passages to SQLite FTS5"
OFSEARCH_INDEX=$DATA/index $B docs --json > "$DATA/docs.jsonl"
python3 - "$DATA" "$B" <<'PY'
import json, sqlite3, subprocess, sys, os
data, b = sys.argv[1], sys.argv[2]
db = sqlite3.connect(os.path.join(data, "passages.db"))
db.execute("CREATE VIRTUAL TABLE passages USING fts5(path, authority, date, section, text, tokenize='porter')")
env = dict(os.environ, OFSEARCH_INDEX=os.path.join(data, "index"))
for line in open(os.path.join(data, "docs.jsonl")):
    d = json.loads(line)
    shown = json.loads(subprocess.run([b, "show", d["doc_id"], "--json"], capture_output=True, text=True, env=env).stdout)
    meta = shown["document"]
    db.executemany("INSERT INTO passages VALUES (?,?,?,?,?)",
                   [(meta["path"], meta["authority"], meta["date"], p["section"], p["text"]) for p in shown["passages"]])
db.commit()
print(db.execute("SELECT count(*) FROM passages").fetchone()[0], "passages in FTS5", file=sys.stderr)
PY

QUERIES='"management oversight"|supervision|IRO|"care leavers"|"child protection"|neglect|"pathway plans"|exploitation|"front door"|"return home interviews"|caseloads|"strategy meetings"'
cat > "$DATA/mixed.lua" <<LUA
local queries = {}
for q in string.gmatch('$QUERIES', '([^|]+)') do table.insert(queries, q) end
local i = 0
local function enc(s) return (s:gsub('[^%w]', function(c) return string.format('%%%02X', string.byte(c)) end)) end
request = function()
  i = i + 1
  local q = enc(queries[(i % #queries) + 1])
  return wrk.format('GET', string.format(os.getenv('PATH_FMT'), q))
end
LUA

run_wrk() { # name, base url, path format
  PATH_FMT=$3 wrk -t2 -c"$CONNS" -d"${SECS}s" --latency -s "$DATA/mixed.lua" "$2" > "$DATA/$1.wrk"
  python3 - "$1" "$DATA/$1.wrk" <<'PY'
import re, sys
name, text = sys.argv[1], open(sys.argv[2]).read()
def ms(v):
    n, u = re.match(r'([\d.]+)(us|ms|s)', v).groups()
    return float(n) * {'us': .001, 'ms': 1, 's': 1000}[u]
p50 = ms(re.search(r'50%\s+(\S+)', text).group(1)); p99 = ms(re.search(r'99%\s+(\S+)', text).group(1))
rps = float(re.search(r'Requests/sec:\s+([\d.]+)', text).group(1))
errs = re.search(r'Non-2xx or 3xx responses: (\d+)', text)
sock = re.search(r'Socket errors: (.*)', text)
print(f"{name}\t{rps:.0f}\t{p50:.2f}\t{p99:.2f}\t{errs.group(1) if errs else 0}\t{sock.group(1) if sock else '-'}")
PY
}

log "ofsearch serve"
$B serve --index "$DATA/index" --bind 127.0.0.1:$PORT_OFS 2> "$DATA/ofs.log" &
OFS=$!
trap 'kill $OFS $DS 2>/dev/null || true' EXIT
DS=
sleep 1
for _ in 1 2 3; do curl -s "http://127.0.0.1:$PORT_OFS/api/count?q=IRO" >/dev/null; done
printf 'server\treq/s\tp50 ms\tp99 ms\tnon-2xx\tsocket errors\n' > "$DATA/table.tsv"
run_wrk ofsearch "http://127.0.0.1:$PORT_OFS" '/api/search?q=%s&n=10' >> "$DATA/table.tsv"

log "ofsearch serve while an ingest commits"
mkdir -p "$DATA/more" && cp ../shared/corpus/ofsted-letters/*.pdf "$DATA/more/"
( sleep 2; OFSEARCH_INDEX=$DATA/index $B ingest -q --no-prune "$DATA/more" ) &
ING=$!
run_wrk ofsearch+ingest "http://127.0.0.1:$PORT_OFS" '/api/search?q=%s&n=10' >> "$DATA/table.tsv"
wait $ING
RSS=$(awk '/VmHWM/ {print $2}' /proc/$OFS/status)

log "datasette"
datasette serve "$DATA/passages.db" --port $PORT_DS --setting sql_time_limit_ms 10000 > "$DATA/ds.log" 2>&1 &
DS=$!
sleep 4
curl -s "http://127.0.0.1:$PORT_DS/passages/passages.json?_search=IRO&_size=10" >/dev/null
run_wrk datasette "http://127.0.0.1:$PORT_DS" '/passages/passages.json?_search=%s&_size=10' >> "$DATA/table.tsv"
DSRSS=$(awk '/VmHWM/ {print $2}' /proc/$DS/status)

column -t -s $'\t' "$DATA/table.tsv"
echo "peak RSS: ofsearch serve $((RSS / 1024)) MiB, datasette $((DSRSS / 1024)) MiB"
python3 - "$DATA/table.tsv" <<'PY'
import sys
rows = {l.split('\t')[0]: l.split('\t') for l in open(sys.argv[1]).read().splitlines()[1:]}
o, d = rows['ofsearch'], rows['datasette']
print(f"ofsearch / datasette: {float(o[1]) / float(d[1]):.1f}x the requests/s, p99 {float(o[3]) / float(d[3]):.2f}x")
PY
