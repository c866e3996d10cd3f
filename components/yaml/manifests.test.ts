import { describe, expect, it } from 'vitest';
import type { K8sResource } from '@/lib/k8s/types';
import { locateField, objectProblems, objectToYaml, parseFieldPath, parseManifests, positionAt, problemsFromStatus, strictDecodingFields, withResourceVersion } from './manifests';

const pvc = `apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: data
  namespace: default
  labels:
    app.kubernetes.io/name: db
spec:
  accessModes:
    - ReadWriteOnce
  resources:
    requests:
      storage: lots
`;

const lineOf = (text: string, needle: string) => text.slice(0, text.indexOf(needle)).split('\n').length;

describe('parseFieldPath', () => {
  it.each<[string, (string | number)[]]>([
    ['spec.accessModes', ['spec', 'accessModes']],
    ['.spec.accessModes', ['spec', 'accessModes']],
    ['spec.resources.requests[storage]', ['spec', 'resources', 'requests', 'storage']],
    ['spec.template.spec.domain.devices.disks[0].name', ['spec', 'template', 'spec', 'domain', 'devices', 'disks', 0, 'name']],
    ['metadata.labels[app.kubernetes.io/name]', ['metadata', 'labels', 'app.kubernetes.io/name']],
    ['spec.accessModes[1]', ['spec', 'accessModes', 1]],
  ])('%s', (field, path) => {
    expect(parseFieldPath(field)).toEqual(path);
  });
});

describe('locateField', () => {
  const { docs } = parseManifests(pvc);
  const doc = docs[0]!.doc;
  const line = (path: (string | number)[]) => {
    const r = locateField(doc, path, pvc);
    return r && { line: positionAt(pvc, r.from!).line, text: pvc.slice(r.from, r.to), approximate: r.approximate };
  };

  it('marks the key and value of a scalar field', () => {
    expect(line(['spec', 'resources', 'requests', 'storage'])).toEqual({ line: lineOf(pvc, 'storage:'), text: 'storage: lots', approximate: undefined });
  });

  it('marks a block by its key line only', () => {
    expect(line(['spec', 'resources'])).toEqual({ line: lineOf(pvc, 'resources:'), text: 'resources', approximate: undefined });
  });

  it('finds sequence items and map keys with dots', () => {
    expect(line(['spec', 'accessModes', 0])?.text).toBe('ReadWriteOnce');
    expect(line(['metadata', 'labels', 'app.kubernetes.io/name'])?.text).toBe('app.kubernetes.io/name: db');
  });

  it('falls back to the nearest parent of a missing field', () => {
    expect(line(['spec', 'storageClassName'])).toEqual({ line: lineOf(pvc, 'spec:'), text: 'spec', approximate: true });
    expect(line(['status', 'phase'])).toBeUndefined();
  });
});

describe('parseManifests', () => {
  it('reads several documents and skips empty ones', () => {
    const { docs, problems } = parseManifests('a: 1\n---\n---\nb: 2\n');
    expect(problems).toEqual([]);
    expect(docs.map((d) => d.value)).toEqual([{ a: 1 }, { b: 2 }]);
    expect(docs[1]!.from).toBe('a: 1\n---\n---\n'.length);
  });

  it('gives syntax errors with line and column and no documents', () => {
    const text = 'kind: ConfigMap\nmetadata:\n  name: x\n   bad: indent\n';
    const { docs, problems } = parseManifests(text);
    expect(docs).toEqual([]);
    expect(problems.length).toBeGreaterThan(0);
    // The parser reports the mapping that the bad line breaks, one line up.
    expect(problems[0]).toMatchObject({ line: 3 });
    expect(problems[0]!.column).toBeGreaterThan(0);
  });

  it('refuses duplicate keys', () => {
    const { problems } = parseManifests('a: 1\na: 2\n');
    expect(problems[0]).toMatchObject({ line: 2, column: 1 });
    expect(problems[0]!.message).toMatch(/unique/i);
  });
});

