// PersistentVolumeClaim: selectors for the fields the storage rules read, and
// validation of a claim against its class, in words a user can act on.
import { parseBytes } from './bytes';
import type { StorageClassView } from './storageclass';
import {
  ACCESS_MODES,
  type AccessMode,
  type FieldError,
  type PersistentVolumeClaim,
  type TypedObjectReference,
  VOLUME_MODES,
  type VolumeMode,
  fieldError,
} from './types';

export const SNAPSHOT_GROUP = 'snapshot.storage.k8s.io';

/** spec.accessModes, never undefined. */
export const getClaimAccessModes = (pvc: PersistentVolumeClaim): string[] => pvc.spec?.accessModes ?? [];
/** spec.volumeMode with Kubernetes' default (Filesystem). */
export const getClaimVolumeMode = (pvc: PersistentVolumeClaim): string => pvc.spec?.volumeMode || 'Filesystem';
/** The raw spec.resources.requests.storage quantity. */
export const getClaimRequest = (pvc: PersistentVolumeClaim): string | number | undefined => pvc.spec?.resources?.requests?.storage;

/** Requested size in bytes, or undefined when missing or not a size. */
export function getClaimRequestBytes(pvc: PersistentVolumeClaim): number | undefined {
  return parseBytes(getClaimRequest(pvc)).bytes;
}

/** The size the claim holds now: status.capacity.storage when bound, else the request. */
export function getClaimCurrentBytes(pvc: PersistentVolumeClaim): number | undefined {
  return parseBytes(pvc.status?.capacity?.storage ?? getClaimRequest(pvc)).bytes;
}

const MULTI_NODE_USE: Partial<Record<AccessMode, string>> = {
  ReadWriteMany: 'volumes several nodes mount',
  ReadOnlyMany: 'volumes several nodes read',
};

/** A class among `classes` whose driver offers `mode`, to suggest instead. */
function alternativeFor(mode: AccessMode, classes: readonly StorageClassView[], except: string): string | undefined {
  const alt = classes.filter((c) => c.name !== except && c.driver.known && c.driver.accessModes.includes(mode));
  return (alt.find((c) => c.isDefault) ?? alt.sort((a, b) => (a.name < b.name ? -1 : 1))[0])?.name;
}

function accessModeDetail(sc: StorageClassView, mode: AccessMode, classes: readonly StorageClassView[]): string {
  const alt = alternativeFor(mode, classes, sc.name);
  const instead = alt ? `use ${alt} for ${MULTI_NODE_USE[mode] ?? `${mode} volumes`}` : `no StorageClass here offers ${mode}`;
  if (sc.driver.known && sc.driver.locality === 'node-local') return `${sc.name} volumes are node-local and cannot be ${mode}; ${instead}`;
  const offered = sc.driver.known ? sc.driver.accessModes.join(', ') : 'unknown';
  return `${sc.name} (${sc.provisioner}) does not offer ${mode}, only ${offered}; ${instead}`;
}

function validateAccessModes(pvc: PersistentVolumeClaim, sc: StorageClassView | undefined, classes: readonly StorageClassView[], out: FieldError[]): void {
  const modes = getClaimAccessModes(pvc);
  if (modes.length === 0) {
    out.push(fieldError('FieldValueRequired', 'spec.accessModes', undefined, 'at least 1 access mode is required (ReadWriteOnce for a disk one VM uses)'));
    return;
  }
  modes.forEach((mode, i) => {
    const field = `spec.accessModes[${i}]`;
    if (!(ACCESS_MODES as readonly string[]).includes(mode)) {
      out.push(fieldError('FieldValueNotSupported', field, mode, `supported values: ${ACCESS_MODES.map((m) => `"${m}"`).join(', ')}`));
    } else if (sc?.driver.known && !sc.driver.accessModes.includes(mode as AccessMode)) {
      out.push(fieldError('FieldValueNotSupported', field, mode, accessModeDetail(sc, mode as AccessMode, classes)));
    }
  });
  if (modes.includes('ReadWriteOncePod') && modes.length > 1) {
    out.push(fieldError('FieldValueForbidden', 'spec.accessModes', undefined, 'may not use ReadWriteOncePod with other access modes'));
  }
}

function validateVolumeMode(pvc: PersistentVolumeClaim, sc: StorageClassView | undefined, out: FieldError[]): void {
  const mode = getClaimVolumeMode(pvc);
  if (!(VOLUME_MODES as readonly string[]).includes(mode)) {
    out.push(fieldError('FieldValueNotSupported', 'spec.volumeMode', mode, 'supported values: "Block", "Filesystem"'));
  } else if (sc?.driver.known && !sc.driver.volumeModes.includes(mode as VolumeMode)) {
    out.push(fieldError('FieldValueNotSupported', 'spec.volumeMode', mode, `${sc.name} does not make ${mode} volumes, only ${sc.driver.volumeModes.join(', ')}`));
  }
}

