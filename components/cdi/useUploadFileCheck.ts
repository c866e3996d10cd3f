'use client';
// The checks on a chosen file before it is uploaded: its first and last bytes
// are read once per file, the verdict follows the size asked for as it changes.
import { useEffect, useState } from 'react';
import { checkUploadFile, type UploadFileFacts, type UploadFileVerdict } from '@/lib/cdi-ui';
import { readUploadFileFacts } from './readUploadFile';

export interface UploadFileCheck {
  checking: boolean;
  verdict?: UploadFileVerdict;
}

export function useUploadFileCheck(file: File | undefined, requestedBytes: number | undefined): UploadFileCheck {
  const [read, setRead] = useState<{ file: File; facts?: UploadFileFacts; error?: string }>();
  useEffect(() => {
    if (!file) return;
    let live = true;
    readUploadFileFacts(file).then(
      (facts) => live && setRead({ file, facts }),
      (e: unknown) => live && setRead({ file, error: `The file cannot be read: ${(e as Error).message}` }),
    );
    return () => {
      live = false;
    };
  }, [file]);
  if (!file) return { checking: false };
  const mine = read?.file === file ? read : undefined;
  if (!mine) return { checking: true };
  if (mine.error) return { checking: false, verdict: { ok: false, message: mine.error } };
  return { checking: false, verdict: checkUploadFile(mine.facts!, requestedBytes) };
}
