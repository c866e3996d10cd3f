'use client';
// The kinds the cluster serves, from its discovery documents: read once,
// cached, and read again on demand (a kind created since, like a new CRD).
import { useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import {
  type APIGroupList,
  type APIResourceList,
  type APIVersions,
  buildDiscovery,
  type DiscoveredModel,
  type Discovery,
  discoveryKey,
  findServedModel,
  groupVersionsToRead,
} from '@/lib/k8s/discovery';
import { findModel, type K8sModel } from '@/lib/k8s/models';
import { k8sRequest } from '../api/client';

/** How long discovery is trusted before a page that needs it reads it again. */
const FRESH_MS = 5 * 60_000;
/** A kind missing from a discovery older than this is looked for again once. */
const RECHECK_AFTER_MS = 3_000;

export async function fetchDiscovery(signal?: AbortSignal): Promise<Discovery> {
  const [core, groups] = await Promise.all([k8sRequest<APIVersions>('/api', { signal }), k8sRequest<APIGroupList>('/apis', { signal })]);
  const refs = groupVersionsToRead(core, groups);
  const read = await Promise.all(
    refs.map(async (ref) => {
      try {
        return { ref, list: await k8sRequest<APIResourceList>(ref.path, { signal }) };
      } catch (e) {
        return { ref, error: (e as Error).message };
      }
    }),
  );
  return buildDiscovery(read);
}

/** Every served kind; `refresh()` reads discovery again. */
export function useDiscovery() {
  const query = useQuery({ queryKey: discoveryKey, queryFn: ({ signal }) => fetchDiscovery(signal), staleTime: FRESH_MS, retry: 1 });
  return { ...query, models: query.data?.models, refresh: query.refetch };
}

export interface ResolvedModel {
  /** The model to use: the served one, or Kura's own while discovery has not answered. */
  model?: K8sModel | DiscoveredModel;
  /** Discovery answered and does not list this group/version/kind. */
  notServed: boolean;
  /** Still finding out (no static model to fall back on yet). */
  isLoading: boolean;
}

/**
 * The model of one group/version/kind. Kura's own models are used at once;
 * discovery adds the kinds it does not know (CRDs). A kind missing from an
 * older discovery triggers one fresh read before it is called unserved.
 */
export function useResolvedModel(gvk: { apiGroup: string; apiVersion: string; kind: string } | undefined): ResolvedModel {
  const { models, isPending, isError, isFetching, dataUpdatedAt, refresh } = useDiscovery();
  const served = gvk && models ? findServedModel(models, gvk) : undefined;
  const known = gvk ? findModel(gvk.apiGroup, gvk.kind) : undefined;
  const staticModel = known && known.apiVersion === gvk?.apiVersion ? known : undefined;
  const missing = Boolean(gvk && models && !served);

  useEffect(() => {
    if (missing && !isFetching && Date.now() - dataUpdatedAt > RECHECK_AFTER_MS) void refresh();
  }, [missing, isFetching, dataUpdatedAt, refresh]);

  if (!gvk) return { notServed: true, isLoading: false };
  if (served) return { model: served, notServed: false, isLoading: false };
  // Discovery failed altogether: fall back on what Kura knows; the requests themselves will say the rest.
  if (isError) return { model: staticModel, notServed: !staticModel, isLoading: false };
  return { model: staticModel, notServed: missing && !isFetching, isLoading: !staticModel && (isPending || isFetching) };
}
