// A hostile HTTP server written byte by byte on node:net, for the hostile suite: each test says
// what to write for every request, and the server counts the requests it saw. Loopback only.
import { createServer } from "node:net";
import { once } from "node:events";

/**
 * Starts a server on 127.0.0.1. `answer(req, socket)` writes the reply (raw bytes) for each
 * request `{ method, path, headers, body }`; it may return a promise. Returns `{ baseUrl, origin,
 * requests, closed, stop() }`: `requests` lists what was received, `closed` counts connections
 * the client closed before the server was done writing.
 */
export async function rawServer(answer) {
  const requests = [];
  const sockets = new Set();
  const state = { closed: 0 };
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => {});
    let buffer = Buffer.alloc(0);
    socket.on("data", async (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        const end = buffer.indexOf("\r\n\r\n");
        if (end < 0) return;
        const lines = buffer.subarray(0, end).toString("latin1").split("\r\n");
        const [method, path] = lines[0].split(" ");
        const headers = {};
        for (const line of lines.slice(1)) {
          const i = line.indexOf(":");
          headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
        }
        const length = Number(headers["content-length"] ?? 0);
        if (buffer.length < end + 4 + length) return;
        const body = buffer.subarray(end + 4, end + 4 + length).toString("utf8");
        buffer = buffer.subarray(end + 4 + length);
        const req = { method, path, headers, body };
        requests.push(req);
        try {
          await answer(req, socket);
        } catch {
          state.closed += 1; // the client went away mid-answer
        }
      }
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const origin = `http://127.0.0.1:${server.address().port}`;
  return {
    origin,
    baseUrl: `${origin}/api/v1`,
    requests,
    get closed() {
      return state.closed;
    },
    async stop() {
      for (const s of sockets) s.destroy();
      server.close();
      await once(server, "close");
    },
  };
}

/** An HTTP/1.1 response's bytes: status line, headers (an array of [name, value]), body. */
export function reply(status, headers = [], body = "") {
  const bytes = typeof body === "string" ? Buffer.from(body) : body;
  const head = [`HTTP/1.1 ${status} X`, ...headers.map(([k, v]) => `${k}: ${v}`)];
  if (!headers.some(([k]) => /^(content-length|transfer-encoding)$/i.test(k))) head.push(`content-length: ${bytes.length}`);
  return Buffer.concat([Buffer.from(head.join("\r\n") + "\r\n\r\n", "latin1"), bytes]);
}

/** A JSON response. */
export function json(status, value, headers = []) {
  return reply(status, [["content-type", "application/json"], ...headers], JSON.stringify(value));
}

/** Writes `total` bytes of chunked body in 64 KiB chunks (Infinity: until the client leaves). */
export async function writeChunked(socket, total, headers = []) {
  socket.write(reply(200, [["content-type", "application/json"], ["transfer-encoding", "chunked"], ...headers], ""));
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  chunk[0] = 0x5b; // "[" first, so it is not JSON either way
  let sent = 0;
  while (sent < total) {
    if (socket.destroyed) throw new Error("client closed");
    const size = Math.min(chunk.length, total - sent);
    const ok = socket.write(Buffer.concat([Buffer.from(`${size.toString(16)}\r\n`), chunk.subarray(0, size), Buffer.from("\r\n")]));
    sent += size;
    if (!ok) await Promise.race([once(socket, "drain"), once(socket, "close")]);
  }
  socket.write("0\r\n\r\n");
}
