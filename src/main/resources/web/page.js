// dlbank's page: the language switch keeps the reader's place; Run buttons start a run and follow
// its server-sent events: the state and a clock (every second), the terminal bar's fields, a live loss
// and accuracy curve on a canvas, and the output lines. When the run ends, its results replace the old
// ones without a reload.
'use strict';

const WORDS = {
  en: {
    starting: 'Starting…', running: 'Running', finished: 'Finished.', failed: 'Failed: ',
    cancelled: 'Cancelled.', cancelling: 'Cancelling at the next step…', refused: 'Refused: ',
    lost: 'Lost the connection to the server.', ready: 'The model is trained: draw a digit.',
    preparing: 'loading data, building the model', working: 'computing', training: 'training', evaluating: 'evaluating',
    units: { img: 'images/s', review: 'reviews/s', seq: 'sequences/s' },
    loss: 'loss', accuracy: 'accuracy', validation: 'validation', epochs: 'epochs',
    wholeRun: ' (whole run)', thisEpoch: ' (this epoch)',
  },
  zh: {
    starting: '正在启动…', running: '运行中', finished: '已完成。', failed: '失败：',
    cancelled: '已取消。', cancelling: '将在下一步取消…', refused: '被拒绝：',
    lost: '与服务器的连接断开了。', ready: '模型已训练好：写一个数字吧。',
    preparing: '读取数据、搭建模型', working: '计算中', training: '训练中', evaluating: '评估中',
    units: { img: '张图/秒', review: '条评论/秒', seq: '条序列/秒' },
    loss: '损失', accuracy: '准确率', validation: '验证集', epochs: '轮',
    wholeRun: '（整个运行）', thisEpoch: '（本轮）',
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
  if (s >= 3600) return Math.floor(s / 3600) + ':' + String(Math.floor(s / 60) % 60).padStart(2, '0') + ':' + String(s % 60).padStart(2, '0');
  return Math.floor(s / 60) + ':' + String(s % 60).padStart(2, '0');
}

function field(panel, name, value) {
  const cell = panel.querySelector('[data-field="' + name + '"]');
  if (cell) cell.textContent = value;
}

function setState(panel, kind, text, code) {
  const state = panel.querySelector('.run-state');
  state.className = 'run-state ' + kind;
  state.textContent = text;
  if (code) {
    const element = document.createElement('code');
    element.textContent = code;
    state.append(' ', element);
  }
  panel.dataset.state = kind;
}

function setBusy(panel, busy) {
  panel.querySelectorAll('.run-button').forEach((button) => { button.disabled = busy; });
  panel.querySelector('.cancel-button').hidden = !busy;
}

// The live curve: training loss (solid) and accuracy (dashed) per read, validation per epoch (dots);
// x in epochs, loss on the left axis, accuracy on the right (0-100%).
function drawCurve(panel) {
  const canvas = panel.querySelector('canvas.curve');
  const points = panel.curvePoints || [];
  if (!canvas) return;
  const ratio = window.devicePixelRatio || 1;
  const width = canvas.clientWidth || 640;
  const height = canvas.clientHeight || 240;
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  const g = canvas.getContext('2d');
  g.setTransform(ratio, 0, 0, ratio, 0, 0);
  g.clearRect(0, 0, width, height);
  const left = 52;
  const right = 52;
  const top = 14;
  const bottom = 30;
  const lossOf = (p) => (p.loss !== undefined ? p.loss : p.d_loss);
  const losses = points.flatMap((p) => [lossOf(p), p.val_loss]).filter((v) => Number.isFinite(v));
  const xs = points.map((p) => p.x);
  const xMax = Math.max(1, Math.ceil(Math.max(0, ...xs)));
  const lossMax = losses.length ? Math.max(...losses) * 1.05 : 1;
  const X = (x) => left + (width - left - right) * x / xMax;
  const yLoss = (v) => top + (height - top - bottom) * (1 - v / lossMax);
  const yAcc = (v) => top + (height - top - bottom) * (1 - v);
  g.font = '12px sans-serif';
  g.strokeStyle = '#d9dee3';
  g.fillStyle = '#5d6671';
  g.lineWidth = 1;
  for (let i = 0; i <= 4; i++) {
    const y = top + (height - top - bottom) * i / 4;
    g.beginPath(); g.moveTo(left, y); g.lineTo(width - right, y); g.stroke();
    g.textAlign = 'right'; g.fillText((lossMax * (1 - i / 4)).toFixed(lossMax < 1 ? 3 : 2), left - 6, y + 4);
    g.textAlign = 'left'; g.fillText(Math.round(100 * (1 - i / 4)) + '%', width - right + 6, y + 4);
  }
  g.textAlign = 'center';
  for (let e = 0; e <= xMax; e += Math.max(1, Math.ceil(xMax / 10))) g.fillText(String(e), X(e), height - bottom + 16);
  g.fillText(say('epochs'), (left + width - right) / 2, height - 2);
  const line = (key, color, dash, y) => {
    const series = points.filter((p) => Number.isFinite(key(p)));
    if (!series.length) return;
    g.strokeStyle = color; g.lineWidth = 2; g.setLineDash(dash);
    g.beginPath();
    series.forEach((p, i) => (i ? g.lineTo(X(p.x), y(key(p))) : g.moveTo(X(p.x), y(key(p)))));
    g.stroke(); g.setLineDash([]);
  };
  const dots = (key, color, y) => {
    g.fillStyle = color;
    points.filter((p) => Number.isFinite(key(p))).forEach((p) => { g.beginPath(); g.arc(X(p.x), y(key(p)), 4, 0, 2 * Math.PI); g.fill(); });
  };
  line(lossOf, '#1f5fa8', [], yLoss);
  line((p) => p.acc, '#1b6e32', [6, 4], yAcc);
  dots((p) => p.val_loss, '#1f5fa8', yLoss);
  dots((p) => p.val_acc, '#1b6e32', yAcc);
  // Legend, in words as well as colours.
  g.textAlign = 'left'; g.font = '12px sans-serif';
  g.fillStyle = '#1f5fa8'; g.fillText('— ' + say('loss') + '  ● ' + say('validation'), left + 8, top + 14);
  g.fillStyle = '#1b6e32'; g.fillText('- - ' + say('accuracy') + '  ● ' + say('validation'), left + 8, top + 30);
  panel.dataset.points = String(points.length);
}

function showProgress(panel, progress) {
  const bar = panel.querySelector('progress.bar');
  const figures = progress.figures || {};
  panel.phase = progress.phase || 'training';
  field(panel, 'phase', say(panel.phase));
  if (progress.epochs) {
    // The whole run: finished epochs plus the share of this one.
    bar.value = 100 * ((progress.epoch - 1) + progress.done / Math.max(1, progress.total)) / progress.epochs;
    field(panel, 'epoch', progress.epoch + '/' + progress.epochs);
  } else {
    bar.value = progress.percent;
    field(panel, 'epoch', '–');
  }
  field(panel, 'batch', progress.done + '/' + progress.total);
  const loss = figures.loss !== undefined ? figures.loss : figures.d_loss;
  if (loss !== undefined) field(panel, 'loss', loss.toFixed(4));
  if (figures.acc !== undefined) field(panel, 'accuracy', (100 * figures.acc).toFixed(2) + '%');
  if (progress.rate !== undefined) {
    field(panel, 'rate', progress.rate.toLocaleString() + ' ' + (say('units')[progress.unit] || progress.unit + '/s'));
  }
  if (progress.run_eta_seconds >= 0) field(panel, 'eta', clock(progress.run_eta_seconds) + say('wholeRun'));
  else if (progress.eta_seconds >= 0) field(panel, 'eta', clock(progress.eta_seconds) + say('thisEpoch'));
}

function appendLine(panel, text) {
  const log = panel.querySelector('pre.log');
  log.textContent += text + '\n';
  log.scrollTop = log.scrollHeight;
  panel.dataset.lines = String(Number(panel.dataset.lines || 0) + 1);
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
    if (window.dlbankMath) window.dlbankMath(results);
  }
}

