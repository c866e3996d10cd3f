import { describe, expect, it } from 'vitest';
import { type DataVolumeForm, dataVolumeFromForm, emptyDataVolumeForm, formFieldOf, sizeFieldsAtLeast, validateDataVolumeForm } from './createForm';

const form = (over: Partial<DataVolumeForm>): DataVolumeForm => ({ ...emptyDataVolumeForm('team-a'), name: 'fedora', url: 'https://example.com/f.qcow2', storageClassName: 'kura-local', ...over });
const ctx = { existingDataVolumes: ['taken'], existingClaims: ['claim-taken'] };

describe('dataVolumeFromForm', () => {
  it('makes a DataVolume with spec.storage, labels and the immediate-binding annotation', () => {
    expect(dataVolumeFromForm(form({ secretRef: ' creds ', bindImmediately: true, bootable: true, preference: 'fedora' }))).toEqual({
      apiVersion: 'cdi.kubevirt.io/v1beta1',
      kind: 'DataVolume',
      metadata: {
        name: 'fedora',
        namespace: 'team-a',
        labels: { 'kura.dev/bootable': 'true', 'instancetype.kubevirt.io/default-preference': 'fedora' },
        annotations: { 'cdi.kubevirt.io/storage.bind.immediate.requested': 'true' },
      },
      spec: {
        source: { http: { url: 'https://example.com/f.qcow2', secretRef: 'creds' } },
        storage: { resources: { requests: { storage: '10Gi' } }, storageClassName: 'kura-local' },
      },
    });
  });

  it.each<[string, Partial<DataVolumeForm>, unknown]>([
    ['s3', { source: 's3', s3Url: 'https://s3.example.com/b/d.img', s3SecretRef: 'keys' }, { s3: { url: 'https://s3.example.com/b/d.img', secretRef: 'keys' } }],
    ['registry', { source: 'registry', registryUrl: 'docker://quay.io/containerdisks/fedora:40', registryInsecure: true }, { registry: { url: 'docker://quay.io/containerdisks/fedora:40' } }],
    ['upload', { source: 'upload' }, { upload: {} }],
    ['clone', { source: 'pvc', pvcName: 'base' }, { pvc: { namespace: 'team-a', name: 'base' } }],
    ['snapshot', { source: 'snapshot', snapshotName: 's1' }, { snapshot: { namespace: 'team-a', name: 's1' } }],
    ['blank', { source: 'blank' }, { blank: {} }],
  ])('source %s', (_n, over, source) => {
    expect(dataVolumeFromForm(form(over)).spec?.source).toEqual(source);
  });

  it('lets a clone take its size from the source', () => {
    expect(dataVolumeFromForm(form({ source: 'pvc', pvcName: 'base', size: '' })).spec?.storage).toEqual({ storageClassName: 'kura-local' });
  });

  it('leaves out the bootable labels unless asked', () => {
    expect(dataVolumeFromForm(form({ preference: 'fedora' })).metadata).toEqual({ name: 'fedora', namespace: 'team-a' });
  });
});

