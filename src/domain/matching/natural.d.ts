// natural's submodules ship no typings of their own; these cover what the matcher uses.
declare module 'natural/lib/natural/tokenizers/tokenizer_ja' {
  export default class TokenizerJa {
    tokenize(text: string): string[];
  }
}
declare module 'natural/lib/natural/distance/jaro-winkler_distance' {
  export default function JaroWinklerDistance(
    s1: string,
    s2: string,
    options?: { ignoreCase?: boolean; dt?: number },
  ): number;
}
declare module 'natural/lib/natural/distance/levenshtein_distance' {
  export function DamerauLevenshteinDistance(
    source: string,
    target: string,
    options?: { restricted?: boolean },
  ): number;
}
declare module 'natural/lib/natural/stemmers/porter_stemmer' {
  const PorterStemmer: { stem(token: string): string };
  export default PorterStemmer;
}
