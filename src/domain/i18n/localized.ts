/**
 * A dictionary written once per language. `Texts` is the English object's type,
 * so a key missing in Japanese (or the other way round) fails to compile.
 */
import type { Language } from '../knowledge/schema';

export type Localized<Texts> = Readonly<Record<Language, Texts>>;

/** 'ja', 'ja-JP', 'JA' → 'ja'; anything else that names English → 'en'; otherwise undefined. */
export function languageOfLocale(locale: string | undefined | null): Language | undefined {
  if (!locale) return undefined;
  const primary = locale.trim().toLowerCase().split(/[-_]/)[0];
  if (primary === 'ja') return 'ja';
  if (primary === 'en') return 'en';
  return undefined;
}
