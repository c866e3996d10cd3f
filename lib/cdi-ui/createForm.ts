// The create-DataVolume form: its fields as plain data, the DataVolume it
// makes (spec.storage, one source), and the problems to show under each field,
// from lib/cdi's validation (the rules CDI's webhook applies) plus the form's own.
import { ANN_IMMEDIATE_BINDING, CDI_GROUP, CDI_VERSION, type DataVolume, type DataVolumeSource, validateDataVolumeSpec } from '../cdi';
import { isDNS1123Label, isValidLabelValue } from '../k8s';
import { formatSize, parseBytes } from '../provisioning';
import { type FormProblems, type SizeUnit, sizeQuantity } from '../storage-ui';
import { BOOTABLE_LABEL, DEFAULT_PREFERENCE_LABEL } from './selectors';

export const SOURCE_TABS = ['http', 's3', 'registry', 'upload', 'pvc', 'snapshot', 'blank'] as const;
export type SourceTab = (typeof SOURCE_TABS)[number];

export const SOURCE_TAB_LABELS: Record<SourceTab, string> = {
  http: 'URL',
  s3: 'S3',
  registry: 'Registry',
  upload: 'Upload',
  pvc: 'Clone volume',
  snapshot: 'From snapshot',
  blank: 'Blank',
};

export interface DataVolumeForm {
  name: string;
  namespace: string;
  source: SourceTab;
  /** http(s) source. */
  url: string;
  /** Secret with the basic-auth accessKeyId/secretKey for the URL. */
  secretRef: string;
  /** ConfigMap with the CA bundle that signed the server's certificate. */
  certConfigMap: string;
  s3Url: string;
  s3SecretRef: string;
  registryUrl: string;
  registrySecretRef: string;
  /** Informative only: plain-http registries are allowed by the cluster's CDI configuration, not per DataVolume. */
  registryInsecure: boolean;
  /** The claim to clone, in the same namespace. */
  pvcName: string;
  /** The VolumeSnapshot to restore, in the same namespace. */
  snapshotName: string;
  /** '' leaves the size to the source (clones only). */
  size: string;
  unit: SizeUnit;
  /** '' leaves the class to the cluster's default. */
  storageClassName: string;
  bindImmediately: boolean;
  bootable: boolean;
  /** The VirtualMachinePreference for VMs booting from it (bootable only; may be empty). */
  preference: string;
}

export function emptyDataVolumeForm(namespace: string, source: SourceTab = 'http'): DataVolumeForm {
  return {
    name: '',
    namespace,
    source,
    url: '',
    secretRef: '',
    certConfigMap: '',
    s3Url: '',
    s3SecretRef: '',
    registryUrl: '',
    registrySecretRef: '',
    registryInsecure: false,
    pvcName: '',
    snapshotName: '',
    size: '10',
    unit: 'Gi',
    storageClassName: '',
    bindImmediately: false,
    bootable: false,
    preference: '',
  };
}

/** Clones may leave the size out: the new volume is as large as its source. */
export const sizeOptional = (tab: SourceTab): boolean => tab === 'pvc' || tab === 'snapshot';

const opt = (v: string) => (v.trim() ? v.trim() : undefined);

function sourceOf(f: DataVolumeForm): DataVolumeSource {
  switch (f.source) {
    case 'http': {
      const secretRef = opt(f.secretRef);
      const certConfigMap = opt(f.certConfigMap);
      return { http: { url: f.url.trim(), ...(secretRef ? { secretRef } : {}), ...(certConfigMap ? { certConfigMap } : {}) } };
    }
    case 's3': {
      const secretRef = opt(f.s3SecretRef);
      return { s3: { url: f.s3Url.trim(), ...(secretRef ? { secretRef } : {}) } };
    }
    case 'registry': {
      const secretRef = opt(f.registrySecretRef);
      return { registry: { url: f.registryUrl.trim(), ...(secretRef ? { secretRef } : {}) } };
    }
    case 'upload':
      return { upload: {} };
    case 'pvc':
      return { pvc: { namespace: f.namespace, name: f.pvcName } };
    case 'snapshot':
      return { snapshot: { namespace: f.namespace, name: f.snapshotName } };
    case 'blank':
      return { blank: {} };
  }
}

/** The DataVolume the form describes. */
export function dataVolumeFromForm(f: DataVolumeForm): DataVolume & { apiVersion: string; kind: string } {
  const labels: Record<string, string> = {};
  if (f.bootable) {
    labels[BOOTABLE_LABEL] = 'true';
    if (f.preference.trim()) labels[DEFAULT_PREFERENCE_LABEL] = f.preference.trim();
  }
  const annotations: Record<string, string> = f.bindImmediately ? { [ANN_IMMEDIATE_BINDING]: 'true' } : {};
  const size = f.size.trim();
  return {
    apiVersion: `${CDI_GROUP}/${CDI_VERSION}`,
    kind: 'DataVolume',
    metadata: {
      name: f.name.trim(),
      namespace: f.namespace,
      ...(Object.keys(labels).length ? { labels } : {}),
      ...(Object.keys(annotations).length ? { annotations } : {}),
    },
    spec: {
      source: sourceOf(f),
      storage: {
        ...(size || !sizeOptional(f.source) ? { resources: { requests: { storage: sizeQuantity(size, f.unit) } } } : {}),
        ...(f.storageClassName ? { storageClassName: f.storageClassName } : {}),
      },
    },
  };
}

