import { describe, expect, it } from 'vitest';
import { nextLineIndent } from './indent';

describe('nextLineIndent', () => {
  it.each([
    ['spec:', 2],
    ['  resources:', 4],
    ['  resources:   # what it asks for', 4],
    ['    storage: 1Gi', 4],
    ['  script: |', 4],
    ['  script: >-', 4],
    ['  accessModes:', 4],
    ['    - ReadWriteOnce', 4],
    ['  - name: disk', 4],
    ['  - name:', 6],
    ['  - - nested', 2],
    ['', 0],
    ['    - "a: b"', 4],
  ])('%j → %i', (line, indent) => {
    expect(nextLineIndent(line)).toBe(indent);
  });
});
