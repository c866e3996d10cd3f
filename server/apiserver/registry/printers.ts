// Cell helpers for `kubectl get` columns, so built-in kinds print the way
// kube-apiserver prints them (RWO, "<none>", "(default)", ages).
import { humanDuration } from '@/lib/format';
import type { K8sObject } from '@/lib/k8s/types';
import type { PrinterColumn } from './types';

const accessModeAbbr: Record<string, string> = { ReadWriteOnce: 'RWO', ReadOnlyMany: 'ROX', ReadWriteMany: 'RWX', ReadWriteOncePod: 'RWOP' };

export function accessModes(modes: unknown): string {
  if (!Array.isArray(modes) || modes.length === 0) return '';
  return modes.map((m) => accessModeAbbr[String(m)] ?? String(m)).join(',');
}

export function orNone(v: unknown): string {
  return v === undefined || v === null || v === '' ? '<none>' : String(v);
}

export function orUnset(v: unknown): string {
  return v === undefined || v === null || v === '' ? '<unset>' : String(v);
}

/** Read a dotted path ("spec.storageClassName") from an object. */
export function at(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

export function ageOf(obj: K8sObject, now: number): string {
  const ts = obj.metadata?.creationTimestamp;
  if (!ts) return '<unknown>';
  return humanDuration(now - Date.parse(ts));
}

/** Name first, Age last: every built-in table has these two. */
export const nameColumn: PrinterColumn = {
  name: 'Name',
  type: 'string',
  format: 'name',
  description: 'Name must be unique within a namespace. Cannot be updated.',
  value: (o) => o.metadata?.name ?? '',
};

export const ageColumn: PrinterColumn = {
  name: 'Age',
  type: 'string',
  description: 'CreationTimestamp is a timestamp representing the server time when this object was created.',
  value: ageOf,
};

export const createdAtColumn: PrinterColumn = {
  name: 'Created At',
  type: 'date',
  description: 'CreationTimestamp is a timestamp representing the server time when this object was created.',
  value: (o) => o.metadata?.creationTimestamp ?? '',
};

export function col(name: string, value: (o: K8sObject, now: number) => unknown, opts: Partial<PrinterColumn> = {}): PrinterColumn {
  return { name, type: 'string', value, ...opts };
}
