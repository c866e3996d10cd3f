import { K8sRoutePage } from '@/components/resources/K8sRoutePage';

export default async function K8sPage({ params }: { params: Promise<{ path: string[] }> }) {
  const { path } = await params;
  return <K8sRoutePage segments={path} />;
}