function validateSize(pvc: PersistentVolumeClaim, out: FieldError[]): void {
  const field = 'spec.resources.requests[storage]';
  const raw = getClaimRequest(pvc);
  if (raw === undefined) {
    out.push(fieldError('FieldValueRequired', field, undefined, 'say how big the volume should be, such as 10Gi'));
    return;
  }
  const request = parseBytes(raw);
  if (request.error !== undefined) {
    out.push(fieldError('FieldValueInvalid', field, raw, request.error));
    return;
  }
  if (request.bytes <= 0) out.push(fieldError('FieldValueInvalid', field, raw, 'must be greater than zero'));
  const rawLimit = pvc.spec?.resources?.limits?.storage;
  if (rawLimit === undefined) return;
  const limit = parseBytes(rawLimit);
  if (limit.error !== undefined) out.push(fieldError('FieldValueInvalid', 'spec.resources.limits[storage]', rawLimit, limit.error));
  else if (limit.bytes < request.bytes) {
    out.push(fieldError('FieldValueInvalid', 'spec.resources.requests[storage]', raw, `must be less than or equal to the storage limit (${String(rawLimit)})`));
  }
}

function sourceName(ref: TypedObjectReference): string {
  return ref.apiGroup ? `${ref.kind ?? ''}.${ref.apiGroup}` : (ref.kind ?? '');
}

function validateSource(field: string, ref: TypedObjectReference, sc: StorageClassView | undefined, out: FieldError[]): void {
  if (!ref.name) out.push(fieldError('FieldValueRequired', `${field}.name`, undefined, 'name the object to copy the data from'));
  if (!ref.kind) {
    out.push(fieldError('FieldValueRequired', `${field}.kind`, undefined, 'PersistentVolumeClaim, VolumeSnapshot or a populator kind'));
    return;
  }
  const group = ref.apiGroup ?? '';
  if (group === '' && ref.kind !== 'PersistentVolumeClaim') {
    out.push(fieldError('FieldValueInvalid', `${field}.kind`, ref.kind, "must be 'PersistentVolumeClaim' when referencing the default apiGroup"));
    return;
  }
  if (ref.kind === 'VolumeSnapshot' && group !== SNAPSHOT_GROUP) {
    out.push(fieldError('FieldValueInvalid', `${field}.apiGroup`, group, `a VolumeSnapshot is in the ${SNAPSHOT_GROUP} group`));
    return;
  }
  if (!sc?.driver.known) return; // another driver may well have a populator we do not know.
  const driver = sc.driver;
  const isClone = group === '' || group === SNAPSHOT_GROUP;
  if (isClone || driver.populators.some((p) => p.apiGroup === group && p.kind === ref.kind)) return;
  const populators = driver.populators.map((p) => p.kind).join(', ');
  out.push(
    fieldError('FieldValueNotSupported', `${field}.kind`, ref.kind,
      `${sc.name} can fill a volume from a PersistentVolumeClaim, a VolumeSnapshot or CDI's ${populators}; nothing here populates from ${sourceName(ref)}`),
  );
}

function sameRef(a: TypedObjectReference, b: TypedObjectReference): boolean {
  return (a.apiGroup ?? '') === (b.apiGroup ?? '') && a.kind === b.kind && a.name === b.name;
}

function validateSources(pvc: PersistentVolumeClaim, sc: StorageClassView | undefined, out: FieldError[]): void {
  const source = pvc.spec?.dataSource;
  const ref = pvc.spec?.dataSourceRef;
  if (source) validateSource('spec.dataSource', source, sc, out);
  if (ref) validateSource('spec.dataSourceRef', ref, sc, out);
  // Kubernetes keeps the two in step; differing ones mean two different sources.
  if (source && ref && !ref.namespace && !sameRef(source, ref)) {
    out.push(fieldError('FieldValueInvalid', 'spec.dataSource', source, 'must match dataSourceRef'));
  }
}

export interface ClaimValidationOptions {
  /** Every class in the cluster, to suggest one that offers what this class lacks. */
  classes?: readonly StorageClassView[];
}

/**
 * Field errors of a claim: its own rules (access modes, volumeMode, size,
 * data source) and, given its class, what the class's driver cannot do. With
 * an unknown driver only the claim's own rules apply.
 */
export function validateClaim(pvc: PersistentVolumeClaim, storageClass?: StorageClassView, options: ClaimValidationOptions = {}): FieldError[] {
  const out: FieldError[] = [];
  validateAccessModes(pvc, storageClass, options.classes ?? [], out);
  validateVolumeMode(pvc, storageClass, out);
  validateSize(pvc, out);
  validateSources(pvc, storageClass, out);
  return out;
}
