'use client';
// Speed and time left of each running DataVolume, folded from the versions a
// live list brings (lib/cdi-ui nextTransferEstimate), kept by uid.
import { useEffect, useState, useSyncExternalStore } from 'react';
import type { DataVolume } from '@/lib/cdi';
import { nextTransferEstimate, type TransferEstimate } from '@/lib/cdi-ui';
import { getUid } from '@/lib/k8s/selectors';

type Estimates = ReadonlyMap<string, TransferEstimate>;

class EstimateStore {
  private value: Estimates = new Map();
  private readonly listeners = new Set<() => void>();

  readonly subscribe = (l: () => void) => {
    this.listeners.add(l);
    return () => void this.listeners.delete(l);
  };

  readonly get = (): Estimates => this.value;

  /** Fold the objects seen at `now`; transfers no longer running are forgotten. */
  observe(items: readonly DataVolume[], now: number): void {
    const next = new Map<string, TransferEstimate>();
    let changed = false;
    for (const dv of items) {
      const uid = getUid(dv) ?? '';
      const prev = this.value.get(uid);
      const est = nextTransferEstimate(prev, dv, now);
      if (est) next.set(uid, est);
      if (est !== prev) changed = true;
    }
    if (!changed && next.size === this.value.size) return;
    this.value = next;
    this.listeners.forEach((l) => l());
  }
}

/** Estimates by uid for the DataVolumes of a live list (or of one object's watch). */
export function useTransferEstimates(items: readonly DataVolume[] | undefined): Estimates {
  const [store] = useState(() => new EstimateStore());
  useEffect(() => {
    store.observe(items ?? [], Date.now());
  }, [items, store]);
  return useSyncExternalStore(store.subscribe, store.get, store.get);
}
