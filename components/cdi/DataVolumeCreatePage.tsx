'use client';
// Create a DataVolume: where the disk comes from (a tab per source: URL, S3,
// registry, upload, clone, snapshot, blank), its name, size and class, whether
// to bind before a VM uses it, and whether VMs may boot from it. Problems are
// shown under their fields before anything is sent; an upload starts once the
// DataVolume exists, and the page moves on to it.
import { Alert, Checkbox, FormGroup, Tab, Tabs, TabTitleText, TextInput } from '@patternfly/react-core';
import { useRouter, useSearchParams } from 'next/navigation';
import { useState } from 'react';
import { stringify } from 'yaml';
import { type DataVolume, DEFAULT_FILESYSTEM_OVERHEAD, usableSize } from '@/lib/cdi';
import { type DataVolumeForm, dataVolumeFromForm, emptyDataVolumeForm, SOURCE_TAB_LABELS, SOURCE_TABS, type SourceTab, sizeFieldsAtLeast, sizeOptional, validateDataVolumeForm } from '@/lib/cdi-ui';
import { DataVolumeModel, modelRef, PersistentVolumeClaimModel, UploadTokenRequestModel } from '@/lib/k8s/models';
import { resourcePath } from '@/lib/k8s/paths';
import { getName } from '@/lib/k8s/selectors';
import type { K8sResource } from '@/lib/k8s/types';
import { defaultStorageClass, parseBytes } from '@/lib/provisioning';
import { sizeQuantity } from '@/lib/storage-ui';
import { k8sRequest } from '../api/client';
import { useCapacity } from '../capacity/useCapacity';
import { CreateFormPage, FieldHelp } from '../common/CreateForm';
import { deniedMessage, useAccess } from '../hooks/useAccess';
import { useK8sList } from '../hooks/useK8sList';
import { CreateFromYamlPage } from '../resources/CreateFromYamlPage';
import { listHref, objectHref } from '../shell/navigation';
import { FitNotice } from '../storage/FitNotice';
import { ServerErrorAlert } from '../storage/ServerErrorAlert';
import { SizeField } from '../storage/SizeField';
import { StorageClassField } from '../storage/StorageClassField';
import { useClaimSources } from '../storage/useClaimSources';
import { SourceFields } from './SourceFields';
import { startUpload } from './uploadJobs';
import { useUploadFileCheck } from './useUploadFileCheck';

