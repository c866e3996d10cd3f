'use client';
// Create a PersistentVolumeClaim with a form: class (with what it means),
// size, access mode and volume mode the class's driver offers, an optional
// source (a snapshot or a claim to copy), and, before anything is sent, where
// it fits: "fits on 2 of 3 nodes, 180 GiB free in kura-local". "Edit YAML"
// continues in the create-from-YAML editor with the same object.
import { Alert, FormGroup, FormSelect, FormSelectOption, Radio, TextInput } from '@patternfly/react-core';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { stringify } from 'yaml';
import { modelRef, PersistentVolumeClaimModel } from '@/lib/k8s/models';
import { resourcePath } from '@/lib/k8s/paths';
import { getName } from '@/lib/k8s/selectors';
import type { K8sResource } from '@/lib/k8s/types';
import { type AccessMode, defaultStorageClass, parseBytes, type PersistentVolumeClaim, VOLUME_MODES } from '@/lib/provisioning';
import { ACCESS_MODE_HELP, accessModesFor, type ClaimForm, claimFromForm, type ClaimSourceKind, sizeQuantity, validateClaimForm } from '@/lib/storage-ui';
import { k8sRequest } from '../api/client';
import { useCapacity } from '../capacity/useCapacity';
import { CreateFormPage, FieldHelp } from '../common/CreateForm';
import { deniedMessage, useAccess } from '../hooks/useAccess';
import { useK8sList } from '../hooks/useK8sList';
import { CreateFromYamlPage } from '../resources/CreateFromYamlPage';
import { listHref } from '../shell/navigation';
import { FitNotice } from './FitNotice';
import { ServerErrorAlert } from './ServerErrorAlert';
import { SizeField } from './SizeField';
import { StorageClassField } from './StorageClassField';
import { useClaimSources } from './useClaimSources';

