import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { ACCENT, DRAWINGS, iconProblems } from '../../scripts/teams-icons';
import { PROJECT_ROOT } from '../../src/project-root';

const readIcon = (file: string) => PNG.sync.read(readFileSync(join(PROJECT_ROOT, 'manifest', file)));

function pixels(png: PNG): [number, number, number, number][] {
  const result: [number, number, number, number][] = [];
  for (let i = 0; i < png.data.length; i += 4) result.push([png.data[i]!, png.data[i + 1]!, png.data[i + 2]!, png.data[i + 3]!]);
  return result;
}

describe('Teams app icons (manifest/*.png)', () => {
  it('When color.png is read, Then it is a 192×192 opaque tile on the accent colour with a white shape', () => {
    const png = readIcon('color.png');
    expect([png.width, png.height]).toEqual([192, 192]);
    const all = pixels(png);
    expect(all.every(([, , , a]) => a === 255)).toBe(true);
    expect(all[0]).toEqual([...ACCENT, 255]);
    expect(all.filter(([r, g, b]) => r === 255 && g === 255 && b === 255).length).toBeGreaterThan(192 * 192 * 0.1);
  });

  it('When outline.png is read, Then it is 32×32 and every pixel is either fully transparent or white', () => {
    const png = readIcon('outline.png');
    expect([png.width, png.height]).toEqual([32, 32]);
    const all = pixels(png);
    expect(all.filter(([r, g, b, a]) => a !== 0 && (r !== 255 || g !== 255 || b !== 255))).toEqual([]);
    const opaque = all.filter(([, , , a]) => a === 255).length;
    const transparent = all.filter(([, , , a]) => a === 0).length;
    expect(opaque).toBeGreaterThan(32 * 32 * 0.1);
    expect(transparent).toBeGreaterThan(32 * 32 * 0.4);
    expect(iconProblems('outline.png', png)).toEqual([]);
  });

  it('When an icon has the wrong size or a coloured pixel in the outline, Then the packaging check names the problem', () => {
    const outline = readIcon('outline.png');
    outline.data.set([0, 0, 255, 255], 0); // the top-left pixel, transparent, made opaque blue
    expect(iconProblems('outline.png', outline)).toEqual([expect.stringMatching(/white on transparent: 1 pixels/)]);
    expect(iconProblems('color.png', readIcon('outline.png'))).toEqual(['color.png must be 192×192 pixels, it is 32×32']);
  });

  it.each(Object.keys(DRAWINGS) as (keyof typeof DRAWINGS)[])('When scripts/teams-icons.ts draws %s, Then it is the committed file', (file) => {
    const drawn = DRAWINGS[file]();
    const committed = readIcon(file);
    expect([committed.width, committed.height]).toEqual([drawn.width, drawn.height]);
    expect(Buffer.compare(committed.data, drawn.data)).toBe(0);
  });
});
