import { describe, expect, it } from 'vitest';
import {
  decodePathElement,
  encodePathElement,
  fieldSetFromFieldsV1,
  fieldsV1FromSet,
  FieldsV1Error,
  formatFieldPath,
  isBelow,
  pathFromKey,
  pathKey,
  type FieldPath,
  type PathElement,
} from './fieldset';

describe('path elements', () => {
  it.each<[PathElement, string]>([
    [{ field: 'spec' }, 'f:spec'],
    [{ field: 'kubevirt.io/vm' }, 'f:kubevirt.io/vm'],
    [{ key: { name: 'nginx' } }, 'k:{"name":"nginx"}'],
    // Key fields are written sorted, as structured-merge-diff does.
    [{ key: { protocol: 'TCP', containerPort: 80 } }, 'k:{"containerPort":80,"protocol":"TCP"}'],
    [{ value: 'kubernetes.io/pvc-protection' }, 'v:"kubernetes.io/pvc-protection"'],
    [{ value: 3 }, 'v:3'],
    [{ index: 2 }, 'i:2'],
  ])('%j ⇄ %s', (element, text) => {
    expect(encodePathElement(element)).toBe(text);
    expect(encodePathElement(decodePathElement(text))).toBe(text);
  });

  it.each(['x:foo', 'k:notjson', 'k:[1]', 'i:-1', 'v:'])('rejects %j', (text) => {
    expect(() => decodePathElement(text)).toThrow(FieldsV1Error);
  });
});

describe('formatFieldPath (as conflicts print paths)', () => {
  it.each<[FieldPath, string]>([
    [[{ field: 'spec' }, { field: 'replicas' }], '.spec.replicas'],
    [[{ field: 'spec' }, { field: 'containers' }, { key: { name: 'nginx' } }, { field: 'image' }], '.spec.containers[name="nginx"].image'],
    [[{ field: 'ports' }, { key: { protocol: 'TCP', containerPort: 80 } }], '.ports[containerPort=80,protocol="TCP"]'],
    [[{ field: 'metadata' }, { field: 'finalizers' }, { value: 'a' }], '.metadata.finalizers[="a"]'],
    [[{ field: 'args' }, { index: 3 }], '.args[3]'],
    [[], ''],
  ])('%j → %s', (path, text) => {
    expect(formatFieldPath(path)).toBe(text);
  });
});

describe('FieldsV1 encoding', () => {
  const paths: FieldPath[] = [
    [{ field: 'metadata' }, { field: 'labels' }, { field: 'app' }],
    [{ field: 'spec' }, { field: 'replicas' }],
    [{ field: 'spec' }, { field: 'containers' }, { key: { name: 'nginx' } }],
    [{ field: 'spec' }, { field: 'containers' }, { key: { name: 'nginx' } }, { field: 'name' }],
    [{ field: 'spec' }, { field: 'containers' }, { key: { name: 'nginx' } }, { field: 'image' }],
    [{ field: 'metadata' }, { field: 'finalizers' }, { value: 'a' }],
  ];
  const encoded = {
    'f:metadata': { 'f:finalizers': { 'v:"a"': {} }, 'f:labels': { 'f:app': {} } },
    'f:spec': {
      'f:containers': { 'k:{"name":"nginx"}': { '.': {}, 'f:image': {}, 'f:name': {} } },
      'f:replicas': {},
    },
  };

  it('writes a set the way managedFields holds it, in order', () => {
    const fields = fieldsV1FromSet(paths.map(pathKey));
    expect(JSON.stringify(fields)).toBe(JSON.stringify(encoded));
  });

  it('reads it back to the same set', () => {
    const set = fieldSetFromFieldsV1(encoded);
    expect([...set].sort()).toEqual(paths.map(pathKey).sort());
  });

  it('reads FieldsV1 as the API server writes it for a Deployment', () => {
    const real = JSON.parse(
      '{"f:metadata":{"f:annotations":{".":{},"f:deployment.kubernetes.io/revision":{}}},"f:spec":{"f:template":{"f:spec":{"f:containers":{"k:{\\"name\\":\\"nginx\\"}":{".":{},"f:ports":{".":{},"k:{\\"containerPort\\":80,\\"protocol\\":\\"TCP\\"}":{".":{},"f:containerPort":{}}}}}}},"f:selector":{}}}',
    ) as unknown;
    const printed = [...fieldSetFromFieldsV1(real)].map((k) => formatFieldPath(pathFromKey(k))).sort();
    expect(printed).toEqual([
      '.metadata.annotations',
      '.metadata.annotations.deployment.kubernetes.io/revision',
      '.spec.selector',
      '.spec.template.spec.containers[name="nginx"]',
      '.spec.template.spec.containers[name="nginx"].ports',
      '.spec.template.spec.containers[name="nginx"].ports[containerPort=80,protocol="TCP"]',
      '.spec.template.spec.containers[name="nginx"].ports[containerPort=80,protocol="TCP"].containerPort',
    ]);
    expect(fieldsV1FromSet(fieldSetFromFieldsV1(real))).toEqual(real);
  });

  it.each([[[]], ['x'], [{ 'f:a': 1 }], [{ 'q:a': {} }]])('rejects malformed FieldsV1 %j', (bad) => {
    expect(() => fieldSetFromFieldsV1(bad)).toThrow(FieldsV1Error);
  });

  it('knows which paths lie below others', () => {
    const spec = pathKey([{ field: 'spec' }]);
    expect(isBelow(pathKey([{ field: 'spec' }, { field: 'x' }]), spec)).toBe(true);
    expect(isBelow(spec, spec)).toBe(false);
    expect(isBelow(pathKey([{ field: 'specs' }]), spec)).toBe(false);
    expect(isBelow(spec, '[]')).toBe(true);
  });
});
