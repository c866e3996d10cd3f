// Colours of the capacity bar segments, from PatternFly's palette tokens, so
// the light and dark themes both keep them apart.
import type { CSSProperties } from 'react';
import type { SegmentKind } from '@/lib/storage-ui';

export const SEGMENT_STYLES: Record<SegmentKind, CSSProperties> = {
  used: { background: 'var(--pf-t--color--blue--60)' },
  allocated: { background: 'var(--pf-t--color--blue--30)' },
  free: { background: 'var(--pf-t--color--gray--30)' },
  overprovisioned: {
    background: 'repeating-linear-gradient(135deg, var(--pf-t--color--orange--40) 0 5px, var(--pf-t--color--red--50) 5px 10px)',
  },
};
