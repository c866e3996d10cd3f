import { describe, expect, it } from 'vitest';
import { GiB, KiB, MiB } from '../provisioning';
import {
  DEFAULT_FILESYSTEM_OVERHEAD,
  applyStorageProfile,
  filesystemOverheadFor,
  overheadForVolumeMode,
  parseFilesystemOverhead,
  renderTargetClaim,
  requiredPvcSize,
  usableSize,
} from './size';
import type { ClaimPropertySet, StorageProfile } from './types';

describe('requiredPvcSize', () => {
  it.each<[string, number, number, number]>([
    // [case, virtual size, overhead, claim]
    ['20 GiB at 5.5%: 20 GiB / 0.945, rounded up to 1 MiB', 20 * GiB, 0.055, 21672 * MiB],
    ['10 GiB at 5.5%', 10 * GiB, 0.055, 10836 * MiB],
    ['1 GiB at 10%', GiB, 0.1, 1138 * MiB],
    ['Block mode: no overhead, only alignment', 20 * GiB, 0, 20 * GiB],
    ['an odd virtual size is aligned to 1 MiB first', 10 * MiB + 1, 0, 11 * MiB],
    ['1 byte', 1, 0.055, 2 * MiB],
    ['0 bytes', 0, 0.055, 0],
    ['a 3-decimal overhead stays exact: 102400 MiB / 0.875 = 117028.57 MiB', 100 * GiB, 0.125, 117029 * MiB],
  ])('%s', (_, virtual, overhead, claim) => {
    expect(requiredPvcSize(virtual, overhead)).toBe(claim);
  });

  it.each([[-1], [1.5], [Number.NaN]])('refuses %s bytes', (v) => {
    expect(() => requiredPvcSize(v, 0.055)).toThrow(RangeError);
  });
  it.each([[1], [-0.1], [Number.POSITIVE_INFINITY]])('refuses an overhead of %s', (o) => {
    expect(() => requiredPvcSize(GiB, o)).toThrow(RangeError);
  });

  it.each([[1], [MiB - 1], [GiB + 12345], [20 * GiB], [37 * GiB + 3 * MiB + 17], [2 * 1024 * GiB]])(
    'holds what it was sized for: usableSize(requiredPvcSize(%i)) ≥ it',
    (virtual) => {
      for (const overhead of [0, 0.055, 0.1, 0.333, 0.999]) {
        expect(usableSize(requiredPvcSize(virtual, overhead), overhead)).toBeGreaterThanOrEqual(virtual);
      }
    },
  );
});

describe('usableSize', () => {
  it.each<[string, number, number, number]>([
    ['10 GiB at 5.5%: 9.45 GiB, rounded down to 1 MiB', 10 * GiB, 0.055, 9676 * MiB],
    ['Block: the whole claim', 10 * GiB, 0, 10 * GiB],
    ['Block: even an unaligned one', 10 * GiB + 7, 0, 10 * GiB + 7],
    ['a claim too small for a MiB after overhead', MiB, 0.055, 0],
  ])('%s', (_, claim, overhead, usable) => {
    expect(usableSize(claim, overhead)).toBe(usable);
  });
});

describe('filesystem overhead', () => {
  it.each<[string, Parameters<typeof filesystemOverheadFor>[0], string | undefined, number]>([
    ['no config: 5.5%', undefined, 'fast', DEFAULT_FILESYSTEM_OVERHEAD],
    ['the global value', { global: '0.08' }, 'fast', 0.08],
    ['a class of its own', { global: '0.08', storageClass: { fast: '0.02' } }, 'fast', 0.02],
    ['another class falls back to global', { global: '0.08', storageClass: { fast: '0.02' } }, 'slow', 0.08],
    ['an invalid class value falls through', { global: '0.08', storageClass: { fast: 'lots' } }, 'fast', 0.08],
    ['zero is allowed', { global: '0' }, undefined, 0],
    ['"1" (no room at all) falls through to the default', { global: '1' }, undefined, DEFAULT_FILESYSTEM_OVERHEAD],
  ])('%s', (_, config, sc, overhead) => {
    expect(filesystemOverheadFor(config, sc)).toBe(overhead);
  });

  it.each([['0.055', 0.055], ['0', 0], ['0.5', 0.5]])('parses %s', (text, value) => {
    expect(parseFilesystemOverhead(text)).toEqual({ overhead: value });
  });
  it.each([['5.5%'], ['0.0555'], ['.5'], ['1'], ['-0.1'], ['']])('refuses %s', (text) => {
    expect(parseFilesystemOverhead(text).error).toBeDefined();
  });
  it('applies only to Filesystem mode', () => {
    expect(overheadForVolumeMode('Block', 0.055)).toBe(0);
    expect(overheadForVolumeMode('Filesystem', 0.055)).toBe(0.055);
    expect(overheadForVolumeMode(undefined, 0.055)).toBe(0.055);
  });
});

