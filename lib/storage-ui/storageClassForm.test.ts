import { describe, expect, it } from 'vitest';
import { emptyStorageClassForm, nameProblem, setDefaultClassPatches, storageClassFromForm, type StorageClassForm, validateStorageClassForm } from './storageClassForm';

const form = (over: Partial<StorageClassForm>): StorageClassForm => ({ ...emptyStorageClassForm(), name: 'fast', provisioner: 'local.kura.dev', ...over });

describe('storageClassFromForm', () => {
  it('makes the StorageClass, default annotation and parameters included', () => {
    expect(storageClassFromForm(form({ isDefault: true, description: ' quick ', parameters: [{ key: 'kura.dev/image-format', value: 'qcow2' }, { key: ' ', value: '' }] }))).toEqual({
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: { name: 'fast', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true', description: 'quick' } },
      provisioner: 'local.kura.dev',
      parameters: { 'kura.dev/image-format': 'qcow2' },
      reclaimPolicy: 'Delete',
      volumeBindingMode: 'WaitForFirstConsumer',
      allowVolumeExpansion: true,
    });
  });
});

describe('validateStorageClassForm', () => {
  it.each<[string, Partial<StorageClassForm>, Record<string, string>]>([
    ['valid', {}, {}],
    ['no name', { name: '' }, { name: 'Give the class a name, such as fast-local.' }],
    ['bad name', { name: 'Fast_Local' }, { name: 'Use lower case letters only.' }],
    ['taken', { name: 'kura-local' }, { name: 'A StorageClass named kura-local already exists.' }],
    ['no driver', { provisioner: '' }, { provisioner: 'Name the CSI driver that makes the volumes, such as local.kura.dev.' }],
    ['bad Kura parameter', { parameters: [{ key: 'kura.dev/overprovision-ratio', value: '0.5' }] }, { 'parameters.0': expect.stringContaining('at least 1.0') as unknown as string }],
    ['unknown Kura parameter', { parameters: [{ key: 'kura.dev/speed', value: 'x' }] }, { 'parameters.0': expect.stringContaining('Kura has no such parameter') as unknown as string }],
    ['twice', { provisioner: 'example.com', parameters: [{ key: 'a', value: '1' }, { key: 'a', value: '2' }] }, { 'parameters.1': 'a is set twice.' }],
    ['value without key', { parameters: [{ key: '', value: 'x' }] }, { 'parameters.0': 'Give this parameter a name, or remove the row.' }],
  ])('%s', (_n, over, want) => {
    expect(validateStorageClassForm(form(over), ['kura-local']).problems).toEqual(want);
  });
  it('warns about Immediate binding on a node-local driver', () => {
    expect(validateStorageClassForm(form({ volumeBindingMode: 'Immediate' }), []).warnings[0]).toContain('WaitForFirstConsumer');
  });
});

describe('setDefaultClassPatches', () => {
  const sc = (name: string, annotations: Record<string, string> = {}) => ({ metadata: { name, annotations } });
  it('marks the new default first, then unmarks the old ones (GA and beta)', () => {
    const classes = [sc('a', { 'storageclass.kubernetes.io/is-default-class': 'true' }), sc('b'), sc('c', { 'storageclass.beta.kubernetes.io/is-default-class': 'true' })];
    expect(setDefaultClassPatches(classes, 'b')).toEqual([
      { name: 'b', patch: { metadata: { annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } } } },
      { name: 'a', patch: { metadata: { annotations: { 'storageclass.kubernetes.io/is-default-class': 'false' } } } },
      { name: 'c', patch: { metadata: { annotations: { 'storageclass.kubernetes.io/is-default-class': 'false', 'storageclass.beta.kubernetes.io/is-default-class': 'false' } } } },
    ]);
  });
  it('does nothing when the class is already the only default', () => {
    expect(setDefaultClassPatches([sc('a', { 'storageclass.kubernetes.io/is-default-class': 'true' }), sc('b')], 'a')).toEqual([]);
  });
});

describe('nameProblem', () => {
  it.each<[string, string | undefined]>([
    ['data-1', undefined],
    ['', undefined],
    ['Data', 'Use lower case letters only.'],
    ['-data', 'Start and end with a letter or a digit.'],
    ['a_b', 'Use only lower case letters, digits, "-" and "."; each part between dots starts and ends with a letter or digit.'],
    ['a'.repeat(254), 'Too long: 254 characters, at most 253.'],
  ])('%j', (name, want) => {
    expect(nameProblem(name)).toBe(want);
  });
});
