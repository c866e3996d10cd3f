'use client';
// The disk image to upload: dropped or browsed, checked at once from its
// first bytes (a disk image? does it fit the size asked for?), with a button
// to raise the size when it does not fit.
import { Button, FileUpload, FormGroup, FormHelperText, HelperText, HelperTextItem } from '@patternfly/react-core';
import { formatSizeAtLeast } from '@/lib/cdi';
import { formatBytes } from '@/lib/k8s';
import type { UploadFileCheck } from './useUploadFileCheck';

export interface UploadFileFieldProps {
  id: string;
  file?: File;
  onFile: (file: File | undefined) => void;
  check: UploadFileCheck;
  /** Shown when no file is chosen and the form was submitted. */
  problem?: string;
  /** Offered when the image is larger than the size asked for. */
  onUseSize?: (bytes: number) => void;
}

export function UploadFileField({ id, file, onFile, check, problem, onUseSize }: UploadFileFieldProps) {
  const v = check.verdict;
  const error = problem ?? (v && !v.ok ? v.message : undefined);
  let help: string;
  if (check.checking) help = 'Reading the start of the file…';
  else if (v?.ok && file) help = `${v.summary}. File: ${formatBytes(file.size)}.`;
  else help = 'A disk image: raw, qcow2, VMDK, VHD, VHDX, VDI or ISO, as is or compressed with gzip, xz or zstd. It is checked before anything is sent.';
  return (
    <FormGroup label="Disk image file" isRequired fieldId={id}>
      <FileUpload
        id={id}
        value={file}
        filename={file?.name ?? ''}
        filenamePlaceholder="Drag a disk image here, or browse"
        filenameAriaLabel="Chosen disk image file"
        browseButtonText="Browse…"
        hideDefaultPreview
        isLoading={check.checking}
        validated={error ? 'error' : v?.ok ? 'success' : 'default'}
        onFileInputChange={(_e, f) => onFile(f)}
        onClearClick={() => onFile(undefined)}
        dropzoneProps={{ multiple: false }}
      />
      <FormHelperText>
        <HelperText>
          <HelperTextItem variant={error ? 'error' : v?.ok ? 'success' : 'default'} data-testid="upload-file-check">
            {error ?? help}
          </HelperTextItem>
        </HelperText>
      </FormHelperText>
      {v && !v.ok && v.minimumBytes !== undefined && onUseSize && (
        <Button variant="link" isInline onClick={() => onUseSize(v.minimumBytes!)}>
          Set the size to {formatSizeAtLeast(v.minimumBytes)}
        </Button>
      )}
    </FormGroup>
  );
}
