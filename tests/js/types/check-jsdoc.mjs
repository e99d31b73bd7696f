// Every public declaration of the shipped index.d.ts has JSDoc: each exported class, interface,
// type, function and constant, and each of their members (methods, properties, constructor,
// options, error fields). First proves it catches an undocumented member (jsdoc-fixture.d.ts,
// whose undocumented names it must report exactly), then checks the real file.
//
//   node check-jsdoc.mjs TYPESCRIPT_DIR INDEX_D_TS
// Prints "ok: …" / "FAIL: …" lines; exits 1 on a failure.
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const [tsDir, indexFile] = process.argv.slice(2);
const ts = createRequire(import.meta.url)(tsDir);

/** Names of public declarations (and members) without a JSDoc comment. */
function undocumented(file) {
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
  const missing = [];
  const hasDoc = (node) => (node.jsDoc ?? []).some((d) => (typeof d.comment === "string" ? d.comment : (d.comment ?? []).map((c) => c.text).join("")).trim() !== "" || (d.tags ?? []).length > 0);
  const nameOf = (node) => (node.name ? node.name.getText(source) : ts.isConstructorDeclaration(node) || ts.isConstructSignatureDeclaration(node) ? "constructor" : ts.isCallSignatureDeclaration(node) ? "(call)" : "?");
  const isPrivate = (node) => (node.modifiers ?? []).some((m) => m.kind === ts.SyntaxKind.PrivateKeyword) || (node.name && ts.isPrivateIdentifier(node.name)) || (node.jsDoc ?? []).some((d) => (d.tags ?? []).some((t) => t.tagName.text === "internal"));
  const members = (owner, list) => {
    for (const m of list) {
      if (isPrivate(m) || ts.isIndexSignatureDeclaration(m)) continue;
      if (!hasDoc(m)) missing.push(`${owner}.${nameOf(m)}`);
    }
  };
  for (const stmt of source.statements) {
    const exported = (stmt.modifiers ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    if (!exported) continue;
    if (ts.isVariableStatement(stmt)) {
      for (const d of stmt.declarationList.declarations) if (!hasDoc(stmt)) missing.push(d.name.getText(source));
      continue;
    }
    const name = nameOf(stmt);
    if (!hasDoc(stmt)) missing.push(name);
    if (ts.isClassDeclaration(stmt) || ts.isInterfaceDeclaration(stmt)) members(name, stmt.members);
    if (ts.isTypeAliasDeclaration(stmt) && ts.isTypeLiteralNode(stmt.type)) members(name, stmt.type.members);
  }
  return missing;
}

let failed = false;
const fixture = fileURLToPath(new URL("./jsdoc-fixture.d.ts", import.meta.url));
const caught = undocumented(fixture).sort().join(", ");
const expected = "Undocumented, Widget.color, Widget.spin, WidgetOptions.size";
if (caught === expected) console.log(`ok: the JSDoc check catches undocumented members (${caught})`);
else {
  console.log(`FAIL: the JSDoc check reported [${caught}] on the fixture, expected [${expected}]`);
  failed = true;
}
const missing = undocumented(indexFile);
if (missing.length === 0) console.log("ok: every public declaration and member of index.d.ts has JSDoc");
else {
  console.log(`FAIL: index.d.ts has ${missing.length} undocumented public declarations or members:\n  ${missing.join("\n  ")}`);
  failed = true;
}
process.exit(failed ? 1 : 0);
