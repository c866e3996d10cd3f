// Selectors over DataVolumes and DataSources for the console: the one place
// that knows where CDI keeps a phase, a condition, the claim or the size.
import { type DataVolume, type DataVolumeCondition, type ClaimSpecFields, type DataSource } from '../cdi';
import { getAnnotations, getName, type K8sObject } from '../k8s';
import { parseBytes } from '../provisioning';

/** Set by Kura's embedded CDI on a running DataVolume: "<doneBytes>/<totalBytes>" (total may be missing). */
export const PROGRESS_BYTES_ANNOTATION = 'progress.kura.dev/bytes';
/** Kura's own mark of a volume VMs may boot from. */
export const BOOTABLE_LABEL = 'kura.dev/bootable';
/** KubeVirt's label naming the VirtualMachinePreference a VM booting from the volume should use. */
export const DEFAULT_PREFERENCE_LABEL = 'instancetype.kubevirt.io/default-preference';
/** Set by CDI on what a DataImportCron imported (the boot sources it keeps fresh). */
export const DATA_IMPORT_CRON_LABEL = 'cdi.kubevirt.io/dataImportCron';

/** status.phase, '' before any controller wrote one. */
export const getDataVolumePhase = (dv: DataVolume | undefined): string => dv?.status?.phase ?? '';
/** status.conditions, never undefined. */
export const getDataVolumeConditions = (dv: DataVolume | undefined): DataVolumeCondition[] => dv?.status?.conditions ?? [];
/** One condition (Bound, Running, Ready) by type. */
export const getDataVolumeCondition = (dv: DataVolume | undefined, type: string): DataVolumeCondition | undefined =>
  getDataVolumeConditions(dv).find((c) => c.type === type);
/** The claim that holds the data: status.claimName, else the DataVolume's own name (CDI names it so). */
export const getDataVolumeClaimName = (dv: DataVolume | undefined): string => dv?.status?.claimName || getName(dv);
/** How many times the transfer was restarted after a failure. */
export const getDataVolumeRestartCount = (dv: DataVolume | undefined): number => dv?.status?.restartCount ?? 0;
/** spec.storage, or spec.pvc on older manifests. */
export const getDataVolumeTarget = (dv: DataVolume | undefined): ClaimSpecFields | undefined => dv?.spec?.storage ?? dv?.spec?.pvc ?? undefined;
/** The size asked for, as written ("10Gi"). */
export function getDataVolumeRequestedStorage(dv: DataVolume | undefined): string | undefined {
  const v = getDataVolumeTarget(dv)?.resources?.requests?.storage;
  return v === undefined || v === null ? undefined : String(v);
}
/** The size asked for, in bytes; undefined when none is given (a clone may leave it to its source). */
export function getDataVolumeRequestedBytes(dv: DataVolume | undefined): number | undefined {
  const raw = getDataVolumeRequestedStorage(dv);
  return raw === undefined ? undefined : parseBytes(raw).bytes;
}
/** The StorageClass named in the spec; undefined leaves it to the cluster's default. */
export const getDataVolumeStorageClassName = (dv: DataVolume | undefined): string | undefined => getDataVolumeTarget(dv)?.storageClassName || undefined;

export interface ProgressBytes {
  done: number;
  total?: number;
}

/** "123/456" → done 123 of 456; "123/" → done 123, total unknown; anything else undefined. */
export function parseProgressBytes(text: string | undefined): ProgressBytes | undefined {
  const m = typeof text === 'string' ? /^\s*(\d+)\s*\/\s*(\d*)\s*$/.exec(text) : null;
  if (!m) return undefined;
  const done = Number(m[1]);
  const total = m[2] ? Number(m[2]) : undefined;
  if (!Number.isSafeInteger(done) || (total !== undefined && (!Number.isSafeInteger(total) || total <= 0))) return undefined;
  return total === undefined ? { done } : { done, total };
}

/** Bytes done (and total) of the running transfer, when the controller publishes them (Kura's embedded CDI does). */
export const getDataVolumeProgressBytes = (dv: DataVolume | undefined): ProgressBytes | undefined => parseProgressBytes(getAnnotations(dv)[PROGRESS_BYTES_ANNOTATION]);

interface DataSourceStatus {
  status?: { conditions?: { type?: string; status?: string; reason?: string; message?: string }[] };
}

/** The claim or snapshot a DataSource points at, with its namespace filled in. */
export function getDataSourceTarget(ds: DataSource | undefined): { kind: 'pvc' | 'snapshot'; namespace: string; name: string } | undefined {
  const src = ds?.spec?.source;
  const ns = ds?.metadata?.namespace ?? '';
  if (src?.pvc?.name) return { kind: 'pvc', namespace: src.pvc.namespace || ns, name: src.pvc.name };
  if (src?.snapshot?.name) return { kind: 'snapshot', namespace: src.snapshot.namespace || ns, name: src.snapshot.name };
  return undefined;
}

/** The DataSource's Ready condition (True once what it points at exists and is complete). */
export const getDataSourceReady = (ds: (DataSource & K8sObject) | undefined) =>
  ((ds ?? {}) as DataSourceStatus).status?.conditions?.find((c) => c.type === 'Ready');
