'use client';
// Make a StorageClass the default: mark it, then unmark the previous default,
// as one would with kubectl annotate (so there is never a moment without one).
import { Button, Content, List, ListItem, Modal, ModalBody, ModalFooter, ModalHeader } from '@patternfly/react-core';
import { useState } from 'react';
import { StorageClassModel } from '@/lib/k8s/models';
import { resourcePath } from '@/lib/k8s/paths';
import type { K8sResource } from '@/lib/k8s/types';
import { DEFAULT_CLASS_ANNOTATION } from '@/lib/provisioning';
import { setDefaultClassPatches } from '@/lib/storage-ui';
import { k8sRequest } from '../api/client';
import { ServerErrorAlert } from './ServerErrorAlert';

export function SetDefaultClassModal({ name, classes, onClose }: { name: string; classes: readonly K8sResource[]; onClose: () => void }) {
  const patches = setDefaultClassPatches(classes, name);
  const previous = patches.filter((p) => p.name !== name).map((p) => p.name);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ error: unknown; name: string }>();

  const apply = async () => {
    setBusy(true);
    setError(undefined);
    for (const p of patches) {
      try {
        await k8sRequest(resourcePath(StorageClassModel, { name: p.name }), { method: 'PATCH', headers: { 'content-type': 'application/merge-patch+json' }, json: p.patch });
      } catch (e) {
        setError({ error: e, name: p.name });
        setBusy(false);
        return;
      }
    }
    onClose();
  };

  return (
    <Modal isOpen variant="small" onClose={onClose} aria-labelledby="default-title">
      <ModalHeader title={`Make ${name} the default StorageClass?`} labelId="default-title" />
      <ModalBody>
        <Content component="p">New claims that name no StorageClass will get {name}. Existing claims keep their class.</Content>
        <Content component="p">The console will:</Content>
        <List>
          {patches.map((p) => (
            <ListItem key={p.name}>
              set <code>{DEFAULT_CLASS_ANNOTATION}</code> to <code>{p.patch.metadata.annotations[DEFAULT_CLASS_ANNOTATION]}</code> on {p.name}
              {p.name === name ? '' : ' (the default until now)'}
            </ListItem>
          ))}
        </List>
        {previous.length === 0 && <Content component="p">No other class is marked default.</Content>}
        {error && (
          <div style={{ marginTop: '1rem' }}>
            <ServerErrorAlert error={error.error} title={`Cannot change StorageClass ${error.name}`} />
          </div>
        )}
      </ModalBody>
      <ModalFooter>
        <Button variant="primary" onClick={() => void apply()} isLoading={busy} isDisabled={busy}>
          Make default
        </Button>
        <Button variant="link" onClick={onClose}>
          Cancel
        </Button>
      </ModalFooter>
    </Modal>
  );
}
