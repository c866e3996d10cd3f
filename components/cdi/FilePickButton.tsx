'use client';
// A button that opens the browser's file chooser and hands back one file.
import { Button, type ButtonProps } from '@patternfly/react-core';
import { type ReactNode, useRef } from 'react';

export function FilePickButton({ onFile, variant = 'secondary', children, isInline }: { onFile: (f: File) => void; variant?: ButtonProps['variant']; children: ReactNode; isInline?: boolean }) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <input
        ref={input}
        type="file"
        hidden
        onChange={(e) => {
          const f = e.target.files?.[0];
          e.target.value = '';
          if (f) onFile(f);
        }}
      />
      <Button variant={variant} isInline={isInline} onClick={() => input.current?.click()}>
        {children}
      </Button>
    </>
  );
}
