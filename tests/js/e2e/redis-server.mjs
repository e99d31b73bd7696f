// Starts Debian's redis-server on a free 127.0.0.1 port for a test or benchmark, with no
// persistence (`--save '' --appendonly no`), and stops it by its PID. Tests of the Redis budget
// store use the real server: in-process fakes prove nothing about Lua atomicity.
import { spawn, execFileSync } from "node:child_process";
import { once } from "node:events";
import net from "node:net";

export function redisServerAvailable() {
  try {
    execFileSync("redis-server", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

async function freePort() {
  const srv = net.createServer();
  srv.listen(0, "127.0.0.1");
  await once(srv, "listening");
  const { port } = srv.address();
  srv.close();
  await once(srv, "close");
  return port;
}

async function waitForPort(port, child, timeLimitMs = 5000) {
  const stopAt = Date.now() + timeLimitMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}`);
    const ok = await new Promise((resolve) => {
      const s = net.connect(port, "127.0.0.1", () => {
        s.destroy();
        resolve(true);
      });
      s.on("error", () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > stopAt) throw new Error(`redis-server did not listen on ${port} within ${timeLimitMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Starts redis-server; `start()` again after `stop()` reuses the same port (a restart). */
export async function startRedis({ port } = {}) {
  port ??= await freePort();
  let child = null;
  const server = {
    port,
    url: `redis://127.0.0.1:${port}`,
    async start() {
      child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], {
        stdio: ["ignore", "ignore", "inherit"],
      });
      await waitForPort(port, child);
    },
    /** SIGKILL: the abrupt death of a store mid-run. */
    async kill() {
      if (child && child.exitCode === null) {
        child.kill("SIGKILL");
        await once(child, "exit");
      }
    },
    async stop() {
      if (child && child.exitCode === null) {
        child.kill("SIGTERM");
        await once(child, "exit");
      }
    },
  };
  await server.start();
  return server;
}
