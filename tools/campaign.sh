#!/bin/sh
# Long refinement campaign: tools/campaign.sh [SECONDS] [SEED] [DEPTH] [CAMPAIGN OPTIONS...]
# Builds the host refinement campaign in build/campaign and runs seeded random lockstep
# sequences (plus an exhaustive run to DEPTH if given) until SECONDS have passed. Further
# options go to keel_refinement_campaign (--mix conversations, --fastpath off, --state-check N).
set -eu
SECONDS_TO_RUN=${1:-3600}
SEED=${2:-$(date +%s)}
DEPTH=${3:-0}
shift $(($# < 3 ? $# : 3))
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${KEEL_CAMPAIGN_BUILD:-$ROOT/build/campaign}
if [ ! -f "$BUILD/CMakeCache.txt" ]; then
  cmake -S "$ROOT" -B "$BUILD" -G Ninja -DKEEL_PLATFORM=host -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
fi
cmake --build "$BUILD" -j2 --target keel_refinement_campaign
echo "campaign: ${SECONDS_TO_RUN} s from seed ${SEED}, exhaustive depth ${DEPTH}"
exec "$BUILD/tests/diff/keel_refinement_campaign" --seconds "$SECONDS_TO_RUN" --seed "$SEED" --depth "$DEPTH" "$@"
