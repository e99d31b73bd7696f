// The two Redis clients the budget store takes, behind one small face for the tests (and the
// fleet children): how to connect one to a test redis-server, whether it is ready, a raw command,
// and how to close it. The store itself is always given the client as a user would give it.
import { createClient } from "redis";
import { Redis } from "ioredis";

export const CLIENTS = {
  "node-redis": {
    /** A connected node-redis client that retries every 20 ms after a drop. */
    async connect(url) {
      const client = createClient({ url, socket: { reconnectStrategy: () => 20 } });
      client.on("error", () => {}); // reconnects are expected in the fault tests
      await client.connect();
      return client;
    },
    ready: (client) => client.isReady,
    command: (client, args) => client.sendCommand(args),
    quit: (client) => client.quit(),
  },
  ioredis: {
    /** A connected ioredis client that retries every 20 ms after a drop; `options` as ioredis takes them. */
    async connect(url, options = {}) {
      const client = new Redis(url, { retryStrategy: () => 20, lazyConnect: true, ...options });
      client.on("error", () => {});
      if (!options.lazyConnect) await client.connect();
      return client;
    },
    ready: (client) => client.status === "ready",
    command: (client, args) => client.call(...args),
    quit: (client) => client.quit(),
  },
};
