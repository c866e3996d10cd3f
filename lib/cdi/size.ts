// How big a DataVolume's claim must be, and what the StorageProfile fills in.
//
// Filesystem overhead: a volume in Filesystem mode holds the disk image as a
// file, and the filesystem keeps part of the volume for itself (metadata,
// journal, reserved blocks). CDI's config says how much, as a fraction of the
// volume: 0.055 (5.5%) unless set globally or per StorageClass. So a claim
// that must hold a virtual disk of V bytes asks for
//
//     requested = roundUp( ceil( roundUp(V, 1 MiB) / (1 − overhead) ), 1 MiB )
//
// and a claim of P bytes holds an image of at most
//
//     usable = roundDown( floor( P × (1 − overhead) ), 1 MiB ).
//
// Alignment is 1 MiB, as CDI's: a multiple of every block size in use
// (512 B, 4 KiB, 64 KiB) that qemu-img rounds images to, and small next to
// any disk. Block mode has no filesystem, so no overhead: the request is the
// virtual size rounded up to 1 MiB and the whole device is usable.
//
// CDI's own code inflates by × (1 + overhead) rather than ÷ (1 − overhead);
// dividing asks for slightly more (21.17 GiB instead of 21.1 GiB for a 20 GiB
// image at 5.5%), so a claim Kura sizes also passes CDI's check on a real cluster.
//
// Arithmetic is exact: the overhead is held in parts per million and sizes as
// bigint while computing (CDI's overheads have at most three decimals).
import { formatQuantity, getAnnotations, newQuantity } from '../k8s';
import { MAX_SAFE_BYTES, MiB, formatSize, parseBytes } from '../provisioning';
import {
  ANN_MINIMUM_SUPPORTED_PVC_SIZE,
  type ClaimPropertySet,
  type ClaimSpecFields,
  type CloneStrategy,
  type FilesystemOverheadConfig,
  type PvcSpec,
  type StorageProfile,
  type StorageSpec,
} from './types';

/** CDI's default filesystem overhead: 5.5% of a Filesystem-mode volume. */
export const DEFAULT_FILESYSTEM_OVERHEAD = 0.055;
/** Sizes of claims and images are rounded to this (1 MiB). */
export const SIZE_ALIGNMENT = MiB;

const PPM = 1_000_000n;
const ALIGN = BigInt(SIZE_ALIGNMENT);
/** CDI's Percent pattern: "0", "0.x" up to three decimals, or "1". */
const PERCENT = /^(0(\.\d{1,3})?|1)$/;

const roundUp = (n: bigint, m: bigint): bigint => ((n + m - 1n) / m) * m;
const roundDown = (n: bigint, m: bigint): bigint => (n / m) * m;

function toPpm(overhead: number): bigint {
  if (!Number.isFinite(overhead) || overhead < 0 || overhead >= 1) {
    throw new RangeError(`filesystem overhead ${overhead} is not a fraction in [0, 1)`);
  }
  return BigInt(Math.round(overhead * 1_000_000));
}

function checkBytes(name: string, n: number): bigint {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`${name} ${n} is not a whole number of bytes`);
  return BigInt(n);
}

function toSafeNumber(n: bigint): number {
  if (n > BigInt(MAX_SAFE_BYTES)) throw new RangeError(`${n} bytes is 8 PiB or more, beyond what Kura can account exactly`);
  return Number(n);
}

/**
 * Parses an overhead as CDI's config writes it ("0.055", "0", "1"); returns
 * an error for anything else, and for "1", which would leave no room at all.
 */
export function parseFilesystemOverhead(text: string): { overhead: number; error?: undefined } | { overhead?: undefined; error: string } {
  if (!PERCENT.test(text)) return { error: `"${text}" is not a fraction: write it as 0.055 (at most three decimals)` };
  const overhead = Number(text);
  if (overhead >= 1) return { error: 'an overhead of 1 leaves no room for the image' };
  return { overhead };
}

