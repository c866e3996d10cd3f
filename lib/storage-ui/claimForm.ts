// The PersistentVolumeClaim forms (create, restore from a snapshot, clone,
// snapshot): their fields as plain data, the objects they make, and the
// problems to show beside each field before anything is sent.
import {
  type AccessMode,
  chooseClaimClass,
  formatSize,
  parseBytes,
  type PersistentVolumeClaim,
  SNAPSHOT_GROUP,
  type StorageClassView,
  validateClaim,
} from '../provisioning';
import { type FormProblems, nameProblem } from './storageClassForm';

export const SIZE_UNITS = ['Mi', 'Gi', 'Ti'] as const;
export type SizeUnit = (typeof SIZE_UNITS)[number];

export type ClaimSourceKind = 'none' | 'VolumeSnapshot' | 'PersistentVolumeClaim';

export interface ClaimForm {
  name: string;
  namespace: string;
  /** '' lets the cluster's default class apply. */
  storageClassName: string;
  size: string;
  unit: SizeUnit;
  accessMode: AccessMode;
  volumeMode: 'Filesystem' | 'Block';
  sourceKind: ClaimSourceKind;
  sourceName: string;
}

/** "10" + "Gi" → "10Gi" (the number as typed, trimmed). */
export const sizeQuantity = (size: string, unit: SizeUnit): string => `${size.trim()}${unit}`;

/** A size in bytes as the form's number and unit: the largest unit that gives a whole number (rounded up to 0.01 otherwise). */
export function splitSize(bytes: number): { size: string; unit: SizeUnit } {
  for (const [unit, factor] of [['Ti', 2 ** 40], ['Gi', 2 ** 30]] as const) {
    if (bytes >= factor && bytes % factor === 0) return { size: String(bytes / factor), unit };
  }
  if (bytes >= 2 ** 30) return { size: String(Math.ceil((bytes / 2 ** 30) * 100) / 100), unit: 'Gi' };
  return { size: String(Math.max(1, Math.ceil(bytes / 2 ** 20))), unit: 'Mi' };
}

/** The claim the form describes. */
export function claimFromForm(f: ClaimForm): PersistentVolumeClaim {
  const source =
    f.sourceKind === 'none' || !f.sourceName
      ? undefined
      : f.sourceKind === 'VolumeSnapshot'
        ? { apiGroup: SNAPSHOT_GROUP, kind: 'VolumeSnapshot', name: f.sourceName }
        : { kind: 'PersistentVolumeClaim', name: f.sourceName };
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: f.name.trim(), namespace: f.namespace },
    spec: {
      accessModes: [f.accessMode],
      volumeMode: f.volumeMode,
      resources: { requests: { storage: sizeQuantity(f.size, f.unit) } },
      ...(f.storageClassName ? { storageClassName: f.storageClassName } : {}),
      ...(source ? { dataSource: source } : {}),
    },
  };
}

/** Which form field a claim field error belongs to. */
function formField(field: string): string {
  if (field.startsWith('spec.accessModes')) return 'accessMode';
  if (field.startsWith('spec.resources')) return 'size';
  if (field === 'spec.volumeMode') return 'volumeMode';
  if (field.startsWith('spec.dataSource')) return 'source';
  return 'form';
}

export interface ClaimFormContext {
  classes: readonly StorageClassView[];
  /** Claims already in the namespace, by name. */
  existing: readonly string[];
  /** The smallest size the source allows (a snapshot's restore size, a claim's size), when there is a source. */
  sourceMinBytes?: number;
  /** The source's driver, when known: a clone or restore stays with its driver. */
  sourceDriver?: string;
}

