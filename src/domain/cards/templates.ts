/**
 * Loads the Adaptive Card templates in cards/ and expands them with typed data.
 * Parsing a template costs far more than expanding it, so each Template is
 * built once per process, on first use, and reused for every card after that.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Template } from 'adaptivecards-templating';
import { PROJECT_ROOT } from '../../project-root';
import type { AdaptiveCardJson } from './rendered-card';
import type { TemplateDataMap, TemplateName } from './template-data';

/** The top-level cards/ folder, found the same way from src/ (ts-jest) and dist/src/ (the build). */
export const CARDS_DIR = join(PROJECT_ROOT, 'cards');

const compiled = new Map<TemplateName, Template>();

export function templatePath(name: TemplateName): string {
  return join(CARDS_DIR, `${name}.json`);
}

function templateOf(name: TemplateName): Template {
  let template = compiled.get(name);
  if (!template) {
    const payload: unknown = JSON.parse(readFileSync(templatePath(name), 'utf8'));
    template = new Template(payload);
    compiled.set(name, template);
  }
  return template;
}

function isAdaptiveCard(value: unknown): value is AdaptiveCardJson {
  if (typeof value !== 'object' || value === null) return false;
  const card = value as Record<string, unknown>;
  return card.type === 'AdaptiveCard' && card.version === '1.5' && Array.isArray(card.body);
}

/** Expands cards/<name>.json with `data` as `$root`. */
export function expandTemplate<Name extends TemplateName>(name: Name, data: TemplateDataMap[Name]): AdaptiveCardJson {
  const expanded: unknown = templateOf(name).expand({ $root: data });
  if (!isAdaptiveCard(expanded)) throw new Error(`cards/${name}.json did not expand to an Adaptive Card of version 1.5`);
  return expanded;
}
