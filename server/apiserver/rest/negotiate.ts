// Content negotiation on Accept, as kubectl and client libraries use it:
// plain JSON or YAML, Table (for `kubectl get`), PartialObjectMetadata.
import { errors } from '../errors';

export type Rendering = { format: 'json' | 'yaml'; as?: 'Table' | 'PartialObjectMetadata' | 'PartialObjectMetadataList' };

interface MediaRange {
  type: string;
  params: Record<string, string>;
}

function parseAccept(header: string): MediaRange[] {
  return header
    .split(',')
    .map((part) => {
      const [type, ...params] = part.split(';').map((s) => s.trim());
      const p: Record<string, string> = {};
      for (const kv of params) {
        const eq = kv.indexOf('=');
        if (eq > 0) p[kv.slice(0, eq).trim().toLowerCase()] = kv.slice(eq + 1).trim();
      }
      return { type: (type ?? '').toLowerCase(), params: p };
    })
    .filter((m) => m.type);
}

/** Pick what to send. `list` tells whether the response is a collection. */
export function negotiate(accept: string | undefined, list: boolean): Rendering {
  if (!accept) return { format: 'json' };
  for (const m of parseAccept(accept)) {
    const format = m.type === 'application/json' || m.type === '*/*' || m.type === 'application/*' ? 'json' : m.type === 'application/yaml' ? 'yaml' : undefined;
    if (!format) continue;
    const as = m.params.as;
    if (!as) return { format };
    const g = m.params.g;
    const v = m.params.v;
    if (g !== 'meta.k8s.io' || (v !== 'v1' && v !== 'v1beta1')) continue;
    if (as === 'Table') return { format, as: 'Table' };
    if (as === 'PartialObjectMetadata' && !list) return { format, as: 'PartialObjectMetadata' };
    if (as === 'PartialObjectMetadataList' && list) return { format, as: 'PartialObjectMetadataList' };
  }
  throw errors.notAcceptable(accept);
}
