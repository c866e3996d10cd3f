// Building blocks shared by the generated and the hand-written schemas: small
// constructors, and the rules both generators apply (quantities, embedded metadata).
import type { JSONSchemaProps } from '@/server/apiserver/registry/types';

/**
 * Kura's own hint on a schema node: the model type it was expanded from (e.g.
 * "V1PersistentVolumeClaimSpec"). The OpenAPI builder turns tagged nodes into
 * shared definitions; everything else ignores it, and it is never served.
 */
export const TYPE_HINT = 'x-kura-type';

/** Fields whose value is a map of resource name → Quantity (core/v1 ResourceList). */
export const QUANTITY_MAP_FIELDS: ReadonlySet<string> = new Set([
  'requests',
  'limits',
  'capacity',
  'allocatable',
  'hard',
  'used',
  'allocatedResources',
]);

/** String fields that hold a single Quantity. */
export const QUANTITY_FIELDS: ReadonlySet<string> = new Set(['capacity', 'maximumVolumeSize', 'storage', 'restoreSize']);

/** The fields of metav1.ObjectMeta: what a custom resource's metadata may hold. */
export const OBJECT_META_FIELDS: ReadonlySet<string> = new Set([
  'name',
  'generateName',
  'namespace',
  'selfLink',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'labels',
  'annotations',
  'ownerReferences',
  'finalizers',
  'managedFields',
]);

/**
 * A Quantity ("1Gi", "500m"). JSON clients also send plain numbers
 * (`storage: 1073741824`), which the Go decoder accepts, hence int-or-string.
 */
export function quantity(description?: string): JSONSchemaProps {
  return withDescription({ 'x-kubernetes-int-or-string': true }, description);
}

export function str(description?: string, extra: JSONSchemaProps = {}): JSONSchemaProps {
  return withDescription({ type: 'string', ...extra }, description);
}

export function bool(description?: string): JSONSchemaProps {
  return withDescription({ type: 'boolean' }, description);
}

export function int64(description?: string, extra: JSONSchemaProps = {}): JSONSchemaProps {
  return withDescription({ type: 'integer', format: 'int64', ...extra }, description);
}

export function dateTime(description?: string): JSONSchemaProps {
  return withDescription({ type: 'string', format: 'date-time' }, description);
}

export function arrayOf(items: JSONSchemaProps, description?: string, extra: JSONSchemaProps = {}): JSONSchemaProps {
  return withDescription({ type: 'array', items, ...extra }, description);
}

export function mapOf(values: JSONSchemaProps, description?: string): JSONSchemaProps {
  return withDescription({ type: 'object', additionalProperties: values }, description);
}

export function object(
  properties: Record<string, JSONSchemaProps>,
  description?: string,
  extra: JSONSchemaProps = {},
): JSONSchemaProps {
  return withDescription({ type: 'object', properties, ...extra }, description);
}

/** An object whose content is kept as sent (loosely typed fields, embedded metadata). */
export function preserved(description?: string): JSONSchemaProps {
  return withDescription({ type: 'object', 'x-kubernetes-preserve-unknown-fields': true }, description);
}

export function withDescription(schema: JSONSchemaProps, description: string | undefined): JSONSchemaProps {
  return description ? { ...schema, description } : schema;
}

/**
 * The top of a custom resource's schema, as a CustomResourceDefinition writes
 * it: apiVersion, kind, and a metadata that is only `type: object` (the server
 * owns ObjectMeta's shape), then the kind's own fields.
 */
export function customResourceRoot(
  description: string,
  fields: Record<string, JSONSchemaProps>,
  required?: string[],
): JSONSchemaProps {
  const root: JSONSchemaProps = {
    type: 'object',
    description,
    properties: {
      apiVersion: str(API_VERSION_DESCRIPTION),
      kind: str(KIND_DESCRIPTION),
      metadata: { type: 'object' },
      ...fields,
    },
  };
  if (required?.length) root.required = required;
  return root;
}

// Written for Kura (the same meaning as Kubernetes' own wording, not copied).
export const API_VERSION_DESCRIPTION =
  'Versioned schema of this object, "group/version" (or "v1" for the core group). Servers may reject versions they do not serve.';
export const KIND_DESCRIPTION =
  'The REST resource this object represents, in CamelCase. Servers may infer it from the endpoint; it cannot be updated.';

/** Deep-freeze a schema so the shared nodes of memoized schemas cannot be changed by a caller. */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as object)) deepFreeze(v);
  }
  return value;
}
