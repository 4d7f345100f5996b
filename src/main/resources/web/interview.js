// The interview's clock: how long the current question has been open, turning amber past the usual
// two minutes. It only shows time; nothing is cut off.
'use strict';

(function interviewClock() {
  const clock = document.querySelector('.clock');
  if (!clock) return;
  const start = Date.now();
  const suggested = Number(clock.dataset.suggested) || 120;
  const tick = () => {
    const seconds = Math.floor((Date.now() - start) / 1000);
    clock.textContent = Math.floor(seconds / 60) + ':' + String(seconds % 60).padStart(2, '0');
    clock.classList.toggle('over', seconds > suggested);
  };
  tick();
  setInterval(tick, 1000);
  const answer = document.querySelector('.interview-answer textarea');
  if (answer) answer.focus();
})();
