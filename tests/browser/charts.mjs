// What the drivers of chart pages share (report.mjs: a report from disk; economy.mjs: the
// sandbox's economy panel): measuring the charts drawn by `starmine::plot` in the page, and
// checking them against the charts and series expected.

// What a page of charts shows, measured in the page (pass it to page.evaluate with the CSS
// selector of the charts' grid): each chart's SVG, its legend and its drawn series.
export function measure(gridSelector) {
  const box = (node) => {
    const b = node.getBBox();
    return { x: b.x, y: b.y, width: b.width, height: b.height };
  };
  const charts = [...document.querySelectorAll('svg[data-chart]')].map((svg) => {
    const view = svg.viewBox.baseVal;
    const card = svg.parentElement.getBoundingClientRect();
    const legend = svg.querySelector('[data-legend]');
    return {
      id: svg.dataset.chart,
      width: Math.round(svg.getBoundingClientRect().width),
      card: Math.round(card.width),
      view: { width: view.width, height: view.height },
      legend: legend ? box(legend) : null,
      series: [...svg.querySelectorAll('g[data-series]')].map((g) => ({
        name: g.dataset.series,
        run: g.dataset.run,
        shapes: g.querySelectorAll('polyline, rect, circle').length,
        ...box(g),
      })),
    };
  });
  const grid = document.querySelector(gridSelector);
  const columns = grid ? new Set([...grid.children].map((f) => Math.round(f.getBoundingClientRect().left))).size : 0;
  return { charts, columns, pageWidth: document.documentElement.scrollWidth, window: window.innerWidth };
}

// Every way the measured page falls short of `expected` ({charts: [{id, series}]}).
export function problems(size, page, expected) {
  const found = [];
  const ids = page.charts.map((c) => c.id);
  const want = expected.charts.map((c) => c.id);
  if (JSON.stringify(ids) !== JSON.stringify(want)) found.push(`charts ${JSON.stringify(ids)}, expected ${JSON.stringify(want)}`);
  if (page.pageWidth > page.window) found.push(`the page is ${page.pageWidth} px wide in a ${page.window} px window`);
  for (const chart of page.charts) {
    const at = `${size}: chart ${chart.id}`;
    const count = (expected.charts.find((c) => c.id === chart.id) || {}).series;
    if (chart.series.length !== count) found.push(`${at} draws ${chart.series.length} series, expected ${count}`);
    if (chart.width < chart.card * 0.9) found.push(`${at} is ${chart.width} px wide in a ${chart.card} px card`);
    const lowest = Math.max(0, ...chart.series.map((s) => s.y + s.height));
    if (chart.legend && chart.legend.y < lowest) found.push(`${at}: the legend (top ${chart.legend.y}) overlaps the data (down to ${lowest})`);
    for (const s of chart.series) {
      const name = `${at} series ${s.name} (${s.run})`;
      if (!(s.shapes > 0 && s.width > 0)) found.push(`${name} has nothing drawn: ${JSON.stringify(s)}`);
      const inside = s.x >= 0 && s.y >= 0 && s.x + s.width <= chart.view.width + 0.5 && s.y + s.height <= chart.view.height + 0.5;
      if (!inside) found.push(`${name} lies outside its SVG: ${JSON.stringify(s)}`);
    }
  }
  return found;
}
