/**
 * The portal-like screenshots of the OCR tests (drawn by scripts/ocr-bench/portal-camera.ts,
 * which the benchmark shares); the tests keep theirs in test-output/screenshots/ocr/ to look at.
 */
import { join } from 'node:path';
import { SCREENSHOT_DIR } from './webchat-browser';

export { PortalCamera, UNRELATED_PAGES, portalPage, type ErrorPane, type ShotOptions } from '../../scripts/ocr-bench/portal-camera';

export const TEST_SHOTS = join(SCREENSHOT_DIR, 'ocr');
