// Schemas of built-in kinds, read at run time from @kubernetes/client-node: the
// static attributeTypeMap of its generated model classes gives the shape, the
// JSDoc of its .d.ts files gives the descriptions and which fields are required.
import * as clientNode from '@kubernetes/client-node';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { JSONSchemaProps } from '@/server/apiserver/registry/types';
import { QUANTITY_FIELDS, QUANTITY_MAP_FIELDS, TYPE_HINT, deepFreeze, mapOf, preserved, quantity, withDescription } from './common';

interface Attribute {
  /** TypeScript property name (e.g. "_default"). */
  name: string;
  /** JSON field name (e.g. "default"). */
  baseName: string;
  type: string;
  format: string;
}

type TypeRef = { kind: 'array'; of: TypeRef } | { kind: 'map'; of: TypeRef } | { kind: 'name'; name: string };

/** Parse the type strings of attributeTypeMap: "Array<X>", "{ [key: string]: X; }", names. */
export function parseClientNodeType(text: string): TypeRef {
  const t = text.trim();
  if (t.startsWith('Array<') && t.endsWith('>')) return { kind: 'array', of: parseClientNodeType(t.slice(6, -1)) };
  const map = /^\{\s*\[key: string\]:\s*(.+?);?\s*\}$/s.exec(t);
  if (map?.[1]) return { kind: 'map', of: parseClientNodeType(map[1]) };
  return { kind: 'name', name: t };
}

function attributesOf(className: string): Attribute[] | undefined {
  const cls = (clientNode as unknown as Record<string, unknown>)[className];
  if (typeof cls !== 'function') return undefined;
  const map = (cls as { attributeTypeMap?: unknown }).attributeTypeMap;
  return Array.isArray(map) ? (map as Attribute[]) : undefined;
}

interface ClassDocs {
  description?: string;
  /** By TypeScript property name. */
  fields: Map<string, { description?: string; optional: boolean }>;
}

let modelsDir: string | null | undefined;
const docsCache = new Map<string, ClassDocs | undefined>();

function clientNodeModelsDir(): string | null {
  if (modelsDir === undefined) {
    try {
      const main = createRequire(import.meta.url).resolve('@kubernetes/client-node');
      modelsDir = path.join(path.dirname(main), 'gen', 'models');
    } catch {
      modelsDir = null;
    }
  }
  return modelsDir;
}

/** Descriptions of a model class from dist/gen/models/<Class>.d.ts; undefined when the file is absent. */
export function clientNodeDocs(className: string): ClassDocs | undefined {
  if (docsCache.has(className)) return docsCache.get(className);
  let docs: ClassDocs | undefined;
  const dir = clientNodeModelsDir();
  if (dir && /^[A-Za-z0-9]+$/.test(className)) {
    try {
      docs = parseClassDocs(readFileSync(path.join(dir, `${className}.d.ts`), 'utf8'));
    } catch {
      docs = undefined;
    }
  }
  docsCache.set(className, docs);
  return docs;
}

/** Read the JSDoc before `export declare class` and before each `'field'?:` line. */
export function parseClassDocs(text: string): ClassDocs {
  const docs: ClassDocs = { fields: new Map() };
  let pending: string | undefined;
  let comment: string[] | undefined;
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (comment) {
      if (trimmed.endsWith('*/')) {
        comment.push(trimmed.slice(0, -2));
        pending = cleanComment(comment);
        comment = undefined;
      } else comment.push(trimmed);
      continue;
    }
    if (trimmed.startsWith('/**')) {
      const rest = trimmed.slice(3);
      if (rest.endsWith('*/')) pending = cleanComment([rest.slice(0, -2)]);
      else comment = [rest];
      continue;
    }
    const field = /^'([^']+)'(\?)?:/.exec(trimmed);
    if (field?.[1]) {
      docs.fields.set(field[1], { description: pending, optional: field[2] === '?' });
    } else if (/^export declare class /.test(trimmed)) {
      docs.description = pending;
    }
    pending = undefined;
  }
  return docs;
}

