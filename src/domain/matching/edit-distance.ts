/**
 * natural's DamerauLevenshteinDistance (unrestricted, unit costs), computed the
 * same way on a flat array of numbers. natural's keeps an object per cell and
 * picks each minimum with underscore, which made reading error codes the
 * costliest part of a 4 KB log and loading underscore ~10 ms of the classify
 * command's start-up. A test compares the two on many strings: the numbers must
 * stay natural's, quirks included, or misspelt codes would read differently.
 */
export function damerauLevenshteinDistance(source: string, target: string): number {
  const width = target.length + 1;
  const cost = new Array<number>((source.length + 1) * width);
  for (let column = 0; column < width; column++) cost[column] = column;
  for (let row = 1; row <= source.length; row++) cost[row * width] = row;
  // The last row in which each character was seen in `source`, and (per row) the last column where source and target agreed.
  const lastRowOf = new Map<string, number>();
  for (let row = 1; row <= source.length; row++) {
    const sourceChar = source[row - 1]!;
    let lastMatchColumn = 0;
    for (let column = 1; column < width; column++) {
      const targetChar = target[column - 1]!;
      const here = row * width + column;
      let best = Math.min(
        cost[here - 1]! + 1,
        cost[here - width]! + 1,
        cost[here - width - 1]! + (sourceChar === targetChar ? 0 : 1),
      );
      const lastRow = lastRowOf.get(targetChar);
      if (row > 1 && column > 1 && lastMatchColumn > 0 && lastRow !== undefined) {
        const transposed = cost[(lastRow - 1) * width + lastMatchColumn - 1]! + (row - lastRow - 1) + (column - lastMatchColumn - 1) + 1;
        best = Math.min(best, transposed);
      }
      cost[here] = best;
      lastRowOf.set(sourceChar, row);
      if (sourceChar === targetChar) lastMatchColumn = column;
    }
  }
  return cost[source.length * width + target.length]!;
}
