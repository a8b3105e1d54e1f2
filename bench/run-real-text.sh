#!/usr/bin/env bash
# The benchmark of record: Elektron against its anchors on real GoEmotions text through the real MiniLM-L6 encoder,
# on the same machine in one run, engines interleaved round by round so a neighbour's load hits all alike.
#
#   bench/run-real-text.sh [--rounds N] [--epochs N] [--out DIR] [--only train,fgm,encode]
#
# Workloads (see io.elektron.bench.realtext.RealTextBench and bench/pytorch/real_text_bench.py):
#   train   fine-tuning on the first 2,000 GoEmotions train lines, batch 32 shuffled, max length 128, BCE, AdamW,
#           clip 1.0; Elektron's Trainer vs a PyTorch loop written the usual way (dynamic padding), on the identical
#           shuffled batches (Elektron dumps them, PyTorch reads them); one epoch per round
#   fgm     the same with FGM (matrix form, eps 1)
#   encode  mean-pooled embeddings of GoEmotions test (5,427 texts), batch 32: Elektron's FeatureExtractor (what
#           `elektron encode` runs) vs PyTorch in file order and sorted by length, and ONNX Runtime Java in both orders
# Prints real tokens/s per engine, the ratios, and writes every result (JSON) and a summary to DIR.
#
# Settings for every engine (ANCHORS.md): OMP_WAIT_POLICY=PASSIVE, 2 threads, OPENBLAS_CORETYPE=SkylakeX only where
# the CPU has avx512f. Needs: the build (./mvnw -q -B install -DskipTests), ../shared, /usr/bin/python3 with Debian's
# python3-torch and an optimized BLAS (apt-get install -y python3-torch libopenblas0-pthread).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
JAR="$ROOT/bench/target/benchmarks.jar"
PYTHON=${PYTHON:-/usr/bin/python3}
JAVA=${JAVA:-java}
JAVA_OPTS=${JAVA_OPTS:---add-modules=jdk.incubator.vector -XX:+UseSerialGC -Xmn32m}
ROUNDS=3
ONLY=train,fgm,encode
OUT="$ROOT/bench/target/real-text-$(date +%Y%m%d-%H%M%S)"
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) ROUNDS=$2; shift ;;
    --out) OUT=$2; shift ;;
    --only) ONLY=$2; shift ;;
    -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
    *) echo "unknown option $1 (try --help)" >&2; exit 2 ;;
  esac
  shift
done
[ -f "$JAR" ] || { echo "no $JAR: build first (./mvnw -q -B install -DskipTests)" >&2; exit 1; }
[ -d ../shared/models/minilm-l6-electra ] || { echo "needs ../shared/models/minilm-l6-electra and ../shared/data" >&2; exit 1; }
"$PYTHON" -c 'import torch' 2>/dev/null || { echo "PyTorch is missing: apt-get install -y python3-torch libopenblas0-pthread" >&2; exit 1; }

export OMP_WAIT_POLICY=PASSIVE
if grep -qw avx512f /proc/cpuinfo; then export OPENBLAS_CORETYPE=SkylakeX; else unset OPENBLAS_CORETYPE; fi
mkdir -p "$OUT"
ORT_CP=$(./mvnw -q -o -B dependency:build-classpath -pl bench -Dmdep.outputFile=/dev/stdout 2>/dev/null \
  | tr ':' '\n' | grep -E 'onnxruntime|langchain4j-embeddings-all-minilm' | paste -sd: || true)

elektron() { $JAVA $JAVA_OPTS -cp "$JAR" io.elektron.bench.realtext.RealTextBench "$@" 2>&1 | grep -v 'incubator modules'; }
# The machine's sgemm rate (OpenBLAS, 1024^3, 2 threads, best of 30), before and after: the fractions use the larger.
sgemm() { $JAVA -cp "$JAR" io.elektron.bench.SgemmRate 1024 2 2>/dev/null | sed -n 's/.*best \([0-9.]*\) GFLOP.*/\1/p'; }
sgemm > "$OUT/sgemm-before.txt"
# The identical batches for both engines: every epoch's shuffle (one epoch per round) and the test file in order.
elektron --mode dump --rounds "$ROUNDS" --dump "$OUT/batches.jsonl"

