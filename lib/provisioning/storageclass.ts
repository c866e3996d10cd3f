// StorageClass (storage.k8s.io/v1) as a typed view: defaults applied, the
// default-class annotations read, Kura's own parameters parsed and checked.
//
// Parameters Kura understands (any provisioner; the kura.dev/ prefix is ours):
//   kura.dev/overprovision-ratio  How much may be promised against a pool's
//       real size, e.g. "2.0" lets 200 GiB of volumes live on a 100 GiB thin
//       pool. Decimal ≥ 1.0; default 1.0 for both drivers, because the failure
//       overcommitment risks (a full pool stops every VM writing to it, all
//       volumes at once) is worse than the one it avoids (a clear "no room").
//   kura.dev/score-divisor  TopoLVM's divisor for the capacity score
//       log2(free GiB / divisor): raise it on big pools so scores spread.
//       Decimal > 0; default 1.
//   kura.dev/image-format  On-disk format of volume files: qcow2 (default:
//       snapshots and clones are copy-on-write layers) or raw (a sparse file,
//       a little faster, but it cannot be snapshotted or cloned).
// Kura's drivers also accept csi.storage.k8s.io/* keys (external-provisioner's
// own) and refuse any other key, so a typo does not pass for a setting.
import { getAnnotations, getCreationTimestamp, getName } from '../k8s';
import { type DriverCapabilities, driverCapabilities, isKuraDriver } from './drivers';
import { type FieldError, type ReclaimPolicy, type StorageClass, type VolumeBindingMode, fieldError } from './types';

export const DEFAULT_CLASS_ANNOTATION = 'storageclass.kubernetes.io/is-default-class';
export const BETA_DEFAULT_CLASS_ANNOTATION = 'storageclass.beta.kubernetes.io/is-default-class';
export const PARAM_OVERPROVISION_RATIO = 'kura.dev/overprovision-ratio';
export const PARAM_SCORE_DIVISOR = 'kura.dev/score-divisor';
export const PARAM_IMAGE_FORMAT = 'kura.dev/image-format';

export type ImageFormat = 'raw' | 'qcow2';
const IMAGE_FORMATS: readonly ImageFormat[] = ['raw', 'qcow2'];
const KURA_PARAMETERS = [PARAM_IMAGE_FORMAT, PARAM_OVERPROVISION_RATIO, PARAM_SCORE_DIVISOR];
const RECLAIM_POLICIES = ['Delete', 'Retain'];
const BINDING_MODES = ['Immediate', 'WaitForFirstConsumer'];
const DECIMAL = /^[0-9]+(\.[0-9]+)?$/;

export interface KuraClassParameters {
  overprovisionRatio: number;
  scoreDivisor: number;
  imageFormat: ImageFormat;
}

export const DEFAULT_KURA_PARAMETERS: Readonly<KuraClassParameters> = Object.freeze({
  overprovisionRatio: 1,
  scoreDivisor: 1,
  imageFormat: 'qcow2',
});

export interface StorageClassView {
  name: string;
  provisioner: string;
  parameters: Record<string, string>;
  reclaimPolicy: ReclaimPolicy;
  volumeBindingMode: VolumeBindingMode;
  allowVolumeExpansion: boolean;
  mountOptions: string[];
  /** Marked default by the GA or the beta annotation (value exactly "true", as Kubernetes reads it). */
  isDefault: boolean;
  creationTimestamp: string | undefined;
  driver: DriverCapabilities;
  /** Kura's parameters with defaults filled in (invalid values fall back to the default). */
  kura: KuraClassParameters;
}

export interface ParsedStorageClass {
  storageClass: StorageClassView;
  /** Field errors, worded for a 422 and for a form; empty when the class is valid. */
  errors: FieldError[];
  /** Valid but probably not what was meant. */
  warnings: string[];
}

/** Whether a StorageClass carries the default-class annotation (GA or beta). */
export function isDefaultStorageClass(sc: StorageClass): boolean {
  const a = getAnnotations(sc);
  return a[DEFAULT_CLASS_ANNOTATION] === 'true' || a[BETA_DEFAULT_CLASS_ANNOTATION] === 'true';
}

function parseDecimal(
  params: Record<string, string>,
  key: string,
  fallback: number,
  check: (n: number) => boolean,
  rule: string,
  errors: FieldError[],
): number {
  const raw = params[key];
  if (raw === undefined) return fallback;
  const n = DECIMAL.test(raw) ? Number(raw) : NaN;
  if (Number.isFinite(n) && check(n)) return n;
  errors.push(fieldError('FieldValueInvalid', `parameters[${key}]`, raw, rule));
  return fallback;
}

