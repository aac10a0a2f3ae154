// `npm run screenshots`: starts the emulator, code-server and Chromium, and saves PNGs of the real
// workbench to media/screenshots/ for the README.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runMain } from './harness/cleanup';
import { PROJECT_ROOT } from './harness/project';
import { openViewContainer, takeScreenshot } from '../test/e2e/support/ui';
import { startWorkbench } from '../test/e2e/support/workbench';

const OUTPUT_DIR = join(PROJECT_ROOT, 'media', 'screenshots');

interface Manifest {
  contributes?: { viewsContainers?: { activitybar?: { id: string; title: string }[] } };
}

/** Returns the English title of the extension's first activity bar container, or undefined when it has none. */
function activityBarTitle(): string | undefined {
  const manifest = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as Manifest;
  const container = manifest.contributes?.viewsContainers?.activitybar?.[0];
  if (container === undefined) {
    return undefined;
  }
  const key = /^%(.+)%$/.exec(container.title)?.[1];
  if (key === undefined) {
    return container.title;
  }
  const strings = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.nls.json'), 'utf8')) as Record<string, string>;
  return strings[key] ?? container.title;
}

runMain(async () => {
  const workbench = await startWorkbench();
  const page = workbench.page;
  const title = activityBarTitle();
  if (title === undefined) {
    console.log('package.json contributes no activity bar container yet: saving the plain workbench');
  } else {
    await openViewContainer(page, title);
  }
  // Lets the views finish their first render (tree rows appear after the extension receives the API responses).
  await page.waitForTimeout(2000);
  const saved = await takeScreenshot(page, OUTPUT_DIR, 'workbench');
  console.log(`saved ${saved}`);
  await workbench.close();
  return 0;
});
