'use client';
// One entry of an actions menu, checked with a SelfSubjectAccessReview: off,
// with the reason, when the user may not do it.
import { DropdownItem } from '@patternfly/react-core';
import type { ReactNode } from 'react';
import { type AccessAttributes, deniedMessage, useAccess } from '../hooks/useAccess';

export interface GuardedMenuItemProps {
  access: AccessAttributes;
  kindPlural: string;
  /** Off for another reason than permission. */
  disabledReason?: string;
  onClick: () => void;
  isDanger?: boolean;
  children: ReactNode;
}

export function GuardedMenuItem({ access, kindPlural, disabledReason, onClick, isDanger, children }: GuardedMenuItemProps) {
  const can = useAccess(access);
  const denied = can.allowed === false ? deniedMessage(access.verb, kindPlural, access.namespace, can.reason) : undefined;
  const why = denied ?? disabledReason ?? (can.isLoading ? 'Checking whether you may do this…' : undefined);
  return (
    <DropdownItem onClick={onClick} isAriaDisabled={Boolean(why)} tooltipProps={why ? { content: why } : undefined} isDanger={isDanger && !why}>
      {children}
    </DropdownItem>
  );
}