describe('objectProblems', () => {
  it.each([
    ['apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n', []],
    ['apiVersion: v1\nkind: ConfigMap\nmetadata:\n  generateName: x-\n', []],
    ['kind: ConfigMap\nmetadata:\n  name: x\n', ['apiVersion']],
    ['apiVersion: v1\nkind: ConfigMap\n', ['metadata.name']],
    ['- a\n- b\n', [undefined]],
  ])('%j', (text, fields) => {
    const d = parseManifests(text).docs[0]!;
    expect(objectProblems(text, d).map((p) => p.field)).toEqual(fields);
  });
});

describe('problemsFromStatus', () => {
  const { docs } = parseManifests(pvc);

  it('places the causes of a 422 on their lines', () => {
    const problems = problemsFromStatus(pvc, docs[0]!.doc, {
      code: 422,
      causes: [
        { reason: 'FieldValueInvalid', field: 'spec.resources.requests[storage]', message: 'Invalid value: "lots"' },
        { reason: 'FieldValueRequired', field: 'spec.storageClassName', message: 'Required value' },
        { reason: 'FieldValueInvalid', message: 'something without a field' },
      ],
    });
    expect(problems.map((p) => [p.field, p.line, p.approximate])).toEqual([
      ['spec.resources.requests[storage]', lineOf(pvc, 'storage:'), undefined],
      ['spec.storageClassName', lineOf(pvc, 'spec:'), true],
      [undefined, undefined, undefined],
    ]);
  });

  it('places the unknown fields of a strict decoding error', () => {
    const text = pvc.replace('  accessModes:', '  bogus: 1\n  accessModes:');
    const doc = parseManifests(text).docs[0]!.doc;
    const problems = problemsFromStatus(text, doc, { code: 400, message: 'strict decoding error: unknown field "spec.bogus", unknown field ".spec.resources.nope"' });
    expect(problems.map((p) => [p.field, p.line])).toEqual([
      ['spec.bogus', lineOf(text, 'bogus')],
      ['spec.resources.nope', lineOf(text, 'resources:')],
    ]);
  });

  it('ignores a 400 that is not about fields', () => {
    expect(problemsFromStatus(pvc, docs[0]!.doc, { code: 400, message: 'the name of the object does not match the name on the URL' })).toEqual([]);
  });
});

describe('strictDecodingFields', () => {
  it('reads unknown and duplicate fields, with escaped quotes', () => {
    expect(strictDecodingFields('strict decoding error: unknown field "spec.a", duplicate field "b", unknown field "metadata.labels.x\\"y"').map((f) => f.field)).toEqual([
      'spec.a',
      'b',
      'metadata.labels.x"y',
    ]);
  });
});

describe('objectToYaml and withResourceVersion', () => {
  const obj: K8sResource = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'x', resourceVersion: '41', managedFields: [{ manager: 'kubectl', operation: 'Update' }] },
    data: { long: 'x'.repeat(200) },
  };

  it('hides managedFields unless asked, and never folds long lines', () => {
    expect(objectToYaml(obj)).not.toContain('managedFields');
    expect(objectToYaml(obj, { managedFields: true })).toContain('manager: kubectl');
    expect(objectToYaml(obj)).toContain(`long: ${'x'.repeat(200)}\n`);
  });

  it('puts apiVersion, kind and metadata first and status last, whatever order the server used', () => {
    const sorted = { apiVersion: 'v1', data: { a: 'b' }, kind: 'ConfigMap', metadata: { name: 'x' }, status: { phase: 'x' }, zeta: 1 } as K8sResource;
    expect(
      objectToYaml(sorted)
        .split('\n')
        .filter((l) => /^\S/.test(l))
        .map((l) => l.split(':')[0]),
    ).toEqual(['apiVersion', 'kind', 'metadata', 'data', 'zeta', 'status']);
  });

  it('keeps resourceVersion a string and comments in place when it moves on', () => {
    const text = `# mine\n${objectToYaml(obj)}`;
    const next = withResourceVersion(text, '57')!;
    expect(next).toContain('# mine');
    expect(parseManifests(next).docs[0]!.value).toMatchObject({ metadata: { resourceVersion: '57' } });
    expect(withResourceVersion('a: [', '1')).toBeUndefined();
  });
});
