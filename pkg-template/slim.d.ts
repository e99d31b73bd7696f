// Type declarations for `klipy-sdk/slim`: everything the main entry has, but `init` must be
// given the WebAssembly module (import it from `klipy-sdk/klipy_sdk_bg.wasm` in your pipeline).
export * from "./index.js";
export { default } from "./index.js";
import type { InitOptions } from "./index.js";

/**
 * Loads the SDK's WebAssembly module from a compiled `WebAssembly.Module`, its bytes or a URL.
 * Call it (and await it) before the first request. Memoised; a failed init can be called again.
 */
export declare function init(options: InitOptions): Promise<void>;
