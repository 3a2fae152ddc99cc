/*
 * Embeds the Azure VM Backup troubleshooter in another site. Put on the site:
 *
 *   <script src="https://BOT-HOST/embed.js" async
 *           data-locale="ja-JP" data-bot-name="バックアップ相談" data-accent="#0063B1"
 *           data-avatar="https://helpdesk.example.com/bot.png"></script>
 *
 * With data-container="#some-element" the chat fills that element (an iframe);
 * without it, a chat button in the corner opens it in a panel. Options:
 * data-locale (ja-JP | en-US), data-bot-name, data-avatar (https URL or a path
 * on the bot's server), colours data-accent, data-background, data-bot-bubble,
 * data-bot-text, data-user-bubble, data-user-text (CSS colours), data-height,
 * data-width (e.g. 600px, 80vh), data-position (right | left), data-open (true).
 * Options that are not valid are left out (with a warning in the console); the
 * bot's server checks them again. Nothing here writes HTML: every element is
 * built with the DOM and every text is set as text.
 */
/* global window, document, console, URL, URLSearchParams */
(function () {
  'use strict';

  var script = document.currentScript || findScript();
  if (!script || !script.src) return;
  var origin = new URL(script.src, window.location.href).origin;
  var data = script.dataset || {};
  var warnings = [];

  var NAMED = ('aliceblue antiquewhite aqua aquamarine azure beige bisque black blanchedalmond blue blueviolet brown burlywood ' +
    'cadetblue chartreuse chocolate coral cornflowerblue cornsilk crimson cyan darkblue darkcyan darkgoldenrod darkgray darkgreen ' +
    'darkgrey darkkhaki darkmagenta darkolivegreen darkorange darkorchid darkred darksalmon darkseagreen darkslateblue ' +
    'darkslategray darkslategrey darkturquoise darkviolet deeppink deepskyblue dimgray dimgrey dodgerblue firebrick floralwhite ' +
    'forestgreen fuchsia gainsboro ghostwhite gold goldenrod gray green greenyellow grey honeydew hotpink indianred indigo ivory ' +
    'khaki lavender lavenderblush lawngreen lemonchiffon lightblue lightcoral lightcyan lightgoldenrodyellow lightgray lightgreen ' +
    'lightgrey lightpink lightsalmon lightseagreen lightskyblue lightslategray lightslategrey lightsteelblue lightyellow lime ' +
    'limegreen linen magenta maroon mediumaquamarine mediumblue mediumorchid mediumpurple mediumseagreen mediumslateblue ' +
    'mediumspringgreen mediumturquoise mediumvioletred midnightblue mintcream mistyrose moccasin navajowhite navy oldlace olive ' +
    'olivedrab orange orangered orchid palegoldenrod palegreen paleturquoise palevioletred papayawhip peachpuff peru pink plum ' +
    'powderblue purple rebeccapurple red rosybrown royalblue saddlebrown salmon sandybrown seagreen seashell sienna silver skyblue ' +
    'slateblue slategray slategrey snow springgreen steelblue tan teal thistle tomato turquoise violet wheat white whitesmoke ' +
    'yellow yellowgreen transparent').split(' ');
  var N = '\\d{1,3}(?:\\.\\d+)?%?';
  var A = '(?:0|1|0?\\.\\d+|\\d{1,3}(?:\\.\\d+)?%)';
  var H = '\\d{1,3}(?:\\.\\d+)?(?:deg)?';
  var COLOR_PATTERNS = [
    /^#(?:[0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})$/i,
    new RegExp('^rgba?\\(\\s*' + N + '\\s*,\\s*' + N + '\\s*,\\s*' + N + '\\s*(?:,\\s*' + A + '\\s*)?\\)$', 'i'),
    new RegExp('^rgba?\\(\\s*' + N + '\\s+' + N + '\\s+' + N + '\\s*(?:\\/\\s*' + A + '\\s*)?\\)$', 'i'),
    new RegExp('^hsla?\\(\\s*' + H + '\\s*,\\s*' + N + '\\s*,\\s*' + N + '\\s*(?:,\\s*' + A + '\\s*)?\\)$', 'i'),
    new RegExp('^hsla?\\(\\s*' + H + '\\s+' + N + '\\s+' + N + '\\s*(?:\\/\\s*' + A + '\\s*)?\\)$', 'i'),
  ];
  var COLORS = { accent: 'accent', background: 'background', botBubble: 'botBubble', botText: 'botText', userBubble: 'userBubble', userText: 'userText' };

  function findScript() {
    var scripts = document.getElementsByTagName('script');
    for (var i = scripts.length - 1; i >= 0; i--) if (/\/embed\.js(?:[?#]|$)/.test(scripts[i].src)) return scripts[i];
    return null;
  }

  function color(value) {
    if (typeof value !== 'string' || value.length > 64) return undefined;
    var trimmed = value.trim();
    for (var i = 0; i < COLOR_PATTERNS.length; i++) if (COLOR_PATTERNS[i].test(trimmed)) return trimmed;
    return NAMED.indexOf(trimmed.toLowerCase()) >= 0 ? trimmed.toLowerCase() : undefined;
  }

  function locale(value) {
    if (typeof value !== 'string' || !/^[A-Za-z]{2}(?:[-_][A-Za-z0-9]{2,8})*$/.test(value)) return undefined;
    var language = value.slice(0, 2).toLowerCase();
    return language === 'ja' ? 'ja-JP' : language === 'en' ? 'en-US' : undefined;
  }

  function name(value) {
    if (typeof value !== 'string' || value.length > 400) return undefined;
    var cleaned = value.normalize('NFC').replace(/[\p{Cc}\p{Cf}\p{Co}\p{Cn}\u2028\u2029]/gu, '').replace(/\s+/gu, ' ').trim();
    var length = Array.from(cleaned).length;
    return length >= 1 && length <= 40 ? cleaned : undefined;
  }

  /* An https URL, or a path on the bot's server (the page is served from there). */
  function avatar(value) {
    if (typeof value !== 'string' || value.length === 0 || value.length > 2048 || /[\s\\]/.test(value)) return undefined;
    try {
      if (value.charAt(0) === '/') {
        if (value.charAt(1) === '/') return undefined;
        var local = new URL(value, origin);
        return local.origin === origin ? local.pathname + local.search : undefined;
      }
      var url = new URL(value);
      return url.protocol === 'https:' && !url.username && !url.password && url.hostname ? url.href : undefined;
    } catch {
      return undefined;
    }
  }

  function length(value, fallback) {
    if (value === undefined) return fallback;
    if (/^\d{2,4}$/.test(value)) return value + 'px';
    if (/^\d{1,4}(?:\.\d+)?(?:px|vh|vw|%|em|rem)$/.test(value)) return value;
    warnings.push('height/width');
    return fallback;
  }

  function option(key, check) {
    var value = data[key];
    if (value === undefined) return undefined;
    var checked = check(value);
    if (checked === undefined) warnings.push(key);
    return checked;
  }

  var options = {
    locale: option('locale', locale),
    botName: option('botName', name),
    avatar: option('avatar', avatar),
  };
  Object.keys(COLORS).forEach(function (key) {
    options[key] = option(key, color);
  });
  var query = new URLSearchParams();
  Object.keys(options).forEach(function (key) {
    if (options[key] !== undefined) query.set(key, options[key]);
  });
  var japanese = (options.locale || (document.documentElement.lang || '')).slice(0, 2).toLowerCase() === 'ja';
  var title = options.botName || (japanese ? 'Azure VM バックアップ トラブルシューター' : 'Azure VM Backup troubleshooter');
  var src = origin + '/' + (query.toString() ? '?' + query.toString() : '');
  var accent = options.accent || '#0063b1';
  var height = length(data.height, '600px');
  var width = length(data.width, undefined);
  if (warnings.length > 0) console.warn('Backup troubleshooter embed: these options are not valid and were left out: ' + warnings.join(', '));

  function frame() {
    var iframe = document.createElement('iframe');
    iframe.src = src;
    iframe.title = title;
    iframe.setAttribute('referrerpolicy', 'strict-origin-when-cross-origin');
    iframe.style.border = '0';
    iframe.style.width = '100%';
    iframe.style.height = '100%';
    iframe.style.display = 'block';
    return iframe;
  }

  function inline(target) {
    var iframe = frame();
    iframe.style.height = height;
    if (width) iframe.style.width = width;
    target.appendChild(iframe);
  }

  function launcher() {
    var left = data.position === 'left';
    var wrapper = document.createElement('div');
    wrapper.setAttribute('data-backup-troubleshooter', '');
    var panel = document.createElement('div');
    panel.id = 'backup-troubleshooter-panel-' + Math.random().toString(36).slice(2, 8);
    panel.setAttribute('role', 'dialog');
    panel.setAttribute('aria-label', title);
    var style = panel.style;
    style.position = 'fixed';
    style.bottom = '88px';
    style[left ? 'left' : 'right'] = '20px';
    style.width = width || '380px';
    style.maxWidth = 'calc(100vw - 40px)';
    style.height = height;
    style.maxHeight = 'calc(100vh - 108px)';
    style.boxShadow = '0 8px 24px rgba(0, 0, 0, 0.25)';
    style.borderRadius = '8px';
    style.overflow = 'hidden';
    style.background = '#fff';
    style.zIndex = '2147483000';
    style.display = 'none';

    var button = document.createElement('button');
    button.type = 'button';
    button.textContent = title;
    button.setAttribute('aria-controls', panel.id);
    button.setAttribute('aria-expanded', 'false');
    var b = button.style;
    b.position = 'fixed';
    b.bottom = '20px';
    b[left ? 'left' : 'right'] = '20px';
    b.maxWidth = 'calc(100vw - 40px)';
    b.padding = '14px 20px';
    b.border = '0';
    b.borderRadius = '28px';
    b.background = accent;
    b.color = '#fff';
    b.font = '600 15px system-ui, sans-serif';
    b.boxShadow = '0 4px 12px rgba(0, 0, 0, 0.25)';
    b.cursor = 'pointer';
    b.zIndex = '2147483000';

    var loaded = false;
    function setOpen(open) {
      if (open && !loaded) {
        panel.appendChild(frame());
        loaded = true;
      }
      style.display = open ? 'block' : 'none';
      button.setAttribute('aria-expanded', open ? 'true' : 'false');
    }
    button.addEventListener('click', function () {
      setOpen(style.display === 'none');
    });
    wrapper.appendChild(panel);
    wrapper.appendChild(button);
    document.body.appendChild(wrapper);
    if (data.open === 'true') setOpen(true);
  }

  function mount() {
    if (data.container) {
      var target = null;
      try {
        target = document.querySelector(data.container);
      } catch {
        target = null;
      }
      if (target) return inline(target);
      console.warn('Backup troubleshooter embed: no element matches data-container; showing the chat button instead.');
    }
    launcher();
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', mount);
  else mount();
})();