export function PvcCreatePage({ namespace }: { namespace: string }) {
  const router = useRouter();
  const capacity = useCapacity({ watch: true, nodes: false, volumes: false });
  const claims = useK8sList<PersistentVolumeClaim & K8sResource>(PersistentVolumeClaimModel, { namespace, watch: false });
  const can = useAccess({ group: '', resource: 'persistentvolumeclaims', verb: 'create', namespace });
  const [form, setForm] = useState<ClaimForm>({ name: '', namespace, storageClassName: '', size: '10', unit: 'Gi', accessMode: 'ReadWriteOnce', volumeMode: 'Filesystem', sourceKind: 'none', sourceName: '' });
  const [touched, setTouched] = useState<Record<string, boolean>>({});
  const [submitted, setSubmitted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [yaml, setYaml] = useState<string>();

  const classes = capacity.classes;
  const fallback = defaultStorageClass(classes)?.name ?? classes[0]?.name ?? '';
  const sc = classes.find((c) => c.name === (form.storageClassName || fallback));
  const modes = accessModesFor(sc);
  // A mode the newly chosen class does not offer falls back to its first.
  const effective: ClaimForm = { ...form, storageClassName: form.storageClassName || fallback, accessMode: modes.includes(form.accessMode) ? form.accessMode : (modes[0] ?? form.accessMode) };
  const volumeModes = sc?.driver.known ? sc.driver.volumeModes : VOLUME_MODES;
  const sources = useClaimSources(namespace, effective.sourceKind, effective.sourceName, classes);
  const problems = validateClaimForm(effective, {
    classes,
    existing: (claims.items ?? []).map(getName),
    sourceMinBytes: sources.selected?.bytes,
    sourceDriver: sources.selected?.driver,
  });
  const shown = (field: string) => (submitted || touched[field] ? problems[field] : undefined);
  const set = (patch: Partial<ClaimForm>, field?: string) => {
    setForm((f) => ({ ...f, ...patch }));
    if (field) setTouched((t) => ({ ...t, [field]: true }));
  };
  const denied = can.allowed === false ? deniedMessage('create', 'PersistentVolumeClaims', namespace, can.reason) : undefined;

  if (yaml !== undefined) return <CreateFromYamlPage namespace={namespace} kindRef={modelRef(PersistentVolumeClaimModel)} initialText={yaml} />;

  const create = async () => {
    setSubmitted(true);
    if (Object.keys(problems).length || denied || can.isLoading) return;
    setBusy(true);
    setError(undefined);
    try {
      await k8sRequest(resourcePath(PersistentVolumeClaimModel, { namespace }), { method: 'POST', json: claimFromForm(effective) });
      router.push(listHref(PersistentVolumeClaimModel, namespace));
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };

  return (
    <>
      <CreateFormPage
        title="Create PersistentVolumeClaim"
        intro={
          <>
            A volume in namespace <strong data-testid="target-namespace">{namespace}</strong>, for VMs to use as a disk.
          </>
        }
        denied={denied}
        checking={can.isLoading}
        busy={busy}
        onSubmit={() => void create()}
        onEditYaml={() => setYaml(stringify(claimFromForm(effective)))}
        onCancel={() => router.push(listHref(PersistentVolumeClaimModel, namespace))}
      >
        <FormGroup label="Name" isRequired fieldId="pvc-name">
          <TextInput id="pvc-name" value={form.name} onChange={(_e, v) => set({ name: v }, 'name')} validated={shown('name') ? 'error' : 'default'} />
          <FieldHelp problem={shown('name')}>Lower case letters, digits, "-" and ".".</FieldHelp>
        </FormGroup>
        <StorageClassField
          id="pvc-class"
          value={effective.storageClassName}
          classes={classes}
          classObjects={capacity.classObjects}
          isLoading={capacity.isLoading}
          onChange={(v) => set({ storageClassName: v }, 'storageClassName')}
          problem={shown('storageClassName')}
        />
        <SizeField id="pvc-size" label="Size" size={form.size} unit={form.unit} onChange={(size, unit) => set({ size, unit }, 'size')} problem={shown('size')} />
        <FitNotice storageClass={sc} sizeBytes={problems.size ? undefined : parseBytes(sizeQuantity(form.size, form.unit)).bytes} fitPools={capacity.fitPools} capacityReadable={capacity.capacityReadable} />
        <FormGroup label="Access mode" isRequired role="radiogroup" fieldId="pvc-access" isStack>
          {modes.map((m: AccessMode) => (
            <Radio key={m} id={`pvc-access-${m}`} name="access" label={m} description={ACCESS_MODE_HELP[m]} isChecked={effective.accessMode === m} onChange={() => set({ accessMode: m }, 'accessMode')} />
          ))}
          <FieldHelp problem={shown('accessMode')}>{sc?.driver.known ? `The modes ${sc.provisioner} offers.` : 'This driver is not one Kura knows: check which modes it offers.'}</FieldHelp>
        </FormGroup>
        <FormGroup label="Volume mode" isRequired role="radiogroup" fieldId="pvc-volume-mode" isStack>
          {volumeModes.map((m) => (
            <Radio
              key={m}
              id={`pvc-vm-${m}`}
              name="volume-mode"
              label={m}
              description={m === 'Filesystem' ? 'A file system holding the disk image (the usual choice).' : 'A raw block device handed to the VM as is.'}
              isChecked={effective.volumeMode === m}
              onChange={() => set({ volumeMode: m }, 'volumeMode')}
            />
          ))}
        </FormGroup>
        <FormGroup label="Start from" role="radiogroup" fieldId="pvc-source" isStack>
          {(['none', 'VolumeSnapshot', 'PersistentVolumeClaim'] as ClaimSourceKind[]).map((k) => (
            <Radio
              key={k}
              id={`pvc-source-${k}`}
              name="source"
              label={k === 'none' ? 'An empty volume' : k === 'VolumeSnapshot' ? 'A VolumeSnapshot (restore)' : 'A copy of another claim (clone)'}
              isChecked={effective.sourceKind === k}
              onChange={() => set({ sourceKind: k, sourceName: '' })}
            />
          ))}
          {effective.sourceKind !== 'none' && (
            <FormSelect id="pvc-source-name" aria-label="Source" value={effective.sourceName} onChange={(_e, v) => set({ sourceName: v }, 'source')} validated={shown('source') ? 'error' : 'default'}>
              <FormSelectOption value="" label={sources.options.length ? 'Choose…' : `No ${effective.sourceKind === 'VolumeSnapshot' ? 'ready snapshot' : 'bound claim'} in ${namespace}`} isDisabled />
              {sources.options.map((o) => (
                <FormSelectOption key={o.name} value={o.name} label={o.label} />
              ))}
            </FormSelect>
          )}
          <FieldHelp problem={shown('source')}>{sources.selected ? `The new claim must be at least as large as its source, and of a class of ${sources.selected.driver ?? 'the same driver'}.` : undefined}</FieldHelp>
        </FormGroup>
        {submitted && problems.form && <Alert isInline variant="danger" title={problems.form} />}
        {error !== undefined && <ServerErrorAlert error={error} title={`PersistentVolumeClaim ${form.name.trim()} was not created`} />}
      </CreateFormPage>
    </>
  );
}

