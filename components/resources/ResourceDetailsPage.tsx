'use client';
// One object of any kind, kept current by a watch: Details, YAML (editable)
// and Events tabs, and an Actions menu with Delete. A kind with a page of its
// own (DataVolumes) passes its own Details tab and status.
import {
  Alert,
  Breadcrumb,
  BreadcrumbItem,
  Bullseye,
  Dropdown,
  DropdownItem,
  DropdownList,
  EmptyState,
  EmptyStateBody,
  Flex,
  FlexItem,
  Label,
  MenuToggle,
  PageSection,
  Spinner,
  Tab,
  Tabs,
  TabTitleText,
  Title,
} from '@patternfly/react-core';
import { SearchIcon } from '@patternfly/react-icons';
import NextLink from 'next/link';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { type ReactNode, useEffect, useState } from 'react';
import { groupVersion, type K8sModel } from '@/lib/k8s/models';
import { getFinalizers, getGenericStatus, isTerminating } from '@/lib/k8s/selectors';
import type { K8sResource } from '@/lib/k8s/types';
import { ErrorState } from '../common/ErrorState';
import { StatusLabel } from '../common/StatusLabel';
import { deniedMessage, useAccess } from '../hooks/useAccess';
import { useRememberedNamespace } from '../hooks/useActiveNamespace';
import { useK8sList } from '../hooks/useK8sList';
import { listHref } from '../shell/navigation';
import { ROUTE_TABS, type RouteTab } from '../shell/routes';
import { DeleteObjectModal } from './DeleteObjectModal';
import { ObjectDetails } from './ObjectDetails';
import { ObjectEvents } from './ObjectEvents';
import { ObjectYamlTab } from './ObjectYamlTab';

const tabs = ROUTE_TABS;
type TabKey = RouteTab;

export interface ResourceDetailsPageProps {
  model: K8sModel;
  name: string;
  namespace?: string;
  /** The Details tab's content, instead of the generic fields. */
  renderDetails?: (obj: K8sResource) => ReactNode;
  /** The status beside the title, instead of the generic one. */
  renderStatus?: (obj: K8sResource) => ReactNode;
}

