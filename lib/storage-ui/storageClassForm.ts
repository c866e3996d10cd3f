// The StorageClass form: its fields as plain data, the object it makes, the
// problems to show beside each field before anything is sent, and the
// patches that make a class the default (as `kubectl annotate` would).
import { getAnnotations, getName, isDNS1123Subdomain, type K8sObject } from '../k8s';
import {
  BETA_DEFAULT_CLASS_ANNOTATION,
  DEFAULT_CLASS_ANNOTATION,
  parseStorageClass,
  type StorageClass,
} from '../provisioning';

export interface StorageClassForm {
  name: string;
  provisioner: string;
  volumeBindingMode: 'Immediate' | 'WaitForFirstConsumer';
  reclaimPolicy: 'Delete' | 'Retain';
  allowVolumeExpansion: boolean;
  parameters: { key: string; value: string }[];
  isDefault: boolean;
  description: string;
}

export const emptyStorageClassForm = (): StorageClassForm => ({
  name: '',
  provisioner: '',
  volumeBindingMode: 'WaitForFirstConsumer',
  reclaimPolicy: 'Delete',
  allowVolumeExpansion: true,
  parameters: [],
  isDefault: false,
  description: '',
});

/** Problems by form field: "name", "provisioner", "parameters.<index>" (and "form" for the rest). */
export type FormProblems = Record<string, string>;

/** What is wrong with an object name, in plain words; undefined when it is a valid DNS-1123 subdomain. */
export function nameProblem(name: string): string | undefined {
  if (!name) return undefined;
  if (name.length > 253) return `Too long: ${name.length} characters, at most 253.`;
  if (!isDNS1123Subdomain(name).length) return undefined;
  if (/[A-Z]/.test(name)) return 'Use lower case letters only.';
  if (!/^[a-z0-9]/.test(name) || !/[a-z0-9]$/.test(name)) return 'Start and end with a letter or a digit.';
  return 'Use only lower case letters, digits, "-" and "."; each part between dots starts and ends with a letter or digit.';
}

/** The StorageClass the form describes (empty parameter rows left out). */
export function storageClassFromForm(f: StorageClassForm): StorageClass {
  const parameters = Object.fromEntries(f.parameters.filter((p) => p.key.trim()).map((p) => [p.key.trim(), p.value]));
  const annotations: Record<string, string> = {};
  if (f.isDefault) annotations[DEFAULT_CLASS_ANNOTATION] = 'true';
  if (f.description.trim()) annotations.description = f.description.trim();
  return {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name: f.name.trim(), ...(Object.keys(annotations).length ? { annotations } : {}) },
    provisioner: f.provisioner.trim(),
    ...(Object.keys(parameters).length ? { parameters } : {}),
    reclaimPolicy: f.reclaimPolicy,
    volumeBindingMode: f.volumeBindingMode,
    allowVolumeExpansion: f.allowVolumeExpansion,
  };
}

/** Problems to show before submit; `existing` are the names of the classes already there. */
export function validateStorageClassForm(f: StorageClassForm, existing: readonly string[]): { problems: FormProblems; warnings: string[] } {
  const problems: FormProblems = {};
  const name = f.name.trim();
  if (!name) problems.name = 'Give the class a name, such as fast-local.';
  else if (nameProblem(name)) problems.name = nameProblem(name)!;
  else if (existing.includes(name)) problems.name = `A StorageClass named ${name} already exists.`;
  const seen = new Map<string, number>();
  f.parameters.forEach((p, i) => {
    const key = p.key.trim();
    if (!key) {
      if (p.value) problems[`parameters.${i}`] = 'Give this parameter a name, or remove the row.';
      return;
    }
    if (seen.has(key)) problems[`parameters.${i}`] = `${key} is set twice.`;
    seen.set(key, i);
  });
  const parsed = parseStorageClass(storageClassFromForm(f));
  for (const e of parsed.errors) {
    if (e.field === 'provisioner') problems.provisioner ??= 'Name the CSI driver that makes the volumes, such as local.kura.dev.';
    const m = /^parameters\[(.+)\]$/.exec(e.field);
    const row = m ? seen.get(m[1]!) : undefined;
    if (row !== undefined) problems[`parameters.${row}`] ??= `${m![1]}: ${e.detail}.`;
    else if (e.field !== 'provisioner') problems.form ??= `${e.field}: ${e.detail}`;
  }
  return { problems, warnings: parsed.warnings };
}

const isMarkedDefault = (o: K8sObject) => {
  const a = getAnnotations(o);
  return a[DEFAULT_CLASS_ANNOTATION] === 'true' || a[BETA_DEFAULT_CLASS_ANNOTATION] === 'true';
};

export interface AnnotationPatch {
  name: string;
  /** A JSON merge patch. */
  patch: { metadata: { annotations: Record<string, string> } };
}

/**
 * Make `target` the default class: mark it first, then unmark every other
 * class marked default (GA or beta annotation), so there is never a moment
 * without a default. Empty when target is already the only default.
 */
export function setDefaultClassPatches(classes: readonly K8sObject[], target: string): AnnotationPatch[] {
  const out: AnnotationPatch[] = [];
  const current = classes.find((c) => getName(c) === target);
  if (!current || getAnnotations(current)[DEFAULT_CLASS_ANNOTATION] !== 'true') {
    out.push({ name: target, patch: { metadata: { annotations: { [DEFAULT_CLASS_ANNOTATION]: 'true' } } } });
  }
  for (const c of classes) {
    if (getName(c) === target || !isMarkedDefault(c)) continue;
    const annotations: Record<string, string> = { [DEFAULT_CLASS_ANNOTATION]: 'false' };
    if (getAnnotations(c)[BETA_DEFAULT_CLASS_ANNOTATION] === 'true') annotations[BETA_DEFAULT_CLASS_ANNOTATION] = 'false';
    out.push({ name: getName(c), patch: { metadata: { annotations } } });
  }
  return out;
}
