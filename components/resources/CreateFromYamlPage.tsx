'use client';
// "Create from YAML": one or more objects of any served kind, created in
// order, each through the endpoint discovery gives for its apiVersion/kind.
import { Bullseye, Button, Content, Flex, FlexItem, PageSection, Spinner, Title } from '@patternfly/react-core';
import dynamic from 'next/dynamic';
import { useRouter } from 'next/navigation';
import { useMemo, useState } from 'react';
import { type DiscoveredModel, modelForManifest } from '@/lib/k8s/discovery';
import { parseModelRef } from '@/lib/k8s/models';
import { queryString, resourcePath } from '@/lib/k8s/paths';
import type { K8sObject, K8sResource } from '@/lib/k8s/types';
import { k8sRequest } from '../api/client';
import { ALL_NAMESPACES, useRememberedNamespace } from '../hooks/useActiveNamespace';
import { useDiscovery, useResolvedModel } from '../hooks/useDiscovery';
import { listHref, objectHref } from '../shell/navigation';
import { fieldProblem, objectProblems, parseManifests, positionAt } from '../yaml/manifests';
import { OutcomeAlert } from '../yaml/OutcomeAlert';
import { diagnosticsOf, outcomeFromError, type YamlOutcome } from '../yaml/outcome';
import { emptyManifestHint, starterManifest } from '../yaml/starterManifest';
import { type CreateResult, CreateResults } from './CreateResults';

// CodeMirror measures the DOM: render it in the browser only.
const YamlEditor = dynamic(() => import('../yaml/YamlEditor').then((m) => m.YamlEditor), { ssr: false });

export interface CreateFromYamlPageProps {
  /** The namespace of the URL; undefined on /k8s/cluster/import. */
  namespace?: string;
  /** "group~version~Kind" to start from. */
  kindRef?: string;
  /** Text to start from instead of the kind's starter manifest (a form's "Edit YAML" continues here). */
  initialText?: string;
}

export function CreateFromYamlPage({ namespace, kindRef, initialText }: CreateFromYamlPageProps) {
  const router = useRouter();
  const [remembered] = useRememberedNamespace();
  // Namespaced objects without metadata.namespace go to the page's namespace, or the selected one.
  const targetNs = namespace ?? (remembered === ALL_NAMESPACES ? 'default' : remembered);
  const gvk = kindRef ? parseModelRef(kindRef) : undefined;
  const { model, isLoading, notServed } = useResolvedModel(gvk);
  const { models, refresh } = useDiscovery();
  const [draft, setDraft] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<YamlOutcome | null>(null);
  const [results, setResults] = useState<CreateResult[]>([]);
  const [busy, setBusy] = useState(false);

  const starter = model ? starterManifest(model, targetNs) : gvk ? starterManifest({ ...gvk, namespaced: false }) : emptyManifestHint;
  const text = draft ?? initialText ?? starter;
  const diagnostics = useMemo(() => [...diagnosticsOf(outcome), ...results.flatMap((r) => diagnosticsOf(r.outcome))], [outcome, results]);

  const create = async () => {
    setResults([]);
    const { docs, problems } = parseManifests(text);
    if (problems.length) return setOutcome({ kind: 'syntax', problems });
    if (!docs.length) return setOutcome({ kind: 'invalid', title: 'Nothing to create', problems: [{ message: 'The text holds no objects.' }] });
    // Every document must look like an object before any is sent: a half-created set helps nobody.
    const own = docs.flatMap((d) => objectProblems(text, d));
    if (own.length) return setOutcome({ kind: 'invalid', title: 'Nothing was created: fix these first', problems: own });
    setOutcome(null);
    setBusy(true);
    let known: readonly DiscoveredModel[] = models ?? [];
    let refreshed = false;
    const done: CreateResult[] = [];
    for (const [i, d] of docs.entries()) {
      const v = d.value as K8sObject & { apiVersion: string; kind: string };
      const label = `${v.kind} ${v.metadata?.name ?? `${v.metadata?.generateName ?? ''}…`}`;
      const base = { index: i + 1, line: positionAt(text, d.from).line, label };
      setResults([...done, { ...base, state: 'creating' }]);
      let m = modelForManifest(known, v.apiVersion, v.kind);
      if (!m && !refreshed) {
        // An earlier document may have been the CRD that serves this kind: look again, once.
        refreshed = true;
        known = (await refresh()).data?.models ?? known;
        m = modelForManifest(known, v.apiVersion, v.kind);
      }
      if (!m) {
        const message = `This cluster does not serve kind ${v.kind} in ${v.apiVersion}.`;
        done.push({ ...base, state: 'failed', outcome: { kind: 'invalid', title: `Cannot create ${label}`, problems: [fieldProblem(text, d.doc, 'kind', message)] } });
        continue;
      }
      const ns = m.namespaced ? v.metadata?.namespace || targetNs : undefined;
      const body = m.namespaced ? { ...v, metadata: { ...v.metadata, namespace: ns } } : v;
      try {
        const created = await k8sRequest<K8sResource>(resourcePath(m, { namespace: ns }) + queryString({ fieldValidation: 'Strict', fieldManager: 'kura-console' }), { method: 'POST', json: body });
        const what = `${m.label} ${created.metadata.name}`;
        done.push({ ...base, label: what, state: 'created', href: m.createOnly ? undefined : objectHref(m, created.metadata.name, ns) });
      } catch (e) {
        done.push({ ...base, state: 'failed', outcome: outcomeFromError(e, text, d.doc, { verb: 'create', what: label }) });
      }
    }
    setResults(done);
    setBusy(false);
    const only = done.length === 1 ? done[0] : undefined;
    if (only?.state === 'created' && only.href) router.push(only.href);
  };

  const cancelHref = model ? listHref(model, targetNs) : '/';

  return (
    <>
      <PageSection>
        <Title headingLevel="h1">Create from YAML</Title>
        <Content component="p">
          One or more objects of any kind the cluster serves, separated by <code>---</code>, created in order. Namespaced objects without <code>metadata.namespace</code> are
          created in namespace <strong data-testid="target-namespace">{targetNs}</strong>.
        </Content>
      </PageSection>
      <PageSection>
        {gvk && isLoading ? (
          <Bullseye>
            <Spinner aria-label="Finding the kind" />
          </Bullseye>
        ) : (
          <Flex direction={{ default: 'column' }} spaceItems={{ default: 'spaceItemsMd' }}>
            {notServed && gvk && !model && (
              <FlexItem>
                <OutcomeAlert outcome={{ kind: 'note', title: `This cluster does not serve ${gvk.kind} (${gvk.apiGroup || 'core'}/${gvk.apiVersion}); creating one will fail until it does.` }} />
              </FlexItem>
            )}
            {outcome && (
              <FlexItem>
                <OutcomeAlert outcome={outcome} />
              </FlexItem>
            )}
            {results.length > 0 && (
              <FlexItem>
                <CreateResults results={results} />
              </FlexItem>
            )}
            <FlexItem>
              <YamlEditor value={text} onChange={setDraft} diagnostics={diagnostics} ariaLabel="YAML to create" />
            </FlexItem>
            <FlexItem>
              <Flex spaceItems={{ default: 'spaceItemsSm' }}>
                <Button variant="primary" onClick={() => void create()} isLoading={busy} isDisabled={busy}>
                  Create
                </Button>
                <Button variant="link" onClick={() => router.push(cancelHref)}>
                  Cancel
                </Button>
              </Flex>
            </FlexItem>
          </Flex>
        )}
      </PageSection>
    </>
  );
}
