'use client';
// Take a VolumeSnapshot of a claim: its name and a snapshot class of the
// claim's driver (the driver's default preselected).
import {
  Alert,
  Button,
  Form,
  FormGroup,
  FormHelperText,
  FormSelect,
  FormSelectOption,
  HelperText,
  HelperTextItem,
  Modal,
  ModalBody,
  ModalFooter,
  ModalHeader,
  TextInput,
} from '@patternfly/react-core';
import NextLink from 'next/link';
import { useState } from 'react';
import { VolumeSnapshotClassModel, VolumeSnapshotModel } from '@/lib/k8s/models';
import { resourcePath } from '@/lib/k8s/paths';
import { getName, getSnapshotClassDeletionPolicy, getSnapshotClassDriver, isDefaultSnapshotClass } from '@/lib/k8s/selectors';
import { nameProblem as badName, snapshotObject } from '@/lib/storage-ui';
import { k8sRequest } from '../api/client';
import { useK8sList } from '../hooks/useK8sList';
import { listHref } from '../shell/navigation';
import { ServerErrorAlert } from './ServerErrorAlert';

export interface SnapshotPvcModalProps {
  namespace: string;
  claim: string;
  /** The claim's CSI driver, when known: only its snapshot classes can snapshot it. */
  driver?: string;
  suggestedName: string;
  onClose: () => void;
}

const DRIVER_DEFAULT = '';

export function SnapshotPvcModal({ namespace, claim, driver, suggestedName, onClose }: SnapshotPvcModalProps) {
  const classes = useK8sList(VolumeSnapshotClassModel, { watch: false });
  const usable = (classes.items ?? []).filter((c) => !driver || getSnapshotClassDriver(c) === driver);
  const preferred = usable.find(isDefaultSnapshotClass) ?? usable[0];
  const [name, setName] = useState(suggestedName);
  const [chosen, setChosen] = useState<string>();
  const className = chosen ?? (preferred ? getName(preferred) : DRIVER_DEFAULT);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [created, setCreated] = useState(false);
  const nameProblem = !name.trim() ? 'Give the snapshot a name.' : badName(name.trim());
  const noClass = !classes.isLoading && !classes.error && driver && usable.length === 0;
  const problem = nameProblem ?? (noClass ? 'no class' : undefined);

  const create = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await k8sRequest(resourcePath(VolumeSnapshotModel, { namespace }), { method: 'POST', json: snapshotObject(name.trim(), namespace, claim, className || undefined) });
      setCreated(true);
    } catch (e) {
      setError(e);
    }
    setBusy(false);
  };

  const selected = usable.find((c) => getName(c) === className);
  return (
    <Modal isOpen variant="small" onClose={onClose} aria-labelledby="snapshot-title">
      <ModalHeader title={`Snapshot ${claim}`} labelId="snapshot-title" description="A point-in-time copy of the volume; restore it later into a new claim." />
      <ModalBody>
        {created ? (
          <Alert isInline variant="success" title={`VolumeSnapshot ${name.trim()} requested`} data-testid="snapshot-created">
            It is ready to restore once its status says Ready. <NextLink href={listHref(VolumeSnapshotModel, namespace)}>See VolumeSnapshots</NextLink>
          </Alert>
        ) : (
          <Form
            id="snapshot-form"
            onSubmit={(e) => {
              e.preventDefault();
              if (!problem) void create();
            }}
          >
            <FormGroup label="Name" isRequired fieldId="snapshot-name">
              <TextInput id="snapshot-name" value={name} onChange={(_e, v) => setName(v)} validated={nameProblem ? 'error' : 'default'} />
              {nameProblem && (
                <FormHelperText>
                  <HelperText>
                    <HelperTextItem variant="error">{nameProblem}</HelperTextItem>
                  </HelperText>
                </FormHelperText>
              )}
            </FormGroup>
            <FormGroup label="VolumeSnapshotClass" fieldId="snapshot-class">
              <FormSelect id="snapshot-class" value={className} onChange={(_e, v) => setChosen(v)} isDisabled={usable.length === 0}>
                {usable.length === 0 && <FormSelectOption value={DRIVER_DEFAULT} label="The driver's default class" />}
                {usable.map((c) => (
                  <FormSelectOption key={getName(c)} value={getName(c)} label={`${getName(c)}${isDefaultSnapshotClass(c) ? ' (default)' : ''}`} />
                ))}
              </FormSelect>
              <FormHelperText>
                <HelperText>
                  <HelperTextItem>
                    {selected
                      ? `Taken by ${getSnapshotClassDriver(selected)}; deletion policy ${getSnapshotClassDeletionPolicy(selected) || 'unset'} (${getSnapshotClassDeletionPolicy(selected) === 'Retain' ? 'the data stays when the snapshot is deleted' : 'the data goes with the snapshot'}).`
                      : "Classes of the claim's driver are listed."}
                  </HelperTextItem>
                </HelperText>
              </FormHelperText>
            </FormGroup>
            {noClass && (
              <Alert isInline variant="danger" title={`No VolumeSnapshotClass exists for ${driver}`}>
                Without one the snapshot would never be taken. An administrator can create a VolumeSnapshotClass with driver {driver}.
              </Alert>
            )}
            {error !== undefined && <ServerErrorAlert error={error} title={`Cannot create VolumeSnapshot ${name.trim()}`} />}
          </Form>
        )}
      </ModalBody>
      <ModalFooter>
        {created ? (
          <Button variant="primary" onClick={onClose}>
            Close
          </Button>
        ) : (
          <>
            <Button variant="primary" type="submit" form="snapshot-form" isAriaDisabled={Boolean(problem) || busy} isLoading={busy}>
              Take snapshot
            </Button>
            <Button variant="link" onClick={onClose}>
              Cancel
            </Button>
          </>
        )}
      </ModalFooter>
    </Modal>
  );
}
