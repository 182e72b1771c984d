/** Download speed over a sliding window (a long average hides a stalled connection). */
export class RateMeter {
  private samples: { t: number; bytes: number }[] = [];

  constructor(
    private readonly windowMs = 4000,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Record the running byte count; returns bytes per second over the window. */
  add(bytes: number): number {
    const t = this.now();
    this.samples.push({ t, bytes });
    while (this.samples.length > 2 && t - this.samples[0].t > this.windowMs) this.samples.shift();
    const first = this.samples[0];
    const dt = (t - first.t) / 1000;
    return dt > 0.05 ? (bytes - first.bytes) / dt : 0;
  }
}
