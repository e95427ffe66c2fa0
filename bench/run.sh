#!/usr/bin/env bash
# Benchmark: the same sample reports turned into documents four ways, measured in one run.
#
#   (a) nianbao batch              — one process, all cores, PDF + DOCX
#   (a') nianbao batch --format pdf — the same, PDF only (the like-for-like row for (c))
#   (b) nianbao build               — one process per report, PDF + DOCX, all cores (xargs -P)
#   (c) typst compile (typst-cli)   — one process per report, same template and data, PDF only
#   (d) LibreOffice                 — converting (a)'s DOCX files to PDF, one soffice per core
#
# Usage: bench/run.sh [COUNT] [WORKDIR]        (default 200 reports in /tmp/nianbao-bench)
# Environment: BENCH_LARGE=2000 also runs (a) on that many reports (memory must stay flat);
#              JOBS=N overrides the number of parallel workers (default: all cores).
# Tools that are missing (typst, soffice) are skipped with a note; /usr/bin/time (GNU time)
# is required: apt-get install time.
set -euo pipefail
cd "$(dirname "$0")/.."

COUNT=${1:-200}
WORK=${2:-/tmp/nianbao-bench}
JOBS=${JOBS:-$(nproc)}
SEED=2024
TIME=/usr/bin/time
[ -x "$TIME" ] || { echo "GNU time (/usr/bin/time) is required: apt-get install time" >&2; exit 2; }

echo "building (release)…" >&2
cargo build --release --quiet --bin nianbao --example emit-typst
TARGET=${CARGO_TARGET_DIR:-target}
NB="$TARGET/release/nianbao"
EMIT="$TARGET/release/examples/emit-typst"

rm -rf "$WORK"
mkdir -p "$WORK"
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
"$NB" sample --count "$COUNT" --seed "$SEED" -o "$WORK/s" >/dev/null
find "$WORK/s" -name '*.json' | sort >"$WORK/inputs.txt"
N=$(wc -l <"$WORK/inputs.txt")

# measure NAME COMMAND…: wall, CPU (user+sys, children included) and peak RSS of the largest
# process, from GNU time.
measure() {
  local name=$1
  shift
  "$TIME" -f '%e %U %S %M' -o "$WORK/$name.time" "$@" >"$WORK/$name.log" 2>&1 || {
    echo "$name failed (exit $?), see $WORK/$name.log" >&2
    return 1
  }
}

rows=()
declare -A RATE
row() { # name label reports formats note
  local name=$1 label=$2 n=$3 formats=$4 note=${5:-}
  read -r wall user sys rss <"$WORK/$name.time"
  local rate cpu mb
  rate=$(awk -v n="$n" -v w="$wall" 'BEGIN { printf "%.1f", (w > 0 ? n / w : 0) }')
  cpu=$(awk -v n="$n" -v u="$user" -v s="$sys" 'BEGIN { printf "%.1f", (u + s) * 1000 / n }')
  mb=$(awk -v k="$rss" 'BEGIN { printf "%.0f", k / 1024 }')
  RATE[$name]=$rate
  rows+=("| $label | $formats | $n | $wall | $rate | $cpu | $mb | $note |")
}
skip() { rows+=("| $1 | $2 | – | – | – | – | – | skipped: $3 |"); }

# (a) nianbao batch, PDF + DOCX, then PDF only.
measure a "$NB" batch "$WORK/s" -o "$WORK/a" --fonts bundled --jobs "$JOBS"
row a "(a) nianbao batch" "$N" "PDF+DOCX"
measure a_pdf "$NB" batch "$WORK/s" -o "$WORK/a_pdf" --fonts bundled --format pdf --jobs "$JOBS"
row a_pdf "(a′) nianbao batch" "$N" "PDF"

# (b) one nianbao build process per report.
mkdir -p "$WORK/b"
measure b xargs -P "$JOBS" -I{} "$NB" build {} -o "$WORK/b" --format pdf,docx --fonts bundled <"$WORK/inputs.txt"
row b "(b) nianbao build per report" "$N" "PDF+DOCX"

