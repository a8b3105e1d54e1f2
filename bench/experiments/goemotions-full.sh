#!/usr/bin/env bash
# The published answer (docs/results.md): none vs FGM vs the random control on all of GoEmotions with the pretrained
# MiniLM-L6 encoder, 3 seeds. Hours on 2 cores, and resumable: run this script again after any interruption and it
# continues where the experiment stopped (finished cells are kept; the unfinished one resumes from its last checkpoint,
# at most --save-steps steps back). Results: runs/goemotions-full/{report.md,results.json,*.png}.
#
# It runs its own copy of the CLI jar (runs/full/elektron.jar), so that rebuilding the project meanwhile cannot pull the
# jar out from under it; delete that copy to continue with a newer build (the experiment refuses to continue if the
# newer build would train differently, naming the setting).
set -euo pipefail
cd "$(dirname "$0")/../.."
D=${GOEMOTIONS:-../shared/data/goemotions/original}
MODEL=${MODEL:-../shared/models/minilm-l6-electra}   # the same weights as --model all-minilm-l6-v2
mkdir -p runs/full
if [ ! -f runs/full/elektron.jar ]; then
  [ -f cli/target/elektron.jar ] || ./mvnw -q -B -DskipTests -pl cli -am package
  cp cli/target/elektron.jar runs/full/elektron.jar
fi
exec nice -n 10 java --add-modules=jdk.incubator.vector -Xmx8g -XX:+UseSerialGC -Xmn32m -jar runs/full/elektron.jar \
  experiment adv --model "$MODEL" \
  --train "$D/train.tsv" --dev "$D/dev.tsv" --test "$D/test.tsv" \
  --methods none,fgm,random --seeds 3 --epochs 2 --batch-size 32 --lr 1e-4 --max-length 128 --pos-weight auto \
  --save-steps 200 --out runs/goemotions-full
