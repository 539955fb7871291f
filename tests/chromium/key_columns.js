// Each table of the page and its key column (the `th.key` of its header row): the table's title
// (its card's h3, else the h2 before it), how many key columns it marks, the key's header, and
// every cell of that column drawn outside the device's `width` or outside what its scrolling card
// shows (the card not scrolled: as the page opens).
((width) => [...document.querySelectorAll('table')].map(table => {
  const card = table.closest('.card');
  const h3 = card && card.querySelector('h3');
  let title = h3;
  for (let el = card || table; !title && el; el = el.previousElementSibling) {
    if (/^H[23]$/.test(el.tagName)) title = el;
  }
  const headers = [...table.querySelectorAll('thead tr > th')];
  const keys = headers.filter(th => th.classList.contains('key'));
  const column = headers.indexOf(keys[0]);
  const cells = keys.length ? [keys[0], ...[...table.querySelectorAll('tbody tr')].map(tr => tr.children[column])] : [];
  const scroller = el => {
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      if (['auto', 'scroll'].includes(getComputedStyle(a).overflowX)) return a;
    }
    return null;
  };
  const outside = cells.filter(cell => {
    const r = cell.getBoundingClientRect();
    if (getComputedStyle(cell).display === 'none' || r.width === 0) return true;
    const box = scroller(cell);
    const b = box ? box.getBoundingClientRect() : { left: 0, right: width };
    return r.left < Math.max(0, b.left) - 0.5 || r.right > Math.min(width, b.right) + 0.5
      || (box && box.scrollLeft !== 0);
  }).map(cell => `${cell.textContent.trim()} at ${cell.getBoundingClientRect().left}..${cell.getBoundingClientRect().right}`);
  return {
    title: title ? title.textContent.trim() : '(untitled)',
    keys: keys.length,
    key: keys.length ? keys[0].textContent.trim() : '',
    cells: cells.length,
    outside,
  };
}))
