#!/usr/bin/env bash
# Compiles the programs in src/ with each TypeScript module setting, then runs each output in
# Node against klipy-mock (started by ../../with-mock.mjs). Prints "ok: …" / "FAIL: …" lines.
#   bash run.sh TSC SCRATCH
set -uo pipefail
TSC=$1 SCRATCH=$2
cd "$(dirname "$0")"
rc=0
for cfg in cjs-commonjs cjs-node16 cjs-nodenext esm-node16 esm-nodenext; do
  rm -rf "out/$cfg" && mkdir -p "out/$cfg"
  if ! "$TSC" -p "tsconfig.$cfg.json" --pretty false; then
    echo "FAIL: tsc -p tsconfig.$cfg.json"; rc=1; continue
  fi
  echo "ok: tsc -p tsconfig.$cfg.json"
  main="out/$cfg/src/cjs.cjs"; [[ $cfg == esm-* ]] && main="out/$cfg/src/esm.mjs"
  (cd "$SCRATCH" && TS_LABEL=$cfg node with-mock.mjs klipy_api_runtimes_ts -- env KLIPY_API_KEY='{key}' KLIPY_BASE_URL='{url}' \
    node "$OLDPWD/$main") || rc=1
done
exit $rc
