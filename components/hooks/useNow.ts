'use client';
// A clock for ages ("45s ago"), so they stay true without a reload. It ticks every `intervalMs`,
// and also whenever data arrives from the server: new data (an event that just happened, an
// object just created) measured against the last tick would lie in the future, which reads as
// "<invalid>", the way kubectl writes a negative age.
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';

/** Data arriving sooner than this after the last reading of the clock does not read it again. */
const FRESH_MS = 500;

export function useNow(intervalMs = 10_000): number {
  const [now, setNow] = useState(() => Date.now());
  const client = useQueryClient();
  useEffect(() => {
    let last = Date.now();
    const read = (always: boolean) => {
      const t = Date.now();
      if (!always && t - last < FRESH_MS) return;
      last = t;
      setNow(t);
    };
    const id = setInterval(() => read(true), intervalMs);
    const unsubscribe = client.getQueryCache().subscribe((e) => {
      if (e.type === 'updated') read(false);
    });
    return () => {
      clearInterval(id);
      unsubscribe();
    };
  }, [intervalMs, client]);
  return now;
}
