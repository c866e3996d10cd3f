'use client';
// Asks before deleting one storage object and says what depends on it. Once
// the server accepts, it closes: the live list shows the object Terminating
// (held by finalizers) or gone.
import { Alert, Button, Modal, ModalBody, ModalFooter, ModalHeader } from '@patternfly/react-core';
import { type ReactNode, useState } from 'react';
import type { K8sModel } from '@/lib/k8s/models';
import { resourcePath } from '@/lib/k8s/paths';
import { k8sRequest } from '../api/client';
import { ServerErrorAlert } from './ServerErrorAlert';

export interface DeleteWithWarningModalProps {
  model: K8sModel;
  name: string;
  namespace?: string;
  /** What will break or be lost, shown before the user confirms. */
  warning?: ReactNode;
  /** What becomes of the data, in one sentence. */
  consequence?: string;
  onClose: () => void;
}

export function DeleteWithWarningModal({ model, name, namespace, warning, consequence, onClose }: DeleteWithWarningModalProps) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();

  const remove = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await k8sRequest(resourcePath(model, { namespace, name }), { method: 'DELETE' });
      onClose();
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };

  return (
    <Modal isOpen variant="small" onClose={onClose} aria-labelledby="delete-storage-title">
      <ModalHeader title={`Delete ${model.label} ${name}?`} titleIconVariant="warning" labelId="delete-storage-title" />
      <ModalBody>
        <p>
          <strong>
            {model.label} {name}
          </strong>
          {namespace ? ` in namespace ${namespace}` : ''} will be deleted. {consequence}
        </p>
        {warning && (
          <Alert isInline variant="warning" title="Check before you delete" style={{ marginTop: '1rem' }} data-testid="delete-warning">
            {warning}
          </Alert>
        )}
        {error !== undefined && (
          <div style={{ marginTop: '1rem' }}>
            <ServerErrorAlert error={error} title={`Cannot delete ${model.label} ${name}`} />
          </div>
        )}
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