/** Which form field a DataVolume field error belongs to. */
export function formFieldOf(path: string): string {
  if (/^spec\.source\.(http|s3|registry)\.(url|imageStream)$/.test(path) || path === 'spec.source.registry') return 'url';
  if (/^spec\.source\.\w+\.secretRef$/.test(path)) return 'secretRef';
  if (/^spec\.source\.\w+\.certConfigMap$/.test(path)) return 'certConfigMap';
  if (/^spec\.source\.(pvc|snapshot)\./.test(path)) return 'sourceName';
  if (path.startsWith('spec.storage.resources')) return 'size';
  if (path === 'spec.storage.storageClassName') return 'storageClassName';
  return 'form';
}

export interface DataVolumeFormContext {
  /** DataVolumes already in the namespace, by name. */
  existingDataVolumes: readonly string[];
  /** PersistentVolumeClaims already in the namespace, by name (the DataVolume's claim takes its name). */
  existingClaims: readonly string[];
  /** A clone's source size: a smaller size cannot hold it. */
  sourceMinBytes?: number;
}

/** What is wrong with a DataVolume name, in plain words: it becomes a claim's name and a pod's, so it is a DNS-1123 label. */
export function dataVolumeNameProblem(name: string): string | undefined {
  if (!name) return 'Give the DataVolume a name, such as fedora-disk.';
  if (name.length > 63) return `Too long: ${name.length} characters, at most 63.`;
  if (!isDNS1123Label(name).length) return undefined;
  if (/[A-Z]/.test(name)) return 'Use lower case letters only.';
  if (!/^[a-z0-9]/.test(name) || !/[a-z0-9]$/.test(name)) return 'Start and end with a letter or a digit.';
  return 'Use only lower case letters, digits and "-".';
}

/** Problems by field: name, size, storageClassName, url, secretRef, certConfigMap, sourceName, preference, form. */
export function validateDataVolumeForm(f: DataVolumeForm, ctx: DataVolumeFormContext): { problems: FormProblems; warnings: string[] } {
  const problems: FormProblems = {};
  const name = f.name.trim();
  let nameProblem = dataVolumeNameProblem(name);
  if (!nameProblem && ctx.existingDataVolumes.includes(name)) nameProblem = `A DataVolume named ${name} already exists in namespace ${f.namespace}.`;
  else if (!nameProblem && ctx.existingClaims.includes(name)) {
    nameProblem = `A PersistentVolumeClaim named ${name} already exists in namespace ${f.namespace}: the DataVolume's claim takes its name. Choose another.`;
  }
  if (nameProblem) problems.name = nameProblem;

  const size = f.size.trim();
  if (!size && !sizeOptional(f.source)) problems.size = 'Say how big the disk should be.';
  else if (size && (!/^[0-9]+(\.[0-9]+)?$/.test(size) || parseBytes(sizeQuantity(size, f.unit)).bytes === undefined)) problems.size = `${size} is not a number.`;

  const bytes = size ? parseBytes(sizeQuantity(size, f.unit)).bytes : undefined;
  if (!problems.size && bytes !== undefined && sizeOptional(f.source) && ctx.sourceMinBytes !== undefined && bytes < ctx.sourceMinBytes) {
    problems.size = `At least ${formatSize(ctx.sourceMinBytes)}: the disk must hold everything its source holds (or leave the size empty to match it).`;
  }
  if (f.source === 'pvc' && !f.pvcName) problems.sourceName = 'Choose the PersistentVolumeClaim to clone.';
  if (f.source === 'snapshot' && !f.snapshotName) problems.sourceName = 'Choose the VolumeSnapshot to start from.';
  if (f.bootable && f.preference.trim()) {
    const errs = isValidLabelValue(f.preference.trim());
    if (errs.length) problems.preference = 'A preference name is at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit.';
  }

  const dv = dataVolumeFromForm(f);
  const { errors, warnings } = validateDataVolumeSpec(dv.spec, { namespace: f.namespace, name });
  for (const e of errors) {
    const field = formFieldOf(e.field);
    problems[field] ??= e.detail;
  }
  return { problems, warnings };
}

/** The form's size fields for at least `bytes`, rounded up to a tenth of a GiB (or a whole MiB below 1 GiB): the figure formatSizeAtLeast names. */
export function sizeFieldsAtLeast(bytes: number): { size: string; unit: SizeUnit } {
  const GiB = 2 ** 30;
  const TiB = 2 ** 40;
  const tenths = (unit: number) => Math.ceil((bytes / unit) * 10 - 1e-9) / 10;
  if (bytes >= TiB) return { size: String(tenths(TiB)), unit: 'Ti' };
  if (bytes >= GiB) return { size: String(tenths(GiB)), unit: 'Gi' };
  return { size: String(Math.max(1, Math.ceil(bytes / 2 ** 20))), unit: 'Mi' };
}
