'use client';
// Where a claim would fit, said before it is created, from CSIStorageCapacity.
import { Alert } from '@patternfly/react-core';
import type { ClassPool, StorageClassView } from '@/lib/provisioning';
import { fitSentence } from '@/lib/storage-ui';

export interface FitNoticeProps {
  storageClass: StorageClassView | undefined;
  sizeBytes: number | undefined;
  /** Pools with known free space, by class (useCapacity().fitPools). */
  fitPools: Readonly<Record<string, ClassPool[]>>;
  /** False when the user may not read CSIStorageCapacity. */
  capacityReadable: boolean;
}

export function FitNotice({ storageClass, sizeBytes, fitPools, capacityReadable }: FitNoticeProps) {
  if (!storageClass || !sizeBytes || sizeBytes <= 0) return null;
  if (!capacityReadable) {
    return <Alert isInline isPlain variant="info" title="You may not read CSIStorageCapacity objects, so Kura cannot say before it is made where the volume fits." data-testid="fit-notice" />;
  }
  const pools = Object.hasOwn(fitPools, storageClass.name) ? fitPools[storageClass.name] : undefined;
  const s = fitSentence(storageClass.name, pools, sizeBytes);
  const wait = storageClass.volumeBindingMode === 'WaitForFirstConsumer' ? ' The node is chosen when a VM first uses the claim.' : '';
  if (s.kind === 'fits') {
    return (
      <Alert isInline variant="success" title={s.text} data-testid="fit-notice">
        {s.nodes.length ? `Nodes with room: ${s.nodes.join(', ')}.` : ''}
        {wait}
      </Alert>
    );
  }
  if (s.kind === 'no-room') {
    return (
      <Alert isInline variant="warning" title={s.text} data-testid="fit-notice">
        You can still create it, but it stays Pending until room is made (a smaller size, another class, or volumes deleted).
      </Alert>
    );
  }
  return <Alert isInline isPlain variant="info" title={s.text} data-testid="fit-notice" />;
}
