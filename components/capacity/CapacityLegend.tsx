'use client';
// What the colours of the capacity bars mean.
import { Flex, FlexItem, Popover, Button } from '@patternfly/react-core';
import { OutlinedQuestionCircleIcon } from '@patternfly/react-icons';
import { SEGMENT_LABELS, type SegmentKind } from '@/lib/storage-ui';
import { SEGMENT_STYLES } from './segmentStyles';

const MEANING: Record<SegmentKind, string> = {
  used: 'Bytes volumes have written (reported by the driver in a node annotation; not every driver does).',
  allocated: 'Promised to volumes: the sum of their sizes, from the PersistentVolumes in the pool.',
  free: 'Not yet promised: what new volumes may still take (from CSIStorageCapacity).',
  overprovisioned: "Promised beyond the pool's real size, as the class's overprovision ratio allows: thin volumes that may not all fill up.",
};

export function CapacityLegend() {
  return (
    <Flex spaceItems={{ default: 'spaceItemsLg' }} alignItems={{ default: 'alignItemsCenter' }} aria-label="Legend of the capacity bars" role="list">
      {(Object.keys(SEGMENT_LABELS) as SegmentKind[]).map((k) => (
        <FlexItem key={k} role="listitem">
          <span style={{ display: 'inline-block', width: '0.9rem', height: '0.9rem', borderRadius: '0.2rem', verticalAlign: 'middle', marginRight: '0.4rem', ...SEGMENT_STYLES[k] }} />
          {SEGMENT_LABELS[k]}
        </FlexItem>
      ))}
      <FlexItem>
        <Popover
          headerContent="Reading the bars"
          bodyContent={
            <div>
              {(Object.keys(MEANING) as SegmentKind[]).map((k) => (
                <p key={k} style={{ marginBottom: '0.5rem' }}>
                  <strong>{SEGMENT_LABELS[k]}:</strong> {MEANING[k]}
                </p>
              ))}
              <p>Each bar is one pool: a node&apos;s pool of a node-local class, or the one pool of a shared class. Hover a bar for its exact figures.</p>
            </div>
          }
        >
          <Button variant="plain" aria-label="What the bars mean" icon={<OutlinedQuestionCircleIcon />} />
        </Popover>
      </FlexItem>
    </Flex>
  );
}