/** Kura's parameters of a class, with defaults; errors name the field as parameters[key]. */
export function parseKuraParameters(provisioner: string, params: Record<string, string>): { parameters: KuraClassParameters; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const overprovisionRatio = parseDecimal(
    params, PARAM_OVERPROVISION_RATIO, DEFAULT_KURA_PARAMETERS.overprovisionRatio, (n) => n >= 1,
    'must be a decimal number of at least 1.0, such as "1.5" (how many times the pool size may be promised)', errors,
  );
  const scoreDivisor = parseDecimal(
    params, PARAM_SCORE_DIVISOR, DEFAULT_KURA_PARAMETERS.scoreDivisor, (n) => n > 0,
    'must be a decimal number greater than 0, such as "1" or "10"', errors,
  );
  let imageFormat = DEFAULT_KURA_PARAMETERS.imageFormat;
  const format = params[PARAM_IMAGE_FORMAT];
  if (format !== undefined) {
    if ((IMAGE_FORMATS as readonly string[]).includes(format)) imageFormat = format as ImageFormat;
    else errors.push(fieldError('FieldValueNotSupported', `parameters[${PARAM_IMAGE_FORMAT}]`, format, 'supported values: "raw", "qcow2"'));
  }
  for (const key of Object.keys(params).sort()) {
    if (KURA_PARAMETERS.includes(key)) continue;
    const ours = key.startsWith('kura.dev/');
    // Other drivers' parameters are their business; Kura's drivers take only these.
    if (ours || (isKuraDriver(provisioner) && !key.startsWith('csi.storage.k8s.io/'))) {
      const whose = ours ? 'Kura' : provisioner;
      errors.push(fieldError('FieldValueNotSupported', `parameters[${key}]`, key, `${whose} has no such parameter; it understands ${KURA_PARAMETERS.join(', ')}`));
    }
  }
  return { parameters: { overprovisionRatio, scoreDivisor, imageFormat }, errors };
}

/**
 * Parses a storage.k8s.io/v1 StorageClass into a typed view with Kubernetes'
 * defaults (reclaimPolicy Delete, volumeBindingMode Immediate). Invalid
 * fields are reported and replaced by their default, so a console can still
 * show the class.
 */
export function parseStorageClass(sc: StorageClass): ParsedStorageClass {
  const errors: FieldError[] = [];
  const warnings: string[] = [];
  const provisioner = typeof sc.provisioner === 'string' ? sc.provisioner : '';
  if (!provisioner) errors.push(fieldError('FieldValueRequired', 'provisioner', undefined, 'name the CSI driver that makes the volumes, such as local.kura.dev'));

  const parameters: Record<string, string> = {};
  for (const [key, value] of Object.entries(sc.parameters ?? {})) {
    if (typeof value === 'string') parameters[key] = value;
    else errors.push(fieldError('FieldValueInvalid', `parameters[${key}]`, value, 'must be a string'));
  }

  let reclaimPolicy: ReclaimPolicy = 'Delete';
  if (sc.reclaimPolicy != null) {
    if (RECLAIM_POLICIES.includes(sc.reclaimPolicy)) reclaimPolicy = sc.reclaimPolicy as ReclaimPolicy;
    else errors.push(fieldError('FieldValueNotSupported', 'reclaimPolicy', sc.reclaimPolicy, 'supported values: "Delete", "Retain"'));
  }
  let volumeBindingMode: VolumeBindingMode = 'Immediate';
  if (sc.volumeBindingMode != null) {
    if (BINDING_MODES.includes(sc.volumeBindingMode)) volumeBindingMode = sc.volumeBindingMode as VolumeBindingMode;
    else errors.push(fieldError('FieldValueNotSupported', 'volumeBindingMode', sc.volumeBindingMode, 'supported values: "Immediate", "WaitForFirstConsumer"'));
  }
  const mountOptions = Array.isArray(sc.mountOptions) ? sc.mountOptions.filter((o): o is string => typeof o === 'string') : [];

  const driver = driverCapabilities(provisioner);
  const kura = parseKuraParameters(provisioner, parameters);
  errors.push(...kura.errors);
  if (driver.known && driver.locality === 'node-local' && volumeBindingMode === 'Immediate') {
    warnings.push(
      'Immediate binding picks a node for each volume before any VM exists; WaitForFirstConsumer lets the scheduler pick a node that also has CPU and memory for the VM.',
    );
  }

  return {
    storageClass: {
      name: getName(sc),
      provisioner,
      parameters,
      reclaimPolicy,
      volumeBindingMode,
      allowVolumeExpansion: sc.allowVolumeExpansion === true,
      mountOptions,
      isDefault: isDefaultStorageClass(sc),
      creationTimestamp: getCreationTimestamp(sc),
      driver,
      kura: kura.parameters,
    },
    errors,
    warnings,
  };
}

/** Just the view (for callers that read classes the API server already validated). */
export function storageClassView(sc: StorageClass): StorageClassView {
  return parseStorageClass(sc).storageClass;
}
