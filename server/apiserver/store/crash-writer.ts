// Child process of crash.test.ts: writes without pause and prints each write once it is acknowledged.
// Usage: node --import tsx crash-writer.ts <db path> <round>
import { Store } from './store';

const [path, round] = process.argv.slice(2);
if (!path || !round) throw new Error('usage: crash-writer.ts <db path> <round>');

const store = Store.open({ path, compactIntervalMs: 0 });
const say = (line: string) => process.stdout.write(`${line}\n`);
say(`open ${store.revision}`);

// Eight writers: creates, deletes of earlier creates, and one shared counter updated in place.
await Promise.all(
  Array.from({ length: 8 }, async (_, w) => {
    for (let i = 0; ; i++) {
      const k = `/crash/r${round}/w${w}/${i}`;
      const created = await store.create(k, { metadata: { name: `w${w}-${i}` }, data: 'x'.repeat(200 + ((i * 37) % 800)) });
      say(`created ${k} ${created.revision}`);
      if (i % 5 === 4) {
        const victim = `/crash/r${round}/w${w}/${i - 2}`;
        // Announced first: if the kill lands after the commit but before the ack line, the key is rightly gone.
        say(`deleting ${victim}`);
        const deleted = await store.delete(victim);
        say(`deleted ${victim} ${deleted.revision}`);
      }
      if (w === 0) {
        const counted = await store.update<{ n: number }>('/crash/counter', (c) => ({ n: c.object.n + 1 })).catch(() =>
          store.create('/crash/counter', { n: 1 }),
        );
        say(`counter ${counted.object.n} ${counted.revision}`);
      }
    }
  }),
);
