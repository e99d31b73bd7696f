// The one engine of the ESM glue. Every ESM entry (node.mjs, deno.mjs, workerd.mjs, web.mjs,
// slim.mjs) shares it, so whichever entry loads the wasm first loads it for all of them.
import * as glue from "../wasm/klipy_sdk.mjs";
import { createEngine } from "./engine.mjs";

export const engine = createEngine(glue);