/**
 * The overhead for volumes of a class: the class's own entry in CDI's
 * config, else the global one, else 5.5%. Invalid entries fall through to
 * the next (CDI's config is validated by its own webhook; this is defence).
 */
export function filesystemOverheadFor(config: FilesystemOverheadConfig | null | undefined, storageClassName?: string | null): number {
  const perClass = storageClassName ? config?.storageClass?.[storageClassName] : undefined;
  for (const text of [perClass, config?.global]) {
    if (typeof text !== 'string') continue;
    const parsed = parseFilesystemOverhead(text);
    if (parsed.error === undefined) return parsed.overhead;
  }
  return DEFAULT_FILESYSTEM_OVERHEAD;
}

/** The overhead that applies to a volume mode: none for Block, the class's for Filesystem. */
export function overheadForVolumeMode(volumeMode: string | null | undefined, overhead: number): number {
  return volumeMode === 'Block' ? 0 : overhead;
}

/**
 * The claim size that holds a virtual disk of `virtualSize` bytes: see the
 * formula at the top of this file. Pass overhead 0 for Block mode (or use
 * overheadForVolumeMode).
 */
export function requiredPvcSize(virtualSize: number, overhead: number): number {
  const v = roundUp(checkBytes('virtual size', virtualSize), ALIGN);
  const ppm = toPpm(overhead);
  const inflated = (v * PPM + (PPM - ppm) - 1n) / (PPM - ppm);
  return toSafeNumber(roundUp(inflated, ALIGN));
}

/**
 * The largest virtual disk a claim of `pvcSize` bytes holds. With overhead 0
 * (Block mode) the whole claim; otherwise the filesystem's share taken off
 * and the rest rounded down to 1 MiB, since qemu-img rounds images up.
 */
export function usableSize(pvcSize: number, overhead: number): number {
  const p = checkBytes('claim size', pvcSize);
  const ppm = toPpm(overhead);
  if (ppm === 0n) return pvcSize;
  return Number(roundDown((p * (PPM - ppm)) / PPM, ALIGN));
}

// --- StorageProfile ---------------------------------------------------------------

export interface CloneSourceSize {
  /** The source claim's spec.resources.requests.storage, in bytes. */
  requestBytes?: number;
  /** The source claim's status.capacity.storage, in bytes (what it really got). */
  capacityBytes?: number;
  volumeMode?: string | null;
  storageClassName?: string | null;
  /** For a VolumeSnapshot source: status.restoreSize, in bytes. */
  restoreSizeBytes?: number;
}

export interface ApplyStorageProfileOptions {
  /** Filesystem overhead for the class (filesystemOverheadFor); default 5.5%. */
  overhead?: number;
  /** spec.contentType: "archive" forces Filesystem. */
  contentType?: string;
  /** The data comes from another volume; its size stands in for a missing request. */
  cloneSource?: CloneSourceSize;
  /** The class a claim without storageClassName gets (the cluster's default), when the profile does not say. */
  defaultStorageClassName?: string;
}

export interface RenderedClaim {
  /** The claim spec to create: class, access modes, volume mode and size filled in. Undefined when errors. */
  spec?: PvcSpec;
  /** The clone strategy the profile names for this class (spec wins over status), when any. */
  cloneStrategy?: CloneStrategy;
  /** What could not be filled in, in plain sentences (CDI reports these as ErrClaimNotValid events). */
  errors: string[];
}

function profileSets(profile: StorageProfile | undefined): ClaimPropertySet[] {
  const status = profile?.status?.claimPropertySets;
  if (Array.isArray(status) && status.length > 0) return status;
  const spec = profile?.spec?.claimPropertySets;
  return Array.isArray(spec) ? spec : [];
}

function profileName(profile: StorageProfile | undefined, className: string | undefined): string {
  return profile?.metadata?.name ?? profile?.status?.storageClass ?? className ?? '(none)';
}

