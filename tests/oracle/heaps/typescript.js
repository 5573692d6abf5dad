// Case 7: a real program of tens of MB: the TypeScript compiler after
// ts.createProgram + type checking on a few files. argv[3] = the folder
// holding node_modules/typescript.
'use strict';
const v8 = require('v8');
const path = require('path');
const fs = require('fs');
const ts = require(path.join(process.argv[3], 'node_modules', 'typescript'));

const dir = fs.mkdtempSync(path.join(path.dirname(process.argv[2]), 'ts-src-'));
const files = [];
for (let f = 0; f < 5; f++) {
  const p = path.join(dir, `mod${f}.ts`);
  let src = `export interface Item${f} { id: number; name: string; tags: string[] }\n`;
  for (let i = 0; i < 200; i++) {
    src += `export class C${f}_${i}<T extends Item${f}> { private items: Map<number, T> = new Map();\n` +
      `  add(x: T): this { this.items.set(x.id, x); return this; }\n` +
      `  find(p: (t: T) => boolean): T | undefined { for (const v of this.items.values()) if (p(v)) return v; return undefined; } }\n`;
  }
  fs.writeFileSync(p, src);
  files.push(p);
}
const program = ts.createProgram(files, { target: ts.ScriptTarget.ES2022, lib: ['lib.es2022.d.ts'], types: [], strict: true, noEmit: true });
const diags = ts.getPreEmitDiagnostics(program);
globalThis.__keep = { program, checker: program.getTypeChecker() };
global.gc();
v8.writeHeapSnapshot(process.argv[2]);
console.log(JSON.stringify({ diagnostics: diags.length, sourceFiles: program.getSourceFiles().length }));
