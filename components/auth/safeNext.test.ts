import { describe, expect, it } from 'vitest';
import { safeNext } from './safeNext';

describe('safeNext', () => {
  it.each<[string | null, string]>([
    [null, '/'],
    ['', '/'],
    ['/k8s/ns/default/core~v1~PersistentVolumeClaim', '/k8s/ns/default/core~v1~PersistentVolumeClaim'],
    ['https://evil.example/', '/'],
    ['//evil.example/', '/'],
    ['/\\evil.example', '/'],
    ['javascript:alert(1)', '/'],
  ])('%s → %s', (next, want) => expect(safeNext(next)).toBe(want));
});
