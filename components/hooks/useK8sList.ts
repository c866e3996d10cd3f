'use client';
// A live list of one kind: list once, then keep it current from a watch that
// resumes from the last resourceVersion it saw, and relists on 410 Expired.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import type { K8sModel } from '@/lib/k8s/models';
import { queryString, resourcePath } from '@/lib/k8s/paths';
import { k8sKeys } from '@/lib/k8s/queryKeys';
import type { K8sList, K8sResource, WatchEvent } from '@/lib/k8s/types';
import { applyWatchEvent } from '@/lib/k8s/watch';
import { k8sRequest } from '../api/client';
import { K8sError } from '../api/k8sError';
import { streamWatch } from '../api/watch';

export type WatchState = 'connecting' | 'live' | 'reconnecting' | 'off';

export interface ListOptions {
  /** Namespace to list in; undefined lists across all namespaces (or a cluster-scoped kind). */
  namespace?: string;
  labelSelector?: string;
  /** A field selector, e.g. `involvedObject.uid=…` for the events of one object. */
  fieldSelector?: string;
  enabled?: boolean;
  /**
   * Keep the list current with a watch (default). Browsers allow only six
   * connections per origin over HTTP/1.1, so summary views that show many
   * kinds poll instead.
   */
  watch?: boolean;
}

/** What the cache holds: the list, and which listing it came from (watch events keep that number). */
interface ListedData<T extends K8sResource> {
  list: K8sList<T>;
  listing: number;
}

let listings = 0;

export function useK8sList<T extends K8sResource = K8sResource>(model: K8sModel, opts: ListOptions = {}) {
  const { namespace, labelSelector, fieldSelector, enabled = true, watch = true } = opts;
  const ns = model.namespaced ? namespace : undefined;
  const key = k8sKeys.list(model, ns, fieldSelector ? `${labelSelector ?? ''};fields:${fieldSelector}` : labelSelector);
  const client = useQueryClient();
  const [watchState, setWatchState] = useState<WatchState>('off');

  const query = useQuery({
    queryKey: key,
    enabled,
    queryFn: async ({ signal }): Promise<ListedData<T>> => ({
      list: await k8sRequest<K8sList<T>>(resourcePath(model, { namespace: ns }) + queryString({ labelSelector, fieldSelector }), { signal }),
      listing: ++listings,
    }),
    // The watch keeps the data fresh; refetching on focus would only repeat the list.
    staleTime: watch ? Infinity : 0,
    refetchInterval: watch ? false : 30_000,
    retry: (count, err) => !(err instanceof K8sError && [401, 403, 404].includes(err.code)) && count < 2,
  });

  const listing = query.data?.listing;
  const keyString = JSON.stringify(key);
  const keyRef = useRef(key);
  useEffect(() => {
    keyRef.current = key;
  });

  useEffect(() => {
    if (!enabled || !watch || listing === undefined) return;
    const abort = new AbortController();
    let delay = 500;
    const relist = () => client.invalidateQueries({ queryKey: keyRef.current, exact: true });
    const run = async () => {
      setWatchState('connecting');
      while (!abort.signal.aborted) {
        const rv = client.getQueryData<ListedData<T>>(keyRef.current)?.list.metadata.resourceVersion;
        if (!rv) return;
        const path = resourcePath(model, { namespace: ns }) + queryString({ watch: 1, resourceVersion: rv, allowWatchBookmarks: true, labelSelector, fieldSelector });
        let expired = false;
        try {
          await streamWatch(
            path,
            (event) => {
              if (event.type === 'ERROR') {
                if ((event.object as unknown as { code?: number }).code === 410) expired = true;
                return;
              }
              client.setQueryData<ListedData<T>>(keyRef.current, (old) => {
                if (!old) return old;
                const list = applyWatchEvent(old.list, event as never);
                return list === old.list ? old : { ...old, list };
              });
            },
            abort.signal,
            () => {
              setWatchState('live');
              delay = 500;
            },
          );
        } catch (e) {
          if (abort.signal.aborted) return;
          if (e instanceof K8sError && e.code === 410) expired = true;
          else if (e instanceof K8sError && (e.code === 401 || e.code === 403)) {
            setWatchState('off');
            return;
          }
        }
        if (expired) {
          // Our resourceVersion is too old: list again; this effect restarts with the new list.
          await relist();
          return;
        }
        if (abort.signal.aborted) return;
        setWatchState('reconnecting');
        await new Promise((r) => setTimeout(r, delay));
        delay = Math.min(delay * 2, 15_000);
      }
    };
    void run();
    return () => {
      abort.abort();
      setWatchState('off');
    };
    // Restart only when the target changed or a fresh list arrived.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [enabled, watch, keyString, listing]);

  /** Fold an event the page already knows about (its own write) into the list before the watch brings it. */
  const applyEvent = (event: WatchEvent<T>) =>
    client.setQueryData<ListedData<T>>(key, (old) => {
      if (!old) return old;
      const list = applyWatchEvent(old.list, event);
      return list === old.list ? old : { ...old, list };
    });

  return { ...query, items: query.data?.list.items, watchState, applyEvent };
}
