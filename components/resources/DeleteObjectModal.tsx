'use client';
// Asks before deleting one object, names it, and reports what the server did:
// gone at once, or kept until its finalizers are removed.
import { Alert, Button, Modal, ModalBody, ModalFooter, ModalHeader } from '@patternfly/react-core';
import { useState } from 'react';
import type { K8sModel } from '@/lib/k8s/models';
import { resourcePath } from '@/lib/k8s/paths';
import { isStatus, type K8sResource, type Status } from '@/lib/k8s/types';
import { k8sRequest } from '../api/client';

export interface DeleteObjectModalProps {
  model: K8sModel;
  name: string;
  namespace?: string;
  onClose: () => void;
  /** Called with the object when the server kept it (finalizers), or undefined when it is gone. */
  onDeleted: (kept: K8sResource | undefined) => void;
}

export function DeleteObjectModal({ model, name, namespace, onClose, onDeleted }: DeleteObjectModalProps) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const remove = async () => {
    setBusy(true);
    setError(undefined);
    try {
      // The answer is a Status when the object is gone, or the object itself while finalizers hold it.
      const res = await k8sRequest<K8sResource | Status>(resourcePath(model, { namespace, name }), { method: 'DELETE' });
      const kept = !isStatus(res) && res.metadata?.deletionTimestamp ? res : undefined;
      onDeleted(kept);
    } catch (e) {
      setError((e as Error).message);
      setBusy(false);
    }
  };

  return (
    <Modal isOpen variant="small" onClose={onClose} aria-labelledby="delete-object-title">
      <ModalHeader title={`Delete ${model.label}?`} titleIconVariant="warning" labelId="delete-object-title" />
      <ModalBody>
        <p>
          <strong>
            {model.label} {name}
          </strong>
          {namespace ? ` in namespace ${namespace}` : ''} will be deleted. Objects it owns are deleted with it.
        </p>
        {error && <Alert isInline variant="danger" title={`Cannot delete ${model.label} ${name}`} style={{ marginTop: '1rem' }}>{error}</Alert>}
      </ModalBody>
      <ModalFooter>
        <Button variant="danger" onClick={() => void remove()} isLoading={busy} isDisabled={busy}>
          Delete
        </Button>
        <Button variant="link" onClick={onClose}>
          Cancel
        </Button>
      </ModalFooter>
    </Modal>
  );
}
