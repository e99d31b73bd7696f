// Compiled to ESM (node16 / nodenext): default and named imports, and `require` through
// createRequire (the CommonJS copy in the same process).
import Klipy, * as named from "klipy-sdk";
import { createRequire } from "node:module";
import { check } from "./shared.cjs";

declare const process: { env: Record<string, string | undefined> };
const required = createRequire(import.meta.url)("klipy-sdk") as typeof named;
await check(`ESM output (${process.env.TS_LABEL})`, Klipy, named, required);
