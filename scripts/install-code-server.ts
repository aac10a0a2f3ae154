// Installs the test tools (Debian packages and code-server) ahead of a test run; the test scripts also do
// this on first use.
import { runMain } from './harness/cleanup';
import { ensureCodeServer } from './harness/codeServer';

runMain(async () => {
  const entry = await ensureCodeServer();
  console.log(`code-server ready: ${entry}`);
  return 0;
});
