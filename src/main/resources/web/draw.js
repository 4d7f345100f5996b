// The drawing pad: pointer events (mouse, pen, touch) draw on a canvas; when a stroke ends, the
// canvas goes to /api/predict as a PNG and the reading comes back: the digit, each class's
// probability as a bar, and the 28x28 picture the model saw. An uploaded file goes the same way.
'use strict';

(function drawingPad() {
  const pad = document.getElementById('pad');
  if (!pad) return;
  const context = pad.getContext('2d');
  const message = document.getElementById('draw-error');
  let drawing = false;
  let last = null;
  let pending = null;

  function blank() {
    context.fillStyle = '#ffffff';
    context.fillRect(0, 0, pad.width, pad.height);
  }
  blank();

  // Canvas pixels from a pointer position, whatever size CSS gives the canvas.
  function point(event) {
    const box = pad.getBoundingClientRect();
    return { x: (event.clientX - box.left) * pad.width / box.width, y: (event.clientY - box.top) * pad.height / box.height };
  }

  function line(from, to) {
    context.strokeStyle = '#000000';
    context.lineWidth = 18;
    context.lineCap = 'round';
    context.lineJoin = 'round';
    context.beginPath();
    context.moveTo(from.x, from.y);
    context.lineTo(to.x, to.y);
    context.stroke();
  }

  pad.addEventListener('pointerdown', (event) => {
    event.preventDefault();
    pad.setPointerCapture(event.pointerId);
    drawing = true;
    last = point(event);
    line(last, last);
    clearTimeout(pending);
  });
  pad.addEventListener('pointermove', (event) => {
    if (!drawing) return;
    const next = point(event);
    line(last, next);
    last = next;
  });
  const end = () => {
    if (!drawing) return;
    drawing = false;
    clearTimeout(pending);
    pending = setTimeout(() => pad.toBlob((blob) => read(blob, null), 'image/png'), 150);
  };
  pad.addEventListener('pointerup', end);
  pad.addEventListener('pointercancel', end);

  document.getElementById('clear').addEventListener('click', () => {
    blank();
    show(null);
  });

  document.getElementById('upload').addEventListener('change', (event) => {
    const file = event.target.files[0];
    if (file) read(file, file.name);
  });

  async function read(blob, name) {
    message.textContent = '';
    const headers = { 'Content-Type': blob.type || 'application/octet-stream' };
    if (name) headers['X-File-Name'] = encodeURIComponent(name);
    const response = await fetch('/api/predict', { method: 'POST', headers, body: blob });
    let json = {};
    try { json = await response.json(); } catch (e) { /* no body */ }
    if (!response.ok) {
      show(null);
      message.textContent = json.error || String(response.status);
      return;
    }
    show(json);
  }

  function show(reading) {
    const bars = document.querySelectorAll('#bars li');
    document.getElementById('digit').textContent = reading ? String(reading.digit) : '–';
    document.getElementById('confidence').textContent = reading ? 'p = ' + reading.probability.toFixed(3) : '';
    // Which model read it; its id set as code.
    const line = document.getElementById('model-line');
    line.textContent = '';
    if (reading) {
      const text = document.body.dataset.lang === 'zh' ? reading.model_zh : reading.model;
      text.split('task/mnist-cnn').forEach((part, i) => {
        if (i > 0) {
          const code = document.createElement('code');
          code.textContent = 'task/mnist-cnn';
          line.append(code);
        }
        line.append(part);
      });
    }
    bars.forEach((item, digit) => {
      const p = reading ? reading.probabilities[digit] : 0;
      item.querySelector('.fill').style.width = (100 * p).toFixed(1) + '%';
      item.querySelector('.p').textContent = p.toFixed(3);
      item.classList.toggle('top', Boolean(reading) && digit === reading.digit);
    });
    const seen = document.getElementById('seen').getContext('2d');
    const image = seen.createImageData(28, 28);
    for (let i = 0; i < 28 * 28; i++) {
      const level = reading ? Math.round(255 * reading.input[i]) : 0;
      image.data.set([level, level, level, 255], 4 * i);
    }
    seen.putImageData(image, 0, 0);
    document.getElementById('prediction').dataset.digit = reading ? String(reading.digit) : '';
  }
})();
