// YAML text ⇄ Kubernetes objects for the editor, and the way back from a
// server's complaint ("spec.resources.requests[storage]: Invalid value") to
// the place in the text it is about. Pure: no React, no requests.
import { type Document, isMap, isPair, isScalar, isSeq, type Node, parseAllDocuments, stringify } from 'yaml';
import type { K8sObject, K8sResource, StatusCause } from '@/lib/k8s/types';

/** Something wrong with the text, placed in it when possible. */
export interface Problem {
  /** The field path as the server named it, e.g. "spec.resources.requests[storage]". */
  field?: string;
  message: string;
  /** Character range in the whole text; absent when nothing in the text matches. */
  from?: number;
  to?: number;
  /** 1-based line and column of `from`. */
  line?: number;
  column?: number;
  /** The field itself is not in the text (e.g. "Required value"): the range marks its nearest parent. */
  approximate?: boolean;
}

/** One document of a (possibly multi-document) YAML text. */
export interface ManifestDoc {
  doc: Document.Parsed;
  /** The value the document holds; undefined for an empty document. */
  value: unknown;
  /** Where the document's content starts in the text. */
  from: number;
}

/** The object as the editor shows it: YAML without managedFields unless asked for. */
export function objectToYaml(obj: K8sResource, { managedFields = false }: { managedFields?: boolean } = {}): string {
  let metadata = obj.metadata;
  if (!managedFields && metadata.managedFields) {
    const { managedFields: _omit, ...rest } = metadata;
    metadata = rest;
  }
  // The order people read manifests in (servers and caches may sort keys): identity first, status last.
  const { apiVersion, kind, metadata: _m, status, ...body } = obj;
  const shown = { apiVersion, kind, metadata, ...body, ...(status === undefined ? {} : { status }) };
  return stringify(shown, { lineWidth: 0, aliasDuplicateObjects: false });
}

/** 1-based line and column of a character offset. */
export function positionAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

function placed(text: string, p: Omit<Problem, 'line' | 'column'>): Problem {
  if (p.from === undefined) return p;
  return { ...p, ...positionAt(text, p.from) };
}

/**
 * Parse every document of the text. Syntax errors come back as problems with
 * their line and column, and no document is trusted then.
 */
export function parseManifests(text: string): { docs: ManifestDoc[]; problems: Problem[] } {
  const parsed = parseAllDocuments(text, { prettyErrors: false, uniqueKeys: true });
  // parseAllDocuments returns an EmptyStream (an empty array with extras) for a text without documents.
  const list = Array.isArray(parsed) ? parsed : [];
  const problems: Problem[] = [];
  for (const doc of list) {
    for (const e of doc.errors) {
      const [from, to] = e.pos;
      problems.push(placed(text, { message: e.message.replace(/\s+at line \d+, column \d+:?[\s\S]*$/, ''), from, to: Math.max(to, from + 1) }));
    }
  }
  if (problems.length) return { docs: [], problems };
  const docs = list.map((doc) => ({ doc, value: doc.contents ? doc.toJS({ maxAliasCount: 100 }) : undefined, from: doc.contents?.range?.[0] ?? doc.range[0] }));
  return { docs: docs.filter((d) => d.value !== undefined && d.value !== null), problems };
}

/** Check that a document is one Kubernetes object: a mapping with apiVersion, kind and metadata.name (or generateName). */
export function objectProblems(text: string, d: ManifestDoc, { needName = true }: { needName?: boolean } = {}): Problem[] {
  const v = d.value as K8sObject;
  const at = (path: (string | number)[]) => locateField(d.doc, path, text);
  if (typeof v !== 'object' || Array.isArray(v)) {
    return [placed(text, { message: 'The document must be one object: a mapping with apiVersion, kind and metadata.', from: d.from, to: d.from + 1 })];
  }
  const problems: Problem[] = [];
  for (const field of ['apiVersion', 'kind'] as const) {
    if (typeof v[field] !== 'string' || !v[field]) problems.push({ field, message: `${field} is required`, ...at([field]) });
  }
  if (needName && !v.metadata?.name && !v.metadata?.generateName) {
    problems.push({ field: 'metadata.name', message: 'metadata.name is required', ...at(['metadata', 'name']) });
  }
  return problems.map((p) => placed(text, p));
}

/**
 * A server field path as a list of keys and indexes:
 * "spec.template.spec.domain.devices.disks[0].name" → [..., "disks", 0, "name"],
 * "metadata.labels[app.kubernetes.io/name]" → ["metadata", "labels", "app.kubernetes.io/name"].
 */
