import v8 from 'node:v8';
import vm from 'node:vm';

let gc: (() => void) | null = null;

/**
 * Collects all garbage now. Node gives `gc` only to a process started with `--expose-gc`; the flag set at
 * run time gives it to contexts made afterwards, so one is made to take it from. Does nothing if that fails:
 * V8 collects on its own, later.
 */
export function collectGarbage(): void {
  try {
    if (!gc) {
      v8.setFlagsFromString('--expose-gc');
      gc = vm.runInNewContext('gc') as () => void;
    }
    gc();
  } catch {
    gc = () => undefined;
  }
}
