import { useState } from 'react';
import { ifMatch, versionConflict } from '../api/versions';
import { errorText } from './ErrorText';

/**
 * The state of an editor of a versioned resource: the resource as it was opened (its version is
 * what every save sends as If-Match, however often the cache refetches it behind the form), and
 * what the last save's 412 said. `reload` fetches the latest and starts the form from it: the
 * person's edits are discarded only when they choose it.
 */
export function useVersionedEdit<T extends { version: number }>(
  opened: T | undefined,
  latest: () => Promise<T>,
  reset: (fresh: T) => void,
) {
  const [base, setBase] = useState(opened);
  const [conflict, setConflict] = useState<{ currentVersion: number | null } | null>(null);
  const [reloading, setReloading] = useState(false);
  const [reloadProblem, setReloadProblem] = useState<string | null>(null);
  return {
    /** The resource the form started from (undefined when creating). */
    base,
    /** The `header` params of the save. */
    header: ifMatch(base?.version),
    conflict,
    /** After a save: later saves are based on what it wrote. */
    saved: (fresh: T) => {
      setBase(fresh);
      setConflict(null);
    },
    /** True (and remembered) when the error is a 412: the form keeps its values. */
    caught: (e: unknown): boolean => {
      const found = versionConflict(e);
      setConflict(found);
      return found !== null;
    },
    reloading,
    /** Why the last reload failed (the edits are still there), or null. */
    reloadProblem,
    reload: async () => {
      setReloading(true);
      setReloadProblem(null);
      try {
        const fresh = await latest();
        setBase(fresh);
        reset(fresh);
        setConflict(null);
      } catch (e) {
        setReloadProblem(errorText(e));
      } finally {
        setReloading(false);
      }
    },
  };
}

/** What the conflict alert reads of an editor's state, whatever the resource. */
export interface VersionedEdit {
  base: { version: number } | undefined;
  conflict: { currentVersion: number | null } | null;
  reloading: boolean;
  reloadProblem: string | null;
  reload: () => Promise<void>;
}
