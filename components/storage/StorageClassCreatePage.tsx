'use client';
// Create a StorageClass with a form: name, driver (known ones explained, any
// other typed in), binding mode, reclaim policy, expansion, parameters
// (Kura's kura.dev/* ones explained) and whether it becomes the default.
// Problems show beside their fields before anything is sent; "Edit YAML"
// continues in the create-from-YAML editor with the same object.
import { Alert, Checkbox, FormGroup, FormSelect, FormSelectOption, Radio, TextInput } from '@patternfly/react-core';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { stringify } from 'yaml';
import { modelRef, StorageClassModel } from '@/lib/k8s/models';
import { resourcePath } from '@/lib/k8s/paths';
import { getName } from '@/lib/k8s/selectors';
import type { K8sResource } from '@/lib/k8s/types';
import { isDefaultStorageClass, isKuraDriver, type StorageClass } from '@/lib/provisioning';
import { driverDoc, emptyStorageClassForm, KNOWN_DRIVERS, setDefaultClassPatches, storageClassFromForm, type StorageClassForm, validateStorageClassForm } from '@/lib/storage-ui';
import { k8sRequest } from '../api/client';
import { CreateFormPage, FieldHelp } from '../common/CreateForm';
import { deniedMessage, useAccess } from '../hooks/useAccess';
import { useK8sList } from '../hooks/useK8sList';
import { CreateFromYamlPage } from '../resources/CreateFromYamlPage';
import { listHref } from '../shell/navigation';
import { ParameterRows } from './ParameterRows';
import { ServerErrorAlert } from './ServerErrorAlert';

const OTHER = '#other';

