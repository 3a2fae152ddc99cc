/**
 * The anchors of a Markdown page's headings as GitHub and Microsoft Learn make
 * them: the explicit `<a name="…">` of a heading, and the slug of its text
 * (lower case, punctuation dropped, each space a hyphen). Written from the
 * slugging rules, not from the content under test.
 */
export function headingAnchors(line: string): string[] {
  const explicit = [...line.matchAll(/<a name="([^"]+)"><\/a>/g)].map((match) => match[1]!);
  const text = line
    .replace(/^#+\s*/, '')
    .replace(/<a name="[^"]*"><\/a>/g, '')
    .replace(/<br>/g, '')
    .replace(/[*`]/g, '')
    .trim();
  const slug = text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
  return [...explicit, slug];
}

/** Every anchor of every `##` and `###` heading of a Markdown text. */
export function anchorsOf(markdown: string): Set<string> {
  return new Set(
    markdown
      .split('\n')
      .filter((line) => /^#{2,3} /.test(line))
      .flatMap(headingAnchors),
  );
}
