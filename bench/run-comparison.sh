#!/usr/bin/env bash
# Elektron vs PyTorch on the same machine, in one go: the three end-to-end workloads of an ELECTRA-small-sized
# classifier (inference 32x128, training step 16x128, training step with FGM), each engine with the anchor's best
# settings, each workload in its own process (so each peak RSS is that workload's own), the engines interleaved
# workload by workload so that a neighbour's load hits both alike. Prints the Elektron/PyTorch ratios against the
# targets of issue 7 and writes every raw result plus a summary (comparison.json) to the output folder.
#
#   bench/run-comparison.sh [--quick] [--warmup N] [--iters N] [--rounds N] [--threads N] [--out DIR] [--gemm]
#
#   --quick    2 warm-up + 3 measured steps, 1 round (a few minutes on 2 cores)
#   --rounds   repeat everything N times and take the median of the per-round medians (noisy machines: 3)
#   --gemm     also run the GEMM kernel benchmarks (quick JMH mode) and print Elektron matmul / raw sgemm
#
# Environment: JAVA, JAVA_OPTS (default: the launcher's, --add-modules=jdk.incubator.vector -XX:+UseSerialGC -Xmn32m), PYTHON (default /usr/bin/python3),
# ELEKTRON_ARGS (extra EndToEndBench options, e.g. "--blas-threads 1").
#
# Needs: bench/target/benchmarks.jar (cd to the repo root, ./mvnw -q -B install -DskipTests), /usr/bin/python3 with
# Debian's python3-torch (apt-get install -y python3-torch) and an optimized BLAS behind it (libopenblas0-pthread;
# with the reference BLAS torch.mm runs at ~5 GFLOP/s and the comparison means nothing).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
JAR="$ROOT/bench/target/benchmarks.jar"
PY_BENCH="$ROOT/bench/pytorch/electra_small_bench.py"
PYTHON=${PYTHON:-/usr/bin/python3}
JAVA=${JAVA:-java}
JAVA_OPTS=${JAVA_OPTS:---add-modules=jdk.incubator.vector -XX:+UseSerialGC -Xmn32m}
ELEKTRON_ARGS=${ELEKTRON_ARGS:-}   # extra EndToEndBench options, e.g. "--blas-threads 1"

WARMUP=3
ITERS=10
ROUNDS=1
THREADS=2
GEMM=0
OUT="$ROOT/bench/target/comparison-$(date +%Y%m%d-%H%M%S)"
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) WARMUP=2; ITERS=3; ROUNDS=1 ;;
    --warmup) WARMUP=$2; shift ;;
    --iters) ITERS=$2; shift ;;
    --rounds) ROUNDS=$2; shift ;;
    --threads) THREADS=$2; shift ;;
    --out) OUT=$2; shift ;;
    --gemm) GEMM=1 ;;
    -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
    *) echo "unknown option $1 (try --help)" >&2; exit 2 ;;
  esac
  shift
done

[ -f "$JAR" ] || { echo "no $JAR: build first (cd $ROOT && ./mvnw -q -B install -DskipTests)" >&2; exit 1; }
"$PYTHON" -c 'import torch' 2>/dev/null || {
  echo "PyTorch is missing: apt-get install -y python3-torch (Debian's 1.13, for /usr/bin/python3)" >&2; exit 1; }

# The anchor's best settings, for BOTH engines (ANCHORS.md). SkylakeX kernels only where the CPU has AVX-512:
# elsewhere OpenBLAS dies with SIGILL.
export OMP_WAIT_POLICY=PASSIVE
if grep -qw avx512f /proc/cpuinfo; then export OPENBLAS_CORETYPE=SkylakeX; else unset OPENBLAS_CORETYPE; fi
mkdir -p "$OUT"

echo "Elektron vs PyTorch, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores"
echo "settings: OMP_WAIT_POLICY=$OMP_WAIT_POLICY OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-(unset)} threads=$THREADS" \
     "warmup=$WARMUP iters=$ITERS rounds=$ROUNDS${ELEKTRON_ARGS:+ elektron: $ELEKTRON_ARGS}"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "results: $OUT"

run_elektron() { # workload round
  "$JAVA" $JAVA_OPTS -cp "$JAR" io.elektron.bench.EndToEndBench --mode "$1" --warmup "$WARMUP" --iters "$ITERS" \
    --threads "$THREADS" $ELEKTRON_ARGS --json "$OUT/elektron-$1-r$2.json" > "$OUT/elektron-$1-r$2.log" 2>&1 \
    || { cat "$OUT/elektron-$1-r$2.log" >&2; exit 1; }
  grep "median" "$OUT/elektron-$1-r$2.log" | head -1 | sed 's/^/  elektron /'
}
run_pytorch() { # workload round
  "$PYTHON" "$PY_BENCH" --mode "$1" --warmup "$WARMUP" --iters "$ITERS" --threads "$THREADS" \
    --json "$OUT/pytorch-$1-r$2.json" > "$OUT/pytorch-$1-r$2.log" 2>&1 \
    || { cat "$OUT/pytorch-$1-r$2.log" >&2; exit 1; }
  grep "median" "$OUT/pytorch-$1-r$2.log" | head -1 | sed 's/^/  pytorch  /'
}

for round in $(seq 1 "$ROUNDS"); do
  for w in inference training fgm; do
    echo "round $round, $w:"
    # Alternate which engine goes first, so a trend in the neighbours' load does not favour one.
    if [ $((round % 2)) -eq 1 ]; then run_elektron "$w" "$round"; run_pytorch "$w" "$round"
    else run_pytorch "$w" "$round"; run_elektron "$w" "$round"; fi
  done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

