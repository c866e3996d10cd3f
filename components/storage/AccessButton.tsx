'use client';
// A button that asks the cluster first whether the user may do what it does,
// and says so in a tooltip when not: never an enabled button that fails.
import { Button, type ButtonProps, Tooltip } from '@patternfly/react-core';
import NextLink from 'next/link';
import type { ReactNode } from 'react';
import { type AccessAttributes, deniedMessage, useAccess } from '../hooks/useAccess';

export interface AccessButtonProps {
  access: AccessAttributes;
  /** Plural label for the refusal: "You may not create VolumeSnapshots in namespace team-a." */
  kindPlural: string;
  /** Off for another reason than permission (shown as the tooltip). */
  disabledReason?: string;
  href?: string;
  onClick?: () => void;
  variant?: ButtonProps['variant'];
  children: ReactNode;
}

export function AccessButton({ access, kindPlural, disabledReason, href, onClick, variant = 'primary', children }: AccessButtonProps) {
  const can = useAccess(access);
  const denied = can.allowed === false ? deniedMessage(access.verb, kindPlural, access.namespace, can.reason) : undefined;
  const why = denied ?? disabledReason ?? (can.isLoading ? 'Checking whether you may do this…' : undefined);
  if (why) {
    return (
      <Tooltip content={why}>
        <Button variant={variant} isAriaDisabled>
          {children}
        </Button>
      </Tooltip>
    );
  }
  if (href) {
    return (
      <Button variant={variant} component={NextLink} href={href}>
        {children}
      </Button>
    );
  }
  return (
    <Button variant={variant} onClick={onClick}>
      {children}
    </Button>
  );
}
