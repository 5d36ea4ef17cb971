#!/usr/bin/env bash
# Wall time and peak RSS of mreval (its trec_eval mode and eval) against
# trec_eval 9.0.8, on two shapes of input, written by scripts/genbench:
#
#   models   the kit's benchmark: 500 topics x 2,703 models (1.35 M run
#            lines; qrels 675 k lines), measures ndcg ndcg_cut.10 P.10
#   msmarco  a BM25 run shaped like MS MARCO passage dev: 6,980 topics x
#            1,000 numeric docnos (6.98 M lines, 320 MB; qrels 7,440 lines,
#            about one relevant passage a topic), measures recip_rank
#            recall.1000 ndcg_cut.10, and num_q alone (reading only)
#
#   scripts/bench_vs_trec_eval.sh TREC_EVAL [REPEATS] [SHAPE...]
#
# TREC_EVAL is a built trec_eval binary or the trec_eval-9.0.8.tar.gz
# tarball, which the script then builds in a temporary directory (the
# trec_eval source is not part of mreval: its licence is research-only; it
# is ../shared/reference/trec_eval-9.0.8.tar.gz in the organisers'
# checkout). Each round runs trec_eval, mreval trec_eval and mreval eval one
# after the other, so that all three meet the same load of a shared
# machine; the table gives each one's best wall time over REPEATS rounds
# (default 5) and its largest peak RSS, their ratios to trec_eval's, and
# whether every output was byte for byte trec_eval's.
set -euo pipefail
te_arg=${1:?usage: $0 TREC_EVAL|trec_eval-9.0.8.tar.gz [repeats] [models|msmarco...]}
repeats=${2:-5}
shift $(( $# < 2 ? $# : 2 ))
shapes=("$@")
[ ${#shapes[@]} -gt 0 ] || shapes=(models msmarco)
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

case $te_arg in
*.tar.gz | *.tgz)
  tar -xzf "$te_arg" -C "$work"
  make -s -C "$work"/trec_eval-9.0.8 >/dev/null 2>&1
  te="$work"/trec_eval-9.0.8/trec_eval
  ;;
*) te=$(cd "$(dirname "$te_arg")" && pwd)/$(basename "$te_arg") ;;
esac
# 9.0.8 calls itself 9.0.7 (its VERSION was not raised).
[ "$("$te" -v 2>&1)" = "trec_eval version 9.0.7" ] || { echo "$te is not trec_eval 9.0.8" >&2; exit 2; }
(cd "$root" && go build -o "$work/mreval" ./cmd/mreval)
mr="$work/mreval"

# run_one NAME COMMAND...: one timed run; appends "wall rss" to NAME.times
# and fails the benchmark if the output differs from trec_eval's.
run_one() {
  local name=$1; shift
  /usr/bin/time -f "%e %M" -o "$work/time" "$@" > "$work/$name.out"
  cat "$work/time" >> "$work/$name.times"
  if [ "$name" != trec_eval ] && ! cmp -s "$work/trec_eval.out" "$work/$name.out"; then
    echo "$name: output differs from trec_eval's:" >&2
    diff "$work/trec_eval.out" "$work/$name.out" | head >&2
    exit 1
  fi
}

# best NAME: the best wall time and the largest peak RSS (KB) of NAME.
best() { sort -n "$work/$1.times" | awk 'NR==1{t=$1} $2>r{r=$2} END{print t, r}'; }

bench() { # label, measure arguments...
  local label=$1; shift
  rm -f "$work"/*.times
  for _ in $(seq "$repeats"); do
    run_one trec_eval "$te" "$@" "$data/bench.qrels" "$data/bench.run"
    run_one mreval_trec_eval "$mr" trec_eval "$@" "$data/bench.qrels" "$data/bench.run"
    run_one mreval_eval "$mr" eval "$@" "$data/bench.qrels" "$data/bench.run"
  done
  read -r te_t te_rss <<< "$(best trec_eval)"
  printf '%s (%s), best of %d alternated rounds, outputs identical\n' "$shape" "$label" "$repeats"
  printf '  %-18s %8s %12s %8s %8s\n' tool "wall(s)" "peakRSS(MB)" "time" "RSS"
  for name in trec_eval mreval_trec_eval mreval_eval; do
    read -r t rss <<< "$(best $name)"
    printf '  %-18s %8.2f %12.1f %7.2fx %7.2fx\n' "${name//_/ }" "$t" "$(echo "$rss/1024" | bc -l)" \
      "$(echo "$t/$te_t" | bc -l)" "$(echo "$rss/$te_rss" | bc -l)"
  done
}

echo "$(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); targets: time <= 0.6x, RSS <= 1.0x"
for shape in "${shapes[@]}"; do
  data="$work/$shape"
  case $shape in
  models)
    (cd "$root" && go run ./scripts/genbench -topics 500 -models 2703 -judged 1350 -out "$data")
    echo "$shape: run $(wc -l < "$data/bench.run") lines, qrels $(wc -l < "$data/bench.qrels") lines"
    bench "ndcg ndcg_cut.10 P.10" -m ndcg -m ndcg_cut.10 -m P.10
    ;;
  msmarco)
    (cd "$root" && go run ./scripts/genbench -shape msmarco -topics 6980 -depth 1000 -out "$data")
    echo "$shape: run $(wc -l < "$data/bench.run") lines, qrels $(wc -l < "$data/bench.qrels") lines"
    bench "recip_rank recall.1000 ndcg_cut.10" -m recip_rank -m recall.1000 -m ndcg_cut.10
    bench "num_q: reading only" -m num_q
    ;;
  *) echo "unknown shape $shape (models or msmarco)" >&2; exit 2 ;;
  esac
  rm -rf "$data"
done