# (c) typst compile per report, same template and data.
TYPST=$(command -v typst || true)
if [ -n "$TYPST" ]; then
  "$EMIT" "$WORK/c" "$WORK/s" >/dev/null
  find "$WORK/c" -name main.typ | sort >"$WORK/typst-inputs.txt"
  measure c xargs -P "$JOBS" -I{} "$TYPST" compile --font-path fonts --ignore-system-fonts {} <"$WORK/typst-inputs.txt"
  row c "(c) typst compile per report ($("$TYPST" --version | head -1))" "$(wc -l <"$WORK/typst-inputs.txt")" "PDF" "bundled fonts only"
  measure c_sys xargs -P "$JOBS" -I{} "$TYPST" compile --font-path fonts {} <"$WORK/typst-inputs.txt"
  row c_sys "(c″) typst compile per report" "$(wc -l <"$WORK/typst-inputs.txt")" "PDF" "system fonts scanned too (typst's default)"
else
  skip "(c) typst compile per report" "PDF" "typst not installed (cargo install typst-cli --version 0.15.1 --locked)"
fi

# (d) LibreOffice converting the DOCX files of (a) to PDF, one soffice per worker (each with its
# own profile folder, which LibreOffice needs to run in parallel).
SOFFICE=$(command -v soffice || command -v libreoffice || true)
if [ -n "$SOFFICE" ]; then
  find "$WORK/a" -name '*.docx' | sort >"$WORK/docx.txt"
  ND=$(wc -l <"$WORK/docx.txt")
  split -n "r/$JOBS" "$WORK/docx.txt" "$WORK/docx-part-"
  cat >"$WORK/lo.sh" <<EOF
#!/usr/bin/env bash
part=\$1
xargs -a "\$part" "$SOFFICE" -env:UserInstallation=file://$WORK/lo-\$(basename "\$part") --headless --convert-to pdf --outdir "$WORK/d" >/dev/null 2>&1
EOF
  chmod +x "$WORK/lo.sh"
  # Warm-up: LibreOffice builds its profile on first start; not counted.
  for p in "$WORK"/docx-part-*; do "$SOFFICE" -env:UserInstallation="file://$WORK/lo-$(basename "$p")" --headless --terminate_after_init >/dev/null 2>&1 || true; done
  measure d bash -c "ls $WORK/docx-part-* | xargs -P $JOBS -n 1 $WORK/lo.sh"
  row d "(d) LibreOffice DOCX → PDF" "$ND" "PDF (from DOCX)"
else
  skip "(d) LibreOffice DOCX → PDF" "PDF" "soffice not installed (apt-get install libreoffice-writer-nogui)"
fi

# Larger batch: memory must not grow with the number of reports.
if [ -n "${BENCH_LARGE:-}" ]; then
  "$NB" sample --count "$BENCH_LARGE" --seed "$SEED" -o "$WORK/s-large" >/dev/null
  measure a_large "$NB" batch "$WORK/s-large" -o "$WORK/a-large" --fonts bundled --jobs "$JOBS"
  row a_large "(a) nianbao batch, $BENCH_LARGE reports" "$BENCH_LARGE" "PDF+DOCX"
fi

ratio() { awk -v a="${RATE[$1]:-}" -v b="${RATE[$2]:-}" 'BEGIN { if (a == "" || b == "" || b == 0) print "–"; else printf "%.1f×", a / b }'; }

{
  echo "Machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo), $(uname -sr); jobs: $JOBS; load average before/after: $LOAD_BEFORE / $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  echo "| run | formats | reports | wall s | reports/s | CPU ms/report | peak RSS MB | note |"
  echo "|---|---|---|---|---|---|---|---|"
  printf '%s\n' "${rows[@]}"
  echo
  echo "Throughput ratios: a/b $(ratio a b), a/c $(ratio a c) (a′/c $(ratio a_pdf c), PDF only both), a/d $(ratio a d)"
} | tee "$WORK/results.md"

# Sanity: (c) typesets the same documents (same page counts as nianbao's PDFs).
if [ -n "$TYPST" ] && command -v pdfinfo >/dev/null; then
  same=0 total=0
  for dir in "$WORK"/c/*/; do
    name=$(basename "$dir")
    ours=$(find "$WORK/b" -name "$name.pdf" | head -1)
    [ -n "$ours" ] && [ -f "$dir/main.pdf" ] || continue
    total=$((total + 1))
    [ "$(pdfinfo "$ours" 2>/dev/null | awk '/^Pages:/ { print $2 }')" = "$(pdfinfo "$dir/main.pdf" 2>/dev/null | awk '/^Pages:/ { print $2 }')" ] && same=$((same + 1))
  done
  echo "typst CLI and nianbao agree on the page count of $same of $total documents" | tee -a "$WORK/results.md"
fi
