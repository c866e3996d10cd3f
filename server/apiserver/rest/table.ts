// metav1.Table for `kubectl get`: the printer columns of a resource filled in
// for each object, with the object (or its metadata) attached to each row.
import type { K8sObject } from '@/lib/k8s/types';
import type { ResourceDef } from '../registry';

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export interface TableColumnDefinition {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

export interface Table {
  kind: 'Table';
  apiVersion: 'meta.k8s.io/v1';
  metadata: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  columnDefinitions: TableColumnDefinition[];
  rows: { cells: unknown[]; object?: unknown }[];
}

export function columnDefinitions(def: ResourceDef): TableColumnDefinition[] {
  return def.printerColumns.map((c) => ({
    name: c.name,
    type: c.type === 'date' ? 'string' : c.type,
    format: c.format ?? '',
    description: c.description ?? '',
    priority: c.priority ?? 0,
  }));
}

/** PartialObjectMetadata of an object: what `includeObject=Metadata` attaches. */
export function partialMetadata(obj: K8sObject): K8sObject {
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata };
}

export function tableRow(def: ResourceDef, obj: K8sObject, include: IncludeObject, now: number): Table['rows'][number] {
  const cells = def.printerColumns.map((c) => {
    try {
      return c.value ? c.value(obj, now) : '';
    } catch {
      return '<error>';
    }
  });
  const row: Table['rows'][number] = { cells };
  if (include === 'Object') row.object = obj;
  else if (include === 'Metadata') row.object = partialMetadata(obj);
  return row;
}

export function toTable(
  def: ResourceDef,
  objects: K8sObject[],
  meta: Table['metadata'],
  include: IncludeObject,
  now: number,
  withColumns = true,
): Table {
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: meta,
    columnDefinitions: withColumns ? columnDefinitions(def) : [],
    rows: objects.map((o) => tableRow(def, o, include, now)),
  };
}

export function parseIncludeObject(v: string | null): IncludeObject {
  return v === 'None' || v === 'Object' ? v : 'Metadata';
}
