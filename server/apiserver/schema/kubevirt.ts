// Schemas of the KubeVirt and CDI kinds, read at run time from the .d.ts files
// of @kubevirt-ui-ext/kubevirt-api and shaped the way the projects' own CRDs are.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { JSONSchemaProps } from '@/server/apiserver/registry/types';
import { QUANTITY_FIELDS, QUANTITY_MAP_FIELDS, deepFreeze, mapOf, preserved, quantity, withDescription } from './common';
import { type DtsDeclarations, type DtsField, type DtsInterface, type TypeExpr, parseDeclarations } from './dts';

export type KubevirtApiFile = 'kubevirt' | 'cdi';

const FILE_DIRS: Record<KubevirtApiFile, string> = { kubevirt: 'kubevirt', cdi: 'containerized-data-importer' };

const declarations = new Map<KubevirtApiFile, DtsDeclarations | null>();

function packageDist(): string | null {
  const require = createRequire(import.meta.url);
  try {
    return path.join(path.dirname(require.resolve('@kubevirt-ui-ext/kubevirt-api/package.json')), 'dist');
  } catch {
    // The package's "exports" map does not list package.json; find it through an entry it does list.
    try {
      return path.dirname(path.dirname(require.resolve('@kubevirt-ui-ext/kubevirt-api/kubevirt')));
    } catch {
      return null;
    }
  }
}

/** The parsed declarations of one of the package's API files (read once), or null when it is missing. */
export function kubevirtDeclarations(file: KubevirtApiFile): DtsDeclarations | null {
  if (!declarations.has(file)) {
    const dist = packageDist();
    let parsed: DtsDeclarations | null = null;
    if (dist) {
      try {
        parsed = parseDeclarations(readFileSync(path.join(dist, FILE_DIRS[file], 'index.d.ts'), 'utf8'));
      } catch {
        parsed = null;
      }
    }
    declarations.set(file, parsed);
  }
  return declarations.get(file) ?? null;
}

/** ObjectMeta under another name: inside a kind it is an embedded template's metadata. */
const OBJECT_META_TYPES = new Set(['K8sIoApimachineryPkgApisMetaV1ObjectMeta', 'V1ObjectMeta']);

/**
 * Fields the generator dropped because their type was IntOrString (they are in
 * the real API): interface → field → schema.
 */
const LOST_FIELDS: Record<string, Record<string, { schema: JSONSchemaProps; required: boolean }>> = {
  K8sIoApiCoreV1HTTPGetAction: {
    port: { schema: { 'x-kubernetes-int-or-string': true, description: 'Port number or name to reach on the container.' }, required: true },
  },
  K8sIoApiCoreV1TCPSocketAction: {
    port: { schema: { 'x-kubernetes-int-or-string': true, description: 'Port number or name to reach on the container.' }, required: true },
  },
};

const QUANTITY_DOC = /^Quantity is a fixed-point representation/;
const QUANTITY_NOTE = 'A quantity: a number with an optional SI or binary suffix, such as 1Gi, 512Mi or 500m.';
const TIME_DOC = /^(Micro)?Time is a wrapper around time\.Time/;
const INT_OR_STRING_DOC = /^IntOrString is a type that can hold/;

class Expander {
  private readonly memo = new Map<string, JSONSchemaProps>();
  private readonly stack: string[] = [];
  private lowestCut = Infinity;

  constructor(private readonly decls: DtsDeclarations) {}

  type(expr: TypeExpr): JSONSchemaProps {
    switch (expr.kind) {
      case 'array':
        return { type: 'array', items: this.type(expr.of) };
      case 'map':
        return { type: 'object', additionalProperties: this.type(expr.of) };
      case 'literals':
        return literalSchema(expr.values);
      case 'object':
        return this.fields(expr.fields, {});
      case 'union': {
        const of = expr.of.filter((t) => !(t.kind === 'name' && (t.name === 'null' || t.name === 'undefined')));
        return of.length === 1 && of[0] ? this.type(of[0]) : { 'x-kubernetes-preserve-unknown-fields': true };
      }
      case 'unknown':
        return { 'x-kubernetes-preserve-unknown-fields': true };
      case 'name':
        return this.named(expr.name);
    }
  }

