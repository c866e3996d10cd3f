import { describe, expect, it } from 'vitest';
import { WorkQueue } from './workqueue';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('WorkQueue', () => {
  it('processes each key once however often it is added while waiting', async () => {
    const seen: string[] = [];
    const q = new WorkQueue(async (k) => void seen.push(k));
    q.add('a');
    q.add('a');
    q.add('b');
    await q.idle();
    expect(seen.sort()).toEqual(['a', 'b']);
  });

  it('never runs one key twice at once, and reruns a key added during its run', async () => {
    let running = 0;
    let maxRunning = 0;
    let runs = 0;
    const q = new WorkQueue(async () => {
      running++;
      runs++;
      maxRunning = Math.max(maxRunning, running);
      await sleep(20);
      running--;
    });
    q.add('k');
    await sleep(5);
    q.add('k');
    q.add('k');
    await sleep(60);
    await q.idle();
    expect(maxRunning).toBe(1);
    expect(runs).toBe(2);
  });

  it('retries failures with growing delays until they succeed', async () => {
    const times: number[] = [];
    const q = new WorkQueue(
      async () => {
        times.push(Date.now());
        if (times.length < 3) throw new Error('not yet');
      },
      { baseDelayMs: 20 },
    );
    q.add('x');
    await sleep(200);
    expect(times).toHaveLength(3);
    expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(times[1]! - times[0]!);
  });

  it('requeues after the delay a reconcile asks for', async () => {
    let runs = 0;
    const q = new WorkQueue(async () => {
      runs++;
      return runs < 2 ? { requeueAfterMs: 30 } : undefined;
    });
    q.add('p');
    await sleep(100);
    expect(runs).toBe(2);
    q.stop();
  });
});
