'use client';
// What a new claim can start from in a namespace: ready VolumeSnapshots or
// bound claims, each with the smallest size that holds it and the driver its
// data is on (a copy must stay with its driver). Read only while asked for.
import { useMemo } from 'react';
import { PersistentVolumeClaimModel, VolumeSnapshotClassModel, VolumeSnapshotModel } from '@/lib/k8s/models';
import { getName, getPvcPhase, getSnapshotClassDriver, getSnapshotClassName, getSnapshotRestoreSize, getSnapshotSourceClaim, isSnapshotReady } from '@/lib/k8s/selectors';
import type { K8sResource } from '@/lib/k8s/types';
import { chooseClaimClass, formatSize, getClaimCurrentBytes, parseBytes, type PersistentVolumeClaim, type StorageClassView } from '@/lib/provisioning';
import type { ClaimSourceKind } from '@/lib/storage-ui';
import { useK8sList } from '../hooks/useK8sList';

export interface ClaimSourceOption {
  name: string;
  label: string;
  bytes?: number;
  driver?: string;
}

export function useClaimSources(namespace: string, kind: ClaimSourceKind, selectedName: string, classes: readonly StorageClassView[]) {
  const wantSnapshots = kind === 'VolumeSnapshot';
  const claims = useK8sList<PersistentVolumeClaim & K8sResource>(PersistentVolumeClaimModel, { namespace, watch: false });
  const snapshots = useK8sList(VolumeSnapshotModel, { namespace, watch: false, enabled: wantSnapshots });
  const snapshotClasses = useK8sList(VolumeSnapshotClassModel, { watch: false, enabled: wantSnapshots });

  const options = useMemo((): ClaimSourceOption[] => {
    const driverOfClaim = (c: PersistentVolumeClaim | undefined) => {
      const choice = c ? chooseClaimClass(c, classes) : undefined;
      return choice && (choice.kind === 'named' || choice.kind === 'default') ? choice.storageClass?.provisioner : undefined;
    };
    if (kind === 'PersistentVolumeClaim') {
      return (claims.items ?? [])
        .filter((c) => getPvcPhase(c) === 'Bound')
        .map((c) => {
          const bytes = getClaimCurrentBytes(c);
          return { name: getName(c), label: `${getName(c)}${bytes ? ` (${formatSize(bytes)})` : ''}`, bytes, driver: driverOfClaim(c) };
        });
    }
    if (kind === 'VolumeSnapshot') {
      const vscs = snapshotClasses.items ?? [];
      return (snapshots.items ?? []).filter(isSnapshotReady).map((s) => {
        const size = getSnapshotRestoreSize(s);
        const bytes = size ? parseBytes(size).bytes : undefined;
        const source = getSnapshotSourceClaim(s);
        const named = getSnapshotClassName(s);
        const vsc = named ? vscs.find((c) => getName(c) === named) : undefined;
        const driver = (vsc && getSnapshotClassDriver(vsc)) || driverOfClaim(claims.items?.find((c) => getName(c) === source));
        const about = [bytes ? formatSize(bytes) : '', source ? `of ${source}` : ''].filter(Boolean).join(', ');
        return { name: getName(s), label: about ? `${getName(s)} (${about})` : getName(s), bytes, driver };
      });
    }
    return [];
  }, [kind, claims.items, snapshots.items, snapshotClasses.items, classes]);

  return { options, selected: options.find((o) => o.name === selectedName), isLoading: claims.isLoading || (wantSnapshots && snapshots.isLoading) };
}
