// Formulas: each .math element holds LaTeX source (the bank writes $...$ and $$...$$); KaTeX, served from
// this program's jar, renders it in place. katex.render builds DOM nodes, so the page's
// Content-Security-Policy (no inline styles in markup) holds.
'use strict';

function renderMath(root) {
  root.querySelectorAll('.math:not([data-rendered])').forEach((element) => {
    const source = element.textContent;
    try {
      katex.render(source, element, { displayMode: element.classList.contains('display'), throwOnError: true });
      element.dataset.rendered = 'katex';
    } catch (error) {
      // The source stays, as code, with KaTeX's reason beside it: a bank writer's typo, not a broken page.
      element.textContent = source;
      element.classList.add('math-error');
      element.title = String(error.message || error);
      element.dataset.rendered = 'error';
    }
  });
}
window.dlbankMath = renderMath;
renderMath(document);
