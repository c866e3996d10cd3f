import { describe, expect, it } from 'vitest';
import type { Status, StatusCause } from '@/lib/k8s/types';
import { K8sError } from '../api/k8sError';
import { parseManifests } from './manifests';
import { describePlace, diagnosticsOf, outcomeFromError } from './outcome';

const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: b\n  bogus: 1\n';
const doc = parseManifests(text).docs[0]!.doc;
const status = (code: number, reason: string, message: string, causes?: StatusCause[]): Status => ({
  apiVersion: 'v1',
  kind: 'Status',
  metadata: {},
  status: 'Failure',
  code,
  reason,
  message,
  details: causes ? { causes } : undefined,
});
const err = (s: Status) => new K8sError(s.code, s.reason ?? '', s.message ?? '', s);
const update = { verb: 'update', what: 'ConfigMap x' } as const;

describe('outcomeFromError', () => {
  it('calls a 409 on update a conflict', () => {
    const o = outcomeFromError(err(status(409, 'Conflict', 'the object has been modified')), text, doc, update);
    expect(o).toMatchObject({ kind: 'conflict', title: 'ConfigMap x was changed by someone else since you loaded it' });
  });

  it('calls a 409 on create what it is: already exists', () => {
    const o = outcomeFromError(err(status(409, 'AlreadyExists', 'configmaps "x" already exists')), text, doc, { verb: 'create', what: 'ConfigMap x' });
    expect(o).toEqual({ kind: 'error', title: 'Cannot create ConfigMap x', message: 'configmaps "x" already exists' });
  });

  it('says who may not, with the server message, on 403', () => {
    const o = outcomeFromError(err(status(403, 'Forbidden', 'configmaps "x" is forbidden: User "bob" cannot update')), text, doc, update);
    expect(o).toEqual({ kind: 'forbidden', title: 'You may not update ConfigMap x', message: 'configmaps "x" is forbidden: User "bob" cannot update' });
  });

  it('lists and places the causes of a 422', () => {
    const o = outcomeFromError(err(status(422, 'Invalid', 'invalid', [{ field: 'data.a', message: 'bad', reason: 'FieldValueInvalid' }])), text, doc, update);
    expect(o.kind).toBe('invalid');
    expect(diagnosticsOf(o)).toEqual([{ from: text.indexOf('a: b'), to: text.indexOf('a: b') + 4, message: 'data.a: bad' }]);
  });

  it('keeps a 422 without causes as one problem', () => {
    const o = outcomeFromError(err(status(422, 'Invalid', 'just invalid')), text, doc, update);
    expect(o).toMatchObject({ kind: 'invalid', problems: [{ message: 'just invalid' }] });
    expect(diagnosticsOf(o)).toEqual([]);
  });

  it('places the unknown fields of a strict 400, and leaves other 400s as errors', () => {
    const strict = outcomeFromError(err(status(400, 'BadRequest', 'strict decoding error: unknown field "data.bogus"')), text, doc, update);
    expect(strict).toMatchObject({ kind: 'invalid', title: 'ConfigMap x has fields its kind does not know' });
    expect(diagnosticsOf(strict)[0]?.from).toBe(text.indexOf('bogus'));
    expect(outcomeFromError(err(status(400, 'BadRequest', 'name does not match')), text, doc, update)).toMatchObject({ kind: 'error' });
  });

  it('explains a failure that never reached the server', () => {
    expect(outcomeFromError(new TypeError('Failed to fetch'), text, doc, update)).toEqual({ kind: 'error', title: 'Cannot update ConfigMap x', message: 'Failed to fetch' });
  });
});

describe('describePlace', () => {
  it.each([
    [{ message: 'm' }, undefined],
    [{ message: 'm', field: 'spec.a', line: 3, column: 5 }, 'line 3'],
    [{ message: 'm', line: 3, column: 5 }, 'line 3, column 5'],
    [{ message: 'm', field: 'spec.a', line: 2, column: 1, approximate: true }, 'near line 2'],
  ])('%j', (p, expected) => {
    expect(describePlace(p)).toBe(expected);
  });
});