export function StorageClassCreatePage() {
  const router = useRouter();
  const classes = useK8sList<StorageClass & K8sResource>(StorageClassModel, { watch: false });
  const can = useAccess({ group: StorageClassModel.apiGroup, resource: StorageClassModel.plural, verb: 'create' });
  const [form, setForm] = useState<StorageClassForm>(() => ({ ...emptyStorageClassForm(), provisioner: KNOWN_DRIVERS[0]!.name }));
  const [otherDriver, setOtherDriver] = useState(false);
  const [touched, setTouched] = useState<Record<string, boolean>>({});
  const [submitted, setSubmitted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ error: unknown; title: string }>();
  const [yaml, setYaml] = useState<string>();

  const existing = (classes.items ?? []).map(getName);
  const { problems, warnings } = validateStorageClassForm(form, existing);
  const shown = (field: string) => (submitted || touched[field] ? problems[field] : undefined);
  const set = (patch: Partial<StorageClassForm>, field?: string) => {
    setForm((f) => ({ ...f, ...patch }));
    if (field) setTouched((t) => ({ ...t, [field]: true }));
  };
  const doc = driverDoc(form.provisioner.trim());
  const currentDefaults = (classes.items ?? []).filter(isDefaultStorageClass).map(getName);
  const denied = can.allowed === false ? deniedMessage('create', 'StorageClasses', undefined, can.reason) : undefined;

  if (yaml !== undefined) return <CreateFromYamlPage kindRef={modelRef(StorageClassModel)} initialText={yaml} />;

  const create = async () => {
    setSubmitted(true);
    if (Object.keys(problems).length || denied || can.isLoading) return;
    setBusy(true);
    setError(undefined);
    const sc = storageClassFromForm(form);
    try {
      await k8sRequest(resourcePath(StorageClassModel), { method: 'POST', json: sc });
    } catch (e) {
      setError({ error: e, title: `StorageClass ${sc.metadata?.name} was not created` });
      setBusy(false);
      return;
    }
    if (form.isDefault) {
      // The new class is marked already; unmark the previous default, as kubectl annotate would.
      for (const p of setDefaultClassPatches(classes.items ?? [], form.name.trim()).filter((x) => x.name !== form.name.trim())) {
        try {
          await k8sRequest(resourcePath(StorageClassModel, { name: p.name }), { method: 'PATCH', headers: { 'content-type': 'application/merge-patch+json' }, json: p.patch });
        } catch (e) {
          setError({ error: e, title: `StorageClass ${form.name.trim()} was created, but ${p.name} is still marked default` });
          setBusy(false);
          return;
        }
      }
    }
    router.push(listHref(StorageClassModel, ''));
  };

  return (
    <>
      <CreateFormPage
        title="Create StorageClass"
        denied={denied}
        checking={can.isLoading}
        busy={busy}
        onSubmit={() => void create()}
        onEditYaml={() => setYaml(stringify(storageClassFromForm(form)))}
        onCancel={() => router.push(listHref(StorageClassModel, ''))}
      >
        <FormGroup label="Name" isRequired fieldId="sc-name">
          <TextInput id="sc-name" value={form.name} onChange={(_e, v) => set({ name: v }, 'name')} validated={shown('name') ? 'error' : 'default'} aria-describedby="sc-name-help" />
          <FieldHelp id="sc-name-help" problem={shown('name')}>
            Claims name the class by this; lower case letters, digits, "-" and ".".
          </FieldHelp>
        </FormGroup>
        <FormGroup label="Description" fieldId="sc-description">
          <TextInput id="sc-description" value={form.description} onChange={(_e, v) => set({ description: v })} placeholder="What the class is for, shown when users pick one" />
        </FormGroup>
        <FormGroup label="Driver (provisioner)" isRequired fieldId="sc-driver">
          <FormSelect
            id="sc-driver"
            value={otherDriver ? OTHER : form.provisioner}
            onChange={(_e, v) => {
              setOtherDriver(v === OTHER);
              set({ provisioner: v === OTHER ? '' : v }, v === OTHER ? undefined : 'provisioner');
            }}
          >
            {KNOWN_DRIVERS.map((d) => (
              <FormSelectOption key={d.name} value={d.name} label={`${d.title} (${d.name})`} />
            ))}
            <FormSelectOption value={OTHER} label="Another CSI driver…" />
          </FormSelect>
          {otherDriver && (
            <TextInput
              id="sc-driver-name"
              aria-label="Driver name"
              style={{ marginTop: '0.5rem' }}
              placeholder="example.csi.vendor.com"
              value={form.provisioner}
              onChange={(_e, v) => set({ provisioner: v }, 'provisioner')}
              validated={shown('provisioner') ? 'error' : 'default'}
            />
          )}
          <FieldHelp id="sc-driver-help" problem={shown('provisioner')}>
            {doc?.description ?? 'The CSI driver that makes this class’s volumes; Kura cannot check what it supports.'}
          </FieldHelp>
        </FormGroup>
        <FormGroup label="Volume binding mode" isRequired role="radiogroup" fieldId="sc-binding" isStack>
          <Radio id="sc-wffc" name="binding" label="WaitForFirstConsumer" description="The volume is made when a VM first uses the claim, on a node that also has CPU and memory for it. Best for node-local storage." isChecked={form.volumeBindingMode === 'WaitForFirstConsumer'} onChange={() => set({ volumeBindingMode: 'WaitForFirstConsumer' })} />
          <Radio id="sc-immediate" name="binding" label="Immediate" description="The volume is made as soon as the claim is created (a node is picked for it right away)." isChecked={form.volumeBindingMode === 'Immediate'} onChange={() => set({ volumeBindingMode: 'Immediate' })} />
        </FormGroup>
        <FormGroup label="Reclaim policy" isRequired role="radiogroup" fieldId="sc-reclaim" isStack>
          <Radio id="sc-delete" name="reclaim" label="Delete" description="Deleting a claim deletes its volume and data." isChecked={form.reclaimPolicy === 'Delete'} onChange={() => set({ reclaimPolicy: 'Delete' })} />
          <Radio id="sc-retain" name="reclaim" label="Retain" description="Deleting a claim keeps the volume (Released) until an admin deletes or reuses it." isChecked={form.reclaimPolicy === 'Retain'} onChange={() => set({ reclaimPolicy: 'Retain' })} />
        </FormGroup>
        <FormGroup fieldId="sc-expansion" label="Expansion">
          <Checkbox id="sc-expansion" label="Allow volumes to grow" description="Users may expand claims of this class (the driver must support it)." isChecked={form.allowVolumeExpansion} onChange={(_e, v) => set({ allowVolumeExpansion: v })} />
        </FormGroup>
        <ParameterRows rows={form.parameters} onChange={(rows) => set({ parameters: rows }, 'parameters')} docs={doc?.parameters ?? []} problems={submitted || touched.parameters ? problems : {}} />
        <FormGroup fieldId="sc-default" label="Default">
          <Checkbox
            id="sc-default"
            label="Make this the default StorageClass"
            description={
              currentDefaults.length
                ? `Claims that name no class will get this one; ${currentDefaults.join(', ')} will no longer be the default.`
                : 'Claims that name no class will get this one (no class is the default now).'
            }
            isChecked={form.isDefault}
            onChange={(_e, v) => set({ isDefault: v })}
          />
        </FormGroup>
        {warnings.map((w) => (
          <Alert key={w} isInline variant="warning" title={w} />
        ))}
        {!isKuraDriver(form.provisioner.trim()) && form.parameters.some((p) => p.key.startsWith('kura.dev/')) && (
          <Alert isInline variant="info" title="kura.dev/* parameters tell Kura's scheduler how to treat this class; the driver itself ignores them." />
        )}
        {submitted && problems.form && <Alert isInline variant="danger" title={problems.form} />}
        {error && <ServerErrorAlert error={error.error} title={error.title} />}
      </CreateFormPage>
    </>
  );
}