if [ "$GEMM" = 1 ]; then
  echo; echo "GEMM kernels (JMH quick mode) ..."
  "$JAVA" -jar "$JAR" 'GemmBench|LinearBench' -f 1 -wi 1 -i 3 -w 1s -r 1s -rf json -rff "$OUT/jmh-gemm.json" \
    > "$OUT/jmh-gemm.log" 2>&1 || { tail -30 "$OUT/jmh-gemm.log" >&2; exit 1; }
  "$JAVA" -cp "$JAR" io.elektron.bench.kernels.GemmRatioReport "$OUT/jmh-gemm.json" | sed '/^All results/,$d'
fi

"$PYTHON" - "$OUT" "$ROUNDS" <<'PYEOF'
import glob, json, os, statistics, sys

out, rounds = sys.argv[1], int(sys.argv[2])
WORKLOADS = ("inference", "training", "fgm")


def load(engine, workload):
    runs = []
    for r in range(1, rounds + 1):
        with open(os.path.join(out, f"{engine}-{workload}-r{r}.json")) as f:
            runs.append(json.load(f))
    return runs


def med(runs, key):
    return statistics.median(run["workloads"][run_workload(run)][key] for run in runs)


def run_workload(run):
    return next(iter(run["workloads"]))


data = {e: {w: load(e, w) for w in WORKLOADS} for e in ("elektron", "pytorch")}
m = {e: {w: {k: med(data[e][w], k) for k in ("median_ms", "tokens_per_s", "peak_rss_mb", "mfu",
                                                  "sys_cpu_ms_per_step", "minor_faults_per_step")}
         for w in WORKLOADS} for e in data}
sgemm = {e: statistics.median(run["sgemm_gflops"] for w in WORKLOADS for run in data[e][w]) for e in data}
E, P = m["elektron"], m["pytorch"]
fgm_cost = {e: m[e]["fgm"]["median_ms"] / m[e]["training"]["median_ms"] for e in m}
# Cores kept busy on average: (user + system CPU time) / mean wall time of a step, median over rounds.
cores = {(e, w): statistics.median(
    (x["user_cpu_ms_per_step"] + x["sys_cpu_ms_per_step"]) / statistics.mean(x["step_ms"])
    for x in (run["workloads"][run_workload(run)] for run in data[e][w])) for e in data for w in WORKLOADS}

rows = []  # label, elektron, pytorch, ratio, target text, passed


def ratio_row(label, e, p, target, higher_is_better=True, fmt="{:.1f}"):
    r = e / p
    if target is None:
        rows.append((label, fmt.format(e), fmt.format(p), f"{r:.2f}x", "", None))
        return
    passed = r >= target if higher_is_better else r <= target
    rows.append((label, fmt.format(e), fmt.format(p), f"{r:.2f}x", (">= " if higher_is_better else "<= ") + f"{target}x",
                 passed))


ratio_row("training tok/s", E["training"]["tokens_per_s"], P["training"]["tokens_per_s"], 1.25)
ratio_row("inference tok/s", E["inference"]["tokens_per_s"], P["inference"]["tokens_per_s"], 1.5)
ratio_row("FGM tok/s", E["fgm"]["tokens_per_s"], P["fgm"]["tokens_per_s"], None)
rows.append(("FGM step / clean step", f"{fgm_cost['elektron']:.2f}", f"{fgm_cost['pytorch']:.2f}", "",
             "Elektron <= 2.0", fgm_cost["elektron"] <= 2.0))
for w in WORKLOADS:
    ratio_row(f"peak RSS {w} (MB)", E[w]["peak_rss_mb"], P[w]["peak_rss_mb"], 1.0, higher_is_better=False, fmt="{:.0f}")
for w in WORKLOADS:
    rows.append((f"MFU {w} (vs own sgemm)", f"{100 * E[w]['mfu']:.1f}%", f"{100 * P[w]['mfu']:.1f}%",
                 f"{E[w]['mfu'] / P[w]['mfu']:.2f}x", "", None))
rows.append(("sgemm 1024^3 best GFLOP/s", f"{sgemm['elektron']:.1f}", f"{sgemm['pytorch']:.1f}",
             f"{sgemm['elektron'] / sgemm['pytorch']:.2f}x", "", None))
for w in WORKLOADS:
    rows.append((f"median step ms, {w}", f"{E[w]['median_ms']:.1f}", f"{P[w]['median_ms']:.1f}",
                 f"{E[w]['median_ms'] / P[w]['median_ms']:.2f}x", "", None))
    rows.append((f"kernel (sys) ms/step, {w}", f"{E[w]['sys_cpu_ms_per_step']:.0f}",
                 f"{P[w]['sys_cpu_ms_per_step']:.0f}", "", "", None))
    rows.append((f"cores busy, {w}", f"{cores[('elektron', w)]:.2f}", f"{cores[('pytorch', w)]:.2f}", "", "", None))

print()
print(f"{'':28} {'Elektron':>10} {'PyTorch':>10} {'E/P':>8}  {'target':<16}")
for label, e, p, r, t, ok in rows:
    verdict = "" if ok is None else ("met" if ok else "NOT met")
    print(f"{label:28} {e:>10} {p:>10} {r:>8}  {t:<16} {verdict}")
print(f"(medians over {rounds} round(s); MFU is each engine's model FLOP/s over the best 1024^3 sgemm it measured in"
      " the same process; machines shared with other jobs give noisy numbers: re-run on a quiet machine)")
with open(os.path.join(out, "comparison.json"), "w") as f:
    json.dump({"elektron": E, "pytorch": P, "sgemm_gflops": sgemm, "fgm_step_over_clean": fgm_cost,
               "rows": [dict(zip(("metric", "elektron", "pytorch", "ratio", "target", "met"), r)) for r in rows]},
              f, indent=2)
PYEOF
