// Compiles misuse.mts (tsconfig.misuse.json) and checks that tsc reports exactly the error codes
// the file marks, on exactly those lines: a deliberate misuse must not type-check.
//
//   node check-misuse.mjs /path/to/tsc
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(new URL(".", import.meta.url));
const tsc = process.argv[2];
const expected = new Map();
readFileSync(`${here}/misuse.mts`, "utf8")
  .split("\n")
  .forEach((line, i) => {
    const m = /\/\/ (TS\d+)\s*$/.exec(line);
    if (m) expected.set(i + 1, m[1]);
  });
const run = spawnSync(tsc, ["-p", `${here}/tsconfig.misuse.json`, "--pretty", "false"], { encoding: "utf8" });
const got = new Map();
for (const line of run.stdout.split("\n")) {
  const m = /misuse\.mts\((\d+),\d+\): error (TS\d+):/.exec(line);
  if (m) got.set(Number(m[1]), [...(got.get(Number(m[1])) ?? []), m[2]]);
  else if (/error TS\d+/.test(line)) got.set(`elsewhere: ${line}`, ["unexpected"]);
}
let failures = 0;
for (const [line, code] of expected) {
  const codes = got.get(line) ?? [];
  if (codes.length === 1 && codes[0] === code) console.log(`ok: misuse.mts:${line} fails with ${code}`);
  else {
    failures += 1;
    console.log(`FAIL: misuse.mts:${line} should fail with ${code}, tsc said ${codes.join(", ") || "nothing"}`);
  }
}
for (const [line, codes] of got) {
  if (!expected.has(line)) {
    failures += 1;
    console.log(`FAIL: unexpected error at ${line}: ${codes.join(", ")}`);
  }
}
if (run.status === 0) {
  failures += 1;
  console.log("FAIL: tsc accepted misuse.mts");
}
console.log(`misuse: ${expected.size - Math.min(failures, expected.size)} of ${expected.size} misuses rejected as expected`);
process.exit(failures === 0 ? 0 : 1);
