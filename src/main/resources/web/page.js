// dlbank's page: the language switch keeps the reader's place; Run buttons start a run and follow
// its server-sent events (the terminal bar's fields, the output lines); when the run ends, its
// results replace the old ones without a reload.
'use strict';

const WORDS = {
  en: {
    starting: 'Starting…', running: 'Running', finished: 'Finished.', failed: 'Failed: ',
    cancelled: 'Cancelled.', cancelling: 'Cancelling at the next step…', refused: 'Refused: ',
    lost: 'Lost the connection to the server.', ready: 'The model is trained: draw a digit.',
  },
  zh: {
    starting: '正在启动…', running: '运行中', finished: '已完成。', failed: '失败：',
    cancelled: '已取消。', cancelling: '将在下一步取消…', refused: '被拒绝：',
    lost: '与服务器的连接断开了。', ready: '模型已训练好：写一个数字吧。',
  },
};
const lang = document.body.dataset.lang === 'zh' ? 'zh' : 'en';
const say = (key) => WORDS[lang][key];

// Language switch: remember how far down the page the reader was, as a fraction of its height.
(function keepPlace() {
  const key = 'dlbank-place:' + location.pathname;
  const saved = sessionStorage.getItem(key);
  const scrollable = () => document.documentElement.scrollHeight - window.innerHeight;
  if (saved !== null) {
    sessionStorage.removeItem(key);
    window.scrollTo(0, parseFloat(saved) * scrollable());
  }
  const link = document.getElementById('lang-switch');
  if (link) {
    link.addEventListener('click', () => {
      const max = scrollable();
      sessionStorage.setItem(key, String(max > 0 ? window.scrollY / max : 0));
    });
  }
})();

function clock(seconds) {
  if (seconds < 0 || !Number.isFinite(seconds)) return '–';
  const s = Math.round(seconds);
  return Math.floor(s / 60) + ':' + String(s % 60).padStart(2, '0');
}

function field(panel, name, value) {
  const cell = panel.querySelector('[data-field="' + name + '"]');
  if (cell) cell.textContent = value;
}

function setState(panel, kind, text) {
  const state = panel.querySelector('.run-state');
  state.className = 'run-state ' + kind;
  state.textContent = text;
  panel.dataset.state = kind;
}

function setBusy(panel, busy) {
  panel.querySelectorAll('.run-button').forEach((button) => { button.disabled = busy; });
  panel.querySelector('.cancel-button').hidden = !busy;
}

function showProgress(panel, progress) {
  const bar = panel.querySelector('progress.bar');
  const figures = progress.figures || {};
  if (progress.epochs) {
    // The whole run: finished epochs plus the share of this one.
    bar.value = 100 * ((progress.epoch - 1) + progress.done / Math.max(1, progress.total)) / progress.epochs;
    field(panel, 'epoch', progress.epoch + '/' + progress.epochs);
  } else {
    bar.value = progress.percent;
    field(panel, 'epoch', progress.task);
  }
  field(panel, 'batch', progress.done + '/' + progress.total);
  const loss = figures.loss !== undefined ? figures.loss : figures.d_loss;
  field(panel, 'loss', loss !== undefined ? loss.toFixed(4) : '–');
  field(panel, 'accuracy', figures.acc !== undefined ? (100 * figures.acc).toFixed(2) + '%' : '–');
  field(panel, 'rate', progress.rate !== undefined ? progress.rate.toLocaleString() + ' ' + progress.unit + '/s' : '–');
  field(panel, 'eta', clock(progress.eta_seconds));
}

function appendLine(panel, text) {
  const log = panel.querySelector('pre.log');
  log.textContent += text + '\n';
  log.scrollTop = log.scrollHeight;
}

async function showResults(panel) {
  const experiment = panel.closest('.experiment');
  const results = experiment && experiment.querySelector('.results');
  if (!results) {
    setState(panel, 'finished', say('ready'));
    return;
  }
  const response = await fetch(results.dataset.src, { headers: { Accept: 'text/html' } });
  if (response.ok) {
    results.innerHTML = await response.text();
    results.dataset.updated = String(Date.now());
  }
}

function follow(panel) {
  const live = panel.querySelector('.live');
  live.hidden = false;
  panel.querySelector('pre.log').textContent = '';
  setBusy(panel, true);
  setState(panel, 'running', say('running') + ' · ' + panel.dataset.experiment);
  const source = new EventSource('/api/runs/events');
  source.addEventListener('line', (event) => appendLine(panel, JSON.parse(event.data).text));
  source.addEventListener('progress', (event) => showProgress(panel, JSON.parse(event.data)));
  source.addEventListener('state', async (event) => {
    source.close();
    const job = JSON.parse(event.data);
    setBusy(panel, false);
    if (job.state === 'finished') {
      panel.querySelector('progress.bar').value = 100;
      setState(panel, 'finished', say('finished') + ' ' + job.message);
      await showResults(panel);
    } else if (job.state === 'cancelled') {
      setState(panel, 'cancelled', say('cancelled') + ' ' + job.message);
    } else {
      setState(panel, 'failed', say('failed') + job.message);
    }
  });
  source.onerror = () => {
    if (source.readyState === EventSource.CLOSED && panel.dataset.state === 'running') {
      setBusy(panel, false);
      setState(panel, 'failed', say('lost'));
    }
  };
}

async function post(url, body) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body || {}),
  });
  let json = {};
  try { json = await response.json(); } catch (e) { /* no body */ }
  return { ok: response.ok, status: response.status, json };
}

async function start(panel, mode) {
  panel.querySelector('.live').hidden = false;
  setState(panel, 'starting', say('starting'));
  const answer = await post('/api/runs', { experiment: panel.dataset.experiment, mode });
  if (!answer.ok) {
    setState(panel, 'refused', say('refused') + (answer.json.error || answer.status));
    return;
  }
  follow(panel);
}

document.querySelectorAll('.run-panel').forEach((panel) => {
  panel.querySelectorAll('.run-button').forEach((button) => {
    button.addEventListener('click', () => start(panel, button.dataset.mode));
  });
  panel.querySelector('.cancel-button').addEventListener('click', async () => {
    setState(panel, 'running', say('cancelling'));
    await post('/api/runs/cancel');
  });
});

// A run started earlier (before a reload, or from another tab) is followed where its panel is.
(async function resume() {
  if (!document.querySelector('.run-panel')) return;
  const response = await fetch('/api/runs/current');
  if (!response.ok) return;
  const job = await response.json();
  if (job.state !== 'running') return;
  const panel = document.querySelector('.run-panel[data-experiment="' + job.experiment + '"]');
  if (panel) follow(panel);
})();
