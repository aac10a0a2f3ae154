// `npm run package:check`: packages the extension (or takes the VSIX given as the argument), lists the
// VSIX's contents and its size, and exits with 1 when it contains sources, tests, source maps,
// node_modules or any file outside the allowed list, misses a required file, or exceeds 1 MiB.
import { relative } from 'node:path';
import { runMain } from './harness/cleanup';
import { PROJECT_ROOT } from './harness/project';
import { MAX_VSIX_BYTES, checkVsix, packageExtension } from './harness/vsix';

runMain(async () => {
  const given = process.argv[2];
  const vsix = given ?? packageExtension();
  const { entries, sizeBytes, problems } = checkVsix(vsix);

  console.log(`${relative(PROJECT_ROOT, vsix) || vsix}: ${entries.length} entries, ${sizeBytes} bytes (limit ${MAX_VSIX_BYTES})`);
  for (const entry of entries) {
    console.log(`  ${entry}`);
  }
  if (problems.length > 0) {
    console.error(`the VSIX has ${problems.length} problem(s):`);
    for (const problem of problems) {
      console.error(`  ${problem}`);
    }
    return 1;
  }
  console.log('VSIX contents are fine');
  return 0;
});
