/**
 * Literal words a regular expression cannot match without: "every match of
 * `\bno (?:\S+ )?(?:network|internet)` contains `network` or `internet`". Worked out
 * at build time for the concept patterns, so that reading a log skips the
 * patterns none of whose words are in it (and V8 never compiles them), instead
 * of running each of them over the whole text.
 *
 * Only the syntax the concept patterns use is understood; anything else (a
 * class range, an unknown escape) makes the answer null, which means "always
 * run the pattern". Literals never hold whitespace: a paste's words are
 * compared one by one (concept-matcher.ts), so a literal is cut to its longest
 * whitespace-free piece, which a match must contain just the same.
 */

/** What a piece of pattern can match: every string (when few), and literals each match contains one of. */
interface Info {
  /** All strings it matches, or null when too many or unbounded. Zero-width pieces match only "". */
  exact: string[] | null;
  /** Strings of which every match contains one, or null when unknown. */
  required: string[] | null;
}

const MAX_EXACT = 32;
const MAX_LENGTH = 48;
const MAX_CLASS = 8;
const ZERO_WIDTH: Info = { exact: [''], required: null };
const ANYTHING: Info = { exact: null, required: null };

class Unsupported extends Error {}

/** The literals (whitespace-free, deduplicated) every match of `source` contains one of, or null. */
export function requiredLiterals(source: string): string[] | null {
  try {
    const parser = new Parser(source);
    const info = parser.alternation();
    if (!parser.done()) throw new Unsupported(`unexpected ${source[parser.at]}`);
    return wordsOf(usable(info));
  } catch (error) {
    if (error instanceof Unsupported) return null;
    throw error;
  }
}

/** The literals of several patterns joined as alternatives: null when any one has none. */
export function requiredLiteralsOfAny(sources: readonly string[]): string[] | null {
  const all: string[] = [];
  for (const source of sources) {
    const literals = requiredLiterals(source);
    if (!literals) return null;
    all.push(...literals);
  }
  return [...new Set(all)];
}

function wordsOf(literals: string[] | null): string[] | null {
  if (!literals) return null;
  const words = literals.map((literal) => literal.split(/\s+/).reduce((a, b) => (b.length > a.length ? b : a), ''));
  return words.some((word) => word.length === 0) ? null : [...new Set(words)];
}

function product(left: string[] | null, right: string[] | null): string[] | null {
  if (!left || !right || left.length * right.length > MAX_EXACT) return null;
  const result = new Set<string>();
  for (const a of left) for (const b of right) result.add(a + b);
  return [...result].some((text) => text.length > MAX_LENGTH) ? null : [...result];
}

/** How selective a set of literals is: longer shortest literal first, then fewer literals. */
function better(a: string[] | null, b: string[] | null): string[] | null {
  if (!a) return b;
  if (!b) return a;
  const shortest = (set: string[]) => Math.min(...set.map((text) => text.length));
  if (shortest(a) !== shortest(b)) return shortest(a) > shortest(b) ? a : b;
  return a.length <= b.length ? a : b;
}

/** The best required set of a piece: its own, or its exact strings when none of them is empty. */
function usable(info: Info): string[] | null {
  const exact = info.exact && !info.exact.includes('') ? info.exact : null;
  const required = info.required && !info.required.includes('') ? info.required : null;
  return better(required, exact);
}

function concatenation(items: Info[]): Info {
  let exact: string[] | null = [''];
  let required: string[] | null = null;
  let run: string[] | null = [''];
  for (const item of items) {
    required = better(required, usable(item));
    exact = product(exact, item.exact);
    // The longest stretch of fixed text is usually the most telling literal.
    const extended = product(run, item.exact);
    if (extended) run = extended;
    else {
      required = better(required, usable({ exact: run, required: null }));
      run = item.exact ?? [''];
    }
  }
  required = better(required, usable({ exact: run, required: null }));
  return { exact, required };
}

function repeated(info: Info, min: number, max: number): Info {
  let exact: string[] | null = null;
  if (info.exact && max <= 3) {
    let all: string[] | null = min === 0 ? [''] : [];
    let power: string[] | null = [''];
    for (let count = 1; count <= max && power && all; count++) {
      power = product(power, info.exact);
      if (!power) all = null;
      else if (count >= min) all = [...new Set([...all, ...power])];
    }
    exact = all && all.length <= MAX_EXACT ? all : null;
  }
  return { exact, required: min >= 1 ? usable(info) : null };
}

