import * as assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { runCommand, visibleOutputChannel } from './support/ui';
import { startWorkbench, withFailureScreenshot, type Workbench } from './support/workbench';

describe('workbench smoke', { timeout: 180_000 }, () => {
  let workbench: Workbench;

  before(async () => {
    workbench = await startWorkbench();
  });

  after(async () => {
    await workbench?.close();
  });

  test('show log opens DataStack output', async () => {
    await withFailureScreenshot(workbench, 'show-log', async () => {
      await runCommand(workbench.page, 'DataStack: Show Log');
      assert.equal(await visibleOutputChannel(workbench.page), 'DataStack');
    });
  });
});
