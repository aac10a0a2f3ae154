// Runs the host suites on desktop VS Code through @vscode/test-electron (downloads VS Code unless
// VSCODE_EXECUTABLE names a local build).
import { runTests } from '@vscode/test-electron';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startTestEmulator } from './emulator';
import { createRunFolders, readResults, report, suiteEnvironment, testSettings } from './hostRun';
import { PROJECT_ROOT } from './project';

/** Lowest VS Code version that `engines.vscode` in package.json allows. */
const VSCODE_VERSION = '1.100.3';

export async function runOnElectron(testsPath: string): Promise<number> {
  const emulator = await startTestEmulator();
  const folders = await createRunFolders('datastack-electron-');
  await mkdir(join(folders.userDataDir, 'User'), { recursive: true });
  await writeFile(join(folders.userDataDir, 'User', 'settings.json'), JSON.stringify(testSettings(emulator), null, 2));

  const executable = process.env.VSCODE_EXECUTABLE;
  let exitCode: number;
  try {
    exitCode = await runTests({
      ...(executable !== undefined && executable !== '' ? { vscodeExecutablePath: executable } : { version: VSCODE_VERSION }),
      extensionDevelopmentPath: PROJECT_ROOT,
      extensionTestsPath: testsPath,
      extensionTestsEnv: suiteEnvironment(emulator, folders.resultsFile, 'electron'),
      launchArgs: [
        folders.workspace,
        '--disable-extensions',
        '--disable-workspace-trust',
        // The last host suite searches the trace-level logs for secrets.
        '--log=trace',
        `--user-data-dir=${folders.userDataDir}`,
        `--extensions-dir=${folders.extensionsDir}`,
      ],
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    if (executable === undefined || executable === '') {
      console.error(
        `--electron: could not download or start VS Code ${VSCODE_VERSION} (${reason}).\n` +
          'This mode needs access to the VS Code download servers, or VSCODE_EXECUTABLE set to the path of a ' +
          'desktop VS Code binary. Without them use `npm run test:host`, which runs the same suites in code-server.',
      );
    } else {
      console.error(`--electron: VS Code at VSCODE_EXECUTABLE=${executable} failed to run the suites: ${reason}`);
    }
    exitCode = 1;
  }
  const code = report(readResults(folders.resultsFile), exitCode, 'host tests (electron)');
  if (code === 0) {
    await folders.remove();
  }
  return code;
}
