// Folding watch events into a list: one pure function, so hooks only store
// what it returns. resourceVersions are opaque: compared for equality only.
import type { K8sList, K8sObject, K8sResource, WatchEvent } from './types';

function keyOf(o: K8sObject): string {
  return `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;
}

/**
 * Apply one watch event to a list and return the new list, or the same list
 * object when nothing changed (so React can skip a render). BOOKMARK events
 * only move the list's resourceVersion; ERROR events are the caller's to handle.
 */
export function applyWatchEvent<T extends K8sResource>(list: K8sList<T>, event: WatchEvent<T>): K8sList<T> {
  const rv = event.object.metadata?.resourceVersion;
  const withRv = (items: T[]): K8sList<T> => ({ ...list, items, metadata: { ...list.metadata, resourceVersion: rv ?? list.metadata.resourceVersion } });
  switch (event.type) {
    case 'BOOKMARK':
      return rv && rv !== list.metadata.resourceVersion ? withRv(list.items) : list;
    case 'ADDED':
    case 'MODIFIED': {
      const key = keyOf(event.object);
      const idx = list.items.findIndex((i) => keyOf(i) === key);
      if (idx >= 0) {
        const current = list.items[idx];
        if (current?.metadata.resourceVersion === rv && rv !== undefined) return list;
        const items = list.items.slice();
        items[idx] = event.object;
        return withRv(items);
      }
      return withRv([...list.items, event.object]);
    }
    case 'DELETED': {
      const key = keyOf(event.object);
      const idx = list.items.findIndex((i) => keyOf(i) === key);
      if (idx < 0) return list;
      const items = list.items.slice();
      items.splice(idx, 1);
      return withRv(items);
    }
    default:
      return list;
  }
}