function cleanComment(lines: string[]): string | undefined {
  const text = lines
    .map((l) => l.replace(/^\*\s?/, ''))
    .join('\n')
    .replace(/\\(['"\\])/g, '$1')
    .trim();
  return text || undefined;
}

/** Model types whose values Kura keeps as sent: they describe schemas themselves (recursive). */
const PRESERVED_CLASSES = new Set(['V1JSONSchemaProps']);

class Expander {
  private readonly memo = new Map<string, JSONSchemaProps>();
  private readonly stack: string[] = [];
  /** Lowest stack index a recursion cut pointed at while expanding the current class. */
  private lowestCut = Infinity;

  type(ref: TypeRef, format: string): JSONSchemaProps {
    switch (ref.kind) {
      case 'array':
        return { type: 'array', items: this.type(ref.of, format) };
      case 'map':
        return { type: 'object', additionalProperties: this.type(ref.of, format) };
      case 'name':
        return this.named(ref.name, format);
    }
  }

  private named(name: string, format: string): JSONSchemaProps {
    switch (name) {
      case 'string':
        return format && format !== 'int-or-string' ? { type: 'string', format } : { type: 'string' };
      case 'boolean':
        return { type: 'boolean' };
      case 'number':
      case 'integer':
      case 'long':
      case 'double':
      case 'float':
        if (format === 'int32' || format === 'int64') return { type: 'integer', format };
        if (name === 'integer' || name === 'long') return { type: 'integer' };
        return format ? { type: 'number', format } : { type: 'number' };
      case 'Date':
      case 'V1MicroTime':
        // MicroTime (format "date-time-micro", no model class) travels as an RFC 3339 string too.
        return { type: 'string', format: 'date-time' };
      case 'IntOrString':
        return { 'x-kubernetes-int-or-string': true, [TYPE_HINT]: 'IntOrString' };
      case 'object':
        return preserved();
      case 'any':
        return { 'x-kubernetes-preserve-unknown-fields': true };
      default:
        return this.cls(name);
    }
  }

  private cls(className: string): JSONSchemaProps {
    const known = this.memo.get(className);
    if (known) return known;
    const docs = clientNodeDocs(className);
    if (PRESERVED_CLASSES.has(className)) return { ...preserved(docs?.description), [TYPE_HINT]: className };
    const at = this.stack.indexOf(className);
    if (at >= 0) {
      // Recursive type: stop here and keep whatever is below, as CRDs must.
      this.lowestCut = Math.min(this.lowestCut, at);
      return preserved(docs?.description);
    }
    const attributes = attributesOf(className);
    if (!attributes) return { 'x-kubernetes-preserve-unknown-fields': true };

    const depth = this.stack.length;
    const outerCut = this.lowestCut;
    this.lowestCut = Infinity;
    this.stack.push(className);
    const properties: Record<string, JSONSchemaProps> = {};
    const required: string[] = [];
    for (const attr of attributes) {
      const fieldDocs = docs?.fields.get(attr.name);
      properties[attr.baseName] = this.field(attr, fieldDocs?.description);
      if (fieldDocs && !fieldDocs.optional) required.push(attr.baseName);
    }
    this.stack.pop();

    const schema: JSONSchemaProps = withDescription({ type: 'object' }, docs?.description);
    schema.properties = properties;
    if (required.length) schema.required = required;
    schema[TYPE_HINT] = className;
    const cut = this.lowestCut;
    // Only a result that does not depend on the ancestors above it may be reused.
    if (cut >= depth) this.memo.set(className, schema);
    this.lowestCut = Math.min(outerCut, cut);
    return schema;
  }

  private field(attr: Attribute, description: string | undefined): JSONSchemaProps {
    const ref = parseClientNodeType(attr.type);
    // Named "Quantity" so the OpenAPI documents show <Quantity> as a real server does.
    if (QUANTITY_MAP_FIELDS.has(attr.baseName) && ref.kind === 'map' && ref.of.kind === 'name' && ref.of.name === 'string') {
      return mapOf({ ...quantity(), [TYPE_HINT]: 'Quantity' }, description);
    }
    if (QUANTITY_FIELDS.has(attr.baseName) && ref.kind === 'name' && ref.name === 'string') {
      return { ...quantity(description), [TYPE_HINT]: 'Quantity' };
    }
    const schema = this.type(ref, attr.format);
    // A field typed by a class keeps the class's description unless it has its own.
    return description ? { ...schema, description } : schema;
  }
}

const expander = new Expander();

/**
 * A structural OpenAPI v3 schema for a client-node model type ("V1PersistentVolumeClaim")
 * or type expression ("Array<V1Condition>"). Unknown class names give a node that
 * preserves unknown fields. Nodes built from classes carry the x-kura-type hint.
 */
export function schemaForClientNodeType(typeName: string): JSONSchemaProps {
  // Frozen: the nodes are shared with every other schema expanded from the same classes.
  return deepFreeze(expander.type(parseClientNodeType(typeName), ''));
}
