import { OverviewPage } from '@/components/overview/OverviewPage';

export default function Overview() {
  return <OverviewPage />;
}