/** Problems by field ("name", "size", "storageClassName", "accessMode", "volumeMode", "source", "form"). */
export function validateClaimForm(f: ClaimForm, ctx: ClaimFormContext): FormProblems {
  const problems: FormProblems = {};
  const name = f.name.trim();
  if (!name) problems.name = 'Give the claim a name, such as data.';
  else if (nameProblem(name)) problems.name = nameProblem(name)!;
  else if (ctx.existing.includes(name)) problems.name = `A PersistentVolumeClaim named ${name} already exists in namespace ${f.namespace}.`;
  const size = f.size.trim();
  const bytes = parseBytes(sizeQuantity(size, f.unit));
  if (!size) problems.size = 'Say how big the volume should be.';
  else if (!/^[0-9]+(\.[0-9]+)?$/.test(size) || bytes.bytes === undefined) problems.size = `${size} is not a number.`;
  else if (bytes.bytes <= 0) problems.size = 'The size must be greater than zero.';
  else if (ctx.sourceMinBytes !== undefined && bytes.bytes < ctx.sourceMinBytes) {
    problems.size = `At least ${formatSize(ctx.sourceMinBytes)}: the volume must hold everything its source holds.`;
  }
  if (f.sourceKind !== 'none' && !f.sourceName) problems.source = f.sourceKind === 'VolumeSnapshot' ? 'Choose the snapshot to restore.' : 'Choose the claim to copy.';

  const claim = claimFromForm(f);
  const choice = chooseClaimClass(claim, ctx.classes);
  const sc = choice.kind === 'named' || choice.kind === 'default' ? choice.storageClass : undefined;
  if (choice.kind === 'named' && !sc) problems.storageClassName = `No StorageClass named ${choice.name} exists.`;
  if (choice.kind === 'none') problems.storageClassName = 'The cluster has no default StorageClass: choose one.';
  if (sc && ctx.sourceDriver && sc.provisioner !== ctx.sourceDriver) {
    problems.storageClassName = `${sc.name} uses ${sc.provisioner}, but the source's data is on ${ctx.sourceDriver}: a copy must stay with its driver.`;
  }
  for (const e of validateClaim(claim, sc, { classes: ctx.classes })) {
    const field = formField(e.field);
    if (field === 'size' && problems.size) continue;
    problems[field] ??= e.detail.charAt(0).toUpperCase() + e.detail.slice(1) + '.';
  }
  return problems;
}

/** The access modes a class's driver offers (all four when the driver is unknown or no class applies). */
export function accessModesFor(sc: StorageClassView | undefined): readonly AccessMode[] {
  return sc?.driver.known ? sc.driver.accessModes : ['ReadWriteOnce', 'ReadWriteMany', 'ReadOnlyMany', 'ReadWriteOncePod'];
}

export const ACCESS_MODE_HELP: Record<AccessMode, string> = {
  ReadWriteOnce: 'One node reads and writes (a VM disk)',
  ReadWriteMany: 'Many nodes read and write (needed for live migration)',
  ReadOnlyMany: 'Many nodes read',
  ReadWriteOncePod: 'One pod or VM reads and writes',
};

/** A VolumeSnapshot of a claim. */
export function snapshotObject(name: string, namespace: string, claim: string, snapshotClassName: string | undefined) {
  return {
    apiVersion: `${SNAPSHOT_GROUP}/v1`,
    kind: 'VolumeSnapshot',
    metadata: { name, namespace },
    spec: { source: { persistentVolumeClaimName: claim }, ...(snapshotClassName ? { volumeSnapshotClassName: snapshotClassName } : {}) },
  };
}

/** "data-snapshot-20261122-0312": a name from a claim and a moment (given, so this stays pure). */
export function suggestedName(base: string, suffix: string, now: Date, existing: readonly string[] = []): string {
  const p = (n: number) => String(n).padStart(2, '0');
  const stamp = `${now.getUTCFullYear()}${p(now.getUTCMonth() + 1)}${p(now.getUTCDate())}-${p(now.getUTCHours())}${p(now.getUTCMinutes())}`;
  const tail = `-${suffix}-${stamp}`;
  let name = `${base.slice(0, 253 - tail.length - 3)}${tail}`;
  for (let i = 2; existing.includes(name); i++) name = `${base.slice(0, 253 - tail.length - 3)}${tail}-${i}`;
  return name;
}
