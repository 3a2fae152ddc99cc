/** `[label](url)`, escaped so that a bracket in a label or a parenthesis in a URL cannot break the link. */
export function markdownLink(label: string, url: string): string {
  const safeLabel = label.replace(/[[\]\\]/g, (character) => `\\${character}`);
  const safeUrl = url.replace(/\(/g, '%28').replace(/\)/g, '%29').replace(/\s/g, '%20');
  return `[${safeLabel}](${safeUrl})`;
}
