import { describe, expect, it } from 'vitest';
import { SELECTED_NODE_ANNOTATION } from '../../scheduling';
import { PVC_SELECTED_NODE_ANNOTATION, getPvcActualStorage, getPvcDataSource, getPvcOwningDataVolume, getPvcPhase, getPvcRequestedStorage, getPvcResizeState, getPvcSelectedNode, getPvcVolumeName } from './pvc';

describe('PersistentVolumeClaim selectors', () => {
  const pvc = {
    metadata: {
      name: 'data',
      annotations: { 'volume.kubernetes.io/selected-node': 'node-2' },
      ownerReferences: [{ apiVersion: 'cdi.kubevirt.io/v1beta1', kind: 'DataVolume', name: 'dv-1', uid: 'u' }],
    },
    spec: { volumeName: 'pv-1', resources: { requests: { storage: '10Gi' } }, dataSource: { kind: 'PersistentVolumeClaim', name: 'src' } },
    status: { phase: 'Bound', capacity: { storage: '12Gi' } },
  };
  it('reads phase, volume, sizes, node, source and owner', () => {
    expect(getPvcPhase(pvc)).toBe('Bound');
    expect(getPvcVolumeName(pvc)).toBe('pv-1');
    expect(getPvcRequestedStorage(pvc)).toBe('10Gi');
    expect(getPvcActualStorage(pvc)).toBe('12Gi');
    expect(getPvcSelectedNode(pvc)).toBe('node-2');
    expect(getPvcDataSource(pvc)).toEqual({ kind: 'PersistentVolumeClaim', name: 'src' });
    expect(getPvcOwningDataVolume(pvc)).toBe('dv-1');
  });
  it('defaults an empty claim to Pending with nothing else', () => {
    const empty = { metadata: { name: 'x' } };
    expect(getPvcPhase(empty)).toBe('Pending');
    expect([getPvcVolumeName(empty), getPvcRequestedStorage(empty), getPvcSelectedNode(empty), getPvcDataSource(empty), getPvcOwningDataVolume(empty)]).toEqual([
      undefined, undefined, undefined, undefined, undefined,
    ]);
  });
  it('uses the same annotation as the scheduling core', () => {
    expect(PVC_SELECTED_NODE_ANNOTATION).toBe(SELECTED_NODE_ANNOTATION);
  });
  it.each<[string, Record<string, unknown>, string | undefined]>([
    ['Resizing condition', { conditions: [{ type: 'Resizing', status: 'True' }] }, 'Resizing the volume'],
    ['file system pending', { conditions: [{ type: 'FileSystemResizePending', status: 'True' }] }, 'Waiting for the file system to grow (when a VM next uses the volume)'],
    ['controller resize status', { allocatedResourceStatuses: { storage: 'ControllerResizeInProgress' } }, 'Resizing the volume'],
    ['infeasible', { allocatedResourceStatuses: { storage: 'ControllerResizeInfeasible' } }, 'The resize cannot be done'],
    ['nothing going on', { conditions: [{ type: 'Resizing', status: 'False' }] }, undefined],
  ])('resize state: %s', (_n, status, want) => {
    expect(getPvcResizeState({ status })).toBe(want);
  });
});
