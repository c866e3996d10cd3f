// Which claims accept an upload right now: the DataVolume controller opens a
// claim once it is bound (phase UploadReady) and closes it when the upload is
// done or the DataVolume goes; the upload service looks tokens' claims up here.
import type { TargetLookup, UploadTarget, UploadTargets } from '@/server/upload/service';

interface Waiter {
  resolve(): void;
  reject(e: Error): void;
}

export class UploadTargetsRegistry implements UploadTargets {
  private readonly open_ = new Map<string, UploadTarget>();
  private readonly waiters = new Map<string, Waiter[]>();
  private readonly stops: (() => void | Promise<void>)[] = [];

  /** The claim accepts uploads, into `target`. */
  open(namespace: string, pvc: string, target: UploadTarget): void {
    this.open_.set(`${namespace}/${pvc}`, target);
  }

  /** No more uploads for this DataVolume. */
  close(uid: string): void {
    for (const [k, t] of this.open_) if (t.uid === uid) this.open_.delete(k);
  }

  lookup(namespace: string, pvc: string): TargetLookup {
    const t = this.open_.get(`${namespace}/${pvc}`);
    if (t) return t;
    return { status: 503, message: `PVC ${namespace}/${pvc} does not accept an upload now: its DataVolume must have an upload source and be UploadReady (wait for it, or check its events)` };
  }

  /** Resolves when the conversion of an upload ends (a synchronous CDI upload waits for it). */
  whenDone(uid: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const list = this.waiters.get(uid) ?? [];
      list.push({ resolve, reject });
      this.waiters.set(uid, list);
    });
  }

  /** The upload's conversion ended (error: it failed). */
  finished(uid: string, error: Error | undefined): void {
    this.close(uid);
    const list = this.waiters.get(uid) ?? [];
    this.waiters.delete(uid);
    for (const w of list) {
      if (error) w.reject(error);
      else w.resolve();
    }
  }

  /** Runs `fn` when Kura stops (the transfers of the DataVolume controller); stop() waits for what it returns. */
  onStop(fn: () => void | Promise<void>): void {
    this.stops.push(fn);
  }

  async stop(): Promise<void> {
    const stopping = this.stops.map((fn) => fn());
    for (const uid of [...this.waiters.keys()]) this.finished(uid, new Error('Kura is stopping'));
    await Promise.allSettled(stopping);
  }
}
