'use client';
// Grow a claim: the new size, whether its class allows expansion, and whether
// the growth fits in the pool its volume lives in, all before it is asked.
import { Alert, Button, Content, Form, Modal, ModalBody, ModalFooter, ModalHeader } from '@patternfly/react-core';
import { useState } from 'react';
import { PersistentVolumeClaimModel } from '@/lib/k8s/models';
import { resourcePath } from '@/lib/k8s/paths';
import { checkExpansion, formatSize } from '@/lib/provisioning';
import { type PoolFacts, poolOfVolume, sizeQuantity, type SizeUnit, splitSize, toClassPool } from '@/lib/storage-ui';
import { k8sRequest } from '../api/client';
import { ServerErrorAlert } from './ServerErrorAlert';
import { SizeField } from './SizeField';
import type { PvcRow } from './usePvcRows';

export function ExpandPvcModal({ row, pools, onClose }: { row: PvcRow; pools: readonly PoolFacts[]; onClose: () => void }) {
  const current = Math.max(row.currentBytes ?? 0, row.requestedBytes ?? 0);
  const [{ size, unit }, setSize] = useState<{ size: string; unit: SizeUnit }>(() => splitSize(current || 2 ** 30));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const facts = row.className ? poolOfVolume(pools, row.className, row.node) : undefined;
  const pool = facts ? toClassPool(facts) : undefined;
  const newSize = sizeQuantity(size, unit);
  const decision = checkExpansion({ claim: row.obj, newSize, storageClass: row.classView, pool });
  const sc = row.classView;

  const expand = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await k8sRequest(resourcePath(PersistentVolumeClaimModel, { namespace: row.namespace, name: row.name }), {
        method: 'PATCH',
        headers: { 'content-type': 'application/merge-patch+json' },
        json: { spec: { resources: { requests: { storage: newSize } } } },
      });
      onClose();
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };

  const where = facts?.node ? `The ${row.className} pool on ${facts.node}` : facts ? `The shared ${row.className} pool` : undefined;
  return (
    <Modal isOpen variant="small" onClose={onClose} aria-labelledby="expand-title">
      <ModalHeader title={`Expand ${row.name}`} labelId="expand-title" />
      <ModalBody>
        <Form
          id="expand-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (decision.allowed) void expand();
          }}
        >
          <Content component="p">
            It holds {formatSize(current)} now
            {sc ? ` in StorageClass ${sc.name}, which ${sc.allowVolumeExpansion ? 'allows expansion' : 'does not allow expansion'}` : ', and has no StorageClass'}.
            {where && facts?.freeBytes !== undefined ? ` ${where} has ${formatSize(facts.freeBytes)} free.` : ''}
          </Content>
          <SizeField
            id="expand-size"
            label="New size"
            size={size}
            unit={unit}
            onChange={(s, u) => setSize({ size: s, unit: u })}
            problem={!decision.allowed && (decision.reason === 'InvalidSize' || decision.reason === 'NotGrowth') ? decision.message : undefined}
            help="Volumes only grow; the file system grows with them when a VM next uses the volume."
          />
          {decision.allowed ? (
            <Alert isInline variant="success" title={decision.message} data-testid="expand-decision">
              {pool ? `The pool must promise ${formatSize(decision.growBytes)} more.` : 'Whether it fits is up to the driver: it publishes no capacity for this pool.'}
            </Alert>
          ) : decision.reason !== 'InvalidSize' && decision.reason !== 'NotGrowth' ? (
            <Alert isInline variant={decision.reason === 'NoChange' ? 'info' : 'danger'} title={decision.message} data-testid="expand-decision" />
          ) : null}
          {error !== undefined && <ServerErrorAlert error={error} title={`Cannot expand ${row.name}`} />}
        </Form>
      </ModalBody>
      <ModalFooter>
        <Button variant="primary" type="submit" form="expand-form" isAriaDisabled={!decision.allowed || busy} isLoading={busy}>
          Expand
        </Button>
        <Button variant="link" onClick={onClose}>
          Cancel
        </Button>
      </ModalFooter>
    </Modal>
  );
}
