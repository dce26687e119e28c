// Wellflow console: the live parts, in plain browser JavaScript (no build step, no framework).
// - times in the reader's zone, acknowledgement countdowns;
// - one EventSource on /console/events: when it names changed cases, the queue refetches its rows and a case
//   page its live part (the stream carries ids and event types only, never a person's words);
// - opt-in sound and desktop notification for a new or escalated case on the queue page;
// - case actions sent with fetch (CSRF token in a header) and the live part replaced, so nothing reloads;
// - a running re-screen's progress, refetched every few seconds until it has finished.
(function () {
  'use strict';
  var csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content;
  var ALERT_TYPES = ['opened', 'notified', 'tier_raised', 'reopened'];

  function localise(root) {
    root.querySelectorAll('time[data-time]').forEach(function (t) {
      var d = new Date(t.getAttribute('data-time'));
      if (!isNaN(d)) t.textContent = d.toLocaleString();
    });
  }
  function two(n) {
    return (n < 10 ? '0' : '') + n;
  }
  function span(ms) {
    var s = Math.floor(Math.abs(ms) / 1000);
    var h = Math.floor(s / 3600);
    return (h ? h + ':' : '') + two(Math.floor((s % 3600) / 60)) + ':' + two(s % 60);
  }
  function tick() {
    document.querySelectorAll('.countdown[data-deadline]').forEach(function (el) {
      var left = Date.parse(el.getAttribute('data-deadline')) - Date.now();
      el.textContent = left >= 0 ? span(left) + ' left' : 'overdue by ' + span(left);
      el.classList.toggle('overdue', left < 0);
    });
  }

  function get(url) {
    return fetch(url, { headers: { 'X-Requested-With': 'fetch' }, credentials: 'same-origin' }).then(function (r) {
      if (r.status === 401) {
        location.reload();
        throw new Error('signed out');
      }
      if (!r.ok) throw new Error('HTTP ' + r.status);
      return r.text();
    });
  }

  // --- alerts (opt-in: browsers allow sound and notifications only after a click) ---
  var alertsOn = false;
  var audio;
  function beep() {
    if (!audio) return;
    [0, 0.35].forEach(function (at) {
      var o = audio.createOscillator();
      var g = audio.createGain();
      o.frequency.value = 880;
      g.gain.value = 0.2;
      o.connect(g);
      g.connect(audio.destination);
      o.start(audio.currentTime + at);
      o.stop(audio.currentTime + at + 0.25);
    });
  }
  function alertStaff(what) {
    if (!alertsOn) return;
    beep();
    if (window.Notification && Notification.permission === 'granted') {
      new Notification('Wellflow: ' + what, { body: 'Open the crisis queue', tag: 'wellflow-queue' });
    }
  }
  var toggle = document.getElementById('enable-alerts');
  if (toggle) {
    toggle.addEventListener('click', function () {
      alertsOn = !alertsOn;
      toggle.setAttribute('aria-pressed', String(alertsOn));
      toggle.textContent = alertsOn ? 'Alerts on (click to turn off)' : 'Enable sound and desktop alerts';
      if (alertsOn) {
        audio = audio || new (window.AudioContext || window.webkitAudioContext)();
        if (window.Notification && Notification.permission === 'default') Notification.requestPermission();
      }
    });
  }

  // --- the queue ---
  function snapshot() {
    var m = {};
    document.querySelectorAll('#queue-rows tr[data-case]').forEach(function (tr) {
      m[tr.getAttribute('data-case')] = Number(tr.getAttribute('data-level'));
    });
    return m;
  }
  function refreshQueue() {
    var before = snapshot();
    return get('/console/queue/rows').then(function (html) {
      var body = document.getElementById('queue-rows');
      body.outerHTML = html;
      var fresh = [];
      document.querySelectorAll('#queue-rows tr[data-case]').forEach(function (tr) {
        var id = tr.getAttribute('data-case');
        if (!(id in before) || Number(tr.getAttribute('data-level')) > before[id]) {
          tr.classList.add('flash');
          fresh.push(id in before ? 'case escalated' : 'new crisis case');
        }
      });
      localise(document.getElementById('queue-rows'));
      tick();
      if (fresh.length) alertStaff(fresh[0]);
    });
  }

  // --- a case ---
  var live = document.getElementById('case-live');
  function refreshCase() {
    return get('/console/cases/' + live.getAttribute('data-case') + '/live').then(function (html) {
      live.innerHTML = html;
      localise(live);
      tick();
    });
  }
  document.addEventListener('submit', function (ev) {
    var form = ev.target;
    if (!live || !form.hasAttribute('data-action')) return;
    ev.preventDefault();
    var err = document.getElementById('action-error');
    fetch(form.action, {
      method: 'POST',
      body: new URLSearchParams(new FormData(form)),
      headers: { 'X-Requested-With': 'fetch', 'X-CSRF-Token': csrf },
      credentials: 'same-origin',
    })
      .then(function (r) {
        return r.text().then(function (text) {
          if (!r.ok) throw new Error(text || 'HTTP ' + r.status);
          live.innerHTML = text;
          localise(live);
          tick();
          var status = document.getElementById('live-status');
          if (status) status.textContent = 'Saved';
        });
      })
      .catch(function (e) {
        if (!err) {
          err = document.createElement('p');
          err.id = 'action-error';
          err.setAttribute('role', 'alert');
          live.parentNode.insertBefore(err, live);
        }
        err.textContent = e.message;
      });
  });

  // --- a re-screen: its progress while it runs, then the page again (with the form) once it has finished.
  // The next request waits for the last answer (3 s later; 15 s after a failure), so a slow server never has
  // several of them in flight from one tab. ---
  var rescreen = document.getElementById('rescreen-live');
  function pollRescreen(delay) {
    setTimeout(function () {
      get('/console/screening/live')
        .then(function (html) {
          var box = document.createElement('div');
          box.innerHTML = html;
          var fresh = box.firstElementChild;
          if (fresh && fresh.getAttribute('data-running') !== 'true') return location.reload();
          if (fresh) {
            rescreen.innerHTML = fresh.innerHTML;
            localise(rescreen);
          }
          pollRescreen(3000);
        })
        .catch(function () {
          pollRescreen(15000);
        });
    }, delay);
  }
  if (rescreen && rescreen.getAttribute('data-running') === 'true') pollRescreen(3000);

  // --- the live feed ---
  var queue = document.getElementById('queue-rows');
  if (queue || live) {
    var status = document.getElementById('live-status');
    var source = new EventSource('/console/events');
    source.addEventListener('ready', function () {
      if (status) status.textContent = 'Live';
    });
    source.addEventListener('error', function () {
      if (status) status.textContent = 'Reconnecting…';
    });
    source.addEventListener('cases', function (ev) {
      var change = JSON.parse(ev.data);
      if (queue) {
        refreshQueue().catch(function () {});
      } else if (live && change.caseIds.indexOf(live.getAttribute('data-case')) >= 0) {
        refreshCase().catch(function () {});
      }
      if (
        queue &&
        change.types.some(function (t) {
          return ALERT_TYPES.indexOf(t) >= 0;
        })
      ) {
        document.title = '(!) ' + document.title.replace(/^\(!\) /, '');
      }
    });
  }

  localise(document);
  tick();
  setInterval(tick, 1000);
})();
