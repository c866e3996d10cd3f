import { describe, expect, it } from 'vitest';
import { BETA_STORAGE_CLASS_ANNOTATION, chooseClaimClass, defaultStorageClass, getClaimClassName, getVolumeClassName } from './claimclass';
import { DEFAULT_CLASS_ANNOTATION } from './storageclass';
import { kuraLocal, kuraShared, makeClaim, makeClass, makeVolume } from './testing';

const isDefault = { [DEFAULT_CLASS_ANNOTATION]: 'true' };

describe('getClaimClassName', () => {
  it.each<[string, ReturnType<typeof makeClaim>, string | undefined]>([
    ['absent', makeClaim(), undefined],
    ['null', makeClaim({ storageClassName: null }), undefined],
    ['empty: no class', makeClaim({ storageClassName: '' }), ''],
    ['named', makeClaim({ storageClassName: 'kura-local' }), 'kura-local'],
    ['the beta annotation wins', makeClaim({ storageClassName: 'a' }, { metadata: { name: 'data', annotations: { [BETA_STORAGE_CLASS_ANNOTATION]: 'b' } } }), 'b'],
  ])('%s', (_, pvc, want) => {
    expect(getClaimClassName(pvc)).toBe(want);
  });

  it('reads a volume class the same way, "" when absent', () => {
    expect(getVolumeClassName(makeVolume('pv', { storageClassName: undefined }))).toBe('');
    expect(getVolumeClassName(makeVolume('pv', { storageClassName: 'slow' }))).toBe('slow');
  });
});

describe('chooseClaimClass', () => {
  const local = makeClass('kura-local', 'local.kura.dev', {}, isDefault, '2026-01-01T00:00:00Z');
  const newer = makeClass('fast', 'local.kura.dev', {}, isDefault, '2026-03-01T00:00:00Z');
  const sameTime = makeClass('alpha', 'local.kura.dev', {}, isDefault, '2026-03-01T00:00:00Z');
  const shared = kuraShared();

  it.each([
    ['a named class that exists', makeClaim({ storageClassName: 'kura-shared' }), [local, shared], { kind: 'named', name: 'kura-shared', storageClass: shared }],
    ['a named class that does not', makeClaim({ storageClassName: 'gold' }), [local], { kind: 'named', name: 'gold', storageClass: undefined }],
    ['"" means static binding only, even with a default', makeClaim({ storageClassName: '' }), [local], { kind: 'static' }],
    ['absent: the default', makeClaim(), [shared, local], { kind: 'default', name: 'kura-local', storageClass: local, candidates: 1 }],
    ['absent, several defaults: the newest', makeClaim(), [local, newer, shared], { kind: 'default', name: 'fast', storageClass: newer, candidates: 2 }],
    ['absent, defaults of the same age: first by name', makeClaim(), [newer, sameTime, local], { kind: 'default', name: 'alpha', storageClass: sameTime, candidates: 3 }],
    ['absent and no default', makeClaim(), [shared, kuraLocal()], { kind: 'none' }],
  ])('%s', (_, pvc, classes, want) => {
    expect(chooseClaimClass(pvc, classes)).toEqual(want);
  });

  it('finds no default among no classes', () => {
    expect(defaultStorageClass([])).toBeUndefined();
  });
});