const profile = (sets: ClaimPropertySet[], extra: Partial<StorageProfile> = {}): StorageProfile => ({
  apiVersion: 'cdi.kubevirt.io/v1beta1',
  kind: 'StorageProfile',
  metadata: { name: 'kura-local', ...extra.metadata },
  status: { storageClass: 'kura-local', provisioner: 'local.kura.dev', claimPropertySets: sets, ...extra.status },
  ...(extra.spec ? { spec: extra.spec } : {}),
});

const local = profile([
  { accessModes: ['ReadWriteOnce'], volumeMode: 'Block' },
  { accessModes: ['ReadWriteOnce'], volumeMode: 'Filesystem' },
  { accessModes: ['ReadWriteMany'], volumeMode: 'Filesystem' },
]);

describe('applyStorageProfile', () => {
  it.each<[string, Parameters<typeof applyStorageProfile>[0], Parameters<typeof applyStorageProfile>[2], Record<string, unknown>]>([
    ['takes the first claim property set when nothing is said', { resources: { requests: { storage: '10Gi' } } }, {},
      { storageClassName: 'kura-local', accessModes: ['ReadWriteOnce'], volumeMode: 'Block', resources: { requests: { storage: '10Gi' } } }],
    ['finds access modes for the asked volume mode (and inflates Filesystem)', { volumeMode: 'Filesystem', resources: { requests: { storage: '10Gi' } } }, {},
      { storageClassName: 'kura-local', accessModes: ['ReadWriteOnce'], volumeMode: 'Filesystem', resources: { requests: { storage: '10836Mi' } } }],
    ['finds the volume mode for the asked access modes', { accessModes: ['ReadWriteMany'], resources: { requests: { storage: '1Gi' } } }, { overhead: 0.1 },
      { storageClassName: 'kura-local', accessModes: ['ReadWriteMany'], volumeMode: 'Filesystem', resources: { requests: { storage: '1138Mi' } } }],
    ['keeps what the DataVolume says', { accessModes: ['ReadWriteOnce'], volumeMode: 'Filesystem', storageClassName: 'kura-local', resources: { requests: { storage: '1Gi' } } }, { overhead: 0 },
      { storageClassName: 'kura-local', accessModes: ['ReadWriteOnce'], volumeMode: 'Filesystem', resources: { requests: { storage: '1Gi' } } }],
    ['forces Filesystem for an archive', { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } }, { contentType: 'archive', overhead: 0 },
      { storageClassName: 'kura-local', accessModes: ['ReadWriteOnce'], volumeMode: 'Filesystem', resources: { requests: { storage: '1Gi' } } }],
    ['sizes a clone from the source request when class and mode match', { volumeMode: 'Block' }, { cloneSource: { requestBytes: 30 * GiB, capacityBytes: 32 * GiB, volumeMode: 'Block', storageClassName: 'kura-local' } },
      { storageClassName: 'kura-local', accessModes: ['ReadWriteOnce'], volumeMode: 'Block', resources: { requests: { storage: '30Gi' } } }],
    ['sizes a clone from the source capacity across modes', { volumeMode: 'Block' }, { cloneSource: { requestBytes: 30 * GiB, capacityBytes: 32 * GiB, volumeMode: 'Filesystem', storageClassName: 'kura-local' } },
      { storageClassName: 'kura-local', accessModes: ['ReadWriteOnce'], volumeMode: 'Block', resources: { requests: { storage: '32Gi' } } }],
    ['sizes a snapshot clone from its restore size', { volumeMode: 'Block' }, { cloneSource: { restoreSizeBytes: 5 * GiB } },
      { storageClassName: 'kura-local', accessModes: ['ReadWriteOnce'], volumeMode: 'Block', resources: { requests: { storage: '5Gi' } } }],
  ])('%s', (_, spec, options, expected) => {
    const r = applyStorageProfile(spec, local, options);
    expect(r.errors).toEqual([]);
    expect(r.spec).toEqual(expected);
  });

  it('raises a request to the profile minimum', () => {
    const p = profile([{ accessModes: ['ReadWriteOnce'], volumeMode: 'Block' }], { metadata: { name: 'san', annotations: { 'cdi.kubevirt.io/minimumSupportedPvcSize': '4Gi' } } });
    expect(applyStorageProfile({ resources: { requests: { storage: '1Gi' } } }, p).spec?.resources?.requests?.storage).toBe('4Gi');
  });

  it('keeps storageClassName "" (no class) instead of filling in a default', () => {
    const r = applyStorageProfile({ storageClassName: '', accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } }, local, { defaultStorageClassName: 'standard', overhead: 0 });
    expect(r.spec).toEqual({ storageClassName: '', accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } });
  });

  it('names the default class when the profile does not', () => {
    const r = applyStorageProfile({ accessModes: ['ReadWriteOnce'], volumeMode: 'Block', resources: { requests: { storage: '1Gi' } } }, undefined, { defaultStorageClassName: 'standard' });
    expect(r.spec?.storageClassName).toBe('standard');
  });

  it('prefers the spec clone strategy over the status one', () => {
    const p = profile([{ accessModes: ['ReadWriteOnce'] }], { spec: { cloneStrategy: 'csi-clone' }, status: { cloneStrategy: 'copy' } });
    expect(applyStorageProfile({ resources: { requests: { storage: '1Gi' } } }, p).cloneStrategy).toBe('csi-clone');
  });

  it.each<[string, Parameters<typeof applyStorageProfile>[0], StorageProfile | undefined, Parameters<typeof applyStorageProfile>[2], string]>([
    ['a profile without claim property sets', { resources: { requests: { storage: '1Gi' } } }, profile([]), {},
      'StorageProfile kura-local does not say which access modes work with this class: set spec.storage.accessModes, or ask an administrator to set claimPropertySets on the StorageProfile.'],
    ['no set for the volume mode', { volumeMode: 'Block', resources: { requests: { storage: '1Gi' } } }, profile([{ accessModes: ['ReadWriteMany'], volumeMode: 'Filesystem' }]), {},
      'StorageProfile kura-local names no access modes for Block volumes: set spec.storage.accessModes.'],
    ['no class and no default', { resources: { requests: { storage: '1Gi' } } }, undefined, {},
      'No StorageClass is named and the cluster has no default class, so nothing says which access modes to use: name a class or set spec.storage.accessModes.'],
    ['an import without a size', { accessModes: ['ReadWriteOnce'] }, local, {}, 'Say how big the disk should be: only a clone may leave the size to its source.'],
    ['no class on purpose and no access modes', { storageClassName: '', resources: { requests: { storage: '1Gi' } } }, local, {},
      'storageClassName "" asks for a volume made by hand, with no StorageProfile to say which access modes to use: set spec.storage.accessModes.'],
    ['a clone whose source size is unknown', { accessModes: ['ReadWriteOnce'] }, local, { cloneSource: {} }, "The size of the source volume is not known yet, so the clone's size cannot be taken from it."],
    ['an archive on Block', { volumeMode: 'Block', resources: { requests: { storage: '1Gi' } } }, local, { contentType: 'archive' }, 'Files unpacked from an archive need a filesystem: contentType archive cannot have volumeMode Block.'],
    ['a size under 1 MiB', { resources: { requests: { storage: '1Ki' } } }, local, {}, 'A disk must hold at least 1 MiB; 1 KiB is too small.'],
  ])('explains %s', (_, spec, p, options, message) => {
    const r = applyStorageProfile(spec, p, options);
    expect(r.spec).toBeUndefined();
    expect(r.errors).toContain(message);
  });

  it('does not change the spec it was given', () => {
    const spec = { resources: { requests: { storage: '10Gi' } } };
    applyStorageProfile(spec, local);
    expect(spec).toEqual({ resources: { requests: { storage: '10Gi' } } });
  });
});

describe('renderTargetClaim', () => {
  it('uses spec.pvc exactly, without overhead', () => {
    const pvc = { accessModes: ['ReadWriteOnce'], volumeMode: 'Filesystem', resources: { requests: { storage: '10Gi' } } };
    expect(renderTargetClaim({ pvc }, local)).toEqual({ spec: pvc, errors: [] });
  });
  it('needs a size in spec.pvc', () => {
    expect(renderTargetClaim({ pvc: { accessModes: ['ReadWriteOnce'] } }, local).errors).toEqual(['spec.pvc needs an exact size, such as 10Gi.']);
  });
  it('passes the content type on to the profile', () => {
    const r = renderTargetClaim({ storage: { resources: { requests: { storage: `${2048 * KiB}` } } }, contentType: 'archive' }, local, { overhead: 0 });
    expect(r.spec?.volumeMode).toBe('Filesystem');
    expect(r.spec?.accessModes).toEqual(['ReadWriteOnce']);
  });
});
