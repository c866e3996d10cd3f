import { describe, expect, it } from 'vitest';
import { getClaimCurrentBytes, getClaimRequestBytes, getClaimVolumeMode, validateClaim } from './claims';
import { GiB } from './bytes';
import { kuraLocal, kuraShared, makeClaim, makeClass } from './testing';

const local = kuraLocal();
const shared = kuraShared();
const classes = [local, shared];

describe('claim selectors', () => {
  it('reads sizes and modes with defaults', () => {
    const pvc = makeClaim({ size: '20Gi' }, { status: { phase: 'Bound', capacity: { storage: '25Gi' } } });
    expect(getClaimRequestBytes(pvc)).toBe(20 * GiB);
    expect(getClaimCurrentBytes(pvc)).toBe(25 * GiB);
    expect(getClaimCurrentBytes(makeClaim({ size: '20Gi' }))).toBe(20 * GiB);
    expect(getClaimVolumeMode(pvc)).toBe('Filesystem');
    expect(getClaimRequestBytes(makeClaim({ size: null }))).toBeUndefined();
  });
});

describe('validateClaim', () => {
  it.each([
    ['RWO on kura-local', makeClaim(), local],
    ['RWOP on kura-local', makeClaim({ accessModes: ['ReadWriteOncePod'] }), local],
    ['RWX Block on kura-shared', makeClaim({ accessModes: ['ReadWriteMany'], volumeMode: 'Block' }), shared],
    ['a clone of a claim', makeClaim({ dataSource: { kind: 'PersistentVolumeClaim', name: 'golden' } }), local],
    ['a snapshot restore', makeClaim({ dataSourceRef: { apiGroup: 'snapshot.storage.k8s.io', kind: 'VolumeSnapshot', name: 's1' } }), local],
    ["CDI's import populator", makeClaim({ dataSourceRef: { apiGroup: 'cdi.kubevirt.io', kind: 'VolumeImportSource', name: 'src' } }), shared],
    ['matching dataSource and dataSourceRef', makeClaim({ dataSource: { kind: 'PersistentVolumeClaim', name: 'a' }, dataSourceRef: { kind: 'PersistentVolumeClaim', name: 'a' } }), local],
    ['limits equal to requests', makeClaim({ resources: { requests: { storage: '10Gi' }, limits: { storage: '10Gi' } } }), local],
    ['RWX on an unknown driver: not ours to refuse', makeClaim({ accessModes: ['ReadWriteMany'] }), makeClass('ceph', 'rbd.csi.ceph.com')],
    ['any populator on an unknown driver', makeClaim({ dataSourceRef: { apiGroup: 'example.com', kind: 'Thing', name: 'x' } }), makeClass('ceph', 'rbd.csi.ceph.com')],
    ['no class at all', makeClaim(), undefined],
  ])('accepts %s', (_, pvc, sc) => {
    expect(validateClaim(pvc, sc, { classes })).toEqual([]);
  });

  it.each([
    ['RWX on kura-local', makeClaim({ accessModes: ['ReadWriteMany'] }), local, 'spec.accessModes[0]', 'kura-local volumes are node-local and cannot be ReadWriteMany; use kura-shared for volumes several nodes mount'],
    ['ROX on kura-local', makeClaim({ accessModes: ['ReadWriteOnce', 'ReadOnlyMany'] }), local, 'spec.accessModes[1]', 'kura-local volumes are node-local and cannot be ReadOnlyMany; use kura-shared for volumes several nodes read'],
    ['no access mode', makeClaim({ accessModes: [] }), local, 'spec.accessModes', 'at least 1 access mode is required (ReadWriteOnce for a disk one VM uses)'],
    ['an unknown access mode', makeClaim({ accessModes: ['ReadWriteSome'] }), local, 'spec.accessModes[0]', 'supported values: "ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod"'],
    ['RWOP with another mode', makeClaim({ accessModes: ['ReadWriteOncePod', 'ReadWriteOnce'] }), shared, 'spec.accessModes', 'may not use ReadWriteOncePod with other access modes'],
    ['an unknown volumeMode', makeClaim({ volumeMode: 'Raw' }), local, 'spec.volumeMode', 'supported values: "Block", "Filesystem"'],
    ['no size', makeClaim({ size: null }), local, 'spec.resources.requests[storage]', 'say how big the volume should be, such as 10Gi'],
    ['a size that is not one', makeClaim({ size: 'ten gigs' }), local, 'spec.resources.requests[storage]', "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"],
    ['a zero size', makeClaim({ size: '0' }), local, 'spec.resources.requests[storage]', 'must be greater than zero'],
    ['a negative size', makeClaim({ size: '-1Gi' }), local, 'spec.resources.requests[storage]', 'must be greater than zero'],
    ['a size past 8 PiB', makeClaim({ size: '10Pi' }), local, 'spec.resources.requests[storage]', '10Pi is 8 PiB or more, beyond what Kura can account exactly'],
    ['limits below requests', makeClaim({ resources: { requests: { storage: '10Gi' }, limits: { storage: '5Gi' } } }), local, 'spec.resources.requests[storage]', 'must be less than or equal to the storage limit (5Gi)'],
    ['a limit that is not a size', makeClaim({ resources: { requests: { storage: '10Gi' }, limits: { storage: 'x' } } }), local, 'spec.resources.limits[storage]', "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"],
    ['a core kind that is not a claim', makeClaim({ dataSource: { kind: 'ConfigMap', name: 'x' } }), local, 'spec.dataSource.kind', "must be 'PersistentVolumeClaim' when referencing the default apiGroup"],
    ['a snapshot without its group', makeClaim({ dataSourceRef: { apiGroup: 'example.com', kind: 'VolumeSnapshot', name: 's' } }), local, 'spec.dataSourceRef.apiGroup', 'a VolumeSnapshot is in the snapshot.storage.k8s.io group'],
    ['a source without a name', makeClaim({ dataSource: { kind: 'PersistentVolumeClaim' } }), local, 'spec.dataSource.name', 'name the object to copy the data from'],
    ['a source without a kind', makeClaim({ dataSourceRef: { name: 'x' } }), local, 'spec.dataSourceRef.kind', 'PersistentVolumeClaim, VolumeSnapshot or a populator kind'],
    ['a populator Kura does not run', makeClaim({ dataSourceRef: { apiGroup: 'example.com', kind: 'Thing', name: 'x' } }), local, 'spec.dataSourceRef.kind', "kura-local can fill a volume from a PersistentVolumeClaim, a VolumeSnapshot or CDI's VolumeImportSource, VolumeUploadSource, VolumeCloneSource; nothing here populates from Thing.example.com"],
    ['dataSource and dataSourceRef that differ', makeClaim({ dataSource: { kind: 'PersistentVolumeClaim', name: 'a' }, dataSourceRef: { kind: 'PersistentVolumeClaim', name: 'b' } }), local, 'spec.dataSource', 'must match dataSourceRef'],
  ])('refuses %s', (_, pvc, sc, field, detail) => {
    const errors = validateClaim(pvc, sc, { classes });
    expect(errors.map((e) => [e.field, e.detail])).toEqual([[field, detail]]);
  });

  it('says when no class offers the mode', () => {
    const [error] = validateClaim(makeClaim({ accessModes: ['ReadWriteMany'] }), local, { classes: [local] });
    expect(error?.detail).toBe('kura-local volumes are node-local and cannot be ReadWriteMany; no StorageClass here offers ReadWriteMany');
    expect(error?.message).toBe('Unsupported value: "ReadWriteMany": ' + error?.detail);
    expect(error?.reason).toBe('FieldValueNotSupported');
  });
});
