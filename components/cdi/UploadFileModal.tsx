'use client';
// Send a file to a DataVolume that waits for its upload (created here, by
// kubectl or by another console): the same checks as the create form.
import { Button, Form, Modal, ModalBody, ModalFooter, ModalHeader } from '@patternfly/react-core';
import { useState } from 'react';
import { formatBytes } from '@/lib/k8s';
import { UploadFileField } from './UploadFileField';
import { startUpload } from './uploadJobs';
import { useUploadFileCheck } from './useUploadFileCheck';

export interface UploadFileModalProps {
  namespace: string;
  dvName: string;
  /** The size the DataVolume asks for: a larger image is refused before it is sent. */
  requestedBytes?: number;
  onClose: () => void;
}

export function UploadFileModal({ namespace, dvName, requestedBytes, onClose }: UploadFileModalProps) {
  const [file, setFile] = useState<File>();
  const check = useUploadFileCheck(file, requestedBytes);
  const ready = Boolean(file && check.verdict?.ok);
  const upload = () => {
    if (!file || !ready) return;
    startUpload(namespace, dvName, file);
    onClose();
  };
  return (
    <Modal isOpen variant="medium" onClose={onClose} aria-labelledby="upload-file-title">
      <ModalHeader title={`Upload a disk image to ${dvName}`} labelId="upload-file-title" description={requestedBytes ? `The DataVolume holds a disk of up to ${formatBytes(requestedBytes)}.` : undefined} />
      <ModalBody>
        <Form
          onSubmit={(e) => {
            e.preventDefault();
            upload();
          }}
        >
          <UploadFileField id="upload-file" file={file} onFile={setFile} check={check} />
        </Form>
      </ModalBody>
      <ModalFooter>
        <Button variant="primary" onClick={upload} isAriaDisabled={!ready}>
          Upload
        </Button>
        <Button variant="link" onClick={onClose}>
          Cancel
        </Button>
      </ModalFooter>
    </Modal>
  );
}