export function parseFieldPath(field: string): (string | number)[] {
  const out: (string | number)[] = [];
  let cur = '';
  for (let i = 0; i < field.length; i++) {
    const c = field[i];
    if (c === '.') {
      if (cur) out.push(cur);
      cur = '';
    } else if (c === '[') {
      if (cur) out.push(cur);
      cur = '';
      const end = field.indexOf(']', i);
      const inner = end < 0 ? field.slice(i + 1) : field.slice(i + 1, end);
      out.push(/^\d+$/.test(inner) ? Number(inner) : inner);
      i = end < 0 ? field.length : end;
    } else {
      cur += c;
    }
  }
  if (cur) out.push(cur);
  return out;
}

function childOf(node: unknown, seg: string | number): { node: unknown; from: number; to: number } | undefined {
  if (isMap(node)) {
    const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
    if (!pair || !isScalar(pair.key) || !pair.key.range) return undefined;
    const value = pair.value as Node | null;
    const keyEnd = pair.key.range[1];
    // A scalar value is marked with its key; a nested block is marked by its key only.
    const to = isScalar(value) && value.range ? value.range[1] : keyEnd;
    return { node: value, from: pair.key.range[0], to };
  }
  if (isSeq(node) && typeof seg === 'number') {
    const item = node.items[seg] as Node | undefined;
    if (!item?.range) return undefined;
    return { node: item, from: item.range[0], to: item.range[1] };
  }
  return undefined;
}

/**
 * Where a field is in a document: the range of its key (and scalar value), on
 * one line. When the field is absent, its nearest present parent, marked
 * approximate. Undefined when not even the first key is there.
 */
export function locateField(doc: Document.Parsed, path: (string | number)[], text: string): Pick<Problem, 'from' | 'to' | 'approximate'> | undefined {
  let node: unknown = doc.contents;
  let found: { from: number; to: number } | undefined;
  for (const seg of path) {
    const next = childOf(node, seg);
    if (!next) return found && { ...found, approximate: true };
    found = { from: next.from, to: next.to };
    node = next.node;
  }
  if (!found) return undefined;
  const eol = text.indexOf('\n', found.from);
  return { from: found.from, to: eol >= 0 && eol < found.to ? eol : Math.max(found.to, found.from + 1) };
}

/** The fields a strict-decoding 400 names: `strict decoding error: unknown field "spec.foo", duplicate field "bar"`. */
export function strictDecodingFields(message: string): { field: string; message: string }[] {
  const out: { field: string; message: string }[] = [];
  for (const m of message.matchAll(/(unknown|duplicate) field "((?:[^"\\]|\\.)*)"/g)) {
    const field = (m[2] ?? '').replace(/\\"/g, '"').replace(/^\./, '');
    out.push({ field, message: m[1] === 'unknown' ? 'unknown field: the schema of this kind has no such field' : 'duplicate field' });
  }
  return out;
}

/** The server's causes (422) or unknown fields (strict 400), each placed in the document when the field is found. */
export function problemsFromStatus(text: string, doc: Document.Parsed | undefined, status: { code: number; message?: string; causes?: StatusCause[] }): Problem[] {
  const fields =
    status.code === 400 && status.message?.includes('strict decoding error')
      ? strictDecodingFields(status.message)
      : (status.causes ?? []).map((c) => ({ field: c.field?.replace(/^\./, '') || undefined, message: c.message ?? c.reason ?? 'invalid' }));
  return fields.map((f) => {
    const where = f.field && doc ? locateField(doc, parseFieldPath(f.field), text) : undefined;
    return placed(text, { field: f.field, message: f.message, ...where });
  });
}

/** The text with metadata.resourceVersion set to `rv`, comments and layout kept; undefined when the text does not parse. */
export function withResourceVersion(text: string, rv: string): string | undefined {
  const { docs, problems } = parseManifests(text);
  const d = docs[0];
  if (problems.length || docs.length !== 1 || !d || !isMap(d.doc.contents)) return undefined;
  d.doc.setIn(['metadata', 'resourceVersion'], rv);
  return d.doc.toString({ lineWidth: 0 });
}

/** A problem of our own about one field of a document (e.g. a kind the cluster does not serve), placed in the text. */
export function fieldProblem(text: string, doc: Document.Parsed, field: string, message: string): Problem {
  return placed(text, { field, message, ...locateField(doc, parseFieldPath(field), text) });
}
