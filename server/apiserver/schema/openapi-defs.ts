// The definitions of an OpenAPI document: names as kube-apiserver gives them,
// each kind's schema turned into a published one (shared model types hoisted
// into their own definitions and referenced), list kinds, and the meta types.
import type { ResourceDef, JSONSchemaProps } from '@/server/apiserver/registry/types';
import { TYPE_HINT } from './common';
import { clientNodeDocs, schemaForClientNodeType } from './clientnode';

export type Flavor = 'v2' | 'v3';
type Published = Record<string, unknown>;
export interface Gvk {
  group: string;
  version: string;
  kind: string;
}

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';
export const OBJECT_META = `${META}.ObjectMeta`;
export const LIST_META = `${META}.ListMeta`;
export const STATUS = `${META}.Status`;
export const DELETE_OPTIONS = `${META}.DeleteOptions`;
export const PATCH = `${META}.Patch`;
export const WATCH_EVENT = `${META}.WatchEvent`;

/** Groups Kubernetes itself serves: their types live under io.k8s.api.<package>. */
const KUBE_GROUPS = new Set([
  '', 'apps', 'batch', 'autoscaling', 'policy', 'storage.k8s.io', 'rbac.authorization.k8s.io', 'authorization.k8s.io',
  'authentication.k8s.io', 'apiextensions.k8s.io', 'networking.k8s.io', 'scheduling.k8s.io', 'coordination.k8s.io',
  'node.k8s.io', 'discovery.k8s.io', 'events.k8s.io', 'certificates.k8s.io', 'admissionregistration.k8s.io',
]);

/** client-node classes of apimachinery's meta/v1 package. */
const META_CLASSES = new Set([
  'V1ObjectMeta', 'V1ListMeta', 'V1Status', 'V1StatusDetails', 'V1StatusCause', 'V1DeleteOptions', 'V1Preconditions',
  'V1WatchEvent', 'V1OwnerReference', 'V1ManagedFieldsEntry', 'V1LabelSelector', 'V1LabelSelectorRequirement', 'V1Condition',
]);

/** Core types other groups use (StorageClass's allowedTopologies). */
const CORE_CLASSES = new Set(['V1TopologySelectorTerm', 'V1TopologySelectorLabelRequirement', 'V1ObjectReference']);

function kubePackage(group: string): string {
  if (group === 'apiextensions.k8s.io') return 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions';
  return `io.k8s.api.${group === '' ? 'core' : (group.split('.')[0] ?? group)}`;
}

/** "io.k8s.api.core.v1.PersistentVolumeClaim", "io.kubevirt.v1.VirtualMachine". */
export function definitionName(group: string, version: string, kind: string): string {
  if (KUBE_GROUPS.has(group)) return `${kubePackage(group)}.${version}.${kind}`;
  return `${group.split('.').reverse().join('.')}.${version}.${kind}`;
}

/** Definition name of a client-node model class met inside a kind of `group`. */
export function classDefinitionName(className: string, group: string): string {
  if (className === 'Quantity') return 'io.k8s.apimachinery.pkg.api.resource.Quantity';
  if (className === 'IntOrString') return 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';
  const m = /^([A-Z][a-z]+)?(V\d+(?:alpha\d+|beta\d+)?)([A-Z]\w*)$/.exec(className);
  if (!m?.[2] || !m[3]) return `${kubePackage(group)}.${className}`;
  const [, prefix, version, name] = m;
  const v = version.toLowerCase();
  if (META_CLASSES.has(className)) return `${META}.${name}`;
  if (CORE_CLASSES.has(className)) return `${kubePackage('')}.${v}.${name}`;
  if (prefix) return `io.k8s.api.${prefix.toLowerCase()}.${v}.${name}`;
  return `${kubePackage(group)}.${v}.${name}`;
}

/** Keys of JSONSchemaProps that Swagger 2.0 cannot carry. */
const NOT_IN_V2 = new Set(['nullable', 'anyOf', 'oneOf', 'not', 'allOf']);

export class Definitions {
  readonly schemas: Record<string, Published> = {};
  /** Name → canonical JSON (without the description), to tell a reuse from a clash. */
  private readonly shapes = new Map<string, string>();
  /** Schema nodes (shared by the memoized expanders) already published, by definition name. */
  private readonly published = new WeakMap<JSONSchemaProps, string>();

  constructor(readonly flavor: Flavor) {}

  ref(name: string): Published {
    return { $ref: `${this.flavor === 'v2' ? '#/definitions/' : '#/components/schemas/'}${name}` };
  }

  /**
   * A reference that also says what this particular field means. kubectl
   * explain prints the field's own description, not the definition's, so the
   * description goes beside the reference (in an allOf for OpenAPI 3, as
   * kube-apiserver publishes it).
   */
  private refWithDescription(name: string, description: unknown): Published {
    if (typeof description !== 'string' || !description) return this.ref(name);
    return this.flavor === 'v2' ? { ...this.ref(name), description } : { allOf: [this.ref(name)], description };
  }

