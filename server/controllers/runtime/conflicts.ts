// A conflict means the object moved on since the cache saw it; its watch event
// brings the new version and another reconcile, so it is not worth a warning.
import { isConflict } from './client';
import type { Controller } from './manager';

export function conflictsRequeue(c: Controller): Controller {
  return {
    ...c,
    setup(ctx, queue) {
      const reconcile = c.setup(ctx, queue);
      return async (key) => {
        try {
          return await reconcile(key);
        } catch (e) {
          if (isConflict(e)) return { requeueAfterMs: 250 };
          throw e;
        }
      };
    },
  };
}
