// Runs one command with klipy-mock up on a free loopback port, for runtimes whose test runner
// cannot (or, in Deno's case, must not need permission to) start it themselves:
//
//   node with-mock.mjs KEY -- COMMAND [ARG…]
//
// `{url}` and `{key}` in the arguments are replaced by the mock's base URL and KEY; the command
// also gets KLIPY_MOCK_URL and KLIPY_MOCK_KEY in its environment. Exits with the command's code.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { startMock } from "./mock.mjs";

const args = process.argv.slice(2);
const sep = args.indexOf("--");
if (sep !== 1 || args.length < 3) {
  console.error("usage: node with-mock.mjs KEY -- COMMAND [ARG…]");
  process.exit(2);
}
const key = args[0];
const mock = await startMock(["--key", key, "--per-key-rpm", "100000", "--per-org-rpm", "100000"]);
let code = 1;
try {
  const [cmd, ...rest] = args.slice(2).map((a) => a.replaceAll("{url}", mock.baseUrl).replaceAll("{key}", key));
  const child = spawn(cmd, rest, {
    stdio: "inherit",
    env: { ...process.env, KLIPY_MOCK_URL: mock.baseUrl, KLIPY_MOCK_KEY: key },
  });
  const [exitCode, signal] = await once(child, "exit");
  code = exitCode ?? (signal ? 1 : 0);
} finally {
  await mock.stop();
}
process.exit(code);
