'use client';
// The actions menu at the end of a table row.
import { Dropdown, DropdownList, MenuToggle } from '@patternfly/react-core';
import { EllipsisVIcon } from '@patternfly/react-icons';
import { type ReactNode, useState } from 'react';

export function RowKebab({ label, children }: { label: string; children: ReactNode }) {
  const [open, setOpen] = useState(false);
  return (
    <Dropdown
      isOpen={open}
      onOpenChange={setOpen}
      onSelect={() => setOpen(false)}
      popperProps={{ position: 'right' }}
      toggle={(ref) => (
        <MenuToggle ref={ref} variant="plain" aria-label={label} onClick={() => setOpen((o) => !o)} isExpanded={open} icon={<EllipsisVIcon />} />
      )}
    >
      <DropdownList>{children}</DropdownList>
    </Dropdown>
  );
}
