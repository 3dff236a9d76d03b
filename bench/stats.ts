import { performance } from 'node:perf_hooks';

/** The value at percentile `p` (0-100) of ascending `sorted` values: nearest rank, no interpolation. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}

/** The median of the values (the mean of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** Wall time in milliseconds of one call. */
export function timeOnce(task: () => unknown): number {
  const start = performance.now();
  task();
  return performance.now() - start;
}

/** Wall times in milliseconds of `runs` calls, after one warm-up call. */
export function timeRuns(task: () => unknown, runs: number): number[] {
  task();
  return Array.from({ length: runs }, () => timeOnce(task));
}
