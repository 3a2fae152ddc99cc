/** What the bot says about a picture it was sent, in Japanese and English. */
import type { Localized } from './localized';
import type { ImageProblem } from '../paste/ocr/read-image-text';

/** Why a picture gave no text: the reader's problems, the download's, or plainly nothing legible on it. */
export type ImageOutcome = ImageProblem | 'not-allowed' | 'download-failed' | 'no-text';

export type ImageTexts = Record<ImageOutcome, string>;

export const IMAGE_TEXTS: Localized<ImageTexts> = {
  en: {
    'not-allowed':
      'I did not open that picture: it is not stored where Teams or this chat keeps attachments. Attach the screenshot itself, or paste the error message.',
    'download-failed': 'I could not download the picture. Please send it again, or paste the error message.',
    'too-large': 'That picture is larger than I read (4 MB). Crop it to the error details pane, or paste the error message.',
    unsupported: 'I read screenshots in PNG or JPEG only. Send the screenshot as PNG or JPEG, or paste the error message.',
    busy: 'I am busy reading other pictures right now: send it again in a moment, or paste the error message.',
    timeout: 'Reading that picture took too long. Crop it to the error details pane and send it again, or paste the error message.',
    failed: 'Something went wrong while I was reading the picture. Please send it again, or paste the error message.',
    'no-text':
      'I could not read any text in that picture. Send a screenshot of the failed job\'s error details (error code and error message), or paste the error message.',
  },
  ja: {
    'not-allowed':
      'この画像は開きませんでした。Teams やこのチャットが添付ファイルを保存する場所にないためです。スクリーンショットそのものを添付するか、エラー メッセージを貼り付けてください。',
    'download-failed': '画像をダウンロードできませんでした。もう一度送るか、エラー メッセージを貼り付けてください。',
    'too-large': 'この画像は読み取れる大きさ (4 MB) を超えています。エラーの詳細の部分だけを切り取って送るか、エラー メッセージを貼り付けてください。',
    unsupported: '読み取れるのは PNG か JPEG のスクリーンショットだけです。PNG か JPEG で送るか、エラー メッセージを貼り付けてください。',
    busy: 'ただいま他の画像の読み取りで混み合っています。少し待ってからもう一度送るか、エラー メッセージを貼り付けてください。',
    timeout: '画像の読み取りに時間がかかりすぎました。エラーの詳細の部分だけを切り取ってもう一度送るか、エラー メッセージを貼り付けてください。',
    failed: '画像の読み取り中に問題が起きました。もう一度送るか、エラー メッセージを貼り付けてください。',
    'no-text':
      'この画像からは文字を読み取れませんでした。失敗したジョブのエラーの詳細 (エラー コードとエラー メッセージ) のスクリーンショットを送るか、エラー メッセージを貼り付けてください。',
  },
};
