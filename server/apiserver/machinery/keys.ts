// Reading storage keys back into (group, resource, namespace, name).
import type { Registry, ResourceDef } from '../registry';

export interface KeyParts {
  group: string;
  plural: string;
  namespace?: string;
  name: string;
}

export function parseKey(key: string): KeyParts | undefined {
  const parts = key.split('/');
  // ['', 'registry', group, plural, ns?, name]
  if (parts[1] !== 'registry' || parts.length < 5) return undefined;
  const group = parts[2] === 'core' ? '' : parts[2]!;
  if (parts.length === 5) return { group, plural: parts[3]!, name: parts[4]! };
  if (parts.length === 6) return { group, plural: parts[3]!, namespace: parts[4]!, name: parts[5]! };
  return undefined;
}

export function defForKey(registry: Registry, key: string): { def: ResourceDef; parts: KeyParts } | undefined {
  const parts = parseKey(key);
  if (!parts) return undefined;
  const def = registry.forResource(parts.group, parts.plural);
  return def ? { def, parts } : undefined;
}
