/**
 * Parses one data file with its schema and turns a failure into a message that
 * names the file and the path of every bad field, e.g.
 * `content/ja.json: causes.3.sections.0.steps: Too small: expected array to have >=1 items`.
 */
import type { z } from 'zod';

export class DataFileError extends Error {
  constructor(readonly file: string, readonly problems: string[]) {
    super(`${file} is invalid:\n  ${problems.join('\n  ')}`);
    this.name = 'DataFileError';
  }
}

export function parseDataFile<Schema extends z.ZodType>(
  file: string,
  raw: unknown,
  schema: Schema,
): z.infer<Schema> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const where = issue.path.length > 0 ? issue.path.join('.') : '(root)';
    return `${file}: ${where}: ${issue.message}`;
  });
  throw new DataFileError(file, problems);
}
