// The "fleet at the limit" part of bench/RESULTS.md (issue 16): its target rows and its section.
import { fmt, fmtSpread } from "./stats.mjs";

const pct = (x, d = 1) => (Number.isFinite(x) ? `${fmt(x * 100, d)} %` : "–");
const pctSpread = (s, d = 1) => (s?.n > 1 ? `${pct(s.median, d)} (${pct(s.min, d)}–${pct(s.max, d)})` : pct(s?.median, d));
const label = (g) =>
  g.store === "local" ? "per-process pacing (today)" : `shared budget in Redis${g.warm ? ", processes warmed up" : ""}`;

export const FLEET_TARGETS = { fraction: 0.95, server429: 0.01, reserveP99Ms: 1 };

function table(header, rows) {
  const line = (cells) => `| ${cells.join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}

/**
 * Target rows: every Redis row against issue 16's targets (the median run's rate; the worst run
 * for 429s and stored inputs), and the reservation round trip.
 */
export function fleetTargets(f) {
  const rows = [];
  for (const g of f.groups.filter((x) => x.store === "redis")) {
    const fr = g.fractionOfLimit.median;
    const s429 = g.server429Fraction.max;
    const c429 = g.caller429.max;
    const lost = g.inputs - g.storedOnce.min;
    const ok = fr >= FLEET_TARGETS.fraction && s429 <= FLEET_TARGETS.server429 && c429 === 0 && lost === 0;
    const miss = [
      fr < FLEET_TARGETS.fraction ? `rate ${fmt((FLEET_TARGETS.fraction - fr) * 100, 1)} points short` : null,
      s429 > FLEET_TARGETS.server429 ? `429s sent ${fmt((s429 - FLEET_TARGETS.server429) * 100, 2)} points over` : null,
      c429 ? `${fmt(c429)} × 429 to callers` : null,
      lost ? `${fmt(lost)} inputs not stored once` : null,
    ].filter(Boolean);
    rows.push({
      key: `fleet-${g.key}`,
      target: `fleet of ${g.procs} processes on one key (Redis budget${g.warm ? ", processes warmed up" : ", cold processes"}): ≥ ${pct(FLEET_TARGETS.fraction, 0)} of the permitted rate, 429s sent ≤ ${pct(FLEET_TARGETS.server429, 0)}, 0 reaching callers, every input stored once`,
      measured: `${pct(fr)} of the limit (lowest ${pct(g.fractionOfLimit.min)}), ${pct(s429, 2)} 429s sent, ${fmt(c429)} reaching callers, ${fmt(lost)} inputs not stored once (worst of ${g.fractionOfLimit.n} runs)`,
      ok,
      miss: ok ? null : miss.join(", "),
    });
  }
  if (f.latency) {
    const w = f.latency.warm;
    const ok = w.p99Ms.median <= FLEET_TARGETS.reserveP99Ms;
    rows.push({
      key: "fleet-latency",
      target: `a reservation round trip to Redis on loopback ≤ ${FLEET_TARGETS.reserveP99Ms} ms p99`,
      measured: `p99 ${fmt(w.p99Ms.median, 3)} ms, p50 ${fmt(w.p50Ms.median, 3)} ms (${fmt(f.latency.calls)} sequential reserves in a quiet process after ${fmt(f.latency.warmup + f.latency.warmup2)} warm-up calls, median of ${f.latency.reps}; right after ${fmt(f.latency.warmup)}: p99 ${fmt(f.latency.young.p99Ms.median, 2)} ms)`,
      ok,
      miss: ok ? null : `${fmt(w.p99Ms.median - FLEET_TARGETS.reserveP99Ms, 3)} ms over`,
    });
  }
  return rows;
}

export function fleetSectionMd(f) {
  const out = [];
  const sizes = [...new Map(f.groups.map((g) => [g.procs, `${g.procs} × ${fmt(g.count)}`])).values()].join(", ");
  out.push(
    `N Node processes (\`bench/workers/fleet.mjs\`, one per process) each run \`upsertMany\` (default concurrency 4) on inputs of their own with **one shared API key**, against a mock limited to ${fmt(f.perWindow)} requests per ${f.windowSecs} s window for that key (\`--per-key-rpm ${f.perWindow} --window-secs ${f.windowSecs}\`; Klipy's 200/min scaled up 30 ×). Inputs per process: ${sizes} — about the same total work for every fleet size. The processes set up (imports, client, Redis connection), report ready, and all start 5 ms after the same whole second. "Per-process pacing" is today's default; "shared budget" adds \`rateLimit: { store: redisBudgetStore(client), keyLimit: ${f.perWindow}, windowMs: ${f.windowSecs * 1000} }\` with node-redis${f.versions?.nodeRedis ? ` ${f.versions.nodeRedis}` : ""} and a redis-server${f.versions?.redisServer ? ` ${f.versions.redisServer}` : ""} the bench starts on a free loopback port (\`--save '' --appendonly no\`)${f.storeTimeoutMs ? `, \`storeTimeoutMs: ${f.storeTimeoutMs}\`` : ", the default `storeTimeoutMs` (50 ms)"}. Processes start cold — their first calls compile the SDK's wasm and JavaScript, undici and node-redis — except in the "warmed up" row, where each first made ${fmt(f.warmup)} upserts through a client whose \`fetch\` answers at once and whose budget is another key's bucket, and 20 fetches of the mock's health route (nothing reaches the measured key). "Fraction of the limit" = succeeded upserts ÷ the fleet's wall time (first start to last end) ÷ the permitted rate; the budget's 2 % spacing margin (src/budget/gcra.rs) caps it near 98 %, while a fleet that fills every window ends early in the last one and can measure above 100 %. "429s sent" is the mock's request log; "reaching callers" are inputs that failed with a 429 after their retries; "stored once" is read back from the mock afterwards. ${f.reps} run${f.reps === 1 ? "" : "s"} per row, the rows interleaved; median (min–max). Tunables: BENCH_FLEET_GROUPS, BENCH_FLEET_COUNT, BENCH_FLEET_REPS, BENCH_FLEET_WARMUP, BENCH_FLEET_STORE_TIMEOUT_MS, BENCH_FLEET_TRACE (bench/run.mjs).\n`,
  );
  if (f.skipped) out.push(`The Redis rows were skipped: ${f.skipped}.\n`);
  if (f.runAt) {
    out.push(
      `This section was run on its own (\`${f.runAt.command}\`) on ${f.runAt.startedAt.replace("T", " ").slice(0, 19)} UTC in ${fmt(f.runAt.durationS)} s (load average ${f.runAt.loadavgStart.map((x) => x.toFixed(2)).join(" / ")} at its start: the machine is shared) and merged into results.json.\n`,
    );
  }
  out.push(
    table(
      ["processes", "budget", "fraction of the limit", "requests sent", "429s sent by the mock", "share of requests", "429s reaching callers", "failed (any)", "inputs stored once", "wall (ms)"],
      f.groups.map((g) => [
        `${fmt(g.procs)} × ${fmt(g.count)}`,
        label(g),
        `**${pctSpread(g.fractionOfLimit)}**`,
        fmtSpread(g.sent),
        fmtSpread(g.server429),
        `**${pctSpread(g.server429Fraction, 2)}**`,
        fmtSpread(g.caller429),
        fmtSpread(g.failed),
        `${fmtSpread(g.storedOnce)} / ${fmt(g.inputs)}`,
        fmtSpread(g.wallMs),
      ]),
    ),
  );
  out.push(
    `\n**What the processes saw**: the 1-minute load average at the start (other work on this machine counts too), the machine's CPU busy share during the run (/proc/stat, both cores), the worst process's event-loop delay p99 (\`monitorEventLoopDelay\`); for the Redis rows the p99 of a \`reserve\` step as the processes timed it (call → resumed continuation, what \`storeTimeoutMs\` races), the store steps slower than the timeout, the \`observe\` steps, and the processes whose client fell back to local pacing at least once:\n`,
  );
  out.push(
    table(
      ["processes", "budget", "load average", "CPU busy", "event-loop delay p99 (ms)", "reserve p99 (ms)", "store steps over the timeout", "observe steps", "processes that fell back"],
      f.groups.map((g) => {
        const redis = g.store === "redis";
        return [
          fmt(g.procs),
          label(g),
          fmtSpread(g.loadavg, 1),
          pctSpread(g.machineBusy, 0),
          fmtSpread(g.loopDelayP99Ms),
          redis ? fmtSpread(g.reserveP99Ms, 1) : "–",
          redis ? fmtSpread(g.overTimeout) : "–",
          redis ? fmtSpread(g.observes) : "–",
          redis ? `${fmtSpread(g.fellBack)} / ${fmt(g.procs)}` : "–",
        ];
      }),
    ),
  );
  if (f.latency) {
    const l = f.latency;
    const w = l.warm;
    const y = l.young;
    out.push(
      `\n**Reservation round trip** (\`bench/workers/reserve-latency.mjs\`, before the fleets, in a process of its own, ${l.reps} processes): ${fmt(l.calls)} sequential \`reserve\` calls of \`redisBudgetStore\` over node-redis (one \`EVALSHA\` each), each followed by a \`PING\` on the same connection as the floor of any round trip at that moment. After ${fmt(l.warmup + l.warmup2)} warm-up calls: reserve p50 ${fmtSpread(w.p50Ms, 3)} ms, **p99 ${fmtSpread(w.p99Ms, 3)} ms** (PING p99 ${fmtSpread(w.pingP99Ms, 3)} ms). Right after ${fmt(l.warmup)} warm-up calls, in a young process: reserve p99 ${fmtSpread(y.p99Ms, 2)} ms, PING p99 ${fmtSpread(y.pingP99Ms, 2)} ms — the tail of a young Node process, not of the script.`,
    );
  }
  return out.join("\n");
}
