import { describe, expect, it } from 'vitest';
import { kuraLocal, kuraShared, makeClass } from '../provisioning/testing';
import { describeClass, driverDoc, KNOWN_DRIVERS } from './drivers';

describe('driver documentation', () => {
  it("explains every one of Kura's parameters for Kura's drivers", () => {
    expect(driverDoc('local.kura.dev')?.parameters.map((p) => p.key)).toEqual(['kura.dev/overprovision-ratio', 'kura.dev/score-divisor', 'kura.dev/image-format', 'csi.storage.k8s.io/fstype']);
    expect(new Set(KNOWN_DRIVERS.map((d) => d.name)).size).toBe(KNOWN_DRIVERS.length);
  });
  it.each([
    [kuraLocal(), undefined, 'Node-local volumes (local.kura.dev), pinned to one node; made when a VM first uses them; can grow.'],
    [kuraShared(), undefined, 'Shared volumes (shared.kura.dev) every node reaches; made as soon as the claim is created; can grow.'],
    [makeClass('x', 'example.com', { reclaimPolicy: 'Retain' }), undefined, 'Volumes made by example.com; made as soon as the claim is created; cannot grow; data is kept when the claim is deleted.'],
    [kuraLocal(), 'Our fast disks', 'Our fast disks'],
  ])('describeClass %#', (sc, annotated, want) => {
    expect(describeClass(sc, annotated)).toBe(want);
  });
});
