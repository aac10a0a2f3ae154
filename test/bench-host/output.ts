// Passes figures from the benchmark's host suites to `npm run bench` through a JSON-lines file.
import { appendFileSync } from 'node:fs';

/** Appends one JSON line to `$DATASTACK_BENCH_OUTPUT`; throws when the runner did not set it. */
export function recordFigures(kind: string, figures: Record<string, unknown>): void {
  const file = process.env.DATASTACK_BENCH_OUTPUT;
  if (file === undefined || file === '') {
    throw new Error('DATASTACK_BENCH_OUTPUT is not set: run the benchmark suites with `npm run bench`');
  }
  appendFileSync(file, `${JSON.stringify({ kind, ...figures })}\n`);
}
