// Field errors worded the way kube-apiserver's field.Error prints them, so a
// StatusCause from Kura reads like one from a real cluster.
import type { StatusCause } from '@/lib/k8s/types';

export type FieldErrorType =
  | 'FieldValueRequired'
  | 'FieldValueInvalid'
  | 'FieldValueNotSupported'
  | 'FieldValueDuplicate'
  | 'FieldValueTypeInvalid'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany'
  | 'FieldValueForbidden';

const TITLES: Record<FieldErrorType, string> = {
  FieldValueRequired: 'Required value',
  FieldValueInvalid: 'Invalid value',
  FieldValueNotSupported: 'Unsupported value',
  FieldValueDuplicate: 'Duplicate value',
  FieldValueTypeInvalid: 'Invalid value',
  FieldValueTooLong: 'Too long',
  FieldValueTooMany: 'Too many',
  FieldValueForbidden: 'Forbidden',
};

/** Types whose message leaves the bad value out (it may be long or secret). */
const VALUE_OMITTED = new Set<FieldErrorType>(['FieldValueRequired', 'FieldValueForbidden', 'FieldValueTooLong']);

/** A cause as field.Error.ErrorBody() words it: "Invalid value: 3: must be …". */
export function fieldError(type: FieldErrorType, field: string, value: unknown, detail = ''): StatusCause {
  let message = TITLES[type];
  if (!VALUE_OMITTED.has(type)) message += `: ${goValue(value)}`;
  if (detail) message += `: ${detail}`;
  return { reason: type, message, field };
}

/** "spec.foo: Invalid value: …", as an aggregated error lists each cause. */
export function causeText(cause: StatusCause): string {
  return cause.field ? `${cause.field}: ${cause.message ?? ''}` : (cause.message ?? '');
}

/** Print a JSON value the way Go's %v/%#v prints the decoded value in field errors. */
export function goValue(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return goLiteral(value);
}

function goLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'interface {}(nil)';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[]interface {}{${value.map(goLiteral).join(', ')}}`;
  const entries = Object.keys(value as object)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${goLiteral((value as Record<string, unknown>)[k])}`);
  return `map[string]interface {}{${entries.join(', ')}}`;
}

/** Append a child field to a path: "spec" + "replicas" → "spec.replicas". */
export function childPath(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

export function indexPath(path: string, index: number): string {
  return `${path}[${index}]`;
}