function follow(panel, startedAt) {
  const live = panel.querySelector('.live');
  live.hidden = false;
  live.scrollIntoView({ block: 'start', behavior: 'smooth' });
  panel.querySelector('pre.log').textContent = '';
  panel.curvePoints = [];
  panel.phase = 'preparing';
  ['phase', 'epoch', 'batch', 'rate', 'loss', 'accuracy', 'eta'].forEach((name) => field(panel, name, '–'));
  field(panel, 'phase', say('preparing'));
  drawCurve(panel);
  setBusy(panel, true);
  const begin = startedAt || Date.now();
  const tick = () => {
    field(panel, 'elapsed', clock((Date.now() - begin) / 1000));
    if (panel.dataset.state === 'running') {
      setState(panel, 'running', say('running') + ' · ' + panel.dataset.experiment + ' · ' + say(panel.phase));
    }
    panel.dataset.ticks = String(Number(panel.dataset.ticks || 0) + 1);
  };
  panel.dataset.state = 'running';
  tick();
  const timer = setInterval(tick, 1000);
  let redraw = null;
  const source = new EventSource('/api/runs/events');
  source.addEventListener('line', (event) => {
    appendLine(panel, JSON.parse(event.data).text);
    // An experiment without a progress bar (task/and-gate) reports in lines: it is computing, not loading.
    if (panel.phase === 'preparing' && Number(panel.dataset.lines) > 1) {
      panel.phase = 'working';
      field(panel, 'phase', say('working'));
    }
  });
  source.addEventListener('progress', (event) => showProgress(panel, JSON.parse(event.data)));
  source.addEventListener('point', (event) => {
    panel.curvePoints.push(JSON.parse(event.data));
    if (!redraw) redraw = setTimeout(() => { redraw = null; drawCurve(panel); }, 250);
  });
  source.addEventListener('state', async (event) => {
    source.close();
    clearInterval(timer);
    drawCurve(panel);
    const job = JSON.parse(event.data);
    const message = lang === 'zh' ? job.message_zh : job.message;
    setBusy(panel, false);
    if (job.state === 'finished') {
      panel.querySelector('progress.bar').value = 100;
      field(panel, 'phase', say('finished'));
      field(panel, 'eta', '0:00');
      setState(panel, 'finished', message, job.code);
      await showResults(panel);
    } else if (job.state === 'cancelled') {
      field(panel, 'phase', say('cancelled'));
      setState(panel, 'cancelled', message, job.code);
    } else {
      field(panel, 'phase', say('failed'));
      setState(panel, 'failed', say('failed') + message, job.code);
    }
  });
  source.onerror = () => {
    if (source.readyState === EventSource.CLOSED && panel.dataset.state === 'running') {
      clearInterval(timer);
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
  if (panel) follow(panel, Date.parse(job.started));
})();