  private named(name: string): JSONSchemaProps {
    switch (name) {
      case 'string':
        return { type: 'string' };
      case 'number':
        // KubeVirt and CDI numbers are Go integers (int32/int64/uint); none is a float.
        return { type: 'integer' };
      case 'boolean':
        return { type: 'boolean' };
      case 'Date':
        return { type: 'string', format: 'date-time' };
      case 'object':
        return preserved();
      case 'any':
      case 'unknown':
        return { 'x-kubernetes-preserve-unknown-fields': true };
    }
    if (OBJECT_META_TYPES.has(name)) return preserved(this.decls.interfaces.get(name)?.doc);
    // Enums are plain strings in KubeVirt's own CRDs; the allowed values stay in the description.
    if (this.decls.enums.has(name)) return { type: 'string' };
    const iface = this.decls.interfaces.get(name);
    if (iface) return this.iface(iface);
    const alias = this.decls.aliases.get(name);
    if (alias && !this.stack.includes(`alias:${name}`)) {
      this.stack.push(`alias:${name}`);
      const schema = this.type(alias);
      this.stack.pop();
      return schema;
    }
    return { 'x-kubernetes-preserve-unknown-fields': true };
  }

  private iface(iface: DtsInterface): JSONSchemaProps {
    const known = this.memo.get(iface.name);
    if (known) return known;
    const at = this.stack.indexOf(iface.name);
    if (at >= 0) {
      this.lowestCut = Math.min(this.lowestCut, at);
      return preserved(iface.doc);
    }
    const depth = this.stack.length;
    const outerCut = this.lowestCut;
    this.lowestCut = Infinity;
    this.stack.push(iface.name);
    const fields = [...this.inherited(iface), ...iface.fields];
    const schema = this.fields(fields, LOST_FIELDS[iface.name] ?? {}, iface.doc);
    if (iface.index && !schema.properties) {
      schema.additionalProperties = this.type(iface.index);
    }
    this.stack.pop();
    const cut = this.lowestCut;
    if (cut >= depth) this.memo.set(iface.name, schema);
    this.lowestCut = Math.min(outerCut, cut);
    return schema;
  }

  private inherited(iface: DtsInterface): DtsField[] {
    return iface.extends.flatMap((parent) => {
      const p = this.decls.interfaces.get(parent);
      return p ? [...this.inherited(p), ...p.fields] : [];
    });
  }

  private fields(
    fields: DtsField[],
    lost: Record<string, { schema: JSONSchemaProps; required: boolean }>,
    description?: string,
  ): JSONSchemaProps {
    const properties: Record<string, JSONSchemaProps> = {};
    const required: string[] = [];
    for (const f of fields) {
      properties[f.name] = this.field(f);
      if (!f.optional) required.push(f.name);
    }
    for (const [name, patch] of Object.entries(lost)) {
      if (properties[name]) continue;
      properties[name] = patch.schema;
      if (patch.required) required.push(name);
    }
    const schema: JSONSchemaProps = withDescription({ type: 'object' }, description);
    if (fields.length || Object.keys(lost).length) schema.properties = properties;
    if (required.length) schema.required = required;
    return schema;
  }

  private field(f: DtsField): JSONSchemaProps {
    const doc = f.doc;
    const t = f.type;
    const isString = t.kind === 'name' && t.name === 'string';
    // The generator replaced these fields' own descriptions with a long essay on Quantity.
    if (isString && doc && QUANTITY_DOC.test(doc)) return quantity(QUANTITY_NOTE);
    if (isString && QUANTITY_FIELDS.has(f.name)) return quantity(doc);
    if (isString && doc && INT_OR_STRING_DOC.test(doc)) return withDescription({ 'x-kubernetes-int-or-string': true }, doc);
    if (isString && doc && TIME_DOC.test(doc)) return { type: 'string', format: 'date-time', description: doc };
    if (t.kind === 'map' && t.of.kind === 'name' && t.of.name === 'string' && QUANTITY_MAP_FIELDS.has(f.name)) {
      return mapOf(quantity(), doc);
    }
    const schema = this.type(t);
    return doc ? { ...schema, description: doc } : schema;
  }
}

function literalSchema(values: Array<string | number | boolean>): JSONSchemaProps {
  if (values.every((v) => typeof v === 'string')) return { type: 'string', enum: values };
  if (values.every((v) => typeof v === 'boolean')) return { type: 'boolean' };
  if (values.every((v) => typeof v === 'number')) return { type: Number.isInteger(values[0]) ? 'integer' : 'number', enum: values };
  return { 'x-kubernetes-preserve-unknown-fields': true };
}

const expanders = new Map<KubevirtApiFile, Expander>();

/**
 * A structural schema for an interface of the KubeVirt or CDI declarations
 * ("V1VirtualMachine", "V1beta1DataVolume"). Unknown names, or a missing
 * package, give a node that preserves unknown fields.
 */
export function schemaForKubevirtType(file: KubevirtApiFile, typeName: string): JSONSchemaProps {
  let expander = expanders.get(file);
  if (!expander) {
    const decls = kubevirtDeclarations(file);
    if (!decls) return { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
    expander = new Expander(decls);
    expanders.set(file, expander);
  }
  return deepFreeze(expander.type({ kind: 'name', name: typeName }));
}
