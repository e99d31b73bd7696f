// Replaced by scripts/package.sh with the crate's version; the engine checks that the .wasm
// reports the same one.
export const VERSION = "0.0.0-unbuilt";
