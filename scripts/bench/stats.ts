// Statistics of the benchmark: medians and the number of sequential round trips in a request log.
// No imports: the host suites under test/bench-host bundle this file too.

/** Returns the median of `values` (the mean of the two middle values for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) {
    throw new RangeError('median of an empty list');
  }
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/**
 * Returns the number of sequential round trips among requests that arrived at `arrivalsMs` (epoch
 * milliseconds), when the server holds every response for `latencyMs` first.
 *
 * A request can depend on an earlier one only if it arrived at least `latencyMs` later, because the
 * earlier response took that long. So the count is the longest chain of arrivals in which each is at
 * least `latencyMs` after the one before; requests sent in parallel share one step of the chain.
 * The emulator logs arrival times in whole milliseconds, so a gap of `latencyMs - 1` also counts.
 */
export function sequentialRoundTrips(arrivalsMs: readonly number[], latencyMs: number): number {
  const sorted = [...arrivalsMs].sort((a, b) => a - b);
  // longest[i]: the longest chain that ends with request i.
  const longest: number[] = [];
  for (let i = 0; i < sorted.length; i++) {
    let best = 1;
    for (let j = 0; j < i; j++) {
      if ((sorted[i] as number) - (sorted[j] as number) >= latencyMs - 1) {
        best = Math.max(best, (longest[j] as number) + 1);
      }
    }
    longest.push(best);
  }
  return longest.length === 0 ? 0 : Math.max(...longest);
}
