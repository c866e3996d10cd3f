'use client';
import { Button, Tooltip } from '@patternfly/react-core';
import { MoonIcon, SunIcon } from '@patternfly/react-icons';
import { useSyncExternalStore } from 'react';
import { applyTheme, currentTheme, subscribeTheme, type Theme } from './theme';

export function ThemeToggle() {
  const theme = useSyncExternalStore(subscribeTheme, currentTheme, () => 'light' as Theme);
  const next: Theme = theme === 'dark' ? 'light' : 'dark';
  const label = `Switch to ${next} theme`;
  return (
    <Tooltip content={label}>
      <Button variant="plain" aria-label={label} icon={theme === 'dark' ? <SunIcon /> : <MoonIcon />} onClick={() => applyTheme(next)} />
    </Tooltip>
  );
}
