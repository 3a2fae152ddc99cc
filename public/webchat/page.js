/*
 * The web chat page: reads the configuration the server put into the page, gets
 * a Direct Line token from this server, renders Web Chat, and keeps the token
 * alive. It refreshes the token before `expires_in` runs out; when the token
 * has expired anyway (a laptop asleep for hours: Direct Line answers 403) or
 * the conversation is gone, it gets a new token and starts a new conversation,
 * and says so.
 */
/* global window, document, fetch, setTimeout, clearTimeout, console */
(function () {
  'use strict';

  var TEXTS = {
    en: {
      connecting: 'Connecting…',
      restarted: 'Your previous session expired, so a new conversation has started.',
      failed: 'The chat could not connect.',
      tokenFailed: 'The chat service is not available right now.',
      notConfigured: 'The chat is not set up on this server yet (DIRECT_LINE_SECRET is missing).',
      retry: 'Try again',
      close: 'Close',
    },
    ja: {
      connecting: '接続しています…',
      restarted: '前のセッションの有効期限が切れたため、新しい会話を始めました。',
      failed: 'チャットに接続できませんでした。',
      tokenFailed: '現在チャット サービスを利用できません。',
      notConfigured: 'このサーバーではまだチャットが設定されていません (DIRECT_LINE_SECRET がありません)。',
      retry: '再試行',
      close: '閉じる',
    },
  };

  /* DirectLineJS's connection states. */
  var STATUS = { Uninitialized: 0, Connecting: 1, Online: 2, ExpiredToken: 3, FailedToConnect: 4, Ended: 5 };

  var config = JSON.parse(document.getElementById('webchat-config').textContent);
  var texts = TEXTS[config.language] || TEXTS.en;
  var container = document.getElementById('webchat');
  var notice = document.getElementById('notice');
  var current = null; /* { generation, directLine, host, session, refreshTimer } */
  var generation = 0;

  if (config.ignoredOptions && config.ignoredOptions.length > 0) {
    console.warn('Web chat: these options were not valid and were left out: ' + config.ignoredOptions.join(', '));
  }
  applyTheme();
  if (config.mode === 'unavailable') {
    showNotice(texts.notConfigured);
    return;
  }
  start(false);
  document.addEventListener('visibilitychange', onVisible);

  function applyTheme() {
    var style = document.documentElement.style;
    if (config.colors.accent) style.setProperty('--accent', config.colors.accent);
    if (config.colors.background) style.setProperty('--background', config.colors.background);
    var avatar = document.querySelector('.bar__avatar');
    if (config.avatar) {
      var image = document.createElement('img');
      image.alt = '';
      image.src = config.avatar;
      avatar.appendChild(image);
    } else {
      avatar.textContent = config.initials;
    }
  }

  function showNotice(text, action) {
    notice.textContent = '';
    var message = document.createElement('span');
    message.textContent = text;
    notice.appendChild(message);
    if (action) {
      var button = document.createElement('button');
      button.type = 'button';
      button.textContent = action.label;
      button.addEventListener('click', action.run);
      notice.appendChild(button);
    }
    notice.hidden = false;
  }

  function hideNotice() {
    notice.hidden = true;
    notice.textContent = '';
  }

  function domain() {
    return config.domainIsPath ? window.location.origin + config.domain : config.domain;
  }

  function fetchToken() {
    return fetch(config.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
      /* Carries the HttpOnly bt_user cookie: the server binds the token to the user id it signed for this browser. */
      credentials: 'same-origin',
      cache: 'no-store',
    }).then(function (response) {
      if (!response.ok) throw new Error('token request answered ' + response.status);
      return response.json();
    }).then(function (body) {
      if (!body || typeof body.token !== 'string') throw new Error('token response without a token');
      return { token: body.token, conversationId: body.conversationId, expiresAt: Date.now() + body.expires_in * 1000, expiresIn: body.expires_in };
    });
  }

  function styleOptions() {
    var colors = config.colors;
    var options = {
      botAvatarInitials: config.initials,
      /* Screenshots of the portal's error: the bot reads PNG and JPEG pictures, one at a time. */
      hideUploadButton: false,
      uploadAccept: 'image/png,image/jpeg',
      uploadMultiple: false,
      /* A multi-line send box: pasted logs keep their line breaks (Enter sends, Shift+Enter adds a line). */
      sendBoxTextWrap: true,
      sendBoxMaxHeight: 160,
      bubbleMaxWidth: 720,
      primaryFont: config.language === 'ja'
        ? "'Segoe UI', 'Hiragino Sans', 'Yu Gothic UI', Meiryo, 'Noto Sans CJK JP', 'Noto Sans JP', sans-serif"
        : "'Segoe UI', 'Helvetica Neue', Arial, 'Liberation Sans', sans-serif",
    };
    if (config.avatar) options.botAvatarImage = config.avatar;
    if (colors.accent) {
      options.accent = colors.accent;
      options.botAvatarBackgroundColor = colors.accent;
      options.sendBoxButtonColorOnHover = colors.accent;
      options.sendBoxButtonColorOnFocus = colors.accent;
      options.suggestedActionBorderColor = colors.accent;
      options.suggestedActionTextColor = colors.accent;
    }
    if (colors.background) options.backgroundColor = colors.background;
    if (colors.botBubble) options.bubbleBackground = colors.botBubble;
    if (colors.botText) options.bubbleTextColor = colors.botText;
    if (colors.userBubble) options.bubbleFromUserBackground = colors.userBubble;
    if (colors.userText) options.bubbleFromUserTextColor = colors.userText;
    return options;
  }

  function stop() {
    if (!current) return;
    var old = current;
    current = null;
    clearTimeout(old.refreshTimer);
    if (old.subscription) old.subscription.unsubscribe();
    try {
      old.directLine.end();
    } catch {
      /* already ended */
    }
    if (old.host.parentNode) old.host.parentNode.removeChild(old.host);
  }

  /* Gets a token and renders Web Chat on it; `restarted` says the old session had expired. */
  function start(restarted) {
    var mine = ++generation;
    stop();
    showNotice(texts.connecting);
    return fetchToken().then(function (session) {
      if (mine !== generation) return;
      var directLine = window.WebChat.createDirectLine({
        domain: domain(),
        token: session.token,
        webSocket: config.webSocket,
        pollingInterval: config.pollingInterval,
        conversationStartProperties: { locale: config.locale },
      });
      var host = document.createElement('div');
      host.className = 'webchat__host';
      container.appendChild(host);
      current = { generation: mine, directLine: directLine, host: host, session: session, refreshTimer: null, subscription: null };
      current.subscription = directLine.connectionStatus$.subscribe(function (status) {
        onStatus(mine, status, restarted);
      });
      window.WebChat.renderWebChat(
        { directLine: directLine, locale: config.locale, styleOptions: styleOptions(), nonce: config.nonce },
        host
      );
      scheduleRefresh(mine);
    }).catch(function (error) {
      if (mine !== generation) return;
      console.warn('Web chat: ' + error.message);
      showNotice(texts.tokenFailed, { label: texts.retry, run: function () { start(restarted); } });
    });
  }

  function onStatus(mine, status, restarted) {
    if (!current || current.generation !== mine) return;
    if (status === STATUS.Online) {
      if (restarted) showNotice(texts.restarted, { label: texts.close, run: hideNotice });
      else hideNotice();
    } else if (status === STATUS.ExpiredToken || status === STATUS.Ended) {
      /* 403 after a long idle, or the conversation is gone: a new token and a new conversation. */
      start(true);
    } else if (status === STATUS.FailedToConnect) {
      showNotice(texts.failed, { label: texts.retry, run: function () { start(false); } });
    }
  }

  /* Halfway through the token's life (at least a minute before it ends), a fresh token for the same conversation. */
  function scheduleRefresh(mine) {
    if (!current || current.generation !== mine) return;
    var left = Math.max(0, current.session.expiresAt - Date.now());
    var delay = Math.max(2000, Math.min(left / 2, left - 60000));
    clearTimeout(current.refreshTimer);
    current.refreshTimer = setTimeout(function () { refresh(mine); }, delay);
  }

  function refresh(mine) {
    if (!current || current.generation !== mine) return;
    var session = current.session;
    if (Date.now() >= session.expiresAt) {
      start(true);
      return;
    }
    fetch(domain() + '/tokens/refresh', {
      method: 'POST',
      headers: { authorization: 'Bearer ' + session.token },
      cache: 'no-store',
    }).then(function (response) {
      if (!current || current.generation !== mine) return;
      if (response.status === 403 || response.status === 404) {
        start(true);
        return;
      }
      if (!response.ok) throw new Error('token refresh answered ' + response.status);
      return response.json().then(function (body) {
        if (!current || current.generation !== mine) return;
        session.token = body.token;
        session.expiresAt = Date.now() + body.expires_in * 1000;
        current.directLine.reconnect({ conversationId: session.conversationId, token: body.token, streamUrl: current.directLine.streamUrl });
        scheduleRefresh(mine);
      });
    }).catch(function (error) {
      /* A network hiccup: try again soon, while the token still lives. */
      console.warn('Web chat: ' + error.message);
      if (current && current.generation === mine) current.refreshTimer = setTimeout(function () { refresh(mine); }, 15000);
    });
  }

  /* Timers sleep with the laptop: on return, refresh at once or start again. */
  function onVisible() {
    if (document.visibilityState !== 'visible' || !current) return;
    var left = current.session.expiresAt - Date.now();
    if (left <= 0) start(true);
    else if (left < 120000) refresh(current.generation);
  }
})();
