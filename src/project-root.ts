/**
 * The folder holding package.json. Code runs both from src/ (ts-jest) and from
 * dist/src/ (the build), so files outside src/ (cards/, test fixtures) are found
 * from here rather than from a fixed number of `..`.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

function findRoot(start: string): string {
  let folder = start;
  while (!existsSync(join(folder, 'package.json'))) {
    const parent = dirname(folder);
    if (parent === folder) throw new Error(`no package.json above ${start}`);
    folder = parent;
  }
  return folder;
}

export const PROJECT_ROOT = findRoot(__dirname);