has() { [[ ",$ONLY," == *",$1,"* ]]; }
# Training: one run per engine and mode over ROUNDS epochs (one epoch per round: each epoch's rate is a round).
for mode in train fgm; do
  has $mode || continue
  elektron --mode $mode --rounds "$ROUNDS" --json "$OUT/elektron-$mode-1.json" --work-dir "$OUT/work"
  rm -rf "$OUT/work"
  "$PYTHON" bench/pytorch/real_text_bench.py --batches "$OUT/batches.jsonl" --mode $mode --warmup 3 \
    --json "$OUT/pytorch-$mode-1.json" | grep -v '^checkpoint'
done
for r in $(seq 1 "$ROUNDS"); do
  echo "== encode round $r of $ROUNDS"
  if has encode; then
    elektron --mode encode --rounds 1 --json "$OUT/elektron-encode-$r.json"
    for mode in encode encode-sorted; do
      "$PYTHON" bench/pytorch/real_text_bench.py --batches "$OUT/batches.jsonl" --mode $mode --warmup 3 \
        --json "$OUT/pytorch-$mode-$r.json" | grep -v '^checkpoint'
    done
    if [ -n "$ORT_CP" ]; then
      for order in file sorted; do
        $JAVA -XX:+UseSerialGC -cp "$JAR:$ORT_CP" io.elektron.bench.realtext.OrtEncodeAnchor --order $order \
          --json "$OUT/onnxruntime-encode-$order-$r.json"
      done
    else
      echo "ONNX Runtime jars not found in the local Maven repository: skipping that anchor" >&2
    fi
  fi
done

sgemm > "$OUT/sgemm-after.txt"

"$PYTHON" - "$OUT" <<'PY'
import glob, json, os, statistics, sys
out = sys.argv[1]
def rate(pattern):
    vals = []
    for f in sorted(glob.glob(os.path.join(out, pattern))):
        with open(f) as fh:
            d = json.load(fh)
        d = d[0] if isinstance(d, list) else d
        vals.append(d.get("real_tokens_per_s") or d.get("realTokensPerS"))
    return statistics.median(vals) if vals else None
rows = [
    ("train", rate("elektron-train-*.json"), [("PyTorch", rate("pytorch-train-*.json"))], 1.6),
    ("fgm", rate("elektron-fgm-*.json"), [("PyTorch", rate("pytorch-fgm-*.json"))], None),
    ("encode", rate("elektron-encode-*.json"), [("PyTorch file order", rate("pytorch-encode-[0-9]*.json")),
                                                ("PyTorch sorted", rate("pytorch-encode-sorted-*.json")),
                                                ("ONNX Runtime file order", rate("onnxruntime-encode-file-*.json")),
                                                ("ONNX Runtime sorted", rate("onnxruntime-encode-sorted-*.json"))], None),
]
lines = ["| workload | Elektron real tok/s | anchor | anchor real tok/s | ratio |", "|---|---|---|---|---|"]
for name, ours, anchors, _ in rows:
    for label, theirs in anchors:
        if ours and theirs:
            lines.append(f"| {name} | {ours:,.0f} | {label} | {theirs:,.0f} | {ours / theirs:.2f}x |")
def value(name):
    try:
        with open(os.path.join(out, name)) as fh:
            return float(fh.read().strip())
    except (OSError, ValueError):
        return None
peak = max([v for v in (value("sgemm-before.txt"), value("sgemm-after.txt")) if v] or [0])
if peak:
    lines.append(f"\nsgemm 1024^3, 2 threads (best of 30): {peak:.0f} GFLOP/s. Real-token FLOPs as a fraction of it:")
    for name in ("train", "fgm", "encode"):
        files = sorted(glob.glob(os.path.join(out, f"elektron-{name}-*.json")))
        if files:
            with open(files[0]) as fh:
                flops = json.load(fh).get("flopsPerRealToken")
            ours = rate(f"elektron-{name}-*.json")
            if flops and ours:
                lines.append(f"- {name}: {ours * flops / 1e9 / peak:.1%} ({flops / 1e6:.1f} MFLOP per real token)")
t, f = rate("elektron-train-*.json"), rate("elektron-fgm-*.json")
if t and f:
    lines.append(f"\nElektron FGM step / clean step (real tokens/s ratio): {t / f:.2f}")
text = "\n".join(lines)
print(text)
with open(os.path.join(out, "summary.md"), "w") as fh:
    fh.write(text + "\n")
PY
echo "results: $OUT"