const CLONE_STRATEGIES: readonly string[] = ['copy', 'snapshot', 'csi-clone'];

function cloneStrategyOf(profile: StorageProfile | undefined): CloneStrategy | undefined {
  const s = profile?.spec?.cloneStrategy || profile?.status?.cloneStrategy;
  return typeof s === 'string' && CLONE_STRATEGIES.includes(s) ? (s as CloneStrategy) : undefined;
}

function copyClaimFields(spec: ClaimSpecFields): PvcSpec {
  const out: PvcSpec = {};
  if (spec.accessModes) out.accessModes = [...spec.accessModes];
  if (spec.volumeMode) out.volumeMode = spec.volumeMode;
  if (spec.storageClassName !== undefined && spec.storageClassName !== null) out.storageClassName = spec.storageClassName;
  if (spec.selector !== undefined) out.selector = spec.selector;
  if (spec.volumeName) out.volumeName = spec.volumeName;
  if (spec.dataSource) out.dataSource = { ...spec.dataSource };
  if (spec.dataSourceRef) out.dataSourceRef = { ...spec.dataSourceRef };
  const requests = spec.resources?.requests;
  const limits = spec.resources?.limits;
  if (requests || limits) out.resources = { ...(requests ? { requests: { ...requests } } : {}), ...(limits ? { limits: { ...limits } } : {}) };
  return out;
}

/** Fills in access modes and volume mode from the profile's claimPropertySets, the way CDI picks them. */
function applyModes(out: PvcSpec, profile: StorageProfile | undefined, className: string | undefined, errors: string[]): void {
  const sets = profileSets(profile);
  const modes = out.accessModes ?? [];
  const name = profileName(profile, className);
  if (!out.volumeMode && modes.length === 0) {
    const first = sets[0];
    if (!first || !first.accessModes || first.accessModes.length === 0) {
      errors.push(`StorageProfile ${name} does not say which access modes work with this class: set spec.storage.accessModes, or ask an administrator to set claimPropertySets on the StorageProfile.`);
      return;
    }
    out.accessModes = [...first.accessModes];
    if (first.volumeMode) out.volumeMode = first.volumeMode;
  } else if (modes.length === 0) {
    const match = sets.find((s) => s.volumeMode === out.volumeMode && s.accessModes && s.accessModes.length > 0);
    if (!match?.accessModes) {
      errors.push(`StorageProfile ${name} names no access modes for ${out.volumeMode} volumes: set spec.storage.accessModes.`);
      return;
    }
    out.accessModes = [...match.accessModes];
  } else if (!out.volumeMode) {
    // The first set sharing an access mode decides; none leaves Kubernetes' default (Filesystem).
    const match = sets.find((s) => (s.accessModes ?? []).some((m) => modes.includes(m)));
    if (match?.volumeMode) out.volumeMode = match.volumeMode;
  }
}

function minimumSize(profile: StorageProfile | undefined): number | undefined {
  const raw = getAnnotations(profile)[ANN_MINIMUM_SUPPORTED_PVC_SIZE];
  return raw === undefined ? undefined : parseBytes(raw).bytes;
}

function cloneSize(source: CloneSourceSize, out: PvcSpec): number | undefined {
  if (source.restoreSizeBytes !== undefined) return source.restoreSizeBytes;
  // Same mode and class: the source's request fits the same way; otherwise what the source really got.
  const sameShape = (source.volumeMode || 'Filesystem') === (out.volumeMode || 'Filesystem') && (source.storageClassName ?? '') === (out.storageClassName ?? '');
  if (sameShape && source.requestBytes !== undefined) return source.requestBytes;
  return source.capacityBytes ?? source.requestBytes;
}

/**
 * Turns spec.storage into the claim spec CDI would create: the class (the
 * profile's, or the default), access modes and volume mode from the
 * profile's claimPropertySets when the DataVolume leaves them out, and the
 * size inflated by the filesystem overhead (or, for a clone without a size,
 * the source's size), raised to the profile's minimum when it has one.
 */