describe('validateDataVolumeForm', () => {
  it.each<[string, Partial<DataVolumeForm>, Record<string, string>]>([
    ['valid', {}, {}],
    ['no name', { name: '' }, { name: 'Give the DataVolume a name, such as fedora-disk.' }],
    ['capitals', { name: 'Fedora' }, { name: 'Use lower case letters only.' }],
    ['dots are not allowed', { name: 'fedora.40' }, { name: 'Use only lower case letters, digits and "-".' }],
    ['too long', { name: 'a'.repeat(64) }, { name: 'Too long: 64 characters, at most 63.' }],
    ['taken', { name: 'taken' }, { name: 'A DataVolume named taken already exists in namespace team-a.' }],
    ['a claim has the name', { name: 'claim-taken' }, { name: expect.stringContaining('PersistentVolumeClaim named claim-taken already exists') as unknown as string }],
    ['no URL', { url: '' }, { url: 'Enter the URL of the disk image.' }],
    ['ftp', { url: 'ftp://example.com/x.img' }, { url: 'The URL must start with http:// or https://' }],
    ['password in the URL', { url: 'https://u:p@example.com/x.img' }, { url: expect.stringContaining('Remove the user name and password') as unknown as string }],
    ['a bad Secret name', { secretRef: 'My Secret' }, { secretRef: expect.stringContaining('is not a valid Secret name') as unknown as string }],
    ['a bad ConfigMap name', { certConfigMap: 'CA!' }, { certConfigMap: expect.stringContaining('is not a valid ConfigMap name') as unknown as string }],
    ['an S3 URL without an object', { source: 's3', s3Url: 'https://s3.example.com/bucket' }, { url: expect.stringContaining('must name the bucket and the object') as unknown as string }],
    ['a registry URL over https', { source: 'registry', registryUrl: 'https://quay.io/x' }, { url: 'The URL must start with docker:// or oci-archive://' }],
    ['no size', { size: '' }, { size: 'Say how big the disk should be.' }],
    ['not a number', { size: 'ten' }, { size: 'ten is not a number.' }],
    ['too small', { size: '0.5', unit: 'Mi' }, { size: 'A disk must hold at least 1 MiB; 512 KiB is too small.' }],
    ['a clone without its source', { source: 'pvc' }, { sourceName: 'Choose the PersistentVolumeClaim to clone.' }],
    ['a clone of itself', { source: 'pvc', pvcName: 'fedora' }, { sourceName: 'A disk cannot be copied from itself: choose another PersistentVolumeClaim.' }],
    ['a snapshot without its source', { source: 'snapshot', size: '' }, { sourceName: 'Choose the VolumeSnapshot to start from.' }],
    ['a bad preference', { bootable: true, preference: 'not valid!' }, { preference: expect.stringContaining('A preference name') as unknown as string }],
  ])('%s', (_n, over, want) => {
    expect(validateDataVolumeForm(form(over), ctx).problems).toEqual(want);
  });

  it('wants a clone at least as large as its source', () => {
    expect(validateDataVolumeForm(form({ source: 'pvc', pvcName: 'base', size: '1' }), { ...ctx, sourceMinBytes: 2 * 2 ** 30 }).problems).toEqual({
      size: 'At least 2 GiB: the disk must hold everything its source holds (or leave the size empty to match it).',
    });
    expect(validateDataVolumeForm(form({ source: 'pvc', pvcName: 'base', size: '' }), { ...ctx, sourceMinBytes: 2 * 2 ** 30 }).problems).toEqual({});
  });

  it('passes on warnings', () => {
    expect(validateDataVolumeForm(form({ url: 'http://example.com/x.img', secretRef: 'creds' }), ctx).warnings[0]).toContain('plain http://');
  });

  it.each<[string, string]>([
    ['spec.source.http.url', 'url'],
    ['spec.source.registry', 'url'],
    ['spec.source.s3.secretRef', 'secretRef'],
    ['spec.source.pvc.name', 'sourceName'],
    ['spec.storage.resources.requests[storage]', 'size'],
    ['spec.contentType', 'form'],
  ])('puts %s under %s', (path, field) => {
    expect(formFieldOf(path)).toBe(field);
  });
});

describe('sizeFieldsAtLeast', () => {
  it.each<[number, { size: string; unit: string }]>([
    [20 * 2 ** 30, { size: '20', unit: 'Gi' }],
    [3 * 2 ** 30 + 2 ** 20, { size: '3.1', unit: 'Gi' }],
    [300 * 2 ** 20 + 1, { size: '301', unit: 'Mi' }],
    [2 ** 40 * 1.25, { size: '1.3', unit: 'Ti' }],
  ])('%i bytes', (bytes, want) => {
    expect(sizeFieldsAtLeast(bytes)).toEqual(want);
  });
});
