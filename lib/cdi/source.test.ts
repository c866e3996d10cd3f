import { describe, expect, it } from 'vitest';
import { EMBEDDED_SOURCE_KINDS, getDataVolumeSourceKind, isCloneSource, validateDataVolumeSpec } from './source';
import type { DataVolumeSpec } from './types';

const storage = (size: string | null = '10Gi', extra: Record<string, unknown> = {}) => ({
  ...(size === null ? {} : { resources: { requests: { storage: size } } }),
  ...extra,
});
const spec = (source: DataVolumeSpec['source'], over: Partial<DataVolumeSpec> = {}): DataVolumeSpec => ({ source, storage: storage(), ...over });
const http = (url: string, extra: Record<string, unknown> = {}) => spec({ http: { url, ...extra } });

describe('validateDataVolumeSpec accepts', () => {
  it.each<[string, DataVolumeSpec]>([
    ['an https import', http('https://cloud.example.com/images/fedora.qcow2')],
    ['an http import with a port and a query', http('http://10.0.0.5:8080/disk.img?token=abc')],
    ['basic auth, a CA and headers', http('https://mirror.internal/disk.qcow2', { secretRef: 'mirror-creds', certConfigMap: 'mirror-ca', extraHeaders: ['Accept: */*'], secretExtraHeaders: ['hdr-secret'] })],
    ['an S3 object', spec({ s3: { url: 'https://s3.example.com/bucket/dir/disk.qcow2', secretRef: 's3-creds' } })],
    ['a docker registry image', spec({ registry: { url: 'docker://quay.io/containerdisks/fedora:40', pullMethod: 'node' } })],
    ['a registry image by digest', spec({ registry: { url: `docker://quay.io/x/y@sha256:${'a'.repeat(64)}` } })],
    ['an oci archive', spec({ registry: { url: 'oci-archive:///images/disk.tar' } })],
    ['an image stream pulled by the node', spec({ registry: { imageStream: 'fedora', pullMethod: 'node' } })],
    ['an upload', spec({ upload: {} })],
    ['a blank disk', spec({ blank: {} })],
    ['a clone without a size (storage API)', spec({ pvc: { namespace: 'golden', name: 'fedora' } }, { storage: storage(null) })],
    ['a snapshot clone', spec({ snapshot: { namespace: 'vms', name: 'snap-1' } })],
    ['a DataSource reference without a size', { sourceRef: { kind: 'DataSource', name: 'fedora', namespace: 'os-images' }, storage: storage(null) }],
    ['spec.pvc with one access mode', { source: { blank: {} }, pvc: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
    ['an archive import', spec({ http: { url: 'https://x.example/files.tar' } }, { contentType: 'archive' })],
    ['external population', { storage: { ...storage(), dataSourceRef: { apiGroup: 'cdi.kubevirt.io', kind: 'VolumeImportSource', name: 'src' } } }],
    ['exactly 1Mi', spec({ blank: {} }, { storage: storage('1Mi') })],
  ])('%s', (_, s) => {
    expect(validateDataVolumeSpec(s, { namespace: 'vms', name: 'disk' }).errors).toEqual([]);
  });
});

describe('validateDataVolumeSpec refuses', () => {
  it.each<[string, DataVolumeSpec | undefined, string, string, string?]>([
    // [case, spec, field, form sentence, part of the API message]
    ['no spec', undefined, 'spec', 'The DataVolume has no spec.'],
    ['no source at all', { storage: storage() }, 'spec.source', "Choose where the disk's data comes from.", 'Required value'],
    ['two sources', spec({ http: { url: 'https://a.example/x' }, blank: {} }), 'spec.source', 'Choose one source: this DataVolume names http and blank.', 'Invalid value: ["http","blank"]'],
    ['source and sourceRef', { source: { blank: {} }, sourceRef: { kind: 'DataSource', name: 'x' }, storage: storage() }, 'spec.sourceRef', 'Give either a source or a DataSource reference, not both.'],
    ['an empty URL', http(''), 'spec.source.http.url', 'Enter the URL of the disk image.', 'HTTP source URL is empty'],
    ['an ftp URL', http('ftp://files.example.com/disk.img'), 'spec.source.http.url', 'The URL must start with http:// or https://', 'invalid HTTP source URL scheme "ftp"'],
    ['a file URL', http('file:///etc/passwd'), 'spec.source.http.url', 'The URL must start with http:// or https://'],
    ['a URL without a scheme', http('example.com/disk.img'), 'spec.source.http.url', 'The URL must start with http:// or https://'],
    ['a URL with spaces', http('https://example.com/my disk.img'), 'spec.source.http.url', 'The URL contains spaces or line breaks; write spaces as %20.'],
    ['https:// alone', http('https://'), 'spec.source.http.url', 'The URL is not valid.'],
    ['credentials in an http URL', http('https://admin:hunter2@mirror.example.com/disk.qcow2'), 'spec.source.http.url',
      'Remove the user name and password from the URL and put them in a Secret (keys accessKeyId and secretKey) named in secretRef.', 'Forbidden: credentials embedded'],
    ['a user name alone in the URL', http('https://admin@mirror.example.com/disk.qcow2'), 'spec.source.http.url',
      'Remove the user name and password from the URL and put them in a Secret (keys accessKeyId and secretKey) named in secretRef.'],
    ['a bad Secret name', http('https://a.example/x', { secretRef: 'My_Secret' }), 'spec.source.http.secretRef', `"My_Secret" is not a valid Secret name: use lower-case letters, digits, '-' and '.'.`],
    ['a bad ConfigMap name', http('https://a.example/x', { certConfigMap: 'CA!' }), 'spec.source.http.certConfigMap', `"CA!" is not a valid ConfigMap name: use lower-case letters, digits, '-' and '.'.`],
    ['a header without a colon', http('https://a.example/x', { extraHeaders: ['Accept */*'] }), 'spec.source.http.extraHeaders[0]', 'Header 1 must look like "Name: value", on one line.'],
    ['a header smuggling a line break', http('https://a.example/x', { extraHeaders: ['X-A: 1\r\nHost: evil'] }), 'spec.source.http.extraHeaders[0]', 'Header 1 must look like "Name: value", on one line.'],
    ['headers that are not a list', http('https://a.example/x', { extraHeaders: 'Accept: */*' }), 'spec.source.http.extraHeaders', 'Extra headers must be a list of lines such as "Accept: */*".'],
    ['a bad secret header name', http('https://a.example/x', { secretExtraHeaders: [''] }), 'spec.source.http.secretExtraHeaders[0]', 'Enter the name of the Secret.'],
    ['an S3 URL without an object', spec({ s3: { url: 'https://s3.example.com/bucket' } }), 'spec.source.s3.url',
      'An S3 URL must name the bucket and the object, as in https://s3.example.com/bucket/disk.qcow2.'],
    ['an s3:// URL', spec({ s3: { url: 's3://bucket/disk.qcow2' } }), 'spec.source.s3.url', 'The URL must start with http:// or https://'],
    ['credentials in an S3 URL', spec({ s3: { url: 'https://key:secret@s3.example.com/b/o' } }), 'spec.source.s3.url',
      'Remove the user name and password from the URL and put them in a Secret (keys accessKeyId and secretKey) named in secretRef.'],
    ['a registry URL over https', spec({ registry: { url: 'https://quay.io/x/y' } }), 'spec.source.registry.url', 'The URL must start with docker:// or oci-archive://'],
    ['a registry URL naming nothing', spec({ registry: { url: 'docker://' } }), 'spec.source.registry.url', 'Name the image after the scheme, as in docker://quay.io/containerdisks/fedora:40.'],
    ['credentials in a registry URL', spec({ registry: { url: 'docker://u:p@quay.io/x/y' } }), 'spec.source.registry.url',
      'Remove the user name and password from the URL and put them in a Secret (keys accessKeyId and secretKey) named in secretRef.'],
    ['a registry with url and imageStream', spec({ registry: { url: 'docker://quay.io/x', imageStream: 'x', pullMethod: 'node' } }), 'spec.source.registry', 'Give either an image URL or an image stream, not both.'],
    ['a registry with neither', spec({ registry: {} }), 'spec.source.registry', 'Enter the image, as in docker://quay.io/containerdisks/fedora:40.'],
    ['an unknown pull method', spec({ registry: { url: 'docker://quay.io/x', pullMethod: 'magic' } }), 'spec.source.registry.pullMethod',
      'The pull method is "pod" (CDI pulls the image) or "node" (the node\'s container runtime pulls it).'],
    ['an image stream pulled by a pod', spec({ registry: { imageStream: 'fedora' } }), 'spec.source.registry.pullMethod', 'An image stream can only be pulled by the node: set the pull method to "node".'],
    ['a registry archive', spec({ registry: { url: 'docker://quay.io/x' } }, { contentType: 'archive' }), 'spec.contentType', 'A container image holds a disk: its content type is "kubevirt".'],
    ['a blank archive', spec({ blank: {} }, { contentType: 'archive' }), 'spec.contentType', 'A blank disk has no files to unpack: use content type "kubevirt".'],
    ['an unknown content type', spec({ blank: {} }, { contentType: 'iso' }), 'spec.contentType', 'The content type is "kubevirt" (a disk image) or "archive" (a tar of files).'],
    ['a clone without a namespace', spec({ pvc: { name: 'fedora' } }), 'spec.source.pvc.namespace', 'Choose the namespace the source is in.'],
    ['a clone without a name', spec({ pvc: { namespace: 'golden' } }), 'spec.source.pvc.name', 'Enter the name of the PersistentVolumeClaim.'],
    ['a clone into itself', spec({ pvc: { namespace: 'vms', name: 'disk' } }), 'spec.source.pvc.name', 'A disk cannot be copied from itself: choose another PersistentVolumeClaim.'],
    ['a snapshot without a name', spec({ snapshot: { namespace: 'vms' } }), 'spec.source.snapshot.name', 'Enter the name of the VolumeSnapshot.'],
    ['a bad namespace', spec({ snapshot: { namespace: 'Vms', name: 's' } }), 'spec.source.snapshot.namespace', '"Vms" is not a valid namespace name.'],
    ['a sourceRef to a PVC', { sourceRef: { kind: 'PersistentVolumeClaim', name: 'x' }, storage: storage() }, 'spec.sourceRef.kind', 'A source reference can only name a DataSource.'],
    ['a sourceRef without a kind', { sourceRef: { name: 'x' }, storage: storage() }, 'spec.sourceRef.kind', 'The source reference names a DataSource: set kind to DataSource.'],
    ['a sourceRef without a name', { sourceRef: { kind: 'DataSource' }, storage: storage() }, 'spec.sourceRef.name', 'Enter the name of the DataSource.'],
    ['external population with a source', { source: { blank: {} }, storage: { ...storage(), dataSourceRef: { apiGroup: 'x.io', kind: 'X', name: 'y' } } }, 'spec.storage.dataSourceRef',
      'A volume filled by a populator cannot also have a source: remove one of them.'],
    ['no target', { source: { blank: {} } }, 'spec.storage', 'Say how big the disk should be and where to keep it.'],
    ['both targets', { source: { blank: {} }, storage: storage(), pvc: { accessModes: ['ReadWriteOnce'], ...storage() } }, 'spec.pvc', 'Use either storage or pvc, not both.'],
    ['an import without a size', spec({ blank: {} }, { storage: storage(null) }), 'spec.storage.resources.requests[storage]', 'Say how big the disk should be, such as 10Gi.', 'Storage size is missing'],
    ['a clone through spec.pvc without a size', { source: { pvc: { namespace: 'a', name: 'b' } }, pvc: { accessModes: ['ReadWriteOnce'] } }, 'spec.pvc.resources.requests[storage]', 'Say how big the disk should be, such as 10Gi.', 'PVC size is missing'],
    ['a size that is not one', spec({ blank: {} }, { storage: storage('ten gigs') }), 'spec.storage.resources.requests[storage]', '"ten gigs" is not a size: write it like 10Gi or 512Mi.'],
    ['a zero size', spec({ blank: {} }, { storage: storage('0') }), 'spec.storage.resources.requests[storage]', 'The size must be greater than zero.'],
    ['a size under 1 MiB', spec({ blank: {} }, { storage: storage('512Ki') }), 'spec.storage.resources.requests[storage]', 'A disk must hold at least 1 MiB; 512 KiB is too small.'],
    ['spec.pvc without access modes', { source: { blank: {} }, pvc: storage() }, 'spec.pvc.accessModes', 'Choose an access mode (ReadWriteOnce for a disk one VM uses).'],
    ['spec.pvc with two access modes', { source: { blank: {} }, pvc: { accessModes: ['ReadWriteOnce', 'ReadWriteMany'], ...storage() } }, 'spec.pvc.accessModes', 'Choose one access mode.'],
    ['an unknown access mode', spec({ blank: {} }, { storage: storage('1Gi', { accessModes: ['ReadWriteSome'] }) }), 'spec.storage.accessModes[0]', '"ReadWriteSome" is not an access mode.'],
    ['an unknown volume mode', spec({ blank: {} }, { storage: storage('1Gi', { volumeMode: 'Raw' }) }), 'spec.storage.volumeMode', 'The volume mode is Filesystem or Block.'],
    ['an archive on Block', spec({ http: { url: 'https://a.example/f.tar' } }, { contentType: 'archive', storage: storage('1Gi', { volumeMode: 'Block' }) }), 'spec.storage.volumeMode',
      'Files unpacked from an archive need a filesystem: use volume mode Filesystem.'],
    ['a bad class name', spec({ blank: {} }, { storage: storage('1Gi', { storageClassName: 'Fast_SSD' }) }), 'spec.storage.storageClassName', '"Fast_SSD" is not a valid StorageClass name.'],
  ])('%s', (_, s, field, sentence, apiPart) => {
    const { errors } = validateDataVolumeSpec(s, { namespace: 'vms', name: 'disk' });
    const e = errors.find((x) => x.field === field);
    expect(e, JSON.stringify(errors)).toBeDefined();
    expect(e?.detail).toBe(sentence);
    if (apiPart) expect(e?.message).toContain(apiPart);
  });

  it('never prints the password of a URL in its messages', () => {
    const { errors } = validateDataVolumeSpec(http('https://admin:hunter2@mirror.example.com/disk.qcow2'));
    expect(JSON.stringify(errors)).not.toContain('hunter2');
  });

  it('reports every problem, not just the first', () => {
    const { errors } = validateDataVolumeSpec({ source: { http: { url: 'ftp://x', secretRef: 'Bad!' } }, storage: storage('0') });
    expect(errors.map((e) => e.field).sort()).toEqual(['spec.source.http.secretRef', 'spec.source.http.url', 'spec.storage.resources.requests[storage]']);
  });

  it.each([['gcs', { gcs: { url: 'gs://bucket/disk.img' } }], ['vddk', { vddk: {} }], ['imageio', { imageio: {} }]])(
    "refuses %s where only Kura's embedded sources are supported",
    (kind, source) => {
      const { errors } = validateDataVolumeSpec(spec(source), { supportedSources: EMBEDDED_SOURCE_KINDS });
      expect(errors).toHaveLength(1);
      expect(errors[0]?.reason).toBe('FieldValueNotSupported');
      expect(errors[0]?.field).toBe(`spec.source.${kind}`);
      expect(errors[0]?.detail).toBe(`This cluster cannot import from ${kind}; it imports from http, s3, registry, pvc, snapshot, upload, blank.`);
    },
  );
});

describe('validateDataVolumeSpec warns', () => {
  it.each([
    ['a token in extraHeaders', http('https://a.example/x', { extraHeaders: ['Authorization: Bearer abc'] }), 'spec.source.http.extraHeaders[0] carries Authorization in plain text'],
    ['credentials over plain http', http('http://a.example/x', { secretRef: 'creds' }), 'is plain http:// but credentials are attached'],
  ])('about %s', (_, s, text) => {
    const { errors, warnings } = validateDataVolumeSpec(s);
    expect(errors).toEqual([]);
    expect(warnings.join('\n')).toContain(text);
  });
});

describe('getDataVolumeSourceKind and isCloneSource', () => {
  it.each<[DataVolumeSpec | undefined, string | undefined, boolean]>([
    [http('https://a.example/x'), 'http', false],
    [spec({ upload: {} }), 'upload', false],
    [spec({ pvc: { namespace: 'a', name: 'b' } }), 'pvc', true],
    [spec({ snapshot: { namespace: 'a', name: 'b' } }), 'snapshot', true],
    [{ sourceRef: { kind: 'DataSource', name: 'x' } }, 'sourceRef', true],
    [{ storage: { dataSourceRef: { kind: 'X', name: 'y' } } }, 'external', false],
    [spec({ http: { url: 'x' }, s3: { url: 'y' } }), undefined, false],
    [spec({ blank: null }), undefined, false],
    [undefined, undefined, false],
  ])('%j is %s', (s, kind, clone) => {
    expect(getDataVolumeSourceKind(s)).toBe(kind);
    expect(isCloneSource(s)).toBe(clone);
  });
});
