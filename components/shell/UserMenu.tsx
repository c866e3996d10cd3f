'use client';
import { Dropdown, DropdownItem, DropdownList, MenuToggle } from '@patternfly/react-core';
import { UserIcon } from '@patternfly/react-icons';
import { useState } from 'react';
import { consoleFetch } from '../api/client';

export function UserMenu({ username, groups }: { username: string; groups: string[] }) {
  const [open, setOpen] = useState(false);
  const signOut = async () => {
    await consoleFetch('/api/auth/logout', { method: 'POST' }).catch(() => undefined);
    window.location.assign('/login');
  };
  return (
    <Dropdown
      isOpen={open}
      onOpenChange={setOpen}
      popperProps={{ position: 'right' }}
      toggle={(ref) => (
        <MenuToggle ref={ref} variant="plainText" icon={<UserIcon />} onClick={() => setOpen(!open)} isExpanded={open} aria-label={`User menu for ${username}`}>
          {username}
        </MenuToggle>
      )}
    >
      <DropdownList>
        <DropdownItem key="who" isDisabled description={groups.length ? `Groups: ${groups.join(', ')}` : 'No groups'}>
          Signed in as {username}
        </DropdownItem>
        <DropdownItem key="signout" onClick={() => void signOut()}>
          Sign out
        </DropdownItem>
      </DropdownList>
    </Dropdown>
  );
}
