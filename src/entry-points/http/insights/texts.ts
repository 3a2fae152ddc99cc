/**
 * Every word of the insights dashboard and its sign-in form, in Japanese and
 * English. The server writes the static ones into the HTML; the page's script
 * (public/insights/dashboard.js) gets the whole set as JSON and fills in the
 * rest. Placeholders in braces (`{days}`) are filled by the script, so the set
 * stays plain JSON. One interface for both languages: a missing text is a
 * compile error, not a blank on the page.
 */
import type { Language } from '../../../domain/knowledge/schema';
import { localeFromAcceptLanguage, pageLocale } from '../webchat/page-options';
import type { InsightsParameter } from '../../../domain/insights/query-parameters';

export interface InsightsTexts {
  title: string;
  skipToContent: string;
  otherLanguage: string;
  noScript: string;
  period: {
    heading: string;
    since: string;
    until: string;
    abandonAfter: string;
    abandonAfterHint: string;
    apply: string;
    presets: string;
    lastDays: string;
    csv: string;
    shown: string;
    previous: string;
  };
  status: {
    loading: string;
    loaded: string;
    failed: string;
    /** Said when data.json refuses a parameter (its own message is English, for scripts). */
    invalid: Record<InsightsParameter, string>;
  };
  kpi: {
    heading: string;
    sessions: string;
    engagementRate: string;
    resolutionRate: string;
    /** Resolutions confirmed by the follow-up ("the next backup succeeded"). */
    confirmedResolutionRate: string;
    escalationRate: string;
    abandonRate: string;
    unrecognised: string;
    up: string;
    down: string;
    same: string;
    points: string;
    previousValue: string;
  };
  outcomes: {
    resolved: string;
    escalated: string;
    abandoned: string;
    /** Sessions with none of the three outcomes: never engaged, or engaged and not yet timed out. */
    other: string;
  };
  overTime: {
    heading: string;
    chartLabel: string;
    tableCaption: string;
    date: string;
    sessions: string;
    showTable: string;
  };
  breakdown: {
    heading: string;
    chartLabel: string;
    tableCaption: string;
    outcome: string;
    count: string;
    share: string;
  };
  errors: {
    heading: string;
    intro: string;
    sessions: string;
    chartLabel: string;
    tableCaption: string;
    cause: string;
    shown: string;
    fixedHere: string;
    wentOn: string;
    droppedOff: string;
    noSessions: string;
  };
  segments: {
    heading: string;
    byOs: string;
    byLanguage: string;
    byChannel: string;
    byEntry: string;
    os: string;
    language: string;
    channel: string;
    entry: string;
    sessions: string;
    engaged: string;
    resolved: string;
    escalated: string;
    abandoned: string;
    none: string;
  };
  unrecognised: {
    heading: string;
    intro: string;
    caption: string;
    text: string;
    count: string;
    lastSeen: string;
    none: string;
  };
  names: {
    os: Record<string, string>;
    languages: Record<string, string>;
    channels: Record<string, string>;
    entries: Record<string, string>;
  };
  signIn: {
    title: string;
    intro: string;
    token: string;
    submit: string;
    wrong: string;
  };
}

