// The one Node built-in the ESM program uses (no @types/node in this repo).
declare module "node:module" {
  export function createRequire(url: string | URL): (id: string) => unknown;
}
