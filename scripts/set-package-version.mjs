// Usage: node scripts/set-package-version.mjs <package.json> <version>
// Writes the crate's version into the staged package.json (keeping its key order and layout).
import { readFileSync, writeFileSync } from "node:fs";

const [file, version] = process.argv.slice(2);
if (!file || !/^\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.-]+)?$/.test(version ?? "")) {
  console.error("usage: node scripts/set-package-version.mjs <package.json> <semver>");
  process.exit(2);
}
const pkg = JSON.parse(readFileSync(file, "utf8"));
pkg.version = version;
writeFileSync(file, `${JSON.stringify(pkg, null, 2)}\n`);
