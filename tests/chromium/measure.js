((width, min_px) => {
  const viewport = window.innerWidth;
  const scrolls = el => {
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      if (['auto', 'scroll'].includes(getComputedStyle(a).overflowX)) return true;
    }
    return false;
  };
  const name = el => el.tagName.toLowerCase() + (el.className && el.className.baseVal === undefined
    ? '.' + el.className.trim().split(/\s+/).join('.') : '');
  const too_wide = [...document.querySelectorAll('body *')]
    .filter(el => !scrolls(el))
    .map(el => [el, el.getBoundingClientRect()])
    .filter(([, r]) => r.width > 0 && (r.left < 0 || r.right > width))
    .map(([el, r]) => `${name(el)} spans ${r.left}..${r.right}`);
  const charts = [...document.querySelectorAll('svg')]
    .map(s => s.getBoundingClientRect())
    .map(r => [r.left, r.right, r.width, r.height]);
  const scrolling = [...document.querySelectorAll('body *')]
    .filter(el => ['auto', 'scroll'].includes(getComputedStyle(el).overflowX))
    .filter(el => el.scrollWidth > el.clientWidth)
    .map(el => {
      const title = el.querySelector('h2, h3, th');
      return `${name(el)} (${title ? title.textContent.trim() : ''}) ${el.scrollWidth} px in ${el.clientWidth} px`;
    });
  // Each chart's text as drawn: its size on screen (its font size times the chart's scale), and
  // whether it stays inside the chart. A text's own words, not its tooltip's.
  const texts = [...document.querySelectorAll('svg')].flatMap(svg => {
    const box = svg.getBoundingClientRect();
    const view = svg.viewBox && svg.viewBox.baseVal;
    if (box.width === 0) return [];
    const scale = view && view.width ? box.width / view.width : 1;
    return [...svg.querySelectorAll('text')].map(t => {
      const r = t.getBoundingClientRect();
      const words = [...t.childNodes].filter(n => n.nodeType === 3).map(n => n.data).join('');
      return {
        px: parseFloat(getComputedStyle(t).fontSize) * scale,
        words: words.slice(0, 80),
        inside: r.left >= box.left - 0.5 && r.right <= box.right + 0.5
          && r.top >= box.top - 0.5 && r.bottom <= box.bottom + 0.5,
      };
    });
  });
  return {
    viewport,
    scroll_width: document.documentElement.scrollWidth,
    charts,
    too_wide,
    scrolling,
    small_text: texts.filter(t => t.px < min_px).map(t => `${t.px.toFixed(1)} px: ${t.words}`),
    clipped_text: texts.filter(t => !t.inside).map(t => t.words),
    violations: window.__violations || ['the violation listener did not run'],
  };
})
