#!/usr/bin/env bash
# Side-by-side benchmark of ofsearch against ripgrep, SQLite FTS5 and pdftotext,
# whole processes, same machine, same data. Prints a Markdown table of medians.
#
#   benches/run.sh                 # 1x (the 111 reports) and 10x
#   SCALES="10 100" benches/run.sh # also 100x (about 15 minutes more)
#
# Env: SCALES (generated scales, default "10"), RUNS (runs per query, default 10),
# BENCH_DATA (work dir, default target/bench-data; never inside tracked files),
# SEED (corpus generator seed, default 42), BIG_MB (single text file size for the
# memory check, default 200; 0 skips it).
set -euo pipefail
cd "$(dirname "$0")/.."

REPORTS=../shared/corpus/ofsted-reports
DATA=${BENCH_DATA:-target/bench-data}
SCALES=${SCALES:-10}
RUNS=${RUNS:-10}
SEED=${SEED:-42}
BIG_MB=${BIG_MB:-200}
RES=$DATA/results
PHRASE='"management oversight"'
RG_RE='management\s+oversight'
FTS_COLS="path, para, snippet(p, 2, '[', ']', '…', 16)"

log() { printf '>> %s\n' "$*" >&2; }

# --- peers -------------------------------------------------------------------
need=()
command -v rg >/dev/null || need+=(ripgrep)
command -v sqlite3 >/dev/null || need+=(sqlite3)
command -v pdftotext >/dev/null || need+=(poppler-utils)
command -v hyperfine >/dev/null || need+=(hyperfine)
[ -x /usr/bin/time ] || need+=(time)
command -v python3 >/dev/null || need+=(python3)
if [ ${#need[@]} -gt 0 ]; then
    log "installing ${need[*]}"
    apt-get update -qq && apt-get install -y -qq "${need[@]}" >/dev/null
fi

log "building ofsearch (release)"
cargo build --release -q

mkdir -p "$DATA" "$RES"
# Timed as installed (`cargo install` copies it): the linker's own output
# file sits in the page cache in small pieces and starts about 0.4 ms slower
# than any copy of it (benches/README.md, round thirteen), which would be
# measured as the program's own cost.
install -m 755 target/release/ofsearch "$DATA/ofsearch"
B=$DATA/ofsearch
rm -f "$RES"/*.json "$RES"/*.txt

# hf NAME RUNS CMD...  — hyperfine without a shell, medians kept in $RES/NAME.json
hf() {
    local name=$1 runs=$2
    shift 2
    hyperfine -N --style none --warmup 1 --runs "$runs" --export-json "$RES/$name.json" "$@" >/dev/null
}
# hfp NAME RUNS PREPARE CMD... — with a prepare step (through a shell), no warm-up
hfp() {
    local name=$1 runs=$2 prep=$3
    shift 3
    hyperfine --style none --runs "$runs" --prepare "$prep" --export-json "$RES/$name.json" "$@" >/dev/null
}
# rss NAME CMD... — peak RSS (KiB) of one run
rss() {
    local name=$1
    shift
    /usr/bin/time -v "$@" >/dev/null 2>"$RES/$name.time" || true
    awk -F': ' '/Maximum resident set size/ {print $2}' "$RES/$name.time" >"$RES/$name.rss.txt"
}

# --- data ----------------------------------------------------------------------
T1=$DATA/text-1x
if [ ! -f "$T1/.done" ]; then
    log "extracting the reports' text (ofsearch extract, once)"
    rm -rf "$T1" && mkdir -p "$T1"
    ls "$REPORTS"/*.pdf | xargs -P "$(nproc)" -I{} sh -c "$B extract '{}' > '$T1/'\$(basename '{}' .pdf).txt"
    touch "$T1/.done"
fi
python3 benches/gen_corpus.py "$T1" --paras-only "$DATA/paras-1x.csv"
for s in $SCALES; do
    if [ ! -f "$DATA/text-${s}x/.done" ]; then
        log "generating the ${s}x corpus (seed $SEED)"
        rm -rf "$DATA/text-${s}x"
        python3 benches/gen_corpus.py "$T1" "$DATA/text-${s}x" --times "$s" --seed "$SEED" \
            --paras "$DATA/paras-${s}x.csv"
        touch "$DATA/text-${s}x/.done"
    fi
done

# --- 3. PDF ingest vs pdftotext --------------------------------------------------
log "PDF ingest of the 111 reports vs pdftotext, serially"
hfp pdf 3 "rm -rf $DATA/idx-pdf" \
    "$B --index $DATA/idx-pdf ingest $REPORTS" \
    "bash -c 'for f in $REPORTS/*.pdf; do pdftotext \"\$f\" - >/dev/null; done'"
rm -rf "$DATA/idx-pdf"
rss pdf-ingest "$B" --index "$DATA/idx-pdf" ingest "$REPORTS"

# --- per scale: build, size, queries ---------------------------------------------
for s in 1 $SCALES; do
    T=$DATA/text-${s}x
    I=$DATA/idx-${s}x
    DB=$DATA/fts-${s}x.db
    CSV=$DATA/paras-${s}x.csv
    if [ "$s" -ge 100 ]; then bruns=1; elif [ "$s" -ge 10 ]; then bruns=2; else bruns=5; fi
    log "${s}x: index build from text vs FTS5 build ($bruns runs)"
    # The last run leaves the index and the FTS5 table in place for the queries;
    # /usr/bin/time records the ingest's peak RSS on the way (≈1 ms overhead).
    hfp "build-ofs-${s}x" "$bruns" "rm -rf $I" \
        "/usr/bin/time -v -o $RES/ingest-${s}x.time $B --index $I ingest $T"
    hfp "build-fts-${s}x" "$bruns" "rm -f $DB" \
        "bash -c 'sqlite3 $DB \"CREATE VIRTUAL TABLE p USING fts5(path UNINDEXED, para UNINDEXED, text);\" \".import --csv $CSV p\"'"
    awk -F': ' '/Maximum resident set size/ {print $2}' "$RES/ingest-${s}x.time" >"$RES/ingest-${s}x.rss.txt"
    du -sb --exclude=.done "$T" | cut -f1 >"$RES/textsize-${s}x.txt"
    du -sb "$I" | cut -f1 >"$RES/idxsize-${s}x.txt"
    du -sb "$DB" | cut -f1 >"$RES/dbsize-${s}x.txt"
    "$B" --index "$I" search --all --count "$PHRASE" >"$RES/hits-${s}x.txt" || true
    rg -i -U -c "$RG_RE" "$T" | awk -F: '{n+=$NF} END {print n" lines (rg)"}' >>"$RES/hits-${s}x.txt" || true

    log "${s}x: re-ingest of the unchanged corpus"
    hf "reingest-${s}x" 5 "$B --index $I ingest $T"

    log "${s}x: queries ($RUNS runs each)"
    hf "exh-${s}x" "$RUNS" \
        "$B --index $I search --all '$PHRASE'" \
        "rg -i -U '$RG_RE' $T" \
        "sqlite3 $DB \"SELECT $FTS_COLS FROM p WHERE p MATCH '\\\"management oversight\\\"'\""
    hf "top-${s}x" "$RUNS" \
        "$B --index $I search '$PHRASE'" \
        "sqlite3 $DB \"SELECT $FTS_COLS FROM p WHERE p MATCH '\\\"management oversight\\\"' ORDER BY rank LIMIT 10\""
    # Searches as most people type them: words, ranked, the ten best.
    hf "words-${s}x" "$RUNS" \
        "$B --index $I search 'management oversight'" \
        "sqlite3 $DB \"SELECT $FTS_COLS FROM p WHERE p MATCH 'management oversight' ORDER BY rank LIMIT 10\""
    hf "word-${s}x" "$RUNS" \
        "$B --index $I search children" \
        "sqlite3 $DB \"SELECT $FTS_COLS FROM p WHERE p MATCH 'children' ORDER BY rank LIMIT 10\""
    hf "prefix-${s}x" "$RUNS" \
        "$B --index $I search 'child*'" \
        "sqlite3 $DB \"SELECT $FTS_COLS FROM p WHERE p MATCH 'child*' ORDER BY rank LIMIT 10\""
    hf "count-${s}x" "$RUNS" \
        "$B --index $I search --count '$PHRASE'" \
        "rg -i -U -c '$RG_RE' $T"
    rss "query-${s}x" "$B" --index "$I" search --all "$PHRASE"
done

if [ "$BIG_MB" -gt 0 ]; then
    big_src=$DATA/text-$(echo "$SCALES" | awk '{print $NF}')x
    log "memory: ingest of one ${BIG_MB} MB text file"
    # head closes the pipe early: cat's SIGPIPE is expected, not a failure.
    { find "$big_src" -name '*.txt' | sort | xargs cat | head -c "${BIG_MB}M" >"$DATA/big.txt"; } || true
    rm -rf "$DATA/idx-big"
    rss "ingest-big" "$B" --index "$DATA/idx-big" ingest "$DATA/big.txt"
    rm -rf "$DATA/idx-big" "$DATA/big.txt"
fi

python3 benches/table.py "$RES" "1 $SCALES"
