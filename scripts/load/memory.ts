/**
 * The server's RSS during the load run, read every second. GC makes single
 * readings jump by ±10 % under load, so the memory check compares medians of
 * windows: the 10 s after the first 20 s against the last 10 s of the run.
 */
import { percentile } from './stats';

interface Sample {
  atMs: number;
  kb: number;
}

export interface RssWindow {
  fromSeconds: number;
  toSeconds: number;
  medianKb: number;
  samples: number;
}

export interface RssVerdict {
  baseline: RssWindow;
  final: RssWindow;
  maxKb: number;
  /** final / baseline - 1. */
  growth: number;
}

export class RssSampler {
  private readonly samples: Sample[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly started = performance.now();

  constructor(private readonly read: () => number | undefined, private readonly everyMs = 1_000) {}

  start(): void {
    this.timer = setInterval(() => this.sample(), this.everyMs);
    this.sample();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.sample();
  }

  /** The last reading in kB. */
  latest(): number | undefined {
    return this.samples[this.samples.length - 1]?.kb;
  }

  private sample(): void {
    const kb = this.read();
    if (kb !== undefined) this.samples.push({ atMs: performance.now() - this.started, kb });
  }

  private window(fromMs: number, toMs: number): RssWindow | undefined {
    const inside = this.samples.filter((sample) => sample.atMs >= fromMs && sample.atMs <= toMs).map((sample) => sample.kb);
    if (inside.length === 0) return undefined;
    return { fromSeconds: fromMs / 1000, toSeconds: toMs / 1000, medianKb: percentile([...inside].sort((a, b) => a - b), 50), samples: inside.length };
  }

  /** Baseline: `windowMs` from `baselineFromMs`; final: the last `windowMs` up to `endMs`. Undefined if RSS could not be read. */
  verdict(baselineFromMs: number, windowMs: number, endMs: number): RssVerdict | undefined {
    const baseline = this.window(baselineFromMs, baselineFromMs + windowMs);
    const final = this.window(endMs - windowMs, endMs + this.everyMs);
    if (!baseline || !final) return undefined;
    const after = this.samples.filter((sample) => sample.atMs >= baselineFromMs).map((sample) => sample.kb);
    return { baseline, final, maxKb: Math.max(...after), growth: final.medianKb / baseline.medianKb - 1 };
  }
}
