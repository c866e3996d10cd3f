// Field selectors (?fieldSelector=): apimachinery fields.ParseSelector with its
// backslash escaping, matching, and the canonical string form.

import { SelectorError } from './labels';

export { SelectorError };

/** One term. "==" parses to "=", as fields.ParseSelector normalizes it. */
export interface FieldSelectorRequirement {
  field: string;
  operator: '=' | '!=';
  value: string;
}

// "!=" and "==" are tried before "=" so "a==b" does not leave "=b" as the value.
const OPERATORS = ['!=', '==', '='] as const;

/** Splits on commas that are not escaped; escapes stay in the terms for unescapeFieldValue. */
function splitTerms(selector: string): string[] {
  if (selector === '') return [];
  const terms: string[] = [];
  let start = 0;
  let escaped = false;
  for (let i = 0; i < selector.length; i++) {
    const c = selector[i];
    if (escaped) escaped = false;
    else if (c === '\\') escaped = true;
    else if (c === ',') {
      terms.push(selector.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(selector.slice(start));
  return terms;
}

/** The field name cannot be escaped: the first operator in the term splits it. */
function splitTerm(term: string): [string, '=' | '!=', string] | undefined {
  for (let i = 0; i < term.length; i++) {
    for (const op of OPERATORS) {
      if (term.startsWith(op, i)) return [term.slice(0, i), op === '!=' ? '!=' : '=', term.slice(i + op.length)];
    }
  }
  return undefined;
}

/** fields.UnescapeValue: "\\", "\," and "\=" are the only escapes; bare "," or "=" are errors. */
export function unescapeFieldValue(value: string): string {
  let out = '';
  let escaped = false;
  for (const c of value) {
    if (escaped) {
      if (c !== '\\' && c !== ',' && c !== '=') throw new SelectorError(`invalid field selector: invalid escape sequence: \\${c}`);
      out += c;
      escaped = false;
    } else if (c === '\\') {
      escaped = true;
    } else if (c === ',' || c === '=') {
      throw new SelectorError(`invalid field selector: unescaped character in value: ${c}`);
    } else {
      out += c;
    }
  }
  if (escaped) throw new SelectorError('invalid field selector: invalid escape sequence: \\');
  return out;
}

/** fields.EscapeValue: makes any string safe as a field selector value. */
export function escapeFieldValue(value: string): string {
  return value.replace(/[\\,=]/g, (c) => `\\${c}`);
}

/**
 * Parses "metadata.name=vm-1,status.phase!=Bound". Terms come back in the
 * order Kubernetes evaluates them (sorted as strings); "" selects everything.
 */
export function parseFieldSelector(selector: string): FieldSelectorRequirement[] {
  const out: FieldSelectorRequirement[] = [];
  for (const term of splitTerms(selector).sort()) {
    if (term === '') continue;
    const parts = splitTerm(term);
    if (!parts) throw new SelectorError(`invalid selector: '${selector}'; can't understand '${term}'`);
    const [field, operator, raw] = parts;
    out.push({ field, operator, value: unescapeFieldValue(raw) });
  }
  return out;
}

/** True when every term holds; a missing field reads as "" (as fields.Set.Get does). */
export function matchesFieldSelector(
  requirements: readonly FieldSelectorRequirement[],
  fields: Readonly<Record<string, string>>,
): boolean {
  return requirements.every((r) => {
    const actual = Object.hasOwn(fields, r.field) ? (fields[r.field] ?? '') : '';
    return r.operator === '=' ? actual === r.value : actual !== r.value;
  });
}

/** The canonical string form: "==" prints as "=", values escaped. */
export function formatFieldSelector(requirements: readonly FieldSelectorRequirement[]): string {
  return requirements.map((r) => `${r.field}${r.operator}${escapeFieldValue(r.value)}`).join(',');
}

/** The fields every object offers to field selectors (generic.ObjectMetaFieldsSet). */
export function objectMetaFields(
  metadata: { name?: string; namespace?: string } | undefined,
  namespaced: boolean,
): Record<string, string> {
  const fields: Record<string, string> = { 'metadata.name': metadata?.name ?? '' };
  if (namespaced) fields['metadata.namespace'] = metadata?.namespace ?? '';
  return fields;
}

/**
 * The API server's check that a resource supports each field it is asked to
 * select on; returns Kubernetes' message for the first that is not, or undefined.
 */
export function unsupportedFieldLabel(
  requirements: readonly FieldSelectorRequirement[],
  supported: readonly string[],
): string | undefined {
  const bad = requirements.find((r) => !supported.includes(r.field));
  return bad && `field label not supported: ${bad.field}`;
}
