// How long the things users wait for take, measured in the window itself and
// read by the desktop benchmark through WebDriver (scripts/bench-desktop.sh,
// docs/BENCHMARKS.md). A few numbers in memory; nothing leaves the PC.

interface Timing {
  name: string;
  ms: number;
}

const w = window as unknown as { __classbookTimings?: Timing[] };
const log: Timing[] = (w.__classbookTimings ??= []);
const starts = new Map<string, number>();

/** Remember when something the user started began (a click, a key). */
export function start(name: string): number {
  const now = performance.now();
  starts.set(name, now);
  return now;
}

/** Record `name` as the time since `from` (a `start` name or a `performance.now()` value). */
export function record(name: string, from: string | number) {
  const begun = typeof from === "number" ? from : starts.get(from);
  if (begun === undefined) return;
  log.push({ name, ms: performance.now() - begun });
  if (log.length > 2000) log.splice(0, log.length - 2000);
}

/** Resolves once what the DOM shows now has been painted (the frame after the next). */
export function painted(): Promise<void> {
  return new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
}
