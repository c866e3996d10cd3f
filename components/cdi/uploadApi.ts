// The cluster calls an upload needs besides the bytes: wait (with a watch)
// until the DataVolume's upload server accepts data, and ask for a token.
import { DataVolumeModel, UploadTokenRequestModel } from '@/lib/k8s/models';
import { queryString, resourcePath } from '@/lib/k8s/paths';
import type { DataVolume } from '@/lib/cdi';
import { failureMessage, getDataVolumePhase } from '@/lib/cdi-ui';
import type { K8sList, K8sResource } from '@/lib/k8s/types';
import { k8sRequest } from '../api/client';
import { streamWatch } from '../api/watch';

type DV = DataVolume & K8sResource;

/** Whether the wait is over: ready, or a reason it never will be. */
function verdict(dv: DV | undefined, name: string): 'ready' | Error | undefined {
  if (!dv) return new Error(`DataVolume ${name} was deleted`);
  const phase = getDataVolumePhase(dv);
  if (phase === 'UploadReady') return 'ready';
  if (phase === 'Failed') return new Error(`DataVolume ${name} failed${failureMessage(dv) ? `: ${failureMessage(dv)}` : ''}`);
  if (phase === 'Succeeded') return new Error(`DataVolume ${name} is already filled`);
  return undefined;
}

/** Resolves once the DataVolume is UploadReady; rejects when it fails or goes, or when `signal` aborts. */
export async function waitForUploadReady(namespace: string, name: string, signal: AbortSignal): Promise<void> {
  const path = resourcePath(DataVolumeModel, { namespace });
  const fieldSelector = `metadata.name=${name}`;
  for (;;) {
    const list = await k8sRequest<K8sList<DV>>(path + queryString({ fieldSelector }), { signal });
    let outcome = verdict(list.items[0], name);
    if (outcome === undefined) {
      const stop = new AbortController();
      const onAbort = () => stop.abort();
      signal.addEventListener('abort', onAbort, { once: true });
      try {
        await streamWatch(
          path + queryString({ watch: 1, resourceVersion: list.metadata.resourceVersion, fieldSelector }),
          (event) => {
            if (event.type === 'ERROR' || event.type === 'BOOKMARK') return;
            outcome = verdict(event.type === 'DELETED' ? undefined : (event.object as DV), name);
            if (outcome !== undefined) stop.abort();
          },
          stop.signal,
        );
      } catch (e) {
        if (signal.aborted) throw e;
      } finally {
        signal.removeEventListener('abort', onAbort);
      }
    }
    if (outcome === 'ready') return;
    if (outcome instanceof Error) throw outcome;
    // The watch ended (a timeout, a dropped connection): look again after a breath.
    await new Promise((r) => setTimeout(r, 1000));
    if (signal.aborted) throw Object.assign(new Error('aborted'), { name: 'AbortError' });
  }
}

interface UploadTokenRequest {
  status?: { token?: string };
}

/** A fresh upload token for the DataVolume's claim (CDI names the claim after the DataVolume). */
export async function requestUploadToken(namespace: string, pvcName: string, signal?: AbortSignal): Promise<string> {
  const res = await k8sRequest<UploadTokenRequest>(resourcePath(UploadTokenRequestModel, { namespace }), {
    method: 'POST',
    signal,
    json: { apiVersion: 'upload.cdi.kubevirt.io/v1beta1', kind: 'UploadTokenRequest', metadata: { name: pvcName }, spec: { pvcName } },
  });
  const token = res.status?.token;
  if (!token) throw new Error('the cluster answered the UploadTokenRequest without a token');
  return token;
}
