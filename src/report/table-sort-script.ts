/**
 * The report's only script, inlined in the page: clicking (or Enter/Space on)
 * a column's header button sorts the rows by that column's raw values
 * (data-v), ascending first, then descending; aria-sort tells assistive
 * technology the order. NULLs sort first ascending, as Hive's do; numeric
 * columns compare as numbers, NaN above all. Plain ES2015 for any browser.
 * The report and the web page (src/web) both inline it.
 */
export const TABLE_SORT_SCRIPT = `(function () {
  function key(cell, numeric) {
    if (!cell || !cell.hasAttribute('data-v')) return null;
    var v = cell.getAttribute('data-v');
    return numeric ? Number(v) : v;
  }
  function compare(a, b) {
    if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1;
    if (a !== a || b !== b) return (a !== a ? 1 : 0) - (b !== b ? 1 : 0);
    return a < b ? -1 : a > b ? 1 : 0;
  }
  function sortBy(table, button) {
    var th = button.parentNode;
    var col = Number(button.getAttribute('data-col'));
    var numeric = th.getAttribute('data-type') === 'num';
    var dir = th.getAttribute('aria-sort') === 'ascending' ? 'descending' : 'ascending';
    var heads = table.querySelectorAll('thead th');
    for (var h = 0; h < heads.length; h++) heads[h].setAttribute('aria-sort', 'none');
    th.setAttribute('aria-sort', dir);
    var body = table.tBodies[0];
    var rows = [];
    for (var r = 0; r < body.rows.length; r++) rows.push({ row: body.rows[r], at: r, key: key(body.rows[r].cells[col], numeric) });
    rows.sort(function (x, y) {
      var c = compare(x.key, y.key);
      return (dir === 'ascending' ? c : -c) || x.at - y.at;
    });
    for (var i = 0; i < rows.length; i++) body.appendChild(rows[i].row);
  }
  // One listener on the document, so that tables added later (the web page builds them from results) sort too.
  document.addEventListener('click', function (ev) {
    var target = ev.target;
    var button = target && target.closest ? target.closest('table.lh-sortable thead button[data-col]') : null;
    if (button) sortBy(button.closest('table'), button);
  });
})();`;
