/** `{NAME}` → the macro's pattern. Macros do not nest. Apart from the schema so that the matcher loads without zod. */
export function expandMacros(source: string, macros: Readonly<Record<string, string>>): string {
  return source.replace(/\{([A-Z_]+)\}/g, (whole, name: string) => macros[name] ?? whole);
}
