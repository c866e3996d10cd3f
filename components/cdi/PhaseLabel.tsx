'use client';
// A DataVolume's phase: CDI's name for it, with an icon and a colour, its
// meaning (or why it failed) in a tooltip.
import { Label, Tooltip } from '@patternfly/react-core';
import { BanIcon, CheckCircleIcon, ExclamationCircleIcon, HourglassHalfIcon, InProgressIcon, PauseCircleIcon, UnknownIcon } from '@patternfly/react-icons';
import type { PhaseIcon, PhaseTone, PhaseView } from '@/lib/cdi-ui';

const COLORS: Record<PhaseTone, 'green' | 'red' | 'orange' | 'blue' | 'grey'> = { success: 'green', danger: 'red', warning: 'orange', info: 'blue', neutral: 'grey' };
const ICONS: Record<PhaseIcon, typeof CheckCircleIcon> = {
  done: CheckCircleIcon,
  failed: ExclamationCircleIcon,
  running: InProgressIcon,
  waiting: HourglassHalfIcon,
  paused: PauseCircleIcon,
  unknown: UnknownIcon,
  deleting: BanIcon,
};

export function PhaseLabel({ view }: { view: Pick<PhaseView, 'text' | 'tone' | 'icon' | 'detail'> }) {
  const Icon = ICONS[view.icon];
  return (
    <Tooltip content={view.detail}>
      <Label isCompact color={COLORS[view.tone]} icon={<Icon />} tabIndex={0} data-testid="dv-phase">
        {view.text}
      </Label>
    </Tooltip>
  );
}
