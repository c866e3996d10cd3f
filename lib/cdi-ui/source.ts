// Where a DataVolume's data comes from, in one short line for a table cell
// ("http: https://example.com/…/disk.qcow2", "clone of PVC team-a/base"),
// and the object it points at when there is one to link to.
import { type DataVolume, type DataVolumeSourceObjectRef, getDataVolumeSourceKind } from '../cdi';

export interface SourceDescription {
  /** The source member (http, s3, registry, upload, pvc, snapshot, blank…), 'sourceRef' or 'external'; undefined when none or several. */
  kind?: string;
  /** One line for a table. */
  text: string;
  /** The whole URL or reference, for a tooltip, when `text` shortens it. */
  full?: string;
  /** The object named by a clone, snapshot or DataSource source. */
  ref?: { kind: 'PersistentVolumeClaim' | 'VolumeSnapshot' | 'DataSource'; namespace: string; name: string };
}

/**
 * A URL short enough for a cell: scheme, host and the last path segment
 * ("https://example.com/…/disk.qcow2"); the query string is dropped (it may
 * carry a signature). Text that is not a URL comes back cut to `max`.
 */
export function shortUrl(raw: string, max = 60): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return raw.length > max ? `${raw.slice(0, max - 1)}…` : raw;
  }
  const segments = url.pathname.split('/').filter(Boolean);
  const last = segments.at(-1) ?? '';
  const origin = `${url.protocol}//${url.host}`;
  const path = segments.length > 1 ? `/…/${last}` : segments.length === 1 ? `/${last}` : '';
  const text = `${origin}${path}`;
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** A registry reference is shown whole up to `max`: its tag or digest matters more than its host. */
function shortReference(raw: string, max = 60): string {
  return raw.length > max ? `${raw.slice(0, 20)}…${raw.slice(-(max - 21))}` : raw;
}

const refName = (ref: DataVolumeSourceObjectRef | null | undefined, ns: string) => ({ namespace: ref?.namespace || ns, name: ref?.name ?? '' });

/** The source of a DataVolume in words. */
export function describeSource(dv: DataVolume | undefined): SourceDescription {
  const spec = dv?.spec;
  const ns = dv?.metadata?.namespace ?? '';
  const kind = getDataVolumeSourceKind(spec);
  const src = spec?.source ?? {};
  switch (kind) {
    case 'http': {
      const url = src.http?.url ?? '';
      return { kind, text: `http: ${shortUrl(url)}`, full: url };
    }
    case 's3': {
      const url = src.s3?.url ?? '';
      return { kind, text: `s3: ${shortUrl(url)}`, full: url };
    }
    case 'gcs': {
      const url = src.gcs?.url ?? '';
      return { kind, text: `gcs: ${shortUrl(url)}`, full: url };
    }
    case 'registry': {
      const url = src.registry?.url ?? (src.registry?.imageStream ? `image stream ${src.registry.imageStream}` : '');
      return { kind, text: `registry ${shortReference(url)}`, full: url };
    }
    case 'upload':
      return { kind, text: 'upload' };
    case 'blank':
      return { kind, text: 'blank' };
    case 'pvc': {
      const r = refName(src.pvc, ns);
      return { kind, text: `clone of PVC ${r.namespace}/${r.name}`, ref: { kind: 'PersistentVolumeClaim', ...r } };
    }
    case 'snapshot': {
      const r = refName(src.snapshot, ns);
      return { kind, text: `snapshot ${r.namespace}/${r.name}`, ref: { kind: 'VolumeSnapshot', ...r } };
    }
    case 'sourceRef': {
      const r = refName(spec?.sourceRef, ns);
      return { kind, text: `DataSource ${r.namespace}/${r.name}`, ref: { kind: 'DataSource', ...r } };
    }
    case 'imageio':
      return { kind, text: 'oVirt imageio' };
    case 'vddk':
      return { kind, text: 'VMware VDDK' };
    case 'external': {
      const target = spec?.storage ?? spec?.pvc;
      const pop = target?.dataSourceRef ?? target?.dataSource;
      return { kind, text: `populator ${pop?.kind ?? ''} ${pop?.name ?? ''}`.trim() };
    }
    default:
      return { text: '-' };
  }
}