export function ResourceDetailsPage({ model, name, namespace, renderDetails, renderStatus }: ResourceDetailsPageProps) {
  const [remembered] = useRememberedNamespace();
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const tab: TabKey = tabs.find((t) => t === params.get('tab')) ?? 'details';
  // A watch on this one object: edits made elsewhere show up while the page is open.
  const { items, error, isLoading, refetch, applyEvent } = useK8sList(model, { namespace, fieldSelector: `metadata.name=${name}` });
  const obj = items?.[0];
  const [menuOpen, setMenuOpen] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [deleteRequested, setDeleteRequested] = useState(false);
  const canDelete = useAccess({ group: model.apiGroup, resource: model.plural, verb: 'delete', namespace, name });
  const list = listHref(model, namespace ?? remembered);

  // Deleted while finalizers held it: leave once the watch sees it gone.
  const gone = deleteRequested && !isLoading && !error && !obj;
  useEffect(() => {
    if (gone) router.replace(list);
  }, [gone, list, router]);

  const onDeleted = (kept: K8sResource | undefined) => {
    setDeleting(false);
    if (!kept) return router.push(list);
    applyEvent({ type: 'MODIFIED', object: kept });
    setDeleteRequested(true);
  };

  const deniedDelete = canDelete.allowed === false ? deniedMessage('delete', model.labelPlural, namespace, canDelete.reason) : undefined;
  const finalizers = getFinalizers(obj);

  let body;
  if (error) {
    body = (
      <ErrorState
        error={error}
        action={`read ${model.label} ${name}`}
        notServedHint={`This cluster does not serve ${model.kind} (${groupVersion(model)}).`}
        onRetry={() => void refetch()}
      />
    );
  } else if (isLoading) {
    body = (
      <Bullseye>
        <Spinner aria-label="Loading" />
      </Bullseye>
    );
  } else if (!obj) {
    body = (
      <EmptyState titleText={`${model.label} ${name} not found`} headingLevel="h2" icon={SearchIcon}>
        <EmptyStateBody data-testid="error-state">
          {model.label} {name} does not exist{namespace ? ` in namespace ${namespace}` : ''}, or it was just deleted. <NextLink href={list}>See all {model.labelPlural}</NextLink>.
        </EmptyStateBody>
      </EmptyState>
    );
  } else {
    body = (
      <Tabs
        activeKey={tab}
        onSelect={(_e, key) => router.replace(key === 'details' ? pathname : `${pathname}?tab=${key}`, { scroll: false })}
        aria-label={`${model.label} ${name}`}
        mountOnEnter
      >
        <Tab eventKey="details" title={<TabTitleText>Details</TabTitleText>}>
          <div style={{ paddingTop: '1rem' }}>
            {renderDetails ? renderDetails(obj) : <ObjectDetails model={model} obj={obj} />}
          </div>
        </Tab>
        <Tab eventKey="yaml" title={<TabTitleText>YAML</TabTitleText>}>
          <div style={{ paddingTop: '1rem' }}>
            <ObjectYamlTab model={model} obj={obj} namespace={namespace} onFetched={(o) => applyEvent({ type: 'MODIFIED', object: o })} reload={refetch} />
          </div>
        </Tab>
        <Tab eventKey="events" title={<TabTitleText>Events</TabTitleText>}>
          <div style={{ paddingTop: '1rem' }}>
            <ObjectEvents model={model} obj={obj} />
          </div>
        </Tab>
      </Tabs>
    );
  }

  return (
    <>
      <PageSection>
        <Breadcrumb>
          <BreadcrumbItem render={() => <NextLink href={list}>{model.labelPlural}</NextLink>} />
          <BreadcrumbItem isActive>{name}</BreadcrumbItem>
        </Breadcrumb>
        <Flex justifyContent={{ default: 'justifyContentSpaceBetween' }} alignItems={{ default: 'alignItemsCenter' }}>
          <FlexItem>
            <Title headingLevel="h1">
              <Label isCompact variant="outline">
                {model.abbr}
              </Label>{' '}
              {name} {obj && renderStatus ? renderStatus(obj) : obj && getGenericStatus(obj).text !== '-' && <StatusLabel status={getGenericStatus(obj)} />}
            </Title>
          </FlexItem>
          {obj && (
            <FlexItem>
              <Dropdown
                isOpen={menuOpen}
                onOpenChange={setMenuOpen}
                onSelect={() => setMenuOpen(false)}
                popperProps={{ position: 'right' }}
                toggle={(ref) => (
                  <MenuToggle ref={ref} onClick={() => setMenuOpen((o) => !o)} isExpanded={menuOpen}>
                    Actions
                  </MenuToggle>
                )}
              >
                <DropdownList>
                  <DropdownItem
                    onClick={() => setDeleting(true)}
                    isAriaDisabled={Boolean(deniedDelete) || isTerminating(obj)}
                    tooltipProps={deniedDelete ? { content: deniedDelete } : isTerminating(obj) ? { content: 'Deletion was already requested.' } : undefined}
                  >
                    Delete {model.label}
                  </DropdownItem>
                </DropdownList>
              </Dropdown>
            </FlexItem>
          )}
        </Flex>
        {obj && isTerminating(obj) && (
          <Alert isInline variant="warning" title={`${model.label} ${name} is being deleted`} style={{ marginTop: '1rem' }} data-testid="terminating">
            {finalizers.length
              ? `It is waiting for its finalizers to be removed: ${finalizers.join(', ')}. The component that added each one removes it when its clean-up is done.`
              : 'It will disappear shortly.'}
          </Alert>
        )}
      </PageSection>
      <PageSection>{body}</PageSection>
      {deleting && <DeleteObjectModal model={model} name={name} namespace={namespace} onClose={() => setDeleting(false)} onDeleted={onDeleted} />}
    </>
  );
}