export const INSIGHTS_TEXTS: Readonly<Record<Language, InsightsTexts>> = {
  ja: {
    title: 'インサイト: Azure VM バックアップ トラブルシューター',
    skipToContent: '本文へ移動',
    otherLanguage: 'English',
    noScript: 'グラフと表を表示するには JavaScript を有効にしてください。',
    period: {
      heading: '期間',
      since: '開始日',
      until: '終了日',
      abandonAfter: '放棄とみなすまでの無操作時間 (分)',
      abandonAfterHint: 'この時間操作のないセッションは放棄として数えます。',
      apply: '表示',
      presets: 'よく使う期間',
      lastDays: '直近 {days} 日',
      csv: 'セッションを CSV でダウンロード',
      shown: '{since} ～ {until} (UTC)',
      previous: '前の期間 ({since} ～ {until}) との比較',
    },
    status: {
      loading: '読み込んでいます…',
      loaded: '{since} ～ {until} の数値を表示しています。',
      failed: '数値を読み込めませんでした。',
      invalid: {
        since: '開始日を確認してください。終了日より後の日付や、366 日を超える期間は指定できません。',
        until: '終了日を YYYY-MM-DD の形の日付で指定してください。',
        abandonAfter: '放棄とみなすまでの時間は 1 ～ 10080 分の整数で指定してください。',
      },
    },
    kpi: {
      heading: '概要',
      sessions: 'セッション数',
      engagementRate: 'エンゲージメント率',
      resolutionRate: '解決率',
      confirmedResolutionRate: '確認済みの解決率',
      escalationRate: 'エスカレーション率',
      abandonRate: '放棄率',
      unrecognised: '認識できなかったセッション',
      up: '増加',
      down: '減少',
      same: '変化なし',
      points: 'ポイント',
      previousValue: '前の期間: {value}',
    },
    outcomes: {
      resolved: '解決',
      escalated: 'エスカレーション',
      abandoned: '放棄',
      other: '未エンゲージまたは継続中',
    },
    overTime: {
      heading: '日ごとの結果',
      chartLabel: '日ごとの解決、エスカレーション、放棄の件数 (積み上げ棒グラフ)',
      tableCaption: '日ごとのセッションと結果',
      date: '日付 (UTC)',
      sessions: 'セッション',
      showTable: '表で見る',
    },
    breakdown: {
      heading: '結果の内訳',
      chartLabel: 'セッションの結果の内訳 (ドーナツ グラフ)',
      tableCaption: 'セッションの結果の内訳',
      outcome: '結果',
      count: '件数',
      share: '割合',
    },
    errors: {
      heading: 'エラーごとの原因の確認状況',
      intro: '原因は記事の順に並んでいます。「表示」はその原因が表示された回数、「ここで解決」はその原因で解決した回数、「次へ進んだ」はまだ失敗するとして次へ進んだ回数、「ここで離脱」はその原因を最後に放棄またはエスカレーションとなった回数です。',
      sessions: 'セッション {sessions} 件: 解決 {resolved}、エスカレーション {escalated}、放棄 {abandoned}',
      chartLabel: '{error}: 原因ごとの表示、解決、次へ進んだ件数 (横棒グラフ)',
      tableCaption: '{error}: 原因ごとの件数',
      cause: '原因',
      shown: '表示',
      fixedHere: 'ここで解決',
      wentOn: '次へ進んだ',
      droppedOff: 'ここで離脱',
      noSessions: 'この期間のセッションはありません。',
    },
    segments: {
      heading: 'OS、言語、チャネル、始め方別',
      byOs: 'ゲスト OS 別',
      byLanguage: '言語別',
      byChannel: 'チャネル別',
      byEntry: '始め方別',
      os: 'ゲスト OS',
      language: '言語',
      channel: 'チャネル',
      entry: '始め方',
      sessions: 'セッション',
      engaged: 'エンゲージ',
      resolved: '解決',
      escalated: 'エスカレーション',
      abandoned: '放棄',
      none: 'この期間のセッションはありません。',
    },
    unrecognised: {
      heading: '認識できなかった入力',
      intro: 'ボットがどのエラーにも結び付けられなかった入力です (個人情報は伏せて保存されています)。',
      caption: '認識できなかった入力と回数',
      text: '入力',
      count: '回数',
      lastSeen: '最後に見た日時 (UTC)',
      none: 'この期間にはありません。',
    },
    names: {
      os: { windows: 'Windows', linux: 'Linux', unknown: '不明' },
      languages: { ja: '日本語', en: '英語' },
      channels: { webchat: 'Web チャット', msteams: 'Microsoft Teams', directline: 'Direct Line', emulator: 'Emulator', test: 'テスト' },
      entries: { text: 'テキスト (貼り付け・説明)', image: 'スクリーンショット', browse: 'エラー一覧から選択', 'follow-up': 'フォローアップから再開' },
    },
    signIn: {
      title: 'インサイトにサインイン',
      intro: 'ダッシュボードを開くには、管理者から受け取ったアクセス トークン (INSIGHTS_TOKEN) を入力してください。',
      token: 'アクセス トークン',
      submit: 'サインイン',
      wrong: 'トークンが正しくありません。',
    },
  },
  en: {
    title: 'Insights: Azure VM Backup troubleshooter',
    skipToContent: 'Skip to content',
    otherLanguage: '日本語',
    noScript: 'Please turn on JavaScript to see the charts and tables.',
    period: {
      heading: 'Period',
      since: 'From',
      until: 'To',
      abandonAfter: 'Abandoned after (minutes idle)',
      abandonAfterHint: 'A session idle this long counts as abandoned.',
      apply: 'Show',
      presets: 'Common periods',
      lastDays: 'Last {days} days',
      csv: 'Download the sessions (CSV)',
      shown: '{since} to {until} (UTC)',
      previous: 'Compared with the previous period ({since} to {until})',
    },
    status: {
      loading: 'Loading…',
      loaded: 'Showing the figures of {since} to {until}.',
      failed: 'The figures could not be loaded.',
      invalid: {
        since: 'Check the start day: it cannot be after the end day, and a period can be at most 366 days.',
        until: 'Give the end day as a date (YYYY-MM-DD).',
        abandonAfter: 'Give the abandon time as a whole number of minutes from 1 to 10080.',
      },
    },
    kpi: {
      heading: 'Summary',
      sessions: 'Sessions',
      engagementRate: 'Engagement rate',
      resolutionRate: 'Resolution rate',
      confirmedResolutionRate: 'Confirmed resolution rate',
      escalationRate: 'Escalation rate',
      abandonRate: 'Abandon rate',
      unrecognised: 'Unrecognized sessions',
      up: 'up',
      down: 'down',
      same: 'no change',
      points: 'points',
      previousValue: 'Previous period: {value}',
    },
    outcomes: {
      resolved: 'Resolved',
      escalated: 'Escalated',
      abandoned: 'Abandoned',
      other: 'Not engaged or still open',
    },
    overTime: {
      heading: 'Outcomes by day',
      chartLabel: 'Resolved, escalated and abandoned sessions per day (stacked bar chart)',
      tableCaption: 'Sessions and outcomes per day',
      date: 'Date (UTC)',
      sessions: 'Sessions',
      showTable: 'Show as a table',
    },
    breakdown: {
      heading: 'Outcome breakdown',
      chartLabel: 'Breakdown of session outcomes (doughnut chart)',
      tableCaption: 'Breakdown of session outcomes',
      outcome: 'Outcome',
      count: 'Sessions',
      share: 'Share',
    },
    errors: {
      heading: 'Causes checked, per error',
      intro: 'Causes are in the article\'s order. "Shown": how often the cause was shown; "Fixed here": sessions it resolved; "Went on": users who said it still failed and went to the next one; "Dropped off here": sessions abandoned or escalated with this cause the last one shown.',
      sessions: '{sessions} sessions: {resolved} resolved, {escalated} escalated, {abandoned} abandoned',
      chartLabel: '{error}: shown, fixed here and went on, per cause (horizontal bar chart)',
      tableCaption: '{error}: figures per cause',
      cause: 'Cause',
      shown: 'Shown',
      fixedHere: 'Fixed here',
      wentOn: 'Went on',
      droppedOff: 'Dropped off here',
      noSessions: 'No sessions in this period.',
    },
    segments: {
      heading: 'By guest OS, language, channel and way in',
      byOs: 'By guest OS',
      byLanguage: 'By language',
      byChannel: 'By channel',
      byEntry: 'By way in',
      os: 'Guest OS',
      language: 'Language',
      channel: 'Channel',
      entry: 'Way in',
      sessions: 'Sessions',
      engaged: 'Engaged',
      resolved: 'Resolved',
      escalated: 'Escalated',
      abandoned: 'Abandoned',
      none: 'No sessions in this period.',
    },
    unrecognised: {
      heading: 'Unrecognized texts',
      intro: 'What users wrote that the bot could not tie to any error (personal data masked before it was kept).',
      caption: 'Unrecognized texts and how often they came',
      text: 'Text',
      count: 'Times',
      lastSeen: 'Last seen (UTC)',
      none: 'None in this period.',
    },
    names: {
      os: { windows: 'Windows', linux: 'Linux', unknown: 'Unknown' },
      languages: { ja: 'Japanese', en: 'English' },
      channels: { webchat: 'Web chat', msteams: 'Microsoft Teams', directline: 'Direct Line', emulator: 'Emulator', test: 'Test' },
      entries: { text: 'Text (paste or description)', image: 'Screenshot', browse: 'Chosen from the list', 'follow-up': 'Resumed by the follow-up' },
    },
    signIn: {
      title: 'Sign in to the insights',
      intro: 'Enter the access token (INSIGHTS_TOKEN) your administrator gave you to open the dashboard.',
      token: 'Access token',
      submit: 'Sign in',
      wrong: 'That token is not right.',
    },
  },
};

/** `?lang=ja|en` first, then the browser's Accept-Language (Japanese or English), else English. */
export function insightsLanguage(lang: string | null, acceptLanguage: string | undefined): Language {
  const locale = (lang !== null ? pageLocale(lang) : undefined) ?? localeFromAcceptLanguage(acceptLanguage) ?? 'en-US';
  return locale === 'ja-JP' ? 'ja' : 'en';
}
