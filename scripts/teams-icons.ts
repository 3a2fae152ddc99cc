/**
 * Draws the Teams app icons into manifest/: color.png (192×192, a white shield
 * with a check on the accent colour) and outline.png (32×32, the same shield as a
 * white outline with the check, on transparent). Run after changing the drawing:
 *   npm run build --silent && node dist/scripts/teams-icons.js
 * The PNGs are committed; the packaging only reads them.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { PROJECT_ROOT } from '../src/project-root';
import { ICONS, type IconFile } from '../manifest/template';

type Point = readonly [number, number];
type Rgb = readonly [number, number, number];

/** The manifest's accentColor, #0F6CBD. */
export const ACCENT: Rgb = [0x0f, 0x6c, 0xbd];
const WHITE: Rgb = [255, 255, 255];

/** Samples per pixel side: 4×4 samples give 17 levels of edge smoothing. */
const SUPERSAMPLE = 4;

function cubic(from: Point, c1: Point, c2: Point, to: Point, steps: number): Point[] {
  const points: Point[] = [];
  for (let i = 1; i <= steps; i += 1) {
    const t = i / steps;
    const u = 1 - t;
    const [a, b, c, d] = [u * u * u, 3 * u * u * t, 3 * u * t * t, t * t * t];
    points.push([a * from[0] + b * c1[0] + c * c2[0] + d * to[0], a * from[1] + b * c1[1] + c * c2[1] + d * to[1]]);
  }
  return points;
}

/**
 * The shield, in a 24×24 box: a peak at the top centre, shoulders, straight sides,
 * and curves meeting at a point at the bottom.
 */
function shield(): Point[] {
  const top: Point = [12, 1.6];
  const rightShoulder: Point = [20.4, 5];
  const rightHip: Point = [20.4, 11.2];
  const bottom: Point = [12, 22.6];
  const leftHip: Point = [3.6, 11.2];
  const leftShoulder: Point = [3.6, 5];
  return [
    top,
    rightShoulder,
    rightHip,
    ...cubic(rightHip, [20.4, 16.4], [16.9, 21.2], bottom, 48),
    ...cubic(bottom, [7.1, 21.2], [3.6, 16.4], leftHip, 48),
    leftShoulder,
  ];
}

/** The check mark inside the shield, in the same 24×24 box. */
const CHECK: Point[] = [
  [7.9, 12.1],
  [10.8, 15.0],
  [16.3, 9.2],
];

function inside(point: Point, polygon: readonly Point[]): boolean {
  let result = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i, i += 1) {
    const [xi, yi] = polygon[i]!;
    const [xj, yj] = polygon[j]!;
    if (yi > point[1] !== yj > point[1] && point[0] < ((xj - xi) * (point[1] - yi)) / (yj - yi) + xi) result = !result;
  }
  return result;
}

function distanceToSegment(point: Point, a: Point, b: Point): number {
  const [dx, dy] = [b[0] - a[0], b[1] - a[1]];
  const t = Math.max(0, Math.min(1, ((point[0] - a[0]) * dx + (point[1] - a[1]) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(point[0] - (a[0] + t * dx), point[1] - (a[1] + t * dy));
}

function distanceToPath(point: Point, path: readonly Point[], closed: boolean): number {
  let best = Infinity;
  const segments = closed ? path.length : path.length - 1;
  for (let i = 0; i < segments; i += 1) best = Math.min(best, distanceToSegment(point, path[i]!, path[(i + 1) % path.length]!));
  return best;
}

/** Fraction (0..1) of each pixel covered by a shape given in the 24×24 box. */
function coverage(size: number, covers: (point: Point) => boolean): Float64Array {
  const result = new Float64Array(size * size);
  const scale = 24 / size;
  for (let y = 0; y < size; y += 1) {
    for (let x = 0; x < size; x += 1) {
      let hits = 0;
      for (let sy = 0; sy < SUPERSAMPLE; sy += 1) {
        for (let sx = 0; sx < SUPERSAMPLE; sx += 1) {
          const point: Point = [(x + (sx + 0.5) / SUPERSAMPLE) * scale, (y + (sy + 0.5) / SUPERSAMPLE) * scale];
          if (covers(point)) hits += 1;
        }
      }
      result[y * size + x] = hits / (SUPERSAMPLE * SUPERSAMPLE);
    }
  }
  return result;
}

const mix = (from: number, to: number, amount: number) => Math.round(from + (to - from) * amount);

/** color.png: the white shield, shrunk to Teams' safe area, on the accent colour; the check in the accent colour. */
export function drawColorIcon(): PNG {
  const size = ICONS['color.png'];
  // Shrink the 24-box drawing around its centre so the shield keeps a margin inside the tile.
  const shrink = (point: Point): Point => [12 + (point[0] - 12) / 0.62, 12 + (point[1] - 12) / 0.62];
  const outline = shield();
  const shieldCover = coverage(size, (point) => inside(shrink(point), outline));
  const checkCover = coverage(size, (point) => inside(shrink(point), outline) && distanceToPath(shrink(point), CHECK, false) <= 1.35);
  const png = new PNG({ width: size, height: size });
  for (let i = 0; i < size * size; i += 1) {
    const shieldAmount = shieldCover[i]!;
    const checkAmount = checkCover[i]!;
    for (let channel = 0; channel < 3; channel += 1) {
      const onShield = mix(ACCENT[channel]!, WHITE[channel]!, shieldAmount);
      png.data[i * 4 + channel] = mix(onShield, ACCENT[channel]!, checkAmount);
    }
    png.data[i * 4 + 3] = 255;
  }
  return png;
}

/** outline.png: the shield's edge and the check in white, everything else fully transparent. */
export function drawOutlineIcon(): PNG {
  const size = ICONS['outline.png'];
  const outline = shield();
  const stroke = 1.9;
  const cover = coverage(
    size,
    (point) => (inside(point, outline) && distanceToPath(point, outline, true) <= stroke) || distanceToPath(point, CHECK, false) <= stroke / 2 + 0.1,
  );
  const png = new PNG({ width: size, height: size });
  for (let i = 0; i < size * size; i += 1) {
    png.data.fill(255, i * 4, i * 4 + 3);
    png.data[i * 4 + 3] = Math.round(255 * cover[i]!);
  }
  return png;
}

export const DRAWINGS: Record<IconFile, () => PNG> = { 'color.png': drawColorIcon, 'outline.png': drawOutlineIcon };

/**
 * What is wrong with an icon for Teams: its size, and for the outline icon any
 * pixel that is neither fully transparent nor white. Empty when it is fine.
 */
export function iconProblems(file: IconFile, png: PNG): string[] {
  const size = ICONS[file];
  const problems: string[] = [];
  if (png.width !== size || png.height !== size) problems.push(`${file} must be ${size}×${size} pixels, it is ${png.width}×${png.height}`);
  if (file === 'outline.png') {
    let offending = 0;
    for (let i = 0; i < png.width * png.height; i += 1) {
      const [r, g, b, a] = png.data.subarray(i * 4, i * 4 + 4);
      if (a !== 0 && (r !== 255 || g !== 255 || b !== 255)) offending += 1;
    }
    if (offending > 0) problems.push(`outline.png must be white on transparent: ${offending} pixels are neither fully transparent nor white`);
  }
  return problems;
}

if (require.main === module) {
  for (const [file, draw] of Object.entries(DRAWINGS)) {
    const target = join(PROJECT_ROOT, 'manifest', file);
    writeFileSync(target, PNG.sync.write(draw()));
    console.log(`wrote ${target}`);
  }
}
