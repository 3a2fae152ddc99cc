/**
 * Where the OCR engine's trained data comes from: the npm packages
 * @tesseract.js-data/eng and @tesseract.js-data/jpn, installed with the bot.
 * tesseract.js would otherwise download them from a CDN on first use.
 *
 * The LSTM "best_int" models (4.0.0_best_int) are the ones tesseract.js itself
 * picks for the LSTM engine: 3 MB (English) and 2 MB (Japanese) gzipped.
 */
import { dirname, join } from 'node:path';

export const OCR_LANGUAGES = ['eng', 'jpn'] as const;
export type OcrLanguage = (typeof OCR_LANGUAGES)[number];

/**
 * The `langPath` tesseract.js is given. It is a plain name, not a URL, so the
 * engine reads `<langPath>/<code>.traineddata.gz` through the worker's adapter,
 * which maps exactly these paths to the packages' files and refuses anything else.
 */
export const TRAINED_DATA_PATH = 'packaged-trained-data';

function packageFile(language: OcrLanguage): string {
  const folder = dirname(require.resolve(`@tesseract.js-data/${language}/package.json`));
  return join(folder, '4.0.0_best_int', `${language}.traineddata.gz`);
}

/** The file behind one of TRAINED_DATA_PATH's names, or undefined for any other path. */
export function trainedDataFile(requested: string): string | undefined {
  const language = OCR_LANGUAGES.find((code) => requested === `${TRAINED_DATA_PATH}/${code}.traineddata.gz`);
  return language ? packageFile(language) : undefined;
}
