import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { describe, test } from 'node:test';

import { parseCommandLine, UsageError } from '../emulator/cli';

const CLI = join(__dirname, '..', 'emulator', 'cli.ts');

describe('emulator command line', () => {
  test('parses every flag', () => {
    const options = parseCommandLine([
      '--port', '8787', '--host', '127.0.0.1', '--host', '127.0.0.2', '--delay-ms', '50',
      '--token-lifetime', '60', '--latency-ms', '5', '--auto-approve',
    ]);
    assert.deepEqual(options, {
      port: 8787,
      hosts: ['127.0.0.1', '127.0.0.2'],
      lifecycleDelayMs: 50,
      accessTokenLifetimeSeconds: 60,
      latencyMs: 5,
      autoApprove: true,
    });
  });

  for (const args of [['--port', 'abc'], ['--port', '70000'], ['--delay-ms', '-1'], ['--colour'], ['stray']]) {
    test(`rejects ${args.join(' ')}`, () => {
      assert.throws(() => parseCommandLine(args), UsageError);
    });
  }

  test('prints one line and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.setEncoding('utf8');
    const line = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: string) => {
        output += chunk;
        if (output.includes('\n')) {
          resolve(output);
        }
      });
      child.once('exit', (code) => reject(new Error(`exited with ${code} before printing`)));
    });
    assert.match(line, /^DataStack emulator listening on http:\/\/127\.0\.0\.1:\d+\n$/);
    const url = line.trim().split(' ').pop() as string;
    const response = await fetch(new URL('/v1/users/me', url), { headers: { authorization: 'Bearer dapi-demo-expired' } });
    assert.equal(response.status, 401);
    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];
    assert.equal(code, 0);
    assert.equal(output, line);
  });

  test('exits with 2 on an invalid flag', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, '--port', 'x'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => (stderr += chunk));
    const [code] = (await once(child, 'exit')) as [number | null];
    assert.equal(code, 2);
    assert.match(stderr, /Invalid --port "x"/);
  });
});
