import { CreateFromYamlPage } from '@/components/resources/CreateFromYamlPage';

// /k8s/ns/<ns>/import[?kind=group~version~Kind]: create objects from YAML in a namespace.
export default async function ImportInNamespace({ params, searchParams }: { params: Promise<{ ns: string }>; searchParams: Promise<{ kind?: string | string[] }> }) {
  const [{ ns }, { kind }] = await Promise.all([params, searchParams]);
  return <CreateFromYamlPage namespace={decodeURIComponent(ns)} kindRef={typeof kind === 'string' ? kind : undefined} />;
}
