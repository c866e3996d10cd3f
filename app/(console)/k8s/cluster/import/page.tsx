import { CreateFromYamlPage } from '@/components/resources/CreateFromYamlPage';

// /k8s/cluster/import[?kind=group~version~Kind]: create objects from YAML, cluster-scoped ones in particular.
export default async function ImportAtClusterScope({ searchParams }: { searchParams: Promise<{ kind?: string | string[] }> }) {
  const { kind } = await searchParams;
  return <CreateFromYamlPage kindRef={typeof kind === 'string' ? kind : undefined} />;
}
