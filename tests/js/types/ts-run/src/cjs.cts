// Compiled to CommonJS (module commonjs with esModuleInterop, node16, nodenext in a
// "type": "commonjs" folder): `import Klipy from` becomes `require(…).default` behind __esModule.
import Klipy, * as named from "klipy-sdk";
import required = require("klipy-sdk");
import { check } from "./shared.cjs";

declare const process: { env: Record<string, string | undefined> };
void check(`CommonJS output (${process.env.TS_LABEL})`, Klipy, named, required);
