// Facts about the machine a benchmark ran on, for the benchmark page.
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { codeServerDir } from '../harness/codeServer';

export interface MachineFacts {
  /** Processors available to this process (what `nproc` prints). */
  readonly processors: number;
  readonly cpuModel: string;
  readonly memoryBytes: number;
  readonly nodeVersion: string;
  readonly vscodeVersion: string;
  readonly codeServerVersion: string;
  /** The 1-minute load average when the benchmark started and ended. */
  readonly loadAtStart: number;
  loadAtEnd: number;
}

function cpuModel(): string {
  const match = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
  return match?.[1]?.trim() ?? cpus()[0]?.model ?? 'unknown';
}

function packageVersion(file: string): string {
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { version?: string }).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** Reads the facts; call it before the first measurement, and set `loadAtEnd` after the last. */
export function machineFacts(): MachineFacts {
  const codeServer = join(codeServerDir(), 'node_modules', 'code-server');
  return {
    processors: availableParallelism(),
    cpuModel: cpuModel(),
    memoryBytes: totalmem(),
    nodeVersion: process.version,
    vscodeVersion: packageVersion(join(codeServer, 'lib', 'vscode', 'package.json')),
    codeServerVersion: packageVersion(join(codeServer, 'package.json')),
    loadAtStart: loadavg()[0] ?? 0,
    loadAtEnd: 0,
  };
}

/** Returns the current 1-minute load average. */
export function currentLoad(): number {
  return loadavg()[0] ?? 0;
}
