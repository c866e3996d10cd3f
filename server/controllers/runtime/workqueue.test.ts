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

  it('stop waits for the reconciles under way, takes no more, and gives up waiting after its timeout', async () => {
    const finished: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const q = new WorkQueue(async (k) => {
      if (k === 'slow') await gate;
      else await sleep(30);
      finished.push(k);
    });
    q.add('quick');
    await sleep(5);
    await q.stop();
    expect(finished).toEqual(['quick']);
    q.add('late');
    await sleep(20);
    expect(finished).toEqual(['quick']);

    const q2 = new WorkQueue(async (k) => {
      await gate;
      finished.push(k);
    });
    q2.add('slow');
    await sleep(5);
    let stopped = false;
    const stopping = q2.stop(500).then(() => (stopped = true));
    await sleep(10);
    expect(stopped).toBe(false);
    await stopping;
    expect(finished).toEqual(['quick']);
    release();
    await sleep(5);
    expect(finished).toEqual(['quick', 'slow']);
  });
});