export function applyStorageProfile(spec: StorageSpec, profile: StorageProfile | undefined, options: ApplyStorageProfileOptions = {}): RenderedClaim {
  const errors: string[] = [];
  const out = copyClaimFields(spec);
  // "" asks for a statically provisioned volume with no class: no profile, no default applies.
  const noClass = spec.storageClassName === '';
  const className = noClass ? undefined : out.storageClassName || profile?.status?.storageClass || options.defaultStorageClassName;
  if (className) out.storageClassName = className;

  if (options.contentType === 'archive') {
    if (out.volumeMode === 'Block') errors.push('Files unpacked from an archive need a filesystem: contentType archive cannot have volumeMode Block.');
    out.volumeMode = 'Filesystem';
  }
  if (noClass) {
    if ((out.accessModes ?? []).length === 0) errors.push('storageClassName "" asks for a volume made by hand, with no StorageProfile to say which access modes to use: set spec.storage.accessModes.');
  } else if (!className && (out.accessModes ?? []).length === 0) {
    errors.push('No StorageClass is named and the cluster has no default class, so nothing says which access modes to use: name a class or set spec.storage.accessModes.');
  } else {
    applyModes(out, profile, className, errors);
  }

  const raw = spec.resources?.requests?.storage;
  let bytes: number | undefined;
  if (raw === undefined || raw === null) {
    if (!options.cloneSource) {
      errors.push('Say how big the disk should be: only a clone may leave the size to its source.');
    } else {
      bytes = cloneSize(options.cloneSource, out);
      if (bytes === undefined) errors.push('The size of the source volume is not known yet, so the clone\'s size cannot be taken from it.');
    }
  } else {
    const parsed = parseBytes(raw);
    if (parsed.error !== undefined) errors.push(`"${String(raw)}" is not a size: ${parsed.error}.`);
    else if (parsed.bytes < MiB) errors.push(`A disk must hold at least 1 MiB; ${formatSize(parsed.bytes)} is too small.`);
    else bytes = requiredPvcSize(parsed.bytes, overheadForVolumeMode(out.volumeMode, options.overhead ?? DEFAULT_FILESYSTEM_OVERHEAD));
  }
  if (bytes !== undefined) {
    const min = minimumSize(profile);
    if (min !== undefined && bytes < min) bytes = min;
    out.resources = { ...out.resources, requests: { ...out.resources?.requests, storage: formatQuantity(newQuantity(bytes, 'BinarySI')) } };
  }

  const cloneStrategy = cloneStrategyOf(profile);
  if (errors.length > 0) return { errors, ...(cloneStrategy ? { cloneStrategy } : {}) };
  return { spec: out, errors, ...(cloneStrategy ? { cloneStrategy } : {}) };
}

/**
 * The claim spec a DataVolume asks for: spec.pvc exactly as written (its
 * size must be given and is not inflated: the DataVolume asked for that
 * claim), or spec.storage through applyStorageProfile.
 */
export function renderTargetClaim(
  dvSpec: { pvc?: PvcSpec | null; storage?: StorageSpec | null; contentType?: string },
  profile: StorageProfile | undefined,
  options: ApplyStorageProfileOptions = {},
): RenderedClaim {
  if (dvSpec.pvc) {
    const raw = dvSpec.pvc.resources?.requests?.storage;
    if (raw === undefined || raw === null) return { errors: ['spec.pvc needs an exact size, such as 10Gi.'] };
    return { spec: copyClaimFields(dvSpec.pvc), errors: [] };
  }
  if (dvSpec.storage) return applyStorageProfile(dvSpec.storage, profile, { contentType: dvSpec.contentType, ...options });
  return { errors: ['The DataVolume names neither spec.storage nor spec.pvc.'] };
}
