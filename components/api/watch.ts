// Reads a Kubernetes watch stream (JSON lines over a chunked response)
// through the console proxy, one event at a time.
import type { K8sResource, WatchEvent } from '@/lib/k8s/types';
import { consoleFetch } from './client';
import { errorFromResponse } from './k8sError';

/**
 * Stream watch events from `apiPath` (a collection URL with query) until the
 * server closes the stream, the signal aborts, or the network fails.
 * Resolves when the stream ends cleanly; rejects with K8sError otherwise.
 */
export async function streamWatch(
  apiPath: string,
  onEvent: (e: WatchEvent<K8sResource>) => void,
  signal: AbortSignal,
  onOpen?: () => void,
): Promise<void> {
  const res = await consoleFetch(`/api/k8s${apiPath}`, { signal, headers: { accept: 'application/json' } });
  if (!res.ok) throw await errorFromResponse(res);
  onOpen?.();
  if (!res.body) return;
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl).trim();
      buffer = buffer.slice(nl + 1);
      if (line) onEvent(JSON.parse(line) as WatchEvent<K8sResource>);
    }
  }
  if (buffer.trim()) onEvent(JSON.parse(buffer) as WatchEvent<K8sResource>);
}
