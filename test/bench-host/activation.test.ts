// Measures one activation of the extension in a fresh extension host. `npm run bench` runs this suite
// once per workbench page, and each page gets its own extension host process.
//
// The activation time is VS Code's own definition (the "Activation" of Developer: Show Running
// Extensions): loading the extension's code plus the `activate()` call. The extension host of VS Code
// 1.100 marks the loading with `code/extHost/willLoadExtensionCode/<id>` and `didLoadExtensionCode/<id>`
// in `globalThis.MonacoPerformanceMarks`. `activate()` times itself and returns the figure in test mode.
//
// With DATASTACK_BENCH_PROFILE set to a folder, the suite also writes a CPU profile of the activation
// there (activation-<pid>.cpuprofile); the profiler adds overhead, so that run's time is not comparable.
//
// The first run signs in with a token after measuring, so the later runs activate with a saved profile
// and check that activation reads no secret: the profile's record is read on first need only.
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { ExtensionTestApi } from '../../src/extension';
import { EXTENSION_ID, emulatorUrl, extension } from '../host/support/env';
import { ScriptedPrompts } from '../host/support/sessionHarness';
import { recordFigures } from './output';

interface PerformanceMarks {
  getMarks(): { name: string; startTime: number }[];
}

/**
 * Returns the time between two marks of the extension host, in milliseconds. Its Node extension host
 * stores marks with `Date.now()`, so the result has a resolution of 1 ms.
 */
function markInterval(start: string, end: string): number {
  const marks = (globalThis as { MonacoPerformanceMarks?: PerformanceMarks }).MonacoPerformanceMarks?.getMarks() ?? [];
  const startMark = marks.find((mark) => mark.name === start);
  const endMark = marks.find((mark) => mark.name === end);
  if (startMark === undefined || endMark === undefined) {
    throw new Error(`the extension host recorded no performance marks ${start} and ${end}`);
  }
  return endMark.startTime - startMark.startTime;
}

function post<T>(session: Session, method: string): Promise<T> {
  return new Promise((resolve, reject) => {
    session.post(method, (error, result) => (error ? reject(error) : resolve(result as T)));
  });
}

suite('activation benchmark', () => {
  test('activate() in a fresh host', async () => {
    const loaded = extension();
    // Another activation event (a shown view, a command) would have loaded the bundle before the timer.
    assert.equal(loaded.isActive, false, 'the extension was already active before the benchmark activated it');
    const profileDir = process.env.DATASTACK_BENCH_PROFILE;
    const session = profileDir ? new Session() : undefined;
    if (session !== undefined) {
      session.connect();
      await post(session, 'Profiler.enable');
      await post(session, 'Profiler.start');
    }

    // Extension.activate() also creates the extension context and waits for its storage.
    const started = performance.now();
    const api = (await loaded.activate()) as ExtensionTestApi;
    const apiActivateMs = performance.now() - started;
    // Counted at once: soon after the authentication provider is registered, VS Code's Accounts menu
    // calls its getSessions, which reads every saved record (observed in code-server 4.100.3).
    const readsAtActivation = api.session.secretReads();

    if (session !== undefined && profileDir !== undefined) {
      const { profile } = await post<{ profile: unknown }>(session, 'Profiler.stop');
      writeFileSync(join(profileDir, `activation-${process.pid}.cpuprofile`), JSON.stringify(profile));
      session.disconnect();
    }
    assert.equal(loaded.isActive, true);
    assert.equal(typeof api.activateMs, 'number', 'activate() returned no activateMs: is the host in extension-test mode?');
    const codeLoadingMs = markInterval(
      `code/extHost/willLoadExtensionCode/${EXTENSION_ID}`,
      `code/extHost/didLoadExtensionCode/${EXTENSION_ID}`,
    );
    const savedProfiles = api.session.service.profiles.length;
    assert.equal(readsAtActivation, 0, `activation read SecretStorage with ${savedProfiles} saved profile(s)`);
    if (savedProfiles === 0) {
      await signInForNextRun(api);
    }

    recordFigures('activation', {
      activationMs: codeLoadingMs + api.activateMs,
      codeLoadingMs,
      activateMs: api.activateMs,
      apiActivateMs,
      extensionHostPid: process.pid,
      savedProfiles,
    });
  });
});

/** Signs in with a token, so that the next fresh host activates with a saved profile. */
async function signInForNextRun(api: ExtensionTestApi): Promise<void> {
  const prompts = new ScriptedPrompts();
  prompts.inputs.push(emulatorUrl());
  prompts.validatedInputs.push('dapi-demo-admin');
  api.prompts.current = prompts;
  const profile = await api.session.service.signInWithToken();
  assert.ok(profile !== undefined, 'the token sign-in for the next activation run returned no profile');
  // The workbench writes storage changes to the browser after a short delay, and the page closes soon after.
  await new Promise((resolve) => setTimeout(resolve, 1_000));
}