export function DataVolumeCreatePage({ namespace }: { namespace: string }) {
  const router = useRouter();
  const params = useSearchParams();
  const capacity = useCapacity({ nodes: false, volumes: false });
  const dvs = useK8sList<DataVolume & K8sResource>(DataVolumeModel, { namespace, watch: false });
  const claims = useK8sList(PersistentVolumeClaimModel, { namespace, watch: false });
  const can = useAccess({ group: DataVolumeModel.apiGroup, resource: DataVolumeModel.plural, verb: 'create', namespace });
  const canUpload = useAccess({ group: UploadTokenRequestModel.apiGroup, resource: UploadTokenRequestModel.plural, verb: 'create', namespace });
  // ?source=upload opens a tab, ?bootable=1 ticks the bootable box (the Bootable volumes page links here so).
  const [form, setForm] = useState<DataVolumeForm>(() => {
    const tab = SOURCE_TABS.find((t) => t === params.get('source'));
    return { ...emptyDataVolumeForm(namespace, tab), bootable: params.get('bootable') === '1', bindImmediately: tab === 'upload' };
  });
  const [touched, setTouched] = useState<Record<string, boolean>>({});
  const [submitted, setSubmitted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [yaml, setYaml] = useState<string>();
  const [file, setFile] = useState<File>();

  const classes = capacity.classes;
  const fallback = defaultStorageClass(classes)?.name ?? classes[0]?.name ?? '';
  const effective: DataVolumeForm = { ...form, storageClassName: form.storageClassName || fallback };
  const sc = classes.find((c) => c.name === effective.storageClassName);
  const sources = useClaimSources(namespace, form.source === 'pvc' ? 'PersistentVolumeClaim' : form.source === 'snapshot' ? 'VolumeSnapshot' : 'none', form.source === 'pvc' ? form.pvcName : form.snapshotName, classes);
  const sizeBytes = form.size.trim() ? parseBytes(sizeQuantity(form.size, form.unit)).bytes : undefined;
  const check = useUploadFileCheck(form.source === 'upload' ? file : undefined, sizeBytes);
  const { problems, warnings } = validateDataVolumeForm(effective, {
    existingDataVolumes: (dvs.items ?? []).map(getName),
    existingClaims: (claims.items ?? []).map(getName),
    // spec.storage asks for the disk, and CDI adds the file system's room: a claim of the source's size holds a disk that much smaller.
    ...(sources.selected?.bytes !== undefined ? { sourceMinBytes: usableSize(sources.selected.bytes, DEFAULT_FILESYSTEM_OVERHEAD) } : {}),
  });
  if (form.source === 'upload') {
    if (!file) problems.file = 'Choose the disk image to upload.';
    else if (check.verdict && !check.verdict.ok) problems.file = check.verdict.message;
    else if (!check.verdict) problems.file = 'The file is still being checked.';
  }
  const shown = (field: string) => (submitted || touched[field] ? problems[field] : undefined);
  const set = (patch: Partial<DataVolumeForm>, field?: string) => {
    setForm((f) => ({ ...f, ...patch }));
    if (field) setTouched((t) => ({ ...t, [field]: true }));
  };
  const chooseTab = (tab: SourceTab) => {
    // A clone may take its size from the source: start it empty unless the user chose one.
    const size = touched.size ? {} : sizeOptional(tab) ? { size: '' } : form.size ? {} : { size: '10', unit: 'Gi' as const };
    // An upload needs its volume now: on a WaitForFirstConsumer class it would wait for a VM otherwise.
    const bind = touched.bindImmediately ? {} : { bindImmediately: tab === 'upload' };
    set({ source: tab, ...size, ...bind });
  };

  const denied =
    can.allowed === false
      ? deniedMessage('create', 'DataVolumes', namespace, can.reason)
      : form.source === 'upload' && canUpload.allowed === false
        ? deniedMessage('create', 'UploadTokenRequests', namespace, canUpload.reason)
        : undefined;
  const wffc = sc?.volumeBindingMode === 'WaitForFirstConsumer';
  const noun = form.source === 'upload' ? 'upload' : form.source === 'pvc' || form.source === 'snapshot' ? 'clone' : 'import';

  if (yaml !== undefined) return <CreateFromYamlPage namespace={namespace} kindRef={modelRef(DataVolumeModel)} initialText={yaml} />;

  const create = async () => {
    setSubmitted(true);
    if (Object.keys(problems).length || denied || can.isLoading) return;
    setBusy(true);
    setError(undefined);
    const dv = dataVolumeFromForm(effective);
    try {
      await k8sRequest(resourcePath(DataVolumeModel, { namespace }), { method: 'POST', json: dv });
      if (form.source === 'upload' && file) startUpload(namespace, dv.metadata?.name ?? '', file);
      router.push(objectHref(DataVolumeModel, dv.metadata?.name ?? '', namespace));
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };

  return (
    <>
      <CreateFormPage
        title="Create DataVolume"
        intro={
          <>
            A disk in namespace <strong data-testid="target-namespace">{namespace}</strong>, filled by CDI from an image, an upload or another volume.
          </>
        }
        denied={denied}
        checking={can.isLoading}
        busy={busy}
        onSubmit={() => void create()}
        submitLabel={form.source === 'upload' ? 'Create and upload' : 'Create'}
        onEditYaml={form.source !== 'upload' ? () => setYaml(stringify(dataVolumeFromForm(effective))) : undefined}
        onCancel={() => router.push(listHref(DataVolumeModel, namespace))}
      >
        <FormGroup label="Name" isRequired fieldId="dv-name">
          <TextInput id="dv-name" value={form.name} onChange={(_e, v) => set({ name: v }, 'name')} validated={shown('name') ? 'error' : 'default'} />
          <FieldHelp problem={shown('name')}>Lower case letters, digits and "-"; its PersistentVolumeClaim takes the same name.</FieldHelp>
        </FormGroup>
        <FormGroup label="Source" fieldId="dv-source" role="group">
          <Tabs activeKey={form.source} onSelect={(_e, k) => chooseTab(k as SourceTab)} aria-label="Source of the disk" isBox>
            {SOURCE_TABS.map((t) => (
              <Tab key={t} eventKey={t} title={<TabTitleText>{SOURCE_TAB_LABELS[t]}</TabTitleText>} />
            ))}
          </Tabs>
          <div style={{ display: 'grid', gap: 'var(--pf-t--global--spacer--md)', paddingTop: 'var(--pf-t--global--spacer--md)' }}>
            <SourceFields
              form={effective}
              set={set}
              shown={shown}
              namespace={namespace}
              options={sources.options}
              optionsLoading={sources.isLoading}
              upload={{
                id: 'dv-upload-file',
                file,
                onFile: (f) => {
                  setFile(f);
                  setTouched((t) => ({ ...t, file: true }));
                },
                check,
                problem: submitted && !file ? problems.file : undefined,
                onUseSize: (bytes) => set(sizeFieldsAtLeast(bytes), 'size'),
              }}
            />
          </div>
        </FormGroup>
        <SizeField
          id="dv-size"
          label="Size"
          size={form.size}
          unit={form.unit}
          onChange={(size, unit) => set({ size, unit }, 'size')}
          problem={shown('size')}
          isRequired={!sizeOptional(form.source)}
          help={sizeOptional(form.source) ? 'Leave empty to make it as large as its source.' : 'The size of the disk the VM sees; the claim adds room for its file system.'}
        />
        <StorageClassField
          id="dv-class"
          value={effective.storageClassName}
          classes={classes}
          classObjects={capacity.classObjects}
          isLoading={capacity.isLoading}
          onChange={(v) => set({ storageClassName: v }, 'storageClassName')}
          problem={shown('storageClassName')}
        />
        <FitNotice storageClass={sc && form.bindImmediately ? { ...sc, volumeBindingMode: 'Immediate' } : sc} sizeBytes={problems.size ? undefined : sizeBytes} fitPools={capacity.fitPools} capacityReadable={capacity.capacityReadable} />
        <Checkbox
          id="dv-bind-immediately"
          label="Bind immediately"
          isChecked={form.bindImmediately}
          onChange={(_e, v) => set({ bindImmediately: v }, 'bindImmediately')}
          description={
            !wffc
              ? `${sc?.name ?? 'This class'} binds Immediate: the ${noun} starts at once either way.`
              : form.source === 'upload'
                ? `${sc?.name} binds WaitForFirstConsumer: an upload needs its volume now, so leave this on; without it the upload waits until a VM uses the disk.`
                : `${sc?.name} binds WaitForFirstConsumer: without this the ${noun} waits until a VM uses the disk, and the disk is made on that VM's node. With it the ${noun} starts now, and VMs using the disk run where it was made.`
          }
        />
        <Checkbox
          id="dv-bootable"
          label="Label as a bootable volume"
          isChecked={form.bootable}
          onChange={(_e, v) => set({ bootable: v })}
          description="Lists it under Bootable volumes, for VMs to start from (label kura.dev/bootable=true)."
          body={
            form.bootable && (
              <FormGroup label="Default preference" fieldId="dv-preference">
                <TextInput id="dv-preference" value={form.preference} onChange={(_e, v) => set({ preference: v }, 'preference')} validated={shown('preference') ? 'error' : 'default'} placeholder="fedora" />
                <FieldHelp problem={shown('preference')}>Optional: the VirtualMachinePreference VMs booting from it use (label instancetype.kubevirt.io/default-preference).</FieldHelp>
              </FormGroup>
            )
          }
        />
        {warnings.length > 0 && (
          <Alert isInline variant="warning" title="Check before you create">
            {warnings.map((w) => (
              <p key={w}>{w}</p>
            ))}
          </Alert>
        )}
        {submitted && problems.form && <Alert isInline variant="danger" title={problems.form} />}
        {error !== undefined && <ServerErrorAlert error={error} title={`DataVolume ${form.name.trim()} was not created`} />}
      </CreateFormPage>
    </>
  );
}
