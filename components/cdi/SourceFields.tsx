'use client';
// The fields of each source tab of the create-DataVolume form.
import { Checkbox, Content, FormGroup, FormSelect, FormSelectOption, TextInput } from '@patternfly/react-core';
import type { ReactNode } from 'react';
import type { DataVolumeForm } from '@/lib/cdi-ui';
import { FieldHelp } from '../common/CreateForm';
import type { ClaimSourceOption } from '../storage/useClaimSources';
import { UploadFileField, type UploadFileFieldProps } from './UploadFileField';

interface TextFieldProps {
  id: string;
  label: string;
  value: string;
  onChange: (v: string) => void;
  problem?: string;
  help?: ReactNode;
  placeholder?: string;
  isRequired?: boolean;
}

function TextField({ id, label, value, onChange, problem, help, placeholder, isRequired }: TextFieldProps) {
  return (
    <FormGroup label={label} isRequired={isRequired} fieldId={id}>
      <TextInput id={id} value={value} placeholder={placeholder} onChange={(_e, v) => onChange(v)} validated={problem ? 'error' : 'default'} />
      <FieldHelp problem={problem}>{help}</FieldHelp>
    </FormGroup>
  );
}

export interface SourceFieldsProps {
  form: DataVolumeForm;
  set: (patch: Partial<DataVolumeForm>, field?: string) => void;
  /** The problem to show for a field (after it was touched or the form submitted). */
  shown: (field: string) => string | undefined;
  namespace: string;
  /** Bound claims (Clone volume) or ready snapshots (From snapshot) in the namespace. */
  options: readonly ClaimSourceOption[];
  optionsLoading: boolean;
  upload: UploadFileFieldProps;
}

export function SourceFields({ form, set, shown, namespace, options, optionsLoading, upload }: SourceFieldsProps) {
  switch (form.source) {
    case 'http':
      return (
        <>
          <TextField id="dv-url" label="URL of the disk image" isRequired value={form.url} onChange={(v) => set({ url: v }, 'url')} problem={shown('url')} placeholder="https://example.com/images/disk.qcow2" help="http:// or https://; raw, qcow2, VMDK, VHD(X), VDI or ISO, as is or compressed with gzip, xz or zstd." />
          <TextField id="dv-secret" label="Basic-auth Secret" value={form.secretRef} onChange={(v) => set({ secretRef: v }, 'secretRef')} problem={shown('secretRef')} help="Optional: a Secret in this namespace with keys accessKeyId (user) and secretKey (password)." />
          <TextField id="dv-ca" label="CA ConfigMap" value={form.certConfigMap} onChange={(v) => set({ certConfigMap: v }, 'certConfigMap')} problem={shown('certConfigMap')} help="Optional: a ConfigMap in this namespace holding the CA certificate (PEM) that signed the server's certificate." />
        </>
      );
    case 's3':
      return (
        <>
          <TextField id="dv-s3-url" label="Object URL" isRequired value={form.s3Url} onChange={(v) => set({ s3Url: v }, 'url')} problem={shown('url')} placeholder="https://s3.example.com/bucket/disk.qcow2" help="The endpoint, the bucket and the object." />
          <TextField id="dv-s3-secret" label="Credentials Secret" value={form.s3SecretRef} onChange={(v) => set({ s3SecretRef: v }, 'secretRef')} problem={shown('secretRef')} help="A Secret in this namespace with keys accessKeyId and secretKey; leave empty for a public bucket." />
        </>
      );
    case 'registry':
      return (
        <>
          <TextField id="dv-registry-url" label="Image" isRequired value={form.registryUrl} onChange={(v) => set({ registryUrl: v }, 'url')} problem={shown('url')} placeholder="docker://quay.io/containerdisks/fedora:40" help="A containerDisk image: the disk file lies under /disk/ in its layers." />
          <TextField id="dv-registry-secret" label="Pull Secret" value={form.registrySecretRef} onChange={(v) => set({ registrySecretRef: v }, 'secretRef')} problem={shown('secretRef')} help="Optional: a Secret in this namespace with keys accessKeyId and secretKey for the registry." />
          <Checkbox
            id="dv-registry-insecure"
            label="The registry speaks plain http"
            isChecked={form.registryInsecure}
            onChange={(_e, v) => set({ registryInsecure: v })}
            description={
              form.registryInsecure
                ? "Not set per DataVolume: CDI pulls over plain http only from registries its configuration lists as insecure (CDIConfig spec.insecureRegistries; Kura's KURA_INSECURE_REGISTRIES). Ask an administrator to add this registry there."
                : undefined
            }
          />
        </>
      );
    case 'upload':
      return (
        <>
          <UploadFileField {...upload} />
          <Content component="p" style={{ fontSize: 'var(--pf-t--global--font--size--sm)' }}>
            Creating the DataVolume starts the upload: the file goes through Kura in pieces, so a dropped connection resumes where it stopped, and a closed page can finish the upload later with the same file.
          </Content>
        </>
      );
    case 'pvc':
    case 'snapshot': {
      const isPvc = form.source === 'pvc';
      const value = isPvc ? form.pvcName : form.snapshotName;
      return (
        <FormGroup label={isPvc ? 'PersistentVolumeClaim to clone' : 'VolumeSnapshot'} isRequired fieldId="dv-source-name">
          <FormSelect id="dv-source-name" value={value} onChange={(_e, v) => set(isPvc ? { pvcName: v } : { snapshotName: v }, 'sourceName')} validated={shown('sourceName') ? 'error' : 'default'}>
            <FormSelectOption value="" label={optionsLoading ? 'Loading…' : options.length ? 'Choose…' : `No ${isPvc ? 'bound claim' : 'ready snapshot'} in ${namespace}`} isDisabled />
            {options.map((o) => (
              <FormSelectOption key={o.name} value={o.name} label={o.label} />
            ))}
          </FormSelect>
          <FieldHelp problem={shown('sourceName')}>{isPvc ? 'A copy of the claim, made by CDI; the source keeps running meanwhile.' : 'A new disk holding the snapshot’s data.'}</FieldHelp>
        </FormGroup>
      );
    }
    case 'blank':
      return <Content component="p">An empty disk of the size below, for a VM to format and fill.</Content>;
  }
}
