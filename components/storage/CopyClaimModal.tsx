'use client';
// A new claim holding a copy of another's data: restored from a
// VolumeSnapshot, or cloned from a PersistentVolumeClaim. The class stays
// with the source's driver, the size is at least the source's, and where it
// would fit is shown before it is created.
import {
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
import { useState } from 'react';
import { PersistentVolumeClaimModel } from '@/lib/k8s/models';
import { resourcePath } from '@/lib/k8s/paths';
import { type AccessMode, formatSize, parseBytes } from '@/lib/provisioning';
import { ACCESS_MODE_HELP, accessModesFor, type ClaimForm, claimFromForm, describeClass, type SizeUnit, sizeQuantity, splitSize, validateClaimForm } from '@/lib/storage-ui';
import { k8sRequest } from '../api/client';
import { useCapacity } from '../capacity/useCapacity';
import { FitNotice } from './FitNotice';
import { ServerErrorAlert } from './ServerErrorAlert';
import { SizeField } from './SizeField';

export interface CopyClaimModalProps {
  namespace: string;
  mode: 'restore' | 'clone';
  /** The VolumeSnapshot (restore) or PersistentVolumeClaim (clone) to copy. */
  sourceName: string;
  /** The smallest size that holds the source. */
  sourceBytes?: number;
  /** The driver holding the source's data, when known. */
  sourceDriver?: string;
  /** The source's class, preselected when it is of the same driver. */
  sourceClass?: string;
  sourceAccessModes?: readonly string[];
  sourceVolumeMode?: string;
  suggestedName: string;
  /** Claims already in the namespace. */
  existing: readonly string[];
  onClose: () => void;
}

export function CopyClaimModal(p: CopyClaimModalProps) {
  const { classes, fitPools, capacityReadable } = useCapacity({ nodes: false, volumes: false });
  const sameDriver = classes.filter((c) => !p.sourceDriver || c.provisioner === p.sourceDriver);
  const [name, setName] = useState(p.suggestedName);
  const [chosenClass, setChosenClass] = useState<string>();
  const [{ size, unit }, setSize] = useState<{ size: string; unit: SizeUnit }>(() => splitSize(p.sourceBytes || 2 ** 30));
  const [chosenMode, setChosenMode] = useState<AccessMode>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();

  const className = chosenClass ?? (sameDriver.find((c) => c.name === p.sourceClass) ?? sameDriver.find((c) => c.isDefault) ?? sameDriver[0])?.name ?? '';
  const sc = classes.find((c) => c.name === className);
  const modes = accessModesFor(sc);
  const sourceMode = p.sourceAccessModes?.find((m): m is AccessMode => modes.includes(m as AccessMode));
  const accessMode = chosenMode && modes.includes(chosenMode) ? chosenMode : (sourceMode ?? modes[0] ?? 'ReadWriteOnce');
  const form: ClaimForm = {
    name,
    namespace: p.namespace,
    storageClassName: className,
    size,
    unit,
    accessMode,
    volumeMode: p.sourceVolumeMode === 'Block' ? 'Block' : 'Filesystem',
    sourceKind: p.mode === 'restore' ? 'VolumeSnapshot' : 'PersistentVolumeClaim',
    sourceName: p.sourceName,
  };
  const problems = validateClaimForm(form, { classes, existing: p.existing, sourceMinBytes: p.sourceBytes, sourceDriver: p.sourceDriver });
  const valid = Object.keys(problems).length === 0;
  const verb = p.mode === 'restore' ? 'Restore' : 'Clone';

  const create = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await k8sRequest(resourcePath(PersistentVolumeClaimModel, { namespace: p.namespace }), { method: 'POST', json: claimFromForm(form) });
      p.onClose();
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };

  const fieldHelp = (field: string, help?: string) =>
    problems[field] || help ? (
      <FormHelperText>
        <HelperText>
          <HelperTextItem variant={problems[field] ? 'error' : 'default'}>{problems[field] ?? help}</HelperTextItem>
        </HelperText>
      </FormHelperText>
    ) : null;

  return (
    <Modal isOpen variant="medium" onClose={p.onClose} aria-labelledby="copy-title">
      <ModalHeader
        title={p.mode === 'restore' ? `Restore ${p.sourceName} as a new claim` : `Clone ${p.sourceName}`}
        labelId="copy-title"
        description={`A new PersistentVolumeClaim in namespace ${p.namespace} holding the data of ${p.mode === 'restore' ? 'VolumeSnapshot' : 'PersistentVolumeClaim'} ${p.sourceName}.`}
      />
      <ModalBody>
        <Form
          id="copy-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (valid) void create();
          }}
        >
          <FormGroup label="Name of the new claim" isRequired fieldId="copy-name">
            <TextInput id="copy-name" value={name} onChange={(_e, v) => setName(v)} validated={problems.name ? 'error' : 'default'} />
            {fieldHelp('name')}
          </FormGroup>
          <FormGroup label="StorageClass" isRequired fieldId="copy-class">
            <FormSelect id="copy-class" value={className} onChange={(_e, v) => setChosenClass(v)} validated={problems.storageClassName ? 'error' : 'default'}>
              {sameDriver.length === 0 && <FormSelectOption value="" label={p.sourceDriver ? `No class of ${p.sourceDriver}` : 'No StorageClass'} isDisabled />}
              {sameDriver.map((c) => (
                <FormSelectOption key={c.name} value={c.name} label={`${c.name}${c.isDefault ? ' (default)' : ''}`} />
              ))}
            </FormSelect>
            {fieldHelp('storageClassName', sc ? `${describeClass(sc)}${p.sourceDriver ? ` Only classes of ${p.sourceDriver} can hold a copy of this data.` : ''}` : undefined)}
          </FormGroup>
          <SizeField
            id="copy-size"
            label="Size"
            size={size}
            unit={unit}
            onChange={(s, u) => setSize({ size: s, unit: u })}
            problem={problems.size}
            help={p.sourceBytes ? `At least ${formatSize(p.sourceBytes)}, the size of the source.` : undefined}
          />
          <FormGroup label="Access mode" isRequired fieldId="copy-mode">
            <FormSelect id="copy-mode" value={accessMode} onChange={(_e, v) => setChosenMode(v as AccessMode)}>
              {modes.map((m) => (
                <FormSelectOption key={m} value={m} label={`${m}: ${ACCESS_MODE_HELP[m]}`} />
              ))}
            </FormSelect>
            {fieldHelp('accessMode')}
          </FormGroup>
          {problems.source && fieldHelp('source')}
          {problems.form && fieldHelp('form')}
          <FitNotice storageClass={sc} sizeBytes={parseBytes(sizeQuantity(size, unit)).bytes} fitPools={fitPools} capacityReadable={capacityReadable} />
          {error !== undefined && <ServerErrorAlert error={error} title={`Cannot create PersistentVolumeClaim ${name.trim()}`} />}
        </Form>
      </ModalBody>
      <ModalFooter>
        <Button variant="primary" type="submit" form="copy-form" isAriaDisabled={!valid || busy} isLoading={busy}>
          {verb}
        </Button>
        <Button variant="link" onClick={p.onClose}>
          Cancel
        </Button>
      </ModalFooter>
    </Modal>
  );
}