  /** Register a definition; false when the name is taken by a different shape. */
  private register(name: string, published: Published): boolean {
    const { description: _d, ...shape } = published;
    const json = JSON.stringify(shape);
    const known = this.shapes.get(name);
    if (known !== undefined) return known === json;
    this.shapes.set(name, json);
    this.schemas[name] = published;
    return true;
  }

  /**
   * Publish a schema: drop Kura's hints and what the flavor cannot express, and
   * replace nodes expanded from model classes by references to shared definitions.
   */
  publish(schema: JSONSchemaProps, group: string, top = true): Published {
    const hint = schema[TYPE_HINT];
    if (!top && typeof hint === 'string') {
      const name = this.published.get(schema) ?? classDefinitionName(hint, group);
      if (!this.published.has(schema)) {
        // The description stays at each use site: kubectl explain prints both the
        // field's and the definition's, and the same text twice reads badly.
        const { description: _d, ...body } = this.publish(schema, group, true);
        if (!this.register(name, body)) return this.publish(schema, group, true);
        this.published.set(schema, name);
      }
      return this.refWithDescription(name, schema.description ?? clientNodeDocs(hint)?.description);
    }
    const out: Published = {};
    for (const [k, v] of Object.entries(schema)) {
      if (k.startsWith('x-kura-') || (this.flavor === 'v2' && NOT_IN_V2.has(k)) || v === undefined) continue;
      if (k === 'properties' && v && typeof v === 'object') {
        const props: Published = {};
        for (const [p, sub] of Object.entries(v as Record<string, JSONSchemaProps>)) props[p] = this.publish(sub, group, false);
        out.properties = props;
      } else if ((k === 'items' || k === 'not') && v && typeof v === 'object') {
        out[k] = this.publish(v as JSONSchemaProps, group, false);
      } else if (k === 'additionalProperties' && v && typeof v === 'object') {
        out[k] = this.publish(v as JSONSchemaProps, group, false);
      } else if ((k === 'allOf' || k === 'anyOf' || k === 'oneOf') && Array.isArray(v)) {
        out[k] = v.map((sub: JSONSchemaProps) => this.publish(sub, group, false));
      } else {
        out[k] = v;
      }
    }
    return out;
  }

  /** A kind's root definition, with its GVK, and its list kind. */
  addKind(def: ResourceDef): { kind: string; list: string } {
    const m = def.model;
    const name = definitionName(m.apiGroup, m.apiVersion, m.kind);
    const listName = `${name}List`;
    const schema = def.schema ?? { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
    const root = this.publish(schema, m.apiGroup, true);
    const props = { ...((root.properties as Published | undefined) ?? {}) };
    // Custom resources publish ObjectMeta for metadata, as kube-apiserver does for CRDs.
    if (!def.schema || !schema.properties?.metadata?.properties) {
      props.metadata = this.refWithDescription(OBJECT_META, STANDARD_METADATA);
    }
    root.properties = props;
    root['x-kubernetes-group-version-kind'] = [{ group: m.apiGroup, version: m.apiVersion, kind: m.kind }];
    this.schemas[name] = root;
    if (!m.createOnly && !def.virtual) {
      this.schemas[listName] = {
        description: `${m.kind}List is a list of ${m.kind} objects.`,
        type: 'object',
        required: ['items'],
        properties: {
          apiVersion: { type: 'string', description: 'Versioned schema of this list.' },
          items: { type: 'array', items: this.ref(name), description: `The ${m.kind} objects.` },
          kind: { type: 'string', description: 'Kind of this list.' },
          metadata: this.refWithDescription(LIST_META, 'Standard list metadata.'),
        },
        'x-kubernetes-group-version-kind': [{ group: m.apiGroup, version: m.apiVersion, kind: `${m.kind}List` }],
      };
    }
    return { kind: name, list: listName };
  }

  /** ObjectMeta, ListMeta, Status, DeleteOptions, Patch, WatchEvent (and what they reference). */
  addMeta(groupVersions: Array<{ group: string; version: string }>): void {
    const meta = (className: string, name: string, gvks?: Gvk[]) => {
      const body = this.publish(schemaForClientNodeType(className), '', true);
      // Types only fields point at describe themselves at each use site (see publish).
      if (gvks) body['x-kubernetes-group-version-kind'] = gvks;
      else delete body.description;
      this.register(name, body);
    };
    meta('V1ObjectMeta', OBJECT_META);
    meta('V1ListMeta', LIST_META);
    meta('V1Status', STATUS, [{ group: '', version: 'v1', kind: 'Status' }]);
    const optionGvks = [{ group: '', version: 'v1' }, ...groupVersions.filter((gv) => gv.group !== '')].map((gv) => ({
      ...gv,
      kind: 'DeleteOptions',
    }));
    meta('V1DeleteOptions', DELETE_OPTIONS, optionGvks);
    meta('V1WatchEvent', WATCH_EVENT, [{ group: '', version: 'v1', kind: 'WatchEvent' }]);
    this.register(PATCH, {
      description: 'The body of a PATCH request: a JSON patch, a merge patch, a strategic merge patch or an apply configuration.',
      type: 'object',
    });
  }
}

// Kura's own words.
const STANDARD_METADATA = "Standard object's metadata: name, namespace, labels, annotations and what the server records.";
