'use client';
// Offers to finish an upload a reload (or a closed tab) interrupted: choose
// the same file again (same name, size and modification time) and the
// upload goes on from what the server already holds.
import { Alert, AlertActionLink } from '@patternfly/react-core';
import { useState } from 'react';
import { fileMismatch, interruptedMessage, type PendingUpload } from '@/lib/cdi-ui';
import { FilePickButton } from './FilePickButton';
import { forgetUpload } from './pendingUploadStore';
import { startUpload } from './uploadJobs';

export function ResumeUploadAlert({ entry, storedBytes }: { entry: PendingUpload; storedBytes?: number }) {
  const [problem, setProblem] = useState<string>();
  const choose = (file: File) => {
    const mismatch = fileMismatch(entry, file);
    setProblem(mismatch);
    if (!mismatch) startUpload(entry.namespace, entry.dvName, file);
  };
  return (
    <Alert
      isInline
      variant="warning"
      title={interruptedMessage(entry, storedBytes)}
      data-testid="resume-upload"
      actionLinks={
        <>
          <FilePickButton onFile={choose} variant="link" isInline>
            Choose {entry.fileName}…
          </FilePickButton>
          <AlertActionLink onClick={() => forgetUpload(entry.namespace, entry.dvName)}>Dismiss</AlertActionLink>
        </>
      }
    >
      {problem ?? 'The bytes already sent are kept: only the rest is sent again.'}
    </Alert>
  );
}
