'use client';
// The frame around every signed-in page: masthead (product, cluster, namespace,
// theme, user) and the sidebar of kinds.
import {
  Label,
  Masthead,
  MastheadBrand,
  MastheadContent,
  MastheadLogo,
  MastheadMain,
  MastheadToggle,
  Nav,
  NavExpandable,
  NavItem,
  NavList,
  Page,
  PageSidebar,
  PageSidebarBody,
  PageToggleButton,
  Toolbar,
  ToolbarContent,
  ToolbarGroup,
  ToolbarItem,
  Tooltip,
} from '@patternfly/react-core';
import { BarsIcon } from '@patternfly/react-icons';
import NextLink from 'next/link';
import { usePathname } from 'next/navigation';
import type { ReactNode } from 'react';
import { modelRef } from '@/lib/k8s/models';
import { useRememberedNamespace } from '../hooks/useActiveNamespace';
import { useSession } from '../hooks/useSession';
import { listHref, navSections } from './navigation';
import { NamespaceSelector } from './NamespaceSelector';
import { ThemeToggle } from './ThemeToggle';
import { UserMenu } from './UserMenu';

function ClusterBadge() {
  const { data } = useSession();
  const c = data?.cluster;
  if (!c) return null;
  const tip = c.reachable ? `${c.server ?? ''} ${c.version ?? ''}`.trim() : (c.problem ?? 'not reachable');
  return (
    <Tooltip content={tip}>
      <span className="kura-cluster" data-testid="cluster-badge">
        Cluster <strong>{c.name}</strong>
        {(c.name !== c.mode || !c.reachable) && (
          <Label isCompact color={c.reachable ? 'blue' : 'red'}>
            {c.name !== c.mode ? c.mode : ''}
            {c.reachable ? '' : `${c.name !== c.mode ? ' · ' : ''}unreachable`}
          </Label>
        )}
      </span>
    </Tooltip>
  );
}

export function ConsoleShell({ children }: { children: ReactNode }) {
  const pathname = usePathname();
  const [namespace] = useRememberedNamespace();
  const { data: session } = useSession();

  const masthead = (
    <Masthead>
      <MastheadMain>
        <MastheadToggle>
          <PageToggleButton isHamburgerButton aria-label="Toggle navigation">
            <BarsIcon />
          </PageToggleButton>
        </MastheadToggle>
        <MastheadBrand>
          <MastheadLogo component={NextLink} href="/">
            <span className="kura-brand">
              <img src="/kura.svg" alt="" width={28} height={28} />
              Kura
            </span>
          </MastheadLogo>
        </MastheadBrand>
      </MastheadMain>
      <MastheadContent>
        <Toolbar isFullHeight isStatic>
          <ToolbarContent>
            <ToolbarGroup>
              <ToolbarItem>
                <ClusterBadge />
              </ToolbarItem>
              <ToolbarItem>
                <NamespaceSelector />
              </ToolbarItem>
            </ToolbarGroup>
            <ToolbarGroup align={{ default: 'alignEnd' }}>
              <ToolbarItem>
                <ThemeToggle />
              </ToolbarItem>
              <ToolbarItem>{session?.username && <UserMenu username={session.username} groups={session.groups ?? []} />}</ToolbarItem>
            </ToolbarGroup>
          </ToolbarContent>
        </Toolbar>
      </MastheadContent>
    </Masthead>
  );

  const isActive = (ref: string) => pathname.split('/').includes(ref);
  const sidebar = (
    <PageSidebar>
      <PageSidebarBody>
        <Nav aria-label="Kura">
          <NavList>
            <NavItem to="/" component={NextLink} isActive={pathname === '/'}>
              Overview
            </NavItem>
            {navSections.map((section) => (
              <NavExpandable key={section.title} title={section.title} isExpanded isActive={section.entries.some((e) => isActive(modelRef(e.model)))}>
                {section.entries.map((entry) => (
                  <NavItem key={entry.label} to={listHref(entry.model, namespace)} component={NextLink} isActive={isActive(modelRef(entry.model))}>
                    {entry.label}
                  </NavItem>
                ))}
              </NavExpandable>
            ))}
          </NavList>
        </Nav>
      </PageSidebarBody>
    </PageSidebar>
  );

  return (
    <Page masthead={masthead} sidebar={sidebar} isManagedSidebar>
      {children}
    </Page>
  );
}
