// Writes the table of every action and its scope into README.md, between the scopes-table markers,
// from the operation table in src/api/operations.ts.
//
//   npx tsx scripts/scopes-table.ts           rewrite the table in README.md
//   npx tsx scripts/scopes-table.ts --check   exit 1 when README.md's table is out of date
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { withScopesTable } from '../src/scopes/scopesTable';

const readmePath = join(__dirname, '..', 'README.md');
const check = process.argv.includes('--check');
const unknown = process.argv.slice(2).filter((argument) => argument !== '--check');
if (unknown.length > 0) {
  console.error(`Unknown argument: ${unknown.join(' ')}. Usage: tsx scripts/scopes-table.ts [--check]`);
  process.exit(2);
}

const readme = readFileSync(readmePath, 'utf8');
let updated: string;
try {
  updated = withScopesTable(readme);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}

if (check) {
  if (updated !== readme) {
    console.error('README.md: the scopes table is out of date. Run `npx tsx scripts/scopes-table.ts` to update it.');
    process.exit(1);
  }
  console.log('README.md: the scopes table matches the operation table.');
} else if (updated === readme) {
  console.log('README.md: the scopes table is up to date.');
} else {
  writeFileSync(readmePath, updated);
  console.log('README.md: wrote the scopes table.');
}
