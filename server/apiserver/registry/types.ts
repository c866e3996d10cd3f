// What the API server knows about each resource it serves. Built-in kinds are
// defined in code; custom resources come from CustomResourceDefinitions; both
// end up as one ResourceDef, so every handler treats them the same way.
import type { K8sModel } from '@/lib/k8s/models';
import type { K8sObject, StatusCause } from '@/lib/k8s/types';

/** OpenAPI v3 schema as CustomResourceDefinitions write it (apiextensions.k8s.io/v1 JSONSchemaProps). */
export interface JSONSchemaProps {
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  format?: string;
  description?: string;
  properties?: Record<string, JSONSchemaProps>;
  additionalProperties?: JSONSchemaProps | boolean;
  items?: JSONSchemaProps;
  required?: string[];
  enum?: unknown[];
  default?: unknown;
  nullable?: boolean;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: boolean;
  exclusiveMaximum?: boolean;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  minProperties?: number;
  maxProperties?: number;
  uniqueItems?: boolean;
  allOf?: JSONSchemaProps[];
  anyOf?: JSONSchemaProps[];
  oneOf?: JSONSchemaProps[];
  not?: JSONSchemaProps;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-map-type'?: 'atomic' | 'granular';
  /** Kura's own hint for descriptions of $ref-like reuse; never sent to clients. */
  [extension: `x-${string}`]: unknown;
}

/** A column of `kubectl get` output (metav1.TableColumnDefinition plus how to fill it). */
export interface PrinterColumn {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  format?: string;
  description?: string;
  /** 0 = always shown; 1 = only with `-o wide`. */
  priority?: number;
  /** CRD-style JSONPath (".status.phase"); used when `value` is absent. */
  jsonPath?: string;
  /** Built-in printers compute cells in code, as kube-apiserver's printers do. */
  value?: (obj: K8sObject, now: number) => unknown;
}

export interface ValidationContext {
  /** The object before this write (updates only). */
  old?: K8sObject;
  /** Read another object (for cross-object checks such as an existing StorageClass). */
  now: number;
}

/** Kind-specific behaviour, the way kube-apiserver's registry strategies hold it. */
export interface Strategy {
  /** Fill in defaults the real API server would (e.g. PVC volumeMode: Filesystem). Mutates. */
  defaults?(obj: K8sObject): void;
  /** Field errors for a create or an update; empty means valid. */
  validate?(obj: K8sObject, ctx: ValidationContext): StatusCause[];
  /** Fields that may not change once set ("field is immutable"), as JSON paths like "spec.storageClassName". */
  immutable?: string[];
  /** Whether PUT may create the object when it does not exist. */
  allowCreateOnUpdate?: boolean;
  /** Whether PUT without metadata.resourceVersion is allowed (false for custom resources). */
  allowUnconditionalUpdate?: boolean;
}

export interface ResourceDef {
  model: K8sModel;
  /** Verbs listed in discovery, e.g. get, list, watch, create, update, patch, delete, deletecollection. */
  verbs: string[];
  /** "status", "scale", or other subresources this resource serves. */
  subresources: string[];
  printerColumns: PrinterColumn[];
  /** Field selectors beyond metadata.name and metadata.namespace: field path → value getter. */
  fieldSelectors?: Record<string, (obj: K8sObject) => string | undefined>;
  /** Schema of the whole object; undefined means anything goes (preserve unknown fields). */
  schema?: JSONSchemaProps;
  /** Built into the server (strategic merge patch allowed) rather than defined by a CRD. */
  builtin: boolean;
  /** The CustomResourceDefinition that defines it, for custom resources. */
  crdName?: string;
  strategy?: Strategy;
  /** Objects that exist only for the request (reviews): created, answered, never stored. */
  virtual?: boolean;
}

/** Storage key of an object or of a collection prefix. */
export function storageKey(def: Pick<ResourceDef, 'model'>, namespace: string | undefined, name?: string): string {
  const group = def.model.apiGroup || 'core';
  let key = `/registry/${group}/${def.model.plural}/`;
  if (def.model.namespaced && namespace !== undefined) key += `${namespace}/`;
  if (name !== undefined) key += name;
  return key;
}
