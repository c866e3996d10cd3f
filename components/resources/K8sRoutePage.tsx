'use client';
// Routes /k8s/{ns/<ns>|all-namespaces|cluster}/<group~version~Kind>[/<name>]
// to the list or the object page of that kind.
import { PageSection } from '@patternfly/react-core';
import { useEffect } from 'react';
import { ALL_NAMESPACES, rememberNamespace } from '../hooks/useActiveNamespace';
import { ErrorState } from '../common/ErrorState';
import { navSections } from '../shell/navigation';
import { parseK8sRoute } from '../shell/routes';
import { ResourceDetailsPage } from './ResourceDetailsPage';
import { ResourceListPage } from './ResourceListPage';

export function K8sRoutePage({ segments }: { segments: string[] }) {
  const route = parseK8sRoute(segments);
  const ns = route?.namespace;
  useEffect(() => {
    if (ns) rememberNamespace(ns);
  }, [ns]);
  if (!route?.model) {
    const what = route?.gvk ? `${route.gvk.kind} (${route.gvk.apiGroup || 'core'}/${route.gvk.apiVersion})` : segments.join('/');
    return (
      <PageSection>
        <ErrorState error={new Error(`Kura does not know the kind ${what}.`)} action="show this page" />
      </PageSection>
    );
  }
  const model = route.model;
  if (route.name) return <ResourceDetailsPage model={model} name={route.name} namespace={ns === ALL_NAMESPACES ? undefined : ns} />;
  const title = navSections.flatMap((s) => s.entries).find((e) => e.model === model)?.label ?? model.labelPlural;
  return <ResourceListPage model={model} title={title} namespace={ns} />;
}