class Parser {
  at = 0;

  constructor(private readonly source: string) {}

  done(): boolean {
    return this.at >= this.source.length;
  }

  alternation(): Info {
    const branches = [this.concatenation()];
    while (this.source[this.at] === '|') {
      this.at++;
      branches.push(this.concatenation());
    }
    if (branches.length === 1) return branches[0]!;
    const exacts = branches.map((branch) => branch.exact);
    const exact = exacts.every((set) => set) ? [...new Set(exacts.flat() as string[])] : null;
    const requireds = branches.map(usable);
    return {
      exact: exact && exact.length <= MAX_EXACT ? exact : null,
      required: requireds.every((set) => set) ? [...new Set(requireds.flat() as string[])] : null,
    };
  }

  private concatenation(): Info {
    const items: Info[] = [];
    while (!this.done() && this.source[this.at] !== '|' && this.source[this.at] !== ')') items.push(this.quantified(this.atom()));
    return concatenation(items);
  }

  private quantified(info: Info): Info {
    const char = this.source[this.at];
    let min: number;
    let max: number;
    if (char === '?') [min, max] = [0, 1];
    else if (char === '*') [min, max] = [0, Infinity];
    else if (char === '+') [min, max] = [1, Infinity];
    else if (char === '{') {
      const bounds = /^\{(\d+)(?:(,)(\d*))?\}/.exec(this.source.slice(this.at));
      if (!bounds) throw new Unsupported('a brace that is not a quantifier');
      min = Number(bounds[1]);
      max = bounds[2] === undefined ? min : bounds[3] === '' ? Infinity : Number(bounds[3]);
      this.at += bounds[0].length - 1;
    } else return info;
    this.at++;
    if (this.source[this.at] === '?') this.at++;
    return repeated(info, min, max);
  }

  private atom(): Info {
    const char = this.source[this.at++]!;
    if (char === '(') return this.group();
    if (char === '[') return this.characterClass();
    if (char === '\\') return this.escape();
    if (char === '^' || char === '$') return ZERO_WIDTH;
    if (char === '.') return ANYTHING;
    if ('*+?{}]'.includes(char)) throw new Unsupported(`a bare ${char}`);
    return { exact: [char], required: [char] };
  }

  private group(): Info {
    let zeroWidth = false;
    if (this.source.startsWith('?:', this.at)) this.at += 2;
    else if (/^\?(?:[=!]|<[=!])/.test(this.source.slice(this.at, this.at + 3))) {
      zeroWidth = true;
      this.at += this.source[this.at + 1] === '<' ? 3 : 2;
    } else if (this.source[this.at] === '?') throw new Unsupported('a named or flagged group');
    const inner = this.alternation();
    if (this.source[this.at++] !== ')') throw new Unsupported('an unclosed group');
    return zeroWidth ? ZERO_WIDTH : inner;
  }

  private escape(): Info {
    const char = this.source[this.at++];
    if (char === undefined) throw new Unsupported('a trailing backslash');
    if (char === 'b' || char === 'B') return ZERO_WIDTH;
    if ('dDwWsS'.includes(char)) return ANYTHING;
    if (/[A-Za-z0-9]/.test(char)) throw new Unsupported(`the escape \\${char}`);
    return { exact: [char], required: [char] };
  }

  private characterClass(): Info {
    if (this.source[this.at] === '^') throw new Unsupported('a negated class');
    const chars = new Set<string>();
    while (this.source[this.at] !== ']') {
      let char = this.source[this.at++];
      if (char === undefined) throw new Unsupported('an unclosed class');
      if (char === '\\') {
        char = this.source[this.at++];
        if (char === undefined || /[A-Za-z0-9]/.test(char)) throw new Unsupported('an escape in a class');
      } else if (char === '-' && chars.size > 0 && this.source[this.at] !== ']') throw new Unsupported('a class range');
      chars.add(char);
    }
    this.at++;
    if (chars.size === 0 || chars.size > MAX_CLASS) return ANYTHING;
    return { exact: [...chars], required: [...chars] };
  }
}
