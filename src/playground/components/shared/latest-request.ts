/**
 * "Latest request wins" for elements that recompute on every edit: requests run one at a time, in
 * order (the GPU work of two never overlaps), a request still waiting when a newer one arrives is
 * dropped, and a running one learns that it is stale (`current()` turns false) so that it neither
 * shows its result nor its error. The host's `busy` is true from a request until the latest settles.
 */
import type { ReactiveControllerHost } from 'lit';

export type BusyHost = ReactiveControllerHost & { busy: boolean };

/** Is this request still the latest? Check it after every await before touching the element. */
export type IsCurrent = () => boolean;

export class LatestRequest {
  private generation = 0;
  private queue: Promise<unknown> = Promise.resolve();

  /** `fail` shows an error of the latest request (a stale request's error is dropped). */
  constructor(
    private readonly host: BusyHost,
    private readonly fail: (e: unknown) => void,
  ) {}

  /** Queues `work`; it starts after the requests before it, and not at all if a newer one comes first. */
  run(work: (current: IsCurrent) => Promise<void>): void {
    const gen = ++this.generation;
    const current: IsCurrent = () => gen === this.generation;
    this.host.busy = true;
    this.queue = this.queue.then(async () => {
      if (!current()) return;
      try {
        await work(current);
      } catch (e) {
        if (current()) this.fail(e);
      } finally {
        if (current()) this.host.busy = false;
      }
    });
  }

  /** Makes every queued or running request stale without a new one (e.g. the inputs are incomplete). */
  cancel(): void {
    this.generation++;
    this.host.busy = false;
  }

  /** Resolves once the latest request has settled (and the element has rendered it). */
  async settled(): Promise<void> {
    await this.host.updateComplete;
    for (let q = this.queue; ; q = this.queue) {
      await q;
      if (q === this.queue) break;
    }
    await this.host.updateComplete;
  }
}
