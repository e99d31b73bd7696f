// Runs a bench worker in a fresh Node process with a time limit and returns its last stdout line
// parsed as JSON.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

export const BENCH_DIR = fileURLToPath(new URL("..", import.meta.url));

/**
 * `node [nodeArgs] script arg` in bench/; rejects on a non-zero exit, a missing JSON line or when
 * `timeLimitMs` passes (the child is killed then).
 */
export function runWorker(script, arg, { nodeArgs = [], timeLimitMs = 120_000, env } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, script, typeof arg === "string" ? arg : JSON.stringify(arg)], {
      cwd: BENCH_DIR,
      stdio: ["ignore", "pipe", "pipe"],
      env: env ?? process.env,
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${script} ran past ${timeLimitMs} ms and was killed\n${err.slice(-2000)}`));
    }, timeLimitMs);
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      if (code !== 0) {
        reject(new Error(`${script} exited with ${code ?? signal}\n${err.slice(-4000)}`));
        return;
      }
      const line = out.trim().split("\n").pop();
      try {
        resolve(JSON.parse(line));
      } catch {
        reject(new Error(`${script} printed no JSON line: ${out.slice(-500)}\n${err.slice(-2000)}`));
      }
    });
  });
}
