'use client';
// The namespace the console works in. Lists namespaces live; a user who may
// not list them can still type one. The choice is remembered in this browser.
import { Divider, Menu, MenuContent, MenuItem, MenuList, MenuSearch, MenuSearchInput, MenuToggle, Popper, SearchInput } from '@patternfly/react-core';
import { usePathname, useRouter } from 'next/navigation';
import { useMemo, useRef, useState } from 'react';
import { NamespaceModel } from '@/lib/k8s/models';
import { ALL_NAMESPACES, useRememberedNamespace } from '../hooks/useActiveNamespace';
import { useK8sList } from '../hooks/useK8sList';
import { parseK8sRoute } from './routes';
import { listHref } from './navigation';

const labelFor = (ns: string) => (ns === ALL_NAMESPACES ? 'All namespaces' : ns);

export function NamespaceSelector() {
  const pathname = usePathname();
  const router = useRouter();
  const [remembered, remember] = useRememberedNamespace();
  const route = pathname.startsWith('/k8s/') ? parseK8sRoute(pathname.split('/').slice(2)) : undefined;
  const active = route?.namespace ?? remembered;
  const [open, setOpen] = useState(false);
  const [filter, setFilter] = useState('');
  const toggleRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLDivElement>(null);
  const { items, error } = useK8sList(NamespaceModel);

  const names = useMemo(() => (items ?? []).map((n) => n.metadata.name).sort(), [items]);
  const shown = names.filter((n) => n.includes(filter.trim()));
  const typed = filter.trim();
  const canUseTyped = typed && !names.includes(typed) && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(typed) && typed.length <= 63;

  const choose = (ns: string) => {
    remember(ns);
    setOpen(false);
    setFilter('');
    // On a page of a namespaced kind, follow the choice to that kind's list in the new namespace.
    if (route?.model?.namespaced) router.push(listHref(route.model, ns));
  };

  const toggle = (
    <MenuToggle ref={toggleRef} onClick={() => setOpen(!open)} isExpanded={open} aria-label="Namespace" variant="plainText">
      Namespace: <strong>{labelFor(active)}</strong>
    </MenuToggle>
  );
  const menu = (
    <Menu ref={menuRef} onSelect={(_e, v) => choose(String(v))} activeItemId={active} isScrollable>
      <MenuSearch>
        <MenuSearchInput>
          <SearchInput aria-label="Find a namespace" placeholder="Find or type a namespace" value={filter} onChange={(_e, v) => setFilter(v)} />
        </MenuSearchInput>
      </MenuSearch>
      <Divider />
      <MenuContent maxMenuHeight="320px">
        <MenuList>
          <MenuItem itemId={ALL_NAMESPACES} isSelected={active === ALL_NAMESPACES}>
            All namespaces
          </MenuItem>
          {shown.map((n) => (
            <MenuItem key={n} itemId={n} isSelected={active === n}>
              {n}
            </MenuItem>
          ))}
          {canUseTyped && (
            <MenuItem itemId={typed} description="Not in the list you may see; use it anyway">
              Use namespace “{typed}”
            </MenuItem>
          )}
          {error && !shown.length && !canUseTyped && (
            <MenuItem isDisabled itemId="__error">
              Cannot list namespaces: {error.message}. Type a namespace name above.
            </MenuItem>
          )}
        </MenuList>
      </MenuContent>
    </Menu>
  );
  return (
    <Popper
      trigger={toggle}
      triggerRef={toggleRef}
      popper={menu}
      popperRef={menuRef}
      isVisible={open}
      onDocumentClick={(event) => {
        if (open && !menuRef.current?.contains(event?.target as Node) && !toggleRef.current?.contains(event?.target as Node)) setOpen(false);
      }}
    />
  );
}
