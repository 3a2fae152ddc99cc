/**
 * For start-up tests: the node arguments that make a process list the files it loaded
 * (report-loaded-modules.js, at exit, on stderr), and reading that list back.
 */
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../src/project-root';

const MARKER = 'loaded modules:\n';

export const REPORT_LOADED_MODULES: readonly string[] = ['--require', join(PROJECT_ROOT, 'test', 'support', 'report-loaded-modules.js')];

/** The files listed after the marker in a process's stderr; empty when it never got there. */
export function loadedModules(stderr: string): string[] {
  return stderr.split(MARKER)[1]?.split('\n') ?? [];
}
