'use client';
// Routes /k8s/{ns/<ns>|all-namespaces|cluster}/<group~version~Kind>[/<name>]
// to the list or the object page of that kind: Kura's own kinds at once, any
// other kind the cluster serves (CRDs included) once discovery finds it.
import { Bullseye, PageSection, Spinner } from '@patternfly/react-core';
import { useRouter } from 'next/navigation';
import { useEffect } from 'react';
import { ALL_NAMESPACES, rememberNamespace } from '../hooks/useActiveNamespace';
import { useResolvedModel } from '../hooks/useDiscovery';
import { CdiPage } from '../cdi/CdiPage';
import { hasCdiPage } from '../cdi/links';
import { ErrorState } from '../common/ErrorState';
import { navSections } from '../shell/navigation';
import { parseK8sRoute } from '../shell/routes';
import { hasStoragePage } from '../storage/links';
import { StoragePage } from '../storage/StoragePage';
import { ResourceDetailsPage } from './ResourceDetailsPage';
import { ResourceListPage } from './ResourceListPage';

export function K8sRoutePage({ segments }: { segments: string[] }) {
  const route = parseK8sRoute(segments);
  const ns = route?.namespace;
  const { model, isLoading } = useResolvedModel(route?.gvk);
  const router = useRouter();
  const tab = route?.tab;
  useEffect(() => {
    if (ns) rememberNamespace(ns);
  }, [ns]);
  // …/<name>/yaml, as OpenShift's console links an object's YAML: the same page, on that tab.
  useEffect(() => {
    if (!tab) return;
    const page = `/k8s/${segments.slice(0, -1).join('/')}`;
    router.replace(tab === 'details' ? page : `${page}?tab=${tab}`);
  }, [tab, segments, router]);
  if (!route) {
    return (
      <PageSection>
        <ErrorState
          error={new Error(`There is no page at /k8s/${segments.join('/')}. Pages of a kind are /k8s/ns/<namespace>/<group~version~Kind>, /k8s/all-namespaces/… or /k8s/cluster/…, then an object's name, then yaml or events for those tabs.`)}
          action="show this page"
        />
      </PageSection>
    );
  }
  if (tab || (!model && isLoading)) {
    return (
      <PageSection>
        <Bullseye>
          <Spinner aria-label="Finding the kind" />
        </Bullseye>
      </PageSection>
    );
  }
  if (!model) {
    const what = route.gvk ? `${route.gvk.kind} (${route.gvk.apiGroup || 'core'}/${route.gvk.apiVersion})` : segments.join('/');
    const served = route.gvk ? ' and this cluster does not serve it (its API discovery does not list it)' : '';
    return (
      <PageSection>
        <ErrorState error={new Error(`Kura does not know the kind ${what}${served}.`)} action="show this page" />
      </PageSection>
    );
  }
  const title = navSections.flatMap((s) => s.entries).find((e) => e.model.kind === model.kind && e.model.apiGroup === model.apiGroup)?.label ?? model.labelPlural;
  // DataVolumes have their own list, form and object page; DataSources open the bootable volumes list.
  if (hasCdiPage(model, route.name)) return <CdiPage model={model} namespace={ns} name={route.name} title={title} />;
  // Storage kinds have purpose-built lists and create forms; their object pages stay generic.
  if (hasStoragePage(model, route.name)) return <StoragePage model={model} namespace={ns} name={route.name} title={title} />;
  if (route.name) return <ResourceDetailsPage key={`${ns}/${route.name}`} model={model} name={route.name} namespace={ns === ALL_NAMESPACES || !model.namespaced ? undefined : ns} />;
  return <ResourceListPage model={model} title={title} namespace={ns} />;
}
